package org.escadrille.boutiques.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/** bosh's rules for the descriptor's tests (known, distinct output ids; distinct names) and container image. */
final class TestAndContainerRules {

    private static final Pattern INDEX_PREFIX = Pattern.compile("^[a-zA-Z0-9]+://");

    private TestAndContainerRules() {
    }

    static void check(DescriptorView v, List<Problem> out) {
        JsonNode tests = v.descriptor.get("tests");
        if (tests != null) {
            List<String> names = new ArrayList<>();
            for (int t = 0; t < tests.size(); t++) {
                JsonNode test = tests.get(t);
                String at = Pointer.child("/tests", t);
                String name = test.get("name").stringValue();
                names.add(name);
                List<String> ids = new ArrayList<>();
                test.get("assertions").path("output-files").forEach(o -> {
                    if (o.has("id")) {
                        ids.add(o.get("id").stringValue());
                    }
                });
                for (String id : ids) {
                    if (!v.outputIds.contains(id)) {
                        out.add(Problem.at(at, "test \"%s\" checks output \"%s\", which is not an output file", name, id));
                    }
                }
                for (String id : new LinkedHashSet<>(ids)) {
                    if (Collections.frequency(ids, id) > 1) {
                        out.add(Problem.at(at, "test \"%s\" checks output \"%s\" more than once", name, id));
                    }
                }
            }
            for (String name : new LinkedHashSet<>(names)) {
                if (Collections.frequency(names, name) > 1) {
                    out.add(Problem.at("/tests", "test name \"%s\" is used more than once", name));
                }
            }
        }
        JsonNode container = v.descriptor.get("container-image");
        if (container == null) {
            return;
        }
        JsonNode image = container.get("image");
        if (image == null) {
            out.add(Problem.at("/container-image", "bosh needs an \"image\" in container-image (rootfs containers "
                    + "given by url only are not supported)"));
            return;
        }
        JsonNode index = container.get("index");
        Matcher prefix = INDEX_PREFIX.matcher(image.stringValue());
        if (index != null && prefix.lookingAt() && !index.stringValue().equals(prefix.group())) {
            out.add(Problem.at("/container-image/index", "container image \"%s\" starts with an index that differs "
                    + "from the container index \"%s\"", image.stringValue(), index.stringValue()));
        }
    }
}
