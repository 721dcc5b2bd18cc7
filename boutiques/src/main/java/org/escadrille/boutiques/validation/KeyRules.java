package org.escadrille.boutiques.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/**
 * bosh's rules on value-keys and ids: every value-key is used somewhere, no value-key contains another,
 * ids are unique across inputs, outputs and groups, inputs share a value-key only inside a
 * mutually-exclusive group, and no two outputs have the same path-template.
 */
final class KeyRules {

    private record Key(String key, String location) {
    }

    private KeyRules() {
    }

    static void check(DescriptorView v, List<Problem> out) {
        List<Key> keys = valueKeys(v);
        String haystack = haystack(v);
        for (Key k : keys) {
            if (!haystack.contains(k.key())) {
                out.add(Problem.at(k.location(), "value-key \"%s\" appears nowhere: not in the command-line, a "
                        + "file-template, a path-template or an environment variable", k.key()));
            }
        }
        for (Key k : keys) {
            for (Key other : keys) {
                if (k.key().contains(other.key()) && !k.key().equals(other.key())) {
                    out.add(Problem.at(k.location(), "value-key \"%s\" contains value-key \"%s\": substituting one "
                            + "would break the other", k.key(), other.key()));
                }
            }
        }
        uniqueIds(v, out);
        sharedKeys(v, keys, out);
        uniquePathTemplates(v, out);
    }

    private static List<Key> valueKeys(DescriptorView v) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < v.inputs.size(); i++) {
            String key = DescriptorView.text(v.inputs.get(i), "value-key");
            if (key != null) {
                keys.add(new Key(key, Pointer.child(Pointer.child("/inputs", i), "value-key")));
            }
        }
        for (int i = 0; i < v.outputs.size(); i++) {
            String key = DescriptorView.text(v.outputs.get(i), "value-key");
            if (key != null) {
                keys.add(new Key(key, Pointer.child(Pointer.child("/output-files", i), "value-key")));
            }
        }
        return keys;
    }

    // bosh searches value-keys in this exact concatenation, separators included.
    private static String haystack(DescriptorView v) {
        List<String> templates = new ArrayList<>();
        for (JsonNode o : v.outputs) {
            templates.addAll(DescriptorView.strings(o, "file-template"));
        }
        for (JsonNode o : v.outputs) {
            String path = DescriptorView.text(o, "path-template");
            if (path != null) {
                templates.add(path);
            }
        }
        StringBuilder env = new StringBuilder();
        v.descriptor.path("environment-variables").forEach(e -> env.append("||").append(DescriptorView.text(e, "value")));
        return v.descriptor.get("command-line").stringValue() + String.join(".", templates) + env;
    }

    private static void uniqueIds(DescriptorView v, List<Problem> out) {
        List<String> ids = new ArrayList<>();
        List<String> where = new ArrayList<>();
        addIds(ids, where, v.inputIds, "/inputs");
        addIds(ids, where, v.outputIds, "/output-files");
        addIds(ids, where, v.groupIds, "/groups");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!seen.add(ids.get(i))) {
                out.add(Problem.at(where.get(i), "id \"%s\" is already used by another input, output or group",
                        ids.get(i)));
            }
        }
    }

    private static void addIds(List<String> ids, List<String> where, List<String> source, String base) {
        for (int i = 0; i < source.size(); i++) {
            ids.add(source.get(i));
            where.add(Pointer.child(Pointer.child(base, i), "id"));
        }
    }

    private static void sharedKeys(DescriptorView v, List<Key> keys, List<Problem> out) {
        Set<String> reported = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                String key = keys.get(i).key();
                if (!keys.get(j).key().equals(key) || !reported.add(key)) {
                    continue;
                }
                String at = keys.get(j).location();
                Set<String> sharing = new LinkedHashSet<>();
                boolean everyInputHasKey = true;
                for (JsonNode in : v.inputs) {
                    String inKey = DescriptorView.text(in, "value-key");
                    everyInputHasKey &= in.has("value-key");
                    if (key.equals(inKey)) {
                        sharing.add(in.get("id").stringValue());
                    }
                }
                if (!everyInputHasKey) {
                    out.add(Problem.at(at, "value-key \"%s\" is shared, and bosh can check shared value-keys only "
                            + "when every input has a value-key", key));
                } else if (!v.descriptor.has("groups")) {
                    out.add(Problem.at(at, "value-key \"%s\" is shared by %s: that needs them to form a "
                            + "mutually-exclusive group, and the descriptor has no groups", key, sharing));
                } else {
                    for (JsonNode g : v.groups) {
                        if (new HashSet<>(DescriptorView.strings(g, "members")).equals(sharing)
                                && !DescriptorView.truthy(g, "mutually-exclusive")) {
                            out.add(Problem.at(at, "value-key \"%s\" is shared by %s, whose group \"%s\" is not "
                                    + "mutually-exclusive", key, sharing, DescriptorView.text(g, "id")));
                        }
                    }
                }
            }
        }
    }

    private static void uniquePathTemplates(DescriptorView v, List<Problem> out) {
        List<String> owners = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (JsonNode o : v.outputs) {
            String path = DescriptorView.text(o, "path-template");
            if (path != null) {
                paths.add(path);
                owners.add(o.get("id").stringValue());
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                if (paths.get(i).equals(paths.get(j)) && !owners.get(i).equals(owners.get(j))) {
                    out.add(Problem.at("/output-files", "outputs \"%s\" and \"%s\" have the same path-template \"%s\"",
                            owners.get(i), owners.get(j), paths.get(i)));
                }
            }
        }
    }
}
