package org.escadrille.protocol;

import java.util.Objects;

/**
 * One part of a multipart output ({@link MultipartPlan}): the output's path in the working directory,
 * the upload, and the part's number (from 1); to complete the upload, the number of parts.
 */
public record OutputPart(String path, String uploadId, int number) {
    public OutputPart {
        RelativePaths.requireConfined(path);
        Objects.requireNonNull(uploadId, "uploadId");
    }
}
