package org.escadrille.boutiques;

import java.util.List;

/** A Boutiques descriptor is not valid JSON, breaks the schema or breaks one of bosh's semantic rules. */
public final class InvalidDescriptorException extends ProblemsException {

    public InvalidDescriptorException(List<Problem> problems) {
        super("invalid Boutiques descriptor (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ")",
                problems);
    }
}
