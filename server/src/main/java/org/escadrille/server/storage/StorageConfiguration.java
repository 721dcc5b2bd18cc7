package org.escadrille.server.storage;

import java.io.IOException;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The storage element in use: the local directory {@code <data-dir>/storage} by default, or an S3
 * bucket ({@code escadrille.storage.kind=s3}), checked at start. Spring closes an S3 storage's client
 * at shutdown ({@code close()} is inferred).
 */
@Configuration
class StorageConfiguration {

    @Bean
    Storage storage(EscadrilleProperties properties) throws IOException {
        var settings = properties.storage();
        return switch (settings.kind()) {
            case LOCAL -> new LocalStorage(properties.dataDir().resolve("storage"));
            case S3 -> S3Setup.open(settings.s3());
        };
    }
}
