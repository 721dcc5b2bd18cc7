package org.escadrille.boutiques.validation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonValues;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/**
 * The rules of the Boutiques descriptor schema (descriptor.schema.json, schema-version 0.5) for the
 * descriptor as a whole, its container image, environment variables, groups, tests, error codes, tags and
 * suggested resources. Inputs and outputs have their own classes.
 */
final class DescriptorSchemaRules {

    private static final Set<String> FIELDS = Set.of("name", "tool-version", "description", "deprecated-by-doi",
            "author", "url", "descriptor-url", "doi", "shell", "tool-doi", "command-line", "container-image",
            "schema-version", "environment-variables", "groups", "inputs", "tests", "online-platform-urls",
            "output-files", "invocation-schema", "suggested-resources", "tags", "error-codes", "custom");
    private static final Pattern ENV_NAME = Pattern.compile("^[a-z,A-Z][0-9,_,a-z,A-Z]*$", Pattern.UNIX_LINES);
    private static final Pattern URL = Pattern.compile("^https?://", Pattern.UNIX_LINES);

    private DescriptorSchemaRules() {
    }

    static void check(JsonNode d, List<Problem> out) {
        SchemaCheck c = new SchemaCheck(out);
        c.allowOnly(d, "", FIELDS, "a descriptor");
        c.require(d, "", "a descriptor", "name", "description", "command-line", "schema-version", "inputs",
                "tool-version");
        for (String field : List.of("name", "tool-version", "description", "author", "url", "descriptor-url", "doi",
                "shell", "tool-doi", "command-line")) {
            c.string(d, "", field, true);
        }
        JsonNode deprecated = d.get("deprecated-by-doi");
        if (deprecated != null && !deprecated.isBoolean()) {
            c.string(d, "", "deprecated-by-doi", true);
        }
        JsonNode version = d.get("schema-version");
        if (version != null && !(version.isString() && version.stringValue().equals("0.5"))) {
            c.add("/schema-version", "must be \"0.5\", the only schema version bosh knows");
        }
        JsonNode container = d.get("container-image");
        if (container != null && c.isObject(container, "/container-image", "container-image")) {
            containerImage(c, container);
        }
        environmentVariables(c, d);
        groups(c, d);
        JsonNode inputs = c.array(d, "", "inputs", 1, true);
        if (inputs != null) {
            for (int i = 0; i < inputs.size(); i++) {
                InputSchemaRules.check(c, inputs.get(i), Pointer.child("/inputs", i));
            }
        }
        JsonNode outputs = c.array(d, "", "output-files", 1, true);
        if (outputs != null) {
            for (int i = 0; i < outputs.size(); i++) {
                OutputSchemaRules.check(c, outputs.get(i), Pointer.child("/output-files", i));
            }
        }
        tests(c, d);
        JsonNode urls = c.array(d, "", "online-platform-urls", 0, false);
        if (urls != null) {
            for (int i = 0; i < urls.size(); i++) {
                JsonNode url = urls.get(i);
                if (!url.isString() || !URL.matcher(url.stringValue()).find()) {
                    c.add(Pointer.child("/online-platform-urls", i), "must be a URL starting with http:// or https://");
                }
            }
        }
        c.objectField(d, "", "invocation-schema");
        c.objectField(d, "", "custom");
        suggestedResources(c, d);
        tags(c, d);
        errorCodes(c, d);
    }

    private static void containerImage(SchemaCheck c, JsonNode ci) {
        String at = "/container-image";
        c.string(ci, at, "working-directory", true);
        c.string(ci, at, "container-hash", true);
        JsonNode type = ci.get("type");
        String name = type != null && type.isString() ? type.stringValue() : null;
        if ("docker".equals(name) || "singularity".equals(name)) {
            c.allowOnly(ci, at, Set.of("type", "image", "entrypoint", "index", "container-opts", "working-directory",
                    "container-hash"), "a " + name + " container-image");
            c.require(ci, at, "a " + name + " container-image", "image");
            c.string(ci, at, "image", true);
            c.bool(ci, at, "entrypoint");
            c.string(ci, at, "index", true);
            c.stringArray(ci, at, "container-opts", 0);
        } else if ("rootfs".equals(name)) {
            c.allowOnly(ci, at, Set.of("type", "url", "working-directory", "container-hash"),
                    "a rootfs container-image");
            c.require(ci, at, "a rootfs container-image", "url");
            c.string(ci, at, "url", true);
        } else if (type == null) {
            c.add(Pointer.child(at, "type"), "container-image needs a \"type\": docker, singularity or rootfs");
        } else {
            c.add(Pointer.child(at, "type"), "must be docker, singularity or rootfs");
        }
    }

    private static void environmentVariables(SchemaCheck c, JsonNode d) {
        JsonNode vars = c.array(d, "", "environment-variables", 1, true);
        if (vars == null) {
            return;
        }
        for (int i = 0; i < vars.size(); i++) {
            String at = Pointer.child("/environment-variables", i);
            JsonNode v = vars.get(i);
            if (!c.isObject(v, at, "an environment variable")) {
                continue;
            }
            c.allowOnly(v, at, Set.of("name", "value", "description"), "an environment variable");
            c.require(v, at, "an environment variable", "name", "value");
            c.string(v, at, "name", true);
            JsonNode name = v.get("name");
            if (name != null && name.isString() && !name.stringValue().isEmpty()
                    && !ENV_NAME.matcher(name.stringValue()).find()) {
                c.add(Pointer.child(at, "name"), "\"%s\" must start with a letter and hold only letters, digits and "
                        + "underscores", name.stringValue());
            }
            c.string(v, at, "value", false);
            c.string(v, at, "description", false);
        }
    }

    private static void groups(SchemaCheck c, JsonNode d) {
        JsonNode groups = c.array(d, "", "groups", 1, true);
        if (groups == null) {
            return;
        }
        for (int i = 0; i < groups.size(); i++) {
            String at = Pointer.child("/groups", i);
            JsonNode g = groups.get(i);
            if (!c.isObject(g, at, "a group")) {
                continue;
            }
            c.allowOnly(g, at, Set.of("id", "name", "description", "members", "mutually-exclusive", "one-is-required",
                    "all-or-none"), "a group");
            c.require(g, at, "a group", "name", "id", "members");
            c.identifier(g, at, "id");
            c.string(g, at, "name", true);
            c.string(g, at, "description", false);
            JsonNode members = c.array(g, at, "members", 0, false);
            if (members != null) {
                for (int m = 0; m < members.size(); m++) {
                    JsonNode member = members.get(m);
                    String where = Pointer.child(Pointer.child(at, "members"), m);
                    if (!member.isString() || member.stringValue().isEmpty()
                            || !SchemaCheck.ID.matcher(member.stringValue()).find()) {
                        c.add(where, "must be a non-empty input id (letters, digits, underscores), found %s",
                                JsonValues.typeName(member));
                    }
                }
            }
            for (String flag : List.of("mutually-exclusive", "one-is-required", "all-or-none")) {
                c.bool(g, at, flag);
            }
        }
    }

    private static void tests(SchemaCheck c, JsonNode d) {
        JsonNode tests = c.array(d, "", "tests", 1, false);
        if (tests == null) {
            return;
        }
        for (int i = 0; i < tests.size(); i++) {
            String at = Pointer.child("/tests", i);
            JsonNode t = tests.get(i);
            if (!c.isObject(t, at, "a test")) {
                continue;
            }
            c.require(t, at, "a test", "name", "assertions", "invocation");
            c.string(t, at, "name", true);
            c.objectField(t, at, "invocation");
            JsonNode assertions = t.get("assertions");
            if (assertions == null || !c.isObject(assertions, Pointer.child(at, "assertions"), "assertions")) {
                continue;
            }
            String aAt = Pointer.child(at, "assertions");
            c.number(assertions, aAt, "exit-code", true, null);
            JsonNode outputs = c.array(assertions, aAt, "output-files", 1, false);
            if (outputs != null) {
                for (int o = 0; o < outputs.size(); o++) {
                    String oAt = Pointer.child(Pointer.child(aAt, "output-files"), o);
                    JsonNode out = outputs.get(o);
                    if (c.isObject(out, oAt, "an output assertion")) {
                        c.require(out, oAt, "an output assertion", "id");
                        c.identifier(out, oAt, "id");
                        c.string(out, oAt, "md5-reference", true);
                    }
                }
            }
            if (!assertions.has("exit-code") && !assertions.has("output-files")) {
                c.add(aAt, "assertions need an \"exit-code\" or \"output-files\"");
            }
        }
    }

    private static void suggestedResources(SchemaCheck c, JsonNode d) {
        JsonNode r = d.get("suggested-resources");
        String at = "/suggested-resources";
        if (r == null || !c.isObject(r, at, "suggested-resources")) {
            return;
        }
        c.number(r, at, "cpu-cores", true, 1);
        c.number(r, at, "ram", false, 0);
        c.number(r, at, "disk-space", false, 0);
        c.number(r, at, "nodes", true, 1);
        c.number(r, at, "walltime-estimate", false, 0);
    }

    private static void tags(SchemaCheck c, JsonNode d) {
        JsonNode tags = d.get("tags");
        if (tags == null || !c.isObject(tags, "/tags", "tags")) {
            return;
        }
        for (Map.Entry<String, JsonNode> tag : tags.properties()) {
            JsonNode value = tag.getValue();
            String at = Pointer.child("/tags", tag.getKey());
            if (value.isArray()) {
                c.stringArray(tags, "/tags", tag.getKey(), 0);
            } else if (!value.isString() && !value.isBoolean()) {
                c.add(at, "a tag must be a string, a list of strings or a boolean, found %s", JsonValues.typeName(value));
            }
        }
    }

    private static void errorCodes(SchemaCheck c, JsonNode d) {
        JsonNode codes = c.array(d, "", "error-codes", 1, true);
        if (codes == null) {
            return;
        }
        for (int i = 0; i < codes.size(); i++) {
            String at = Pointer.child("/error-codes", i);
            JsonNode e = codes.get(i);
            if (c.isObject(e, at, "an error code")) {
                c.allowOnly(e, at, Set.of("code", "description"), "an error code");
                c.require(e, at, "an error code", "code", "description");
                c.number(e, at, "code", true, null);
                c.string(e, at, "description", false);
            }
        }
    }
}
