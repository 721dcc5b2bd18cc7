package org.escadrille.server.storage;

import java.io.IOException;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The storage element in use: the local directory {@code <data-dir>/storage} by default. */
@Configuration
class StorageConfiguration {

    @Bean
    Storage storage(EscadrilleProperties properties) throws IOException {
        return new LocalStorage(properties.dataDir().resolve("storage"));
    }
}
