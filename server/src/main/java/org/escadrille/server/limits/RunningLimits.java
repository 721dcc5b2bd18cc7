package org.escadrille.server.limits;

import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.GroupMembership;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * How many executions each user may have not ended at once (VIP's "max running simulations"). A
 * user's own limit wins; without one, the most generous of their groups' (a member of a group without
 * limit, 0, has none: membership only ever adds room); else {@code escadrille.limits.max-running-executions}.
 * A change publishes {@link RunningLimitChanged}, so that launches waiting under the old limit may start.
 */
@Service
public class RunningLimits {
    /** The names a group's limit may be set for: those of the {@code groups} table's keys. */
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final LimitRepository limits;
    private final GroupMembership groups;
    private final ApplicationEventPublisher events;
    private final int defaultMax;
    private final boolean queueOverLimit;

    RunningLimits(LimitRepository limits, GroupMembership groups, ApplicationEventPublisher events,
                  EscadrilleProperties properties) {
        this.limits = limits;
        this.groups = groups;
        this.events = events;
        this.defaultMax = properties.limits().maxRunningExecutions();
        this.queueOverLimit = properties.limits().queueOverLimit();
    }

    /** The limit that applies to {@code username}, and where it comes from. */
    public RunningLimit of(String username) {
        var own = limits.ofUser(username);
        if (own.isPresent()) {
            return new RunningLimit(own.get(), "user");
        }
        var ofGroups = limits.ofGroups(groups.groupsOf(username));
        return ofGroups.entrySet().stream()
                // 0 (no limit) is the most generous of all
                .max((a, b) -> Long.compare(generosity(a.getValue()), generosity(b.getValue())))
                .map(best -> new RunningLimit(best.getValue(), "group " + best.getKey()))
                .orElseGet(() -> new RunningLimit(defaultMax, "default"));
    }

    /** Whether a launch past its owner's limit waits ({@code escadrille.limits.over-limit=queue}) or is refused. */
    public boolean queueOverLimit() {
        return queueOverLimit;
    }

    /** Users' own limits, by name. */
    public Map<String, Integer> userLimits() {
        return limits.allUsers();
    }

    /** Groups' own limits, by name. */
    public Map<String, Integer> groupLimits() {
        return limits.allGroups();
    }

    /** Sets a user's own limit (0: none), or with null puts them back on their groups' or the default. */
    public void setUser(String username, Integer max) {
        check(max);
        limits.setUser(username, max);
        events.publishEvent(new RunningLimitChanged());
    }

    /** Sets a group's own limit (0: none), or with null removes it. */
    public void setGroup(String group, Integer max) {
        if (group == null || !GROUP_NAME.matcher(group).matches()) {
            throw new InvalidRequestException("Invalid group name", "a group's name is 1 to 64 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or a digit; got '" + group + "'");
        }
        check(max);
        limits.setGroup(group, max);
        events.publishEvent(new RunningLimitChanged());
    }

    private static void check(Integer max) {
        if (max != null && (max < 0 || max > 1_000_000)) {
            throw new InvalidRequestException("Invalid limit", "maxRunningExecutions must be 0 (no limit), a number of"
                    + " executions up to 1000000, or null to remove this limit; got " + max);
        }
    }

    private static long generosity(int max) {
        return max == 0 ? Long.MAX_VALUE : max;
    }
}
