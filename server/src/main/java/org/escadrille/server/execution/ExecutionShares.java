package org.escadrille.server.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.group.GroupDeleted;
import org.escadrille.server.group.GroupRole;
import org.escadrille.server.group.Groups;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sharing an execution read-only, by its owner: with one of their groups (its members read it as an
 * admin does: no kill, no re-run) or by a link, an unguessable token (256 random bits, kept as its
 * SHA-256 like API keys) that shows the execution and its outputs to whoever holds it, signed in or
 * not. Revoking a share ends it at once.
 */
@Service
public class ExecutionShares {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ShareRepository shares;
    private final ExecutionRepository executions;
    private final Groups groups;
    private final AuditLog audit;
    private final Clock clock;

    ExecutionShares(ShareRepository shares, ExecutionRepository executions, Groups groups, AuditLog audit, Clock clock) {
        this.shares = shares;
        this.executions = executions;
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
    }

    /** Shares one of the caller's executions with one of their groups. */
    @Transactional
    public ExecutionShare shareWithGroup(Account caller, String executionId, String group, String address) {
        owned(caller, executionId);
        if (group == null || !groups.groupsOf(caller.username()).contains(group)) {
            throw new NotFoundException("no group named '" + group + "' among yours");
        }
        if (shares.groups(executionId).contains(group)) {
            return shares.of(executionId).stream().filter(share -> group.equals(share.group())).findFirst().orElseThrow();
        }
        String id = Ids.newId();
        shares.insert(id, executionId, group, null, clock.millis(), caller.username());
        audit.record(caller.username(), "execution.share.group", executionId + " " + group, address);
        return shares.of(executionId).stream().filter(share -> share.id().equals(id)).findFirst().orElseThrow();
    }

    /** Makes a link to one of the caller's executions; its token is in the answer, and nowhere else. */
    @Transactional
    public ExecutionShare shareByLink(Account caller, String executionId, String address) {
        owned(caller, executionId);
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String id = Ids.newId();
        shares.insert(id, executionId, null, sha256(token), clock.millis(), caller.username());
        audit.record(caller.username(), "execution.share.link", executionId, address);
        var share = shares.of(executionId).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        return new ExecutionShare(share.id(), share.kind(), null, share.createdAt(), share.createdBy(), token);
    }

    /** The shares of one of the caller's executions (links without their tokens). */
    public List<ExecutionShare> of(Account caller, String executionId) {
        owned(caller, executionId);
        return shares.of(executionId);
    }

    /** Ends the share with {@code group}, or with {@code group} null every link to the execution. */
    @Transactional
    public void revoke(Account caller, String executionId, String group, String address) {
        owned(caller, executionId);
        int removed = group == null ? shares.deleteLinks(executionId) : shares.deleteGroup(executionId, group);
        if (removed == 0) {
            throw new NotFoundException(group == null ? "execution " + executionId + " has no link to revoke"
                    : "execution " + executionId + " is not shared with " + group);
        }
        audit.record(caller.username(), group == null ? "execution.unshare.link" : "execution.unshare.group",
                group == null ? executionId : executionId + " " + group, address);
    }

    /** A deleted group's shares end with it: a new group of the same name must not read them. */
    @EventListener
    void groupDeleted(GroupDeleted deleted) {
        shares.deleteGroupEverywhere(deleted.name());
    }

    /** The execution a link's token shows; a revoked or unknown token is not found. */
    String executionOfToken(String token) {
        if (token == null || token.length() != 43) {
            throw new InvalidRequestException("Invalid link", "a shared link's token is the 43 characters after /shared/");
        }
        return shares.executionOfToken(sha256(token)).orElseThrow(() -> new NotFoundException("no shared execution at this link"
                + " (it may have been revoked)"));
    }

    /**
     * Whether {@code caller} reads another user's execution through a group: shared with one of their
     * groups, or owned by a member of a group they administer.
     */
    boolean readsThroughAGroup(Account caller, String executionId, String ownerName) {
        var mine = groups.membershipsOf(caller.username());
        if (mine.isEmpty()) {
            return false;
        }
        var sharedWith = shares.groups(executionId);
        var ownersGroups = groups.groupsOf(ownerName);
        return mine.stream().anyMatch(m -> sharedWith.contains(m.group())
                || m.role() == GroupRole.ADMIN && ownersGroups.contains(m.group()));
    }

    /** Whether {@code caller} administers a group that {@code username} is a member of. */
    public boolean administersAGroupOf(Account caller, String username) {
        var ownersGroups = groups.groupsOf(username);
        return groups.membershipsOf(caller.username()).stream()
                .anyMatch(m -> m.role() == GroupRole.ADMIN && ownersGroups.contains(m.group()));
    }

    private void owned(Account caller, String executionId) {
        executions.findVisible(executionId).filter(row -> row.ownerId().equals(caller.id()))
                .orElseThrow(() -> new NotFoundException("no execution " + executionId + " (among yours)"));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
