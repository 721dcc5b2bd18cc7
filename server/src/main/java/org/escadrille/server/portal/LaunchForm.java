package org.escadrille.server.portal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Group;
import org.escadrille.boutiques.Input;
import org.escadrille.server.catalog.Application;

/**
 * A launch form generated from a descriptor: required inputs first, then each group in a box stating
 * its rule, then the other optional inputs folded away (unfolded when one is filled or has a problem).
 * Holds the values as typed and the problems of a refused launch.
 */
record LaunchForm(Application app, String description, SubmittedValues values, List<LaunchField> required,
                  List<GroupBox> groups, List<LaunchField> optional, boolean sweepable, boolean monteCarlo,
                  FieldErrors errors, List<UserFileChoices.Choice> files) {

    /** A group of inputs and the rule that ties them. */
    record GroupBox(String id, String name, String description, String rule, List<LaunchField> fields, List<String> errors) {
    }

    static LaunchForm of(Application app, Descriptor descriptor, SubmittedValues values, FieldErrors errors,
                         List<UserFileChoices.Choice> files) {
        Set<String> grouped = new HashSet<>();
        var groups = new ArrayList<GroupBox>();
        for (Group group : descriptor.groups()) {
            var fields = new ArrayList<LaunchField>();
            for (String member : group.members()) {
                descriptor.input(member).ifPresent(input -> fields.add(LaunchField.of(input, values, errors.forInput(member))));
                grouped.add(member);
            }
            groups.add(new GroupBox(group.id(), group.name(), group.description() == null ? "" : group.description(),
                    rule(group), fields, errors.forGroup(group.id())));
        }
        var required = new ArrayList<LaunchField>();
        var optional = new ArrayList<LaunchField>();
        boolean sweepable = false;
        for (Input input : descriptor.inputs()) {
            var field = LaunchField.of(input, values, errors.forInput(input.id()));
            sweepable |= field.sweepable();
            if (grouped.contains(input.id())) {
                continue;
            }
            (input.optional() ? optional : required).add(field);
        }
        return new LaunchForm(app, descriptor.description() == null ? "" : descriptor.description(), values, required,
                groups, optional, sweepable, SubmittedValues.isMonteCarlo(descriptor), errors, files);
    }

    /** Whether the optional inputs are shown unfolded: when one holds a value or a problem. */
    public boolean optionalOpen() {
        return optional.stream().anyMatch(f -> f.isFilled() || f.hasErrors());
    }

    /** Every problem with the field it belongs to, for the summary at the top of the form. */
    public List<SummaryLine> summary() {
        var lines = new ArrayList<SummaryLine>();
        errors.general().forEach(message -> lines.add(new SummaryLine(null, message)));
        errors.byOption().forEach((option, messages) -> messages.forEach(message ->
                lines.add(new SummaryLine(option, PortalExceptionHandler.capitalized(option) + ": " + message))));
        for (var group : groups) {
            group.errors().forEach(message -> lines.add(new SummaryLine("group-" + group.id(), group.name() + ": " + message)));
        }
        var all = new ArrayList<LaunchField>(required);
        groups.forEach(group -> all.addAll(group.fields()));
        all.addAll(optional);
        for (var field : all) {
            field.errors().forEach(message -> lines.add(new SummaryLine(field.domId(), field.name() + ": " + message)));
        }
        return lines;
    }

    /** A problem as the summary lists it: a link to the field ({@code target}: an element id, or null). */
    record SummaryLine(String target, String message) {
    }

    private static String rule(Group group) {
        if (group.mutuallyExclusive() && group.oneIsRequired()) {
            return "Give exactly one of these.";
        }
        if (group.mutuallyExclusive()) {
            return "Give at most one of these.";
        }
        if (group.oneIsRequired()) {
            return "Give at least one of these.";
        }
        if (group.allOrNone()) {
            return "Give all of these, or none.";
        }
        return "";
    }
}
