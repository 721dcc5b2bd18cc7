package org.escadrille.boutiques;

import java.util.List;

/** An invocation (input id to value) does not fit its descriptor, or cannot be rendered as bosh would. */
public final class InvalidInvocationException extends ProblemsException {

    public InvalidInvocationException(List<Problem> problems) {
        super("invalid invocation (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ")",
                problems);
    }
}
