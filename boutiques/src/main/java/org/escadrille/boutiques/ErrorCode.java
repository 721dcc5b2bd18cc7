package org.escadrille.boutiques;

import java.util.Objects;

/** The meaning of one exit code of the tool. */
public record ErrorCode(long code, String description) {

    public ErrorCode {
        Objects.requireNonNull(description, "description");
    }
}
