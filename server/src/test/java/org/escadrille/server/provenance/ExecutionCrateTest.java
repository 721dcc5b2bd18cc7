package org.escadrille.server.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The ids of a crate's files: relative URIs, which a user's file names (spaces, percent signs) must not break. */
class ExecutionCrateTest {
    @Test
    void aFileNameWithSpacesOrPercentSignsBecomesAPercentEncodedRelativeId() {
        String id = ExecutionCrate.idOf("outputs/run 1/100% done.txt");

        assertThat(id).isEqualTo("outputs/run%201/100%25%20done.txt");
        assertThat(URI.create(id).getPath()).isEqualTo("outputs/run 1/100% done.txt");
        assertThat(ExecutionCrate.idOf("inputs/data/scan=1.nii")).isEqualTo("inputs/data/scan=1.nii");
    }
}
