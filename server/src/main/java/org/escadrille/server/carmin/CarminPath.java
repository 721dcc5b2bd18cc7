package org.escadrille.server.carmin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * CARMIN's {@code Path}, with VIP's additions that its client reads: {@code path} (the same as
 * {@code platformPath}) and, among an execution's results only, {@code exists} (elsewhere it would make a
 * Path look like CARMIN's BooleanResponse too, which the one-of of getPath's answer forbids). {@code lastModificationDate} is in seconds since the epoch;
 * {@code size} is left out for directories.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CarminPath(String platformPath, String path, long lastModificationDate, boolean isDirectory, Long size,
                  String executionId, String mimeType, Boolean exists) {

    static CarminPath directory(String vipPath, long modifiedAtMs) {
        return new CarminPath(vipPath, vipPath, modifiedAtMs / 1000, true, null, null, null, null);
    }

    static CarminPath file(String vipPath, long size, long modifiedAtMs, String executionId, String mimeType) {
        return new CarminPath(vipPath, vipPath, modifiedAtMs / 1000, false, size, executionId, mimeType, null);
    }

    /** As an execution's result: with {@code exists}, which VIP's client reads there. */
    CarminPath asResult() {
        return new CarminPath(platformPath, path, lastModificationDate, isDirectory, size, executionId, mimeType, true);
    }

    /** A result whose file has been deleted since: VIP's client skips it when downloading. */
    static CarminPath missing(String vipPath, String executionId) {
        return new CarminPath(vipPath, vipPath, 0, false, 0L, executionId, null, false);
    }
}
