package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every operation of carmin.yaml is exercised by a test class (its {@link Exercises}, which that class's
 * run checks it really called, request and answer validated): a new operation in the specification, or
 * a test dropped, fails the build.
 */
class SpecCoverageTest {
    @Test
    void everyOperationOfTheSpecificationIsExercisedByATest() throws Exception {
        var spec = CarminSpec.load();
        assumeTrue(spec.isPresent(), SharedSpecs.MISSING);
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Exercises.class));
        var claimed = new TreeSet<CarminSpec.Operation>();
        for (var candidate : scanner.findCandidateComponents(getClass().getPackageName())) {
            var exercises = Class.forName(candidate.getBeanClassName()).getAnnotation(Exercises.class);
            Arrays.stream(exercises.value()).map(CarminSpec.Operation::parse).forEach(claimed::add);
        }

        assertThat(claimed).as("operations of carmin.yaml named by the @Exercises of the tests")
                .containsAll(spec.get().operations());
        assertThat(spec.get().operations()).as("every operation named in @Exercises is one of carmin.yaml")
                .containsAll(claimed);
    }
}
