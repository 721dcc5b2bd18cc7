package org.escadrille.server.account;

import java.util.List;
import java.util.regex.Pattern;
import org.escadrille.server.InvalidRequestException;

/**
 * Where a user is told by e-mail that an execution ended ({@code email}, null: nowhere) and whether they
 * want to be ({@code notifyOnEnd}, on by default).
 */
public record MailPreference(String email, boolean notifyOnEnd) {
    /** Something at a domain, without spaces or separators a mail header could be split with: not RFC 5322, a typo check. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@,;<>\"]+@[^\\s@,;<>\"]+\\.[^\\s@,;<>\"]+");

    public MailPreference {
        email = email == null || email.isBlank() ? null : email.strip();
        if (email != null && (email.length() > 254 || !ADDRESS.matcher(email).matches())) {
            throw new InvalidRequestException("Invalid e-mail address", "'" + email + "' is not an e-mail address "
                    + "such as ada@example.org", List.of(new InvalidRequestException.FieldProblem("email",
                    "must be an e-mail address such as ada@example.org")));
        }
    }

    /** Whether an execution's end is mailed: an address and the wish. */
    public boolean mailsOnEnd() {
        return email != null && notifyOnEnd;
    }
}
