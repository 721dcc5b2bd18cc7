package org.escadrille.cli.launch;

import java.util.List;

/**
 * The values given to one input, and whether they go as a list: a repeated {@code name=} or a JSON
 * array is a list (a list input, or a sweep over a single-valued one), a single {@code name=} is not.
 */
public record InputValues(List<InputValue> values, boolean asList) {
    public InputValues {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an input has at least one value");
        }
    }
}
