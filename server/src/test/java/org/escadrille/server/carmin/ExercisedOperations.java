package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Checks, after a test class, that it called every operation its {@link Exercises} names. */
final class ExercisedOperations implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        CarminClient.EXERCISED.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // skipped without the specification; and with one method picked (-Dtest=Class#method), which calls fewer
        if (CarminSpec.load().isEmpty() || System.getProperty("test", "").contains("#")) {
            return;
        }
        var claimed = Arrays.stream(context.getRequiredTestClass().getAnnotation(Exercises.class).value())
                .map(CarminSpec.Operation::parse).toList();
        assertThat(CarminClient.EXERCISED).as("the operations %s claims to exercise, called and checked against carmin.yaml",
                context.getRequiredTestClass().getSimpleName()).containsAll(claimed);
    }
}
