package org.escadrille.server.catalog;

import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException.FieldProblem;

/**
 * A section of a descriptor's {@code custom} block that another feature owns and reads (the
 * Monte-Carlo declaration), checked before publication so that a broken one is refused then and not at
 * launch. The catalogue knows the check, not the feature: features implement this as a bean.
 */
public interface DescriptorSection {

    /** The section's name in messages, e.g. {@code Monte-Carlo}. */
    String name();

    /** Every problem of the section in this descriptor; empty when it is absent or right. */
    List<FieldProblem> problems(Descriptor descriptor);
}
