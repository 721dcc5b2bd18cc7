package org.escadrille.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCsvTest {
    @Test
    void writesAHeaderAndOneCrlfLinePerNameWithHoursToFourDecimals() {
        var csv = UsageCsv.of("2026-11", "group", List.of(new UsageLine("lab", List.of("alice", "bob"), 3, 2.75, 1.0 / 3, 4096)));

        assertThat(csv).isEqualTo("month,group,members,attempts,cpu_hours,wall_hours,storage_bytes\r\n"
                + "2026-11,lab,alice bob,3,2.7500,0.3333,4096\r\n");
    }

    @Test
    void quotesAFieldHoldingACommaOrAQuoteAsRfc4180Says() {
        var csv = UsageCsv.of("2026-11", "user", List.of(new UsageLine("a,\"b\"", List.of(), 0, 0, 0, 0)));

        assertThat(csv.split("\r\n")[1]).isEqualTo("2026-11,\"a,\"\"b\"\"\",,0,0.0000,0.0000,0");
    }
}
