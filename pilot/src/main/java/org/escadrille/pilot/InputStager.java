package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.escadrille.protocol.Sha256;
import org.escadrille.protocol.TaskAssignment.InputFile;

/** Downloads an attempt's inputs into its working directory and checks their size and SHA-256. */
final class InputStager {
    private final ServerClient client;

    InputStager(ServerClient client) {
        this.client = client;
    }

    /**
     * @return the bytes downloaded
     * @throws TaskFailedException when an input does not match what the server announced, or its
     *                             host refused it
     */
    long stage(List<InputFile> inputs, WorkDirectory workDir, RetryLoop retry) throws IOException, TaskFailedException {
        long bytes = 0;
        for (InputFile input : inputs) {
            Path target;
            try {
                target = workDir.resolve(input.path());
            } catch (IllegalArgumentException e) {
                throw new TaskFailedException("input " + input.path() + ": " + e.getMessage());
            }
            Files.createDirectories(target.getParent());
            long size;
            try {
                size = retry.call("input " + input.path(), () -> client.download(input.url(), target));
            } catch (RequestRefusedException e) {
                throw new TaskFailedException("input " + input.path() + ": " + e.getMessage());
            }
            verify(input, target, size);
            bytes += size;
        }
        return bytes;
    }

    private static void verify(InputFile input, Path file, long size) throws IOException, TaskFailedException {
        // A size of 0 or less means the server did not say (an empty file is still checked by its digest).
        if (input.size() > 0 && input.size() != size) {
            throw new TaskFailedException("input " + input.path() + ": expected " + input.size()
                    + " bytes, received " + size);
        }
        if (input.sha256() != null && !input.sha256().isBlank()) {
            String actual = Sha256.of(file);
            if (!actual.equalsIgnoreCase(input.sha256().strip())) {
                throw new TaskFailedException("input " + input.path() + ": SHA-256 mismatch (expected "
                        + input.sha256() + ", received " + actual + ")");
            }
        }
    }
}
