package org.escadrille.boutiques.validation;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.Pointer;
import tools.jackson.databind.JsonNode;

/**
 * bosh's rules for groups: members exist and appear once; mutually-exclusive and one-is-required groups
 * hold only optional inputs; all-or-none groups do not mix with the other two kinds.
 */
final class GroupRules {

    private GroupRules() {
    }

    static void check(DescriptorView v, List<Problem> out) {
        for (int idx = 0; idx < v.groups.size(); idx++) {
            JsonNode g = v.groups.get(idx);
            String at = Pointer.child("/groups", idx);
            String id = g.get("id").stringValue();
            List<String> members = DescriptorView.strings(g, "members");
            Set<String> distinct = new LinkedHashSet<>(members);
            for (String m : members) {
                if (!v.inputIds.contains(m)) {
                    out.add(Problem.at(Pointer.child(at, "members"), "group \"%s\": member \"%s\" is not an input", id,
                            m));
                }
            }
            for (String m : distinct) {
                if (Collections.frequency(members, m) > 1) {
                    out.add(Problem.at(Pointer.child(at, "members"), "group \"%s\": member \"%s\" appears twice", id, m));
                }
            }
            if (DescriptorView.truthy(g, "mutually-exclusive")) {
                mutuallyExclusive(v, idx, id, at, members, distinct, out);
            }
            if (DescriptorView.truthy(g, "one-is-required")) {
                for (String m : distinct) {
                    if (v.isInput(m) && !v.isOptional(m)) {
                        out.add(Problem.at(at, "group \"%s\" is one-is-required and cannot contain the required input "
                                + "\"%s\"", id, m));
                    }
                }
                for (int jdx = 0; jdx < v.groups.size(); jdx++) {
                    JsonNode other = v.groups.get(jdx);
                    if (jdx != idx && DescriptorView.truthy(other, "all-or-none")
                            && new HashSet<>(DescriptorView.strings(other, "members")).containsAll(distinct)) {
                        out.add(Problem.at(at, "group \"%s\" is one-is-required and cannot be a subset of the "
                                + "all-or-none group \"%s\"", id, other.get("id").stringValue()));
                    }
                }
            }
            if (DescriptorView.truthy(g, "all-or-none")) {
                if (DescriptorView.truthy(g, "one-is-required") || DescriptorView.truthy(g, "mutually-exclusive")) {
                    out.add(Problem.at(at, "group \"%s\" is all-or-none and cannot also be one-is-required or "
                            + "mutually-exclusive", id));
                }
                for (String m : distinct) {
                    if (v.isInput(m) && !v.isOptional(m)) {
                        out.add(Problem.at(at, "group \"%s\" is all-or-none and cannot contain the required input "
                                + "\"%s\"", id, m));
                    }
                }
            }
        }
    }

    private static void mutuallyExclusive(DescriptorView v, int idx, String id, String at, List<String> members,
            Set<String> distinct, List<Problem> out) {
        for (String m : distinct) {
            if (v.isInput(m) && !v.isOptional(m)) {
                out.add(Problem.at(at, "group \"%s\" is mutually-exclusive and cannot contain the required input \"%s\"",
                        id, m));
            }
        }
        for (String m : distinct) {
            for (String required : DescriptorView.strings(v.input(m), "requires-inputs")) {
                if (distinct.contains(required)) {
                    out.add(Problem.at(at, "group \"%s\" is mutually-exclusive, yet its member \"%s\" requires its "
                            + "member \"%s\"", id, m, required));
                }
            }
        }
        for (int jdx = 0; jdx < v.groups.size(); jdx++) {
            JsonNode other = v.groups.get(jdx);
            if (jdx == idx || !DescriptorView.truthy(other, "all-or-none")) {
                continue;
            }
            List<String> otherMembers = DescriptorView.strings(other, "members");
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    String m1 = members.get(i);
                    String m2 = members.get(j);
                    if (!m1.equals(m2) && otherMembers.contains(m1) && otherMembers.contains(m2)) {
                        out.add(Problem.at(at, "mutually-exclusive group \"%s\" and all-or-none group \"%s\" cannot "
                                + "both contain \"%s\" and \"%s\"", id, other.get("id").stringValue(), m1, m2));
                    }
                }
            }
        }
    }
}
