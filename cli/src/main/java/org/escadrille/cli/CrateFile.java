package org.escadrille.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.escadrille.cli.transfer.LocalFileException;

/**
 * A Workflow Run RO-Crate on this machine (as {@code escadrille get ID --crate} writes it): only its
 * {@code ro-crate-metadata.json} goes to the server for a replay, so that a crate with large embedded
 * outputs is no larger a request than one without.
 */
final class CrateFile {
    static final String METADATA = "ro-crate-metadata.json";
    private static final long MAX_METADATA_BYTES = 4L * 1024 * 1024;

    private CrateFile() {
    }

    /** Whether the argument of {@code rerun} names a crate rather than an execution id. */
    static boolean named(String argument, CliEnvironment env) {
        return argument.endsWith(".zip") || Files.isRegularFile(env.resolve(Path.of(argument)));
    }

    static byte[] metadata(Path crate) {
        if (!Files.isRegularFile(crate)) {
            throw new UsageException("no file " + crate + ": give an execution id or a crate written by escadrille get ID --crate");
        }
        try (var zip = new ZipFile(crate.toFile())) {
            var entry = zip.getEntry(METADATA);
            if (entry == null) {
                throw new UsageException(crate + " holds no " + METADATA + ": it is not an RO-Crate");
            }
            if (entry.getSize() > MAX_METADATA_BYTES) {
                throw new UsageException(METADATA + " of " + crate + " is over " + MAX_METADATA_BYTES + " bytes");
            }
            try (var in = zip.getInputStream(entry)) {
                return in.readAllBytes();
            }
        } catch (ZipException e) {
            throw new UsageException(crate + " is not a ZIP archive: give a crate written by escadrille get ID --crate");
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + crate + ": " + e.getMessage(), e);
        }
    }
}
