package org.escadrille.server.carmin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operations of carmin.yaml a test class calls through {@link CarminClient}, each as
 * {@code METHOD /path/{template}}: {@link ExercisedOperations} fails the class if one was not called (with
 * its request and answer checked), and {@link SpecCoverageTest} fails when an operation of the
 * specification is named by no class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ExercisedOperations.class)
@interface Exercises {
    String[] value();
}
