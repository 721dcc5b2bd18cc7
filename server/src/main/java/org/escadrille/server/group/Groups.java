package org.escadrille.server.group;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.GroupMembership;
import org.escadrille.server.audit.AuditLog;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Groups and their members. Platform admins create and delete groups and manage anyone's members;
 * a group's administrators manage its members. A group is a 404 to whoever is not in it (and not an
 * admin), so that its name tells an outsider nothing; a member who may not act on it gets a 403.
 */
@Service
public class Groups implements GroupMembership {
    private final GroupRepository groups;
    private final AccountService accounts;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    Groups(GroupRepository groups, AccountService accounts, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.groups = groups;
        this.events = events;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public List<String> groupsOf(String username) {
        return groups.membershipsOf(username).stream().map(Membership::group).toList();
    }

    @Override
    public List<String> membersOf(String group) {
        return groups.members(group).stream().map(GroupMember::username).toList();
    }

    /** The groups {@code username} belongs to with their role in each, by name. */
    public List<Membership> membershipsOf(String username) {
        return groups.membershipsOf(username);
    }

    /** Whether {@code username} administers {@code group}. */
    public boolean administers(String username, String group) {
        return groups.role(group, username).filter(GroupRole.ADMIN::equals).isPresent();
    }

    public boolean exists(String name) {
        return name != null && groups.find(name).isPresent();
    }

    /** Every group for an admin; the caller's own otherwise. Members are not listed. */
    public List<Group> list(Account caller) {
        if (caller.isAdmin()) {
            return groups.all();
        }
        var mine = groupsOf(caller.username());
        return groups.all().stream().filter(group -> mine.contains(group.name())).toList();
    }

    /** A group with its members, for its members and admins. */
    public Group show(Account caller, String name) {
        return visible(caller, name);
    }

    @Transactional
    public Group create(Account caller, String name, String description, String address) {
        if (!caller.isAdmin()) {
            throw new AccessDeniedException("only admins create groups");
        }
        if (name == null || !Group.NAME.matcher(name).matches()) {
            throw new InvalidRequestException("Invalid group", "a group's name is 2 to 64 characters: lower-case letters,"
                    + " digits, '_' and '-', starting with a letter or digit; got '" + name + "'",
                    List.of(new InvalidRequestException.FieldProblem("name", "must match " + Group.NAME.pattern())));
        }
        if (description != null && description.length() > 500) {
            throw new InvalidRequestException("Invalid group", "a group's description is at most 500 characters",
                    List.of(new InvalidRequestException.FieldProblem("description", "is longer than 500 characters")));
        }
        if (groups.find(name).isPresent()) {
            throw new ConflictException("a group named '" + name + "' exists already");
        }
        groups.insert(name, description == null ? "" : description.strip(), clock.millis());
        audit.record(caller.username(), "group.create", name, address);
        return groups.find(name).orElseThrow();
    }

    @Transactional
    public void delete(Account caller, String name, String address) {
        visible(caller, name);
        if (!caller.isAdmin()) {
            throw new AccessDeniedException("only admins delete groups");
        }
        groups.delete(name);
        events.publishEvent(new GroupDeleted(name));
        audit.record(caller.username(), "group.delete", name, address);
    }

    /** Adds a member with a role, or changes the role of one already there. */
    @Transactional
    public Group putMember(Account caller, String group, String username, GroupRole role, String address) {
        managed(caller, group);
        if (username == null || accounts.findByUsername(username).isEmpty()) {
            throw new NotFoundException("no user named '" + username + "'");
        }
        groups.putMember(group, username, role == null ? GroupRole.MEMBER : role);
        audit.record(caller.username(), "group.member." + (role == null ? GroupRole.MEMBER : role).name().toLowerCase(Locale.ROOT),
                group + "/" + username, address);
        return groups.find(group).orElseThrow();
    }

    /** Changes the role of a member (who must be one). */
    @Transactional
    public Group setRole(Account caller, String group, String username, GroupRole role, String address) {
        managed(caller, group);
        if (groups.role(group, username).isEmpty()) {
            throw new NotFoundException("'" + username + "' is not a member of " + group);
        }
        return putMember(caller, group, username, role, address);
    }

    @Transactional
    public void removeMember(Account caller, String group, String username, String address) {
        managed(caller, group);
        if (!groups.removeMember(group, username)) {
            throw new NotFoundException("'" + username + "' is not a member of " + group);
        }
        audit.record(caller.username(), "group.member.remove", group + "/" + username, address);
    }

    private Group visible(Account caller, String name) {
        var group = name == null ? Optional.<Group>empty() : groups.find(name);
        if (group.isEmpty() || !(caller.isAdmin() || groups.role(name, caller.username()).isPresent())) {
            throw new NotFoundException("no group named '" + name + "' among yours");
        }
        return group.get();
    }

    /** A group the caller may manage the members of: an admin's, or one they administer. */
    private void managed(Account caller, String name) {
        visible(caller, name);
        if (!caller.isAdmin() && !administers(caller.username(), name)) {
            throw new AccessDeniedException("only the administrators of " + name + " and platform admins manage its members");
        }
    }
}
