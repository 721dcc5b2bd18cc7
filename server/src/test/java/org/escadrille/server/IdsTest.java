package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ids sort in the order they were made, never repeat, and stay safe in paths and URLs. */
class IdsTest {

    @Test
    void idsMadeOneAfterAnotherSortInThatOrderAndNeverRepeat() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            made.add(Ids.newId());
        }

        assertThat(made).isSorted();
        assertThat(new HashSet<>(made)).hasSameSizeAs(made);
        assertThat(made).allMatch(id -> id.matches("[0-9a-hjkmnp-tv-z]{16}"), "16 characters of Crockford's base 32");
    }

    @Test
    void theFirstCharactersAreTheTimeSoLaterIdsSortAfterEarlierOnesAcrossRestarts() throws InterruptedException {
        String before = Ids.newId();
        long ms = System.currentTimeMillis();
        while (System.currentTimeMillis() == ms) {
            Thread.onSpinWait();
        }

        assertThat(Ids.newId().substring(0, 9)).isGreaterThan(before.substring(0, 9));
    }
}
