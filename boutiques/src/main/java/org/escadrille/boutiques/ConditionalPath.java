package org.escadrille.boutiques;

import java.util.Objects;

/**
 * One entry of an output's conditional-path-template: a condition (limited Python syntax, or
 * {@code default}) and the path template used when it is the first to hold. bosh reads only the first
 * key of each entry; {@code pathTemplate} is null when that key's value is not a string.
 */
public record ConditionalPath(String condition, String pathTemplate) {

    public ConditionalPath {
        Objects.requireNonNull(condition, "condition");
    }
}
