package org.escadrille.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.GroupMembership;
import org.springframework.stereotype.Service;

/**
 * Each user's view of the storage element: their own space, {@code users/<username>/...}, and under the
 * top-level folder {@value GroupFolders#TOP} the shared folder of each group they belong to
 * ({@code groups/<group>/...} as paths and as storage keys). Every call names the caller, and nothing
 * reaches outside their view: a group they are not in does not exist for them.
 */
@Service
public class UserFiles {
    /** The top-level folder of each user's view that holds the shared folders of their groups. */
    public static final String GROUPS_FOLDER = GroupFolders.TOP;

    private final Storage storage;
    private final StoredFileRepository files;
    private final StorageQuotas quotas;
    private final Clock clock;
    private final GroupFolders groups;
    private final KeyLocks writing = new KeyLocks();

    UserFiles(Storage storage, StoredFileRepository files, StorageQuotas quotas, Clock clock, GroupMembership membership) {
        this.storage = storage;
        this.files = files;
        this.quotas = quotas;
        this.clock = clock;
        this.groups = new GroupFolders(membership);
    }

    public StoredFile upload(Account owner, UserPath path, InputStream content) {
        return upload(owner, path, content, -1);
    }

    /**
     * Stores a file in the owner's view, within their quota in their own space (a group's folder counts
     * against no quota): a body whose declared size would pass it is refused before it is read, and one of
     * unknown size is cut where it passes it; either way what was stored before stays as it was.
     *
     * @param declaredSize the size the client announced (Content-Length), or -1
     */
    public StoredFile upload(Account owner, UserPath path, InputStream content, long declaredSize) {
        var place = requireWritable(owner, path);
        try {
            // Beside the SHA-256 the storage computes: the cheap check clients verify a download with.
            var in = new CheckedInputStream(place.personal() ? withinQuota(owner, path, content, declaredSize) : content,
                    new CRC32C());
            var info = storage.put(place.key(), in);
            String crc32c = HexFormat.of().toHexDigits((int) in.getChecksum().getValue());
            files.upsert(place.records(), new StoredFile(place.path().value(), path.name(), info.size(), info.sha256(),
                    info.modifiedAtMs(), crc32c));
            return new StoredFile(path.value(), path.name(), info.size(), info.sha256(), info.modifiedAtMs(), crc32c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + path.value(), e);
        }
    }

    /**
     * Refuses (400) a path where no file can be written: the root, a directory, or under a file; answers
     * where it goes (the caller's space or a group's folder).
     */
    GroupFolders.Place requireWritable(Account owner, UserPath path) {
        if (path.isRoot()) {
            throw new InvalidRequestException("Invalid path", "name the file to write, e.g. data/input.txt");
        }
        var place = writable(owner, path);
        try {
            if (storage.isDirectory(place.key())) {
                throw new InvalidRequestException("Invalid path", "'" + path.value() + "' is a directory");
            }
            requireNoFileAbove(place, path);
            return place;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path.value(), e);
        }
    }

    /**
     * A URL that reads the file straight from the storage for {@code lifetime} (S3: presigned), or empty
     * where the storage has none and the file comes through {@code GET /api/v1/files/...}.
     */
    public Optional<URI> directDownload(Account owner, UserPath path, Duration lifetime) {
        stat(owner, path);
        try {
            return storage.directDownload(storageKey(owner, path), lifetime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The place of a file to write: neither the folder of groups nor a group's folder itself. */
    private GroupFolders.Place writable(Account owner, UserPath path) {
        if (GroupFolders.isTop(path)) {
            throw new InvalidRequestException("Invalid path", "'" + GroupFolders.TOP + "' holds your groups' shared "
                    + "folders: write into one of them, e.g. " + GroupFolders.PREFIX + "<group>/data.txt");
        }
        var place = groups.place(owner, path);
        if (place.path().isRoot()) {
            throw new InvalidRequestException("Invalid path", "'" + path.value() + "' is a group's shared folder: "
                    + "name a file in it, e.g. " + path.value() + "/data.txt");
        }
        return place;
    }

    private InputStream withinQuota(Account owner, UserPath path, InputStream content, long declaredSize) {
        if (quotas.quotaOf(owner) <= 0) {
            return content;
        }
        var usage = quotas.usage(owner);
        long replaced = files.find(owner.id(), path.value()).map(StoredFile::size).orElse(0L);
        String what = "storing '" + path.value() + "'";
        if (declaredSize >= 0) {
            quotas.requireRoom(owner, what + " (" + declaredSize + " bytes)", declaredSize, replaced);
        }
        long room = usage.quotaBytes() - usage.usedBytes() + replaced;
        return new BoundedStream(content, room, () -> new StorageQuotaExceededException(
                what + " (more than the " + Math.max(0, room) + " bytes left)", usage));
    }

    /**
     * Refuses ({@link StorageQuotaExceededException}) new files of these sizes at these paths, the files they
     * replace counted as freed, when they would take the owner past their quota: an execution's outputs,
     * before any of them is recorded or moved. Files bound for a group's folder count against no quota.
     */
    public void requireRoom(Account owner, String what, Map<UserPath, Long> sizes) {
        if (quotas.quotaOf(owner) <= 0) {
            // Without a quota a completion costs no query of the owner's files (tiny tasks complete by thousands).
            return;
        }
        long adding = 0;
        long freeing = 0;
        for (var entry : sizes.entrySet()) {
            if (GroupFolders.isInGroup(entry.getKey())) {
                continue;
            }
            adding += entry.getValue();
            freeing += files.find(owner.id(), entry.getKey().value()).map(StoredFile::size).orElse(0L);
        }
        quotas.requireRoom(owner, what + " (" + adding + " bytes)", adding, freeing);
    }

    /**
     * Registers an execution's output before its staged object is moved into the owner's view with
     * {@link #moveStaged}: the record first, so that a crash between the two leaves a record whose
     * object is still staged (and moved on the retry), never a moved object nobody knows about.
     */
    public StoredFile record(Account owner, UserPath path, long size, String sha256) {
        return record(owner, path, size, sha256, null);
    }

    /** As {@link #record(Account, UserPath, long, String)}, with the file's CRC32C where one is known (else null). */
    StoredFile record(Account owner, UserPath path, long size, String sha256, String crc32c) {
        var place = writable(owner, path);
        long now = clock.millis();
        files.upsert(place.records(), new StoredFile(place.path().value(), path.name(), size, sha256, now, crc32c));
        return new StoredFile(path.value(), path.name(), size, sha256, now, crc32c);
    }

    /** Moves a staged object (an execution's output, already {@linkplain #record recorded}) into the owner's view. */
    public void moveStaged(String stagedKey, Account owner, UserPath path) {
        try {
            storage.move(stagedKey, writable(owner, path).key());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + stagedKey + " to " + path.value(), e);
        }
    }

    /**
     * Records a file and has {@code write} put its object in place at {@code key}, the file's key (an upload
     * straight to it completing), in that order: a crash between the two leaves a record ahead of its object,
     * which the retried completion catches up, never an object nobody knows about. When the write fails, the
     * record is put back as it was. Writes of one key take turns, so that the record left is that of the
     * object written last (two uploads of one path completing at once).
     */
    StoredFile recordAndWrite(Account owner, UserPath path, long size, String sha256, String crc32c, String key,
                                     KeyLocks.Work<Void> write) throws IOException {
        var place = writable(owner, path);
        if (!place.key().equals(key)) {
            throw new ConflictException("'" + path.value() + "' is no longer where its upload began: start it again");
        }
        return writing.with(key, () -> {
            var before = files.find(place.records(), place.path().value());
            long now = clock.millis();
            files.upsert(place.records(), new StoredFile(place.path().value(), path.name(), size, sha256, now, crc32c));
            try {
                write.run();
            } catch (IOException | RuntimeException e) {
                before.ifPresentOrElse(previous -> files.upsert(place.records(), previous),
                        () -> files.deleteUnder(place.records(), place.path().value()));
                throw e;
            }
            return new StoredFile(path.value(), path.name(), size, sha256, now, crc32c);
        });
    }

    /** How many bytes the owner's files take in their own space, as recorded when each was written. */
    public long bytesUsed(Account owner) {
        return files.bytesUsed(owner.id());
    }

    public StoredFile stat(Account owner, UserPath path) {
        var missing = new NotFoundException("no file '" + path.value() + "' in your space");
        if (GroupFolders.isTop(path)) {
            throw missing;
        }
        var place = groups.place(owner, path);
        try {
            var info = storage.stat(place.key()).orElseThrow(() -> missing);
            return files.find(place.records(), place.path().value())
                    .map(stored -> new StoredFile(path.value(), path.name(), stored.size(), stored.sha256(),
                            stored.modifiedAtMs(), stored.crc32c()))
                    .orElse(new StoredFile(path.value(), path.name(), info.size(), null, info.modifiedAtMs()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code length} bytes of a file from {@code offset} (a range of a download); the caller checked them against its size. */
    public InputStream open(Account owner, UserPath path, long offset, long length) {
        stat(owner, path);
        try {
            return storage.get(groups.place(owner, path).key(), offset, length);
        } catch (IOException e) {
            throw new NotFoundException("no file '" + path.value() + "' in your space");
        }
    }

    /**
     * The local file that holds a file of the owner's view, where the storage keeps files on this machine,
     * for the kernel to send; empty otherwise. The caller has {@linkplain #stat checked} that the file is theirs.
     */
    public Optional<Path> localFile(Account owner, UserPath path) {
        try {
            return storage.localFile(groups.place(owner, path).key());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream open(Account owner, UserPath path) {
        stat(owner, path);
        try {
            return storage.get(groups.place(owner, path).key());
        } catch (IOException e) {
            throw new NotFoundException("no file '" + path.value() + "' in your space");
        }
    }

    /** Refuses as not found ({@link NotFoundException}) a path under the folder of a group the caller is not in. */
    public void requireReachable(Account owner, UserPath path) {
        if (!GroupFolders.isTop(path)) {
            groups.place(owner, path);
        }
    }

    /** The storage key of a file of the user's view, for handing to a pilot. */
    public String storageKey(Account owner, UserPath path) {
        if (GroupFolders.isTop(path)) {
            throw new NotFoundException("no file '" + path.value() + "' in your space");
        }
        return groups.place(owner, path).key();
    }

    public List<Listing> list(Account owner, UserPath directory) {
        if (GroupFolders.isTop(directory)) {
            return groups.of(owner).stream()
                    .map(group -> new Listing(group, directory.resolve(group).value(), true, 0, null, null, 0))
                    .toList();
        }
        var place = groups.place(owner, directory);
        try {
            String prefix = place.path().isRoot() ? place.home() : place.key() + "/";
            var entries = storage.list(prefix);
            if (entries.isEmpty() && !place.path().isRoot() && storage.stat(place.key()).isPresent()) {
                throw new InvalidRequestException("Not a directory", "'" + directory.value() + "' is a file: download it instead");
            }
            var listing = new ArrayList<Listing>();
            for (var entry : entries) {
                if (directory.isRoot() && entry.name().equals(GroupFolders.TOP)) {
                    continue; // shadowed by the folder of groups below
                }
                var path = directory.resolve(entry.name());
                var stored = entry.directory() ? Optional.<StoredFile>empty()
                        : files.find(place.records(), place.path().resolve(entry.name()).value());
                listing.add(new Listing(entry.name(), path.value(), entry.directory(), entry.size(),
                        stored.map(StoredFile::sha256).orElse(null), stored.map(StoredFile::crc32c).orElse(null),
                        entry.modifiedAtMs()));
            }
            if (directory.isRoot() && !groups.of(owner).isEmpty()) {
                listing.add(new Listing(GroupFolders.TOP, GroupFolders.TOP, true, 0, null, null, 0));
            }
            return listing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory (and its parents) in the owner's view; an existing directory is no error. */
    public void makeDirectory(Account owner, UserPath path) {
        if (path.isRoot() || GroupFolders.isTop(path)) {
            return;
        }
        var place = groups.place(owner, path);
        try {
            for (var ancestor = place.path(); !ancestor.isRoot(); ancestor = ancestor.parent()) {
                if (storage.stat(place.key(ancestor)).isPresent()) {
                    String shown = viewed(path, place, ancestor);
                    throw new InvalidRequestException("Invalid path", "'" + shown
                            + "' is a file: a folder cannot be created there",
                            List.of(new InvalidRequestException.FieldProblem("path", "'" + shown + "' is a file")));
                }
            }
            if (!place.path().isRoot()) {
                storage.makeDirectory(place.key());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path.value(), e);
        }
    }

    /** A file cannot go under a path one of whose folders is a file (the storage failed with a 500). */
    private void requireNoFileAbove(GroupFolders.Place place, UserPath path) throws IOException {
        for (var ancestor = place.path().parent(); !ancestor.isRoot(); ancestor = ancestor.parent()) {
            if (storage.stat(place.key(ancestor)).isPresent()) {
                String shown = viewed(path, place, ancestor);
                throw new InvalidRequestException("Invalid path", "'" + shown + "' is a file, so '"
                        + path.value() + "' cannot be written under it: choose another folder",
                        List.of(new InvalidRequestException.FieldProblem("path", "'" + shown + "' is a file")));
            }
        }
    }

    /** An ancestor of a place's path, as the caller names it. */
    private static String viewed(UserPath path, GroupFolders.Place place, UserPath ancestor) {
        String view = path.value();
        return view.substring(0, view.length() - place.path().value().length()) + ancestor.value();
    }

    /** Whether a file or a directory is at the path (a group's folder only for its members). */
    public boolean exists(Account owner, UserPath path) {
        return isDirectory(owner, path) || isFile(owner, path);
    }

    private boolean isFile(Account owner, UserPath path) {
        if (GroupFolders.isTop(path)) {
            return false;
        }
        try {
            return storage.stat(groups.place(owner, path).key()).isPresent();
        } catch (NotFoundException outsider) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the path is a directory of the owner's view (the home and their groups' folders always are). */
    public boolean isDirectory(Account owner, UserPath path) {
        if (path.isRoot()) {
            return true;
        }
        if (GroupFolders.isTop(path)) {
            return !groups.of(owner).isEmpty();
        }
        try {
            var place = groups.place(owner, path);
            return place.path().isRoot() || storage.isDirectory(place.key());
        } catch (NotFoundException outsider) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(Account owner, UserPath path) {
        if (path.isRoot()) {
            throw new InvalidRequestException("Invalid path", "refusing to delete your whole space; name a file or directory");
        }
        if (GroupFolders.isTop(path) && !groups.of(owner).isEmpty()) {
            throw new InvalidRequestException("Invalid path", "'" + GroupFolders.TOP + "' holds your groups' shared "
                    + "folders, which stay while their groups exist; delete files in them instead");
        }
        var place = writable(owner, path);
        try {
            String key = place.key();
            boolean isDirectory = storage.isDirectory(key);
            if (!isDirectory && storage.stat(key).isEmpty()) {
                throw new NotFoundException("no file '" + path.value() + "' in your space");
            }
            storage.delete(isDirectory ? key + "/" : key);
            files.deleteUnder(place.records(), place.path().value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a deleted group's shared folder, so that a new group given the same name finds it empty: the
     * records first, then the objects (what a failure leaves is named by no record, and swept).
     */
    public void deleteGroupFolder(String group) {
        var place = groups.folder(group);
        files.deleteAll(place.records());
        try {
            storage.delete(place.home());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the folder of group " + group, e);
        }
    }

    /**
     * An entry of a directory listing; {@code sha256} is null for directories, {@code crc32c} also for files
     * without a known one ({@link StoredFile#crc32c()}).
     */
    public record Listing(String name, String path, boolean directory, long size, String sha256, String crc32c,
                          long modifiedAtMs) {
    }
}
