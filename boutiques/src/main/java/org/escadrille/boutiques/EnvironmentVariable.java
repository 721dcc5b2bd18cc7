package org.escadrille.boutiques;

import java.util.Objects;

/** A variable set in the tool's environment; a value equal to an input's value-key takes that input's value. */
public record EnvironmentVariable(String name, String value, String description) {

    public EnvironmentVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
