package org.escadrille.server.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Installs the built-in demonstration applications at startup: their programs into the tools
 * directory (on the PATH of local tasks) and their descriptors into the catalogue. They are then run
 * like any third-party tool: nothing else knows them.
 */
@Component
@Order(1)
class BuiltInApplications implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(BuiltInApplications.class);
    private static final String BUNDLE = "/bundled/escadrille-apps.jar";
    private static final String PREFIX = "escadrille-apps/";

    private final Catalog catalog;
    private final Path toolsDir;

    BuiltInApplications(Catalog catalog, EscadrilleProperties properties) {
        this.catalog = catalog;
        this.toolsDir = properties.toolsDir();
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        byte[] bundle;
        try (InputStream in = BuiltInApplications.class.getResourceAsStream(BUNDLE)) {
            if (in == null) {
                log.warn("no built-in applications in this build ({} is missing)", BUNDLE);
                return;
            }
            bundle = in.readAllBytes();
        }
        Files.createDirectories(toolsDir.resolve("bin"));
        replace(toolsDir.resolve("escadrille-apps.jar"), bundle, false);
        var descriptors = new ArrayList<String>();
        try (var jar = new JarInputStream(new ByteArrayInputStream(bundle))) {
            for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(PREFIX)) {
                    continue;
                }
                byte[] content = jar.readAllBytes();
                if (name.startsWith(PREFIX + "bin/")) {
                    replace(toolsDir.resolve("bin").resolve(name.substring((PREFIX + "bin/").length())), content, true);
                } else if (name.startsWith(PREFIX + "descriptors/") && name.endsWith(".json")) {
                    descriptors.add(new String(content, StandardCharsets.UTF_8));
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (String descriptor : descriptors) {
            try {
                names.add(catalog.publish(descriptor, null).name());
            } catch (ConflictException e) {
                // A data directory from an older build: its published version stays, as published versions do.
                log.warn("built-in application not updated: {}", e.getMessage());
            }
        }
        log.info("built-in applications: {}", names);
    }

    private static void replace(Path target, byte[] content, boolean executable) {
        try {
            Path temporary = Files.createTempFile(target.getParent(), ".install-", ".tmp");
            Files.write(temporary, content);
            if (executable) {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + target, e);
        }
    }
}
