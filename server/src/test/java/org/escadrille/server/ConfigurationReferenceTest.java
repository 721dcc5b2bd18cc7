package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every setting of {@link EscadrilleProperties}: the reference cannot fall behind. */
class ConfigurationReferenceTest {

    @Test
    void everySettingIsDocumented() throws IOException {
        String page = Files.readString(Path.of(System.getProperty("escadrille.repo.root", ".."), "docs", "configuration.md"));

        assertThat(settings("escadrille", EscadrilleProperties.class))
                .isNotEmpty()
                .allSatisfy(setting -> assertThat(page).as("docs/configuration.md names " + setting).contains("`" + setting + "`"));
    }

    private static List<String> settings(String prefix, Class<?> type) {
        var names = new ArrayList<String>();
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()) {
                names.addAll(settings(name, component.getType()));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
