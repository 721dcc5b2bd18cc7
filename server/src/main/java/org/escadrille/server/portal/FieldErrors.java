package org.escadrille.server.portal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Group;
import org.escadrille.boutiques.Input;
import org.escadrille.server.InvalidRequestException;

/**
 * A refused launch's problems, placed where the form shows them: next to an input ({@code inputs.<id>},
 * or {@code inputs.<id>.<n>} for one value of a list), in a group's box ({@code groups.<id>}, or a
 * message naming the group or one of its members), else at the top of the form.
 */
record FieldErrors(Map<String, List<String>> byInput, Map<String, List<String>> byGroup, Map<String, List<String>> byOption,
                   List<String> general) {
    /** The launch's own fields (not inputs) that the form shows. */
    static final Set<String> OPTIONS = Set.of("name", "iterate", "split", "tasks");
    private static final Pattern FIELD = Pattern.compile("inputs\\.([0-9A-Za-z_]+)(\\..*)?");
    private static final Pattern GROUP = Pattern.compile("groups\\.([0-9A-Za-z_]+)");
    private static final Pattern REQUIRED = Pattern.compile("\"[0-9A-Za-z_]+\" is required but missing");
    private static final Pattern QUOTED = Pattern.compile("\"([0-9A-Za-z_]+)\"");

    static final FieldErrors NONE = new FieldErrors(Map.of(), Map.of(), Map.of(), List.of());

    static FieldErrors of(InvalidRequestException e, Descriptor descriptor) {
        var byInput = new LinkedHashMap<String, List<String>>();
        var byGroup = new LinkedHashMap<String, List<String>>();
        var byOption = new LinkedHashMap<String, List<String>>();
        var general = new ArrayList<String>();
        if (e.problems().isEmpty()) {
            general.add(PortalExceptionHandler.capitalized(e.getMessage()));
        }
        for (var problem : e.problems()) {
            var field = FIELD.matcher(problem.field());
            String message = REQUIRED.matcher(problem.message()).matches() ? "required: fill this in" : problem.message();
            var group = GROUP.matcher(problem.field());
            if (field.matches() && descriptor.input(field.group(1)).isPresent()) {
                add(byInput, field.group(1), message);
            } else if (group.matches()) {
                add(byGroup, group.group(1), message);
            } else if (OPTIONS.contains(problem.field())) {
                add(byOption, problem.field(), message);
            } else {
                place(problem.message(), descriptor, byInput, byGroup, general);
            }
        }
        return new FieldErrors(byInput, byGroup, byOption, general);
    }

    /** A message about the whole invocation: to the group it names, else to the first input it names. */
    private static void place(String message, Descriptor descriptor, Map<String, List<String>> byInput,
                              Map<String, List<String>> byGroup, List<String> general) {
        var named = new ArrayList<String>();
        var quoted = QUOTED.matcher(message);
        while (quoted.find()) {
            named.add(quoted.group(1));
        }
        for (Group group : descriptor.groups()) {
            if (named.contains(group.id()) || group.members().stream().anyMatch(named::contains)) {
                add(byGroup, group.id(), message);
                return;
            }
        }
        for (String id : named) {
            if (descriptor.input(id).isPresent()) {
                add(byInput, id, message);
                return;
            }
        }
        general.add(PortalExceptionHandler.capitalized(message));
    }

    /** Attaches a message to the File input whose value names a missing file, else to the whole form. */
    static FieldErrors missingFile(String message, Descriptor descriptor, SubmittedValues values) {
        var quoted = Pattern.compile("'([^']*)'").matcher(message);
        String path = quoted.find() ? quoted.group(1) : null;
        for (Input input : descriptor.inputs()) {
            if (path != null && (values.value(input.id()).strip().equals(path)
                    || values.lines(input.id()).lines().anyMatch(line -> line.strip().equals(path)))) {
                return new FieldErrors(Map.of(input.id(), List.of(message + ": pick one from the list, or upload it first")),
                        Map.of(), Map.of(), List.of());
            }
        }
        return new FieldErrors(Map.of(), Map.of(), Map.of(), List.of(PortalExceptionHandler.capitalized(message)));
    }

    public List<String> forInput(String id) {
        return byInput.getOrDefault(id, List.of());
    }

    public List<String> forOption(String name) {
        return byOption.getOrDefault(name, List.of());
    }

    public List<String> forGroup(String id) {
        return byGroup.getOrDefault(id, List.of());
    }

    public boolean isEmpty() {
        return byInput.isEmpty() && byGroup.isEmpty() && byOption.isEmpty() && general.isEmpty();
    }

    public int count() {
        return byInput.values().stream().mapToInt(List::size).sum() + byGroup.values().stream().mapToInt(List::size).sum()
                + byOption.values().stream().mapToInt(List::size).sum() + general.size();
    }

    private static void add(Map<String, List<String>> map, String key, String message) {
        map.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }
}
