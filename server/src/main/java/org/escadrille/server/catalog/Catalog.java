package org.escadrille.server.catalog;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.escadrille.server.ConflictException;
import org.escadrille.server.Ids;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.GroupMembership;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The applications users may run: Boutiques descriptors, validated when published and immutable
 * afterwards. Publishing the same descriptor again is a no-op; a different one under a published
 * name and version is refused.
 */
@Service
public class Catalog {
    private final ApplicationRepository applications;
    private final DescriptorCheck check;
    private final Clock clock;
    private final GroupMembership membership;

    Catalog(ApplicationRepository applications, DescriptorCheck check, GroupMembership membership, Clock clock) {
        this.applications = applications;
        this.membership = membership;
        this.check = check;
        this.clock = clock;
    }

    @Transactional
    public Application publish(String descriptorJson, Account publisher) {
        var checked = check.check(descriptorJson);
        var existing = applications.byDigest(checked.digest());
        if (existing.isPresent()) {
            applications.restore(existing.get().id());
            return existing.get();
        }
        if (applications.byNameAndVersion(checked.name(), checked.version()).isPresent()) {
            throw new ConflictException("version " + checked.version() + " of " + checked.name()
                    + " is already published with another descriptor; a published version never changes: "
                    + "give this one a new tool-version");
        }
        var application = new Application(Ids.newId(), checked.name(), checked.version(), checked.digest(),
                checked.canonicalJson(), clock.millis());
        applications.insert(application, publisher == null ? null : publisher.id());
        return application;
    }

    /**
     * The named application at {@code version}, or its newest version when {@code version} is null,
     * among those {@code viewer} may see (null: a caller not signed in, who sees public versions only).
     * A version restricted to groups the viewer is not in is not found, as if it did not exist.
     */
    public Application find(String name, String version, Account viewer) {
        var restrictions = applications.restrictions();
        Optional<Application> found = version == null || version.isBlank()
                ? applications.listed(name).stream().filter(app -> visible(app, viewer, restrictions)).findFirst()
                : applications.listedByNameAndVersion(name, version).filter(app -> visible(app, viewer, restrictions));
        return found.orElseThrow(() -> new NotFoundException(version == null || version.isBlank()
                ? "no application named '" + name + "'; see the catalogue (escadrille apps, GET /api/v1/apps)"
                : "no version " + version + " of '" + name + "'"));
    }

    /**
     * A listed version whoever asks: for the pages of an execution that ran it, which its readers see
     * whatever groups the version was restricted to since.
     */
    public Application ranBy(String name, String version) {
        return applications.listedByNameAndVersion(name, version)
                .orElseThrow(() -> new NotFoundException("no version " + version + " of '" + name + "'"));
    }

    /** The groups a version is restricted to, by name; empty when it is public. */
    public List<String> groupsOf(Application application) {
        return applications.groups(application.id());
    }

    /**
     * Restricts a version to groups (empty: makes it public again), by an admin. Members of any of the
     * groups see it; everyone else finds no such version.
     */
    @Transactional
    public Application restrict(String name, String version, List<String> groups, Account caller) {
        if (!caller.isAdmin()) {
            throw new AccessDeniedException("only admins restrict applications to groups");
        }
        var application = applications.byNameAndVersion(name, version)
                .orElseThrow(() -> new NotFoundException("no version " + version + " of '" + name + "'"));
        applications.setGroups(application.id(), new TreeSet<>(groups));
        return application;
    }

    private boolean visible(Application app, Account viewer, Map<String, Set<String>> restrictions) {
        var groups = restrictions.get(app.id());
        if (groups == null || viewer != null && viewer.isAdmin()) {
            return true;
        }
        return viewer != null && membership.groupsOf(viewer.username()).stream().anyMatch(groups::contains);
    }

    /**
     * Deletes a version, by its publisher or an admin. One that executions refer to is withdrawn
     * instead of erased, so that their provenance (descriptor, digest) stays: it leaves the catalogue
     * and can no longer be launched, and publishing the same descriptor again lists it again.
     *
     * @return whether it was erased (false: withdrawn)
     */
    @Transactional
    public boolean delete(String name, String version, Account caller) {
        var application = applications.byNameAndVersion(name, version)
                .orElseThrow(() -> new NotFoundException("no version " + version + " of '" + name + "'"));
        boolean publisher = applications.publisher(application.id()).filter(caller.id()::equals).isPresent();
        if (!publisher && !caller.isAdmin()) {
            throw new AccessDeniedException("only the publisher of " + name + " " + version + " or an admin may delete it");
        }
        if (!applications.usedByExecutions(application.id())) {
            applications.erase(application.id());
            return true;
        }
        applications.withdraw(application.id(), clock.millis());
        return false;
    }

    /**
     * The versions a publisher manages: a developer's own, every one for an admin (who may delete any);
     * withdrawn ones included, by name, newest first.
     */
    public List<PublishedVersion> versionsManagedBy(Account account) {
        return applications.versions(account.isAdmin() ? null : account.id());
    }

    /** A version, withdrawn or not, for its publisher or an admin to manage. */
    public Application managed(String name, String version, Account caller) {
        var application = applications.byNameAndVersion(name, version)
                .orElseThrow(() -> new NotFoundException("no version " + version + " of '" + name + "'"));
        boolean publisher = applications.publisher(application.id()).filter(caller.id()::equals).isPresent();
        if (!publisher && !caller.isAdmin()) {
            throw new NotFoundException("no version " + version + " of '" + name + "' among those you published");
        }
        return application;
    }

    /**
     * The version published with this descriptor digest, withdrawn or not (the provenance of an
     * execution names its application so), if the catalogue still has it.
     */
    public Optional<Application> byDigest(String digest) {
        return applications.byDigest(digest);
    }

    public Application byId(String id) {
        return applications.byId(id).orElseThrow(() -> new NotFoundException("no application " + id));
    }

    /**
     * The newest version of each application that {@code viewer} may see (null: public ones only). A
     * name published before names were checked that breaks the rule (one like {@code ../../etc} made the
     * catalogue's pages fail) is left out.
     */
    public List<Application> latestOfEach(Account viewer) {
        var restrictions = applications.restrictions();
        var newest = new LinkedHashMap<String, Application>();
        for (Application app : applications.listed()) {
            if (!newest.containsKey(app.name()) && DescriptorLimits.NAME.matcher(app.name()).matches()
                    && visible(app, viewer, restrictions)) {
                newest.put(app.name(), app);
            }
        }
        return List.copyOf(newest.values());
    }

    /** The newest version of each application that passes the filter (read from the descriptors: the catalogue is small). */
    public List<Application> latestOfEach(CatalogFilter filter, Account viewer) {
        return latestOfEach(viewer).stream().filter(filter::matches).toList();
    }
}
