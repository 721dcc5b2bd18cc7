package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchDatabaseTest {

    @Test
    void aRunsDatabaseIsNamedInTheUrlOfTheServersOwnKeepingItsParameters() {
        assertThat(BenchDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "escadrille_scale_10000"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/escadrille_scale_10000");
        assertThat(BenchDatabase.withDatabase("jdbc:postgresql://db.example.org/postgres?sslmode=require", "run"))
                .isEqualTo("jdbc:postgresql://db.example.org/run?sslmode=require");
        assertThatThrownBy(() -> BenchDatabase.withDatabase("jdbc:h2:mem:x", "run")).hasMessageContaining("PostgreSQL JDBC URL");
    }
}
