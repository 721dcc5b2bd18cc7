package org.escadrille.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.springframework.stereotype.Service;

/**
 * Each user's space on the storage element: {@code users/<username>/...}. Every call names its
 * owner, and nothing reaches outside that space.
 */
@Service
public class UserFiles {
    private final Storage storage;
    private final StoredFileRepository files;
    private final StorageQuotas quotas;
    private final Clock clock;

    UserFiles(Storage storage, StoredFileRepository files, StorageQuotas quotas, Clock clock) {
        this.storage = storage;
        this.files = files;
        this.quotas = quotas;
        this.clock = clock;
    }

    public StoredFile upload(Account owner, UserPath path, InputStream content) {
        return upload(owner, path, content, -1);
    }

    /**
     * Stores a file in the owner's space, within their quota: a body whose declared size would pass it is
     * refused before it is read, and one of unknown size is cut where it passes it; either way what was
     * stored before stays as it was.
     *
     * @param declaredSize the size the client announced (Content-Length), or -1
     */
    public StoredFile upload(Account owner, UserPath path, InputStream content, long declaredSize) {
        requireWritable(owner, path);
        try {
            var info = storage.put(key(owner, path), withinQuota(owner, path, content, declaredSize));
            var stored = new StoredFile(path.value(), path.name(), info.size(), info.sha256(), info.modifiedAtMs());
            files.upsert(owner.id(), stored);
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + path.value(), e);
        }
    }

    /** Refuses (400) a path where no file can be written: the root, a directory, or under a file. */
    public void requireWritable(Account owner, UserPath path) {
        if (path.isRoot()) {
            throw new InvalidRequestException("Invalid path", "name the file to write, e.g. data/input.txt");
        }
        try {
            if (storage.isDirectory(key(owner, path))) {
                throw new InvalidRequestException("Invalid path", "'" + path.value() + "' is a directory");
            }
            requireNoFileAbove(owner, path);
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
            return storage.directDownload(key(owner, path), lifetime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
     * before any of them is recorded or moved.
     */
    public void requireRoom(Account owner, String what, Map<UserPath, Long> sizes) {
        if (quotas.quotaOf(owner) <= 0) {
            // Without a quota a completion costs no query of the owner's files (tiny tasks complete by thousands).
            return;
        }
        long adding = 0;
        long freeing = 0;
        for (var entry : sizes.entrySet()) {
            adding += entry.getValue();
            freeing += files.find(owner.id(), entry.getKey().value()).map(StoredFile::size).orElse(0L);
        }
        quotas.requireRoom(owner, what + " (" + adding + " bytes)", adding, freeing);
    }

    /**
     * Registers an execution's output before its staged object is moved into the owner's space with
     * {@link #moveStaged}: the record first, so that a crash between the two leaves a record whose
     * object is still staged (and moved on the retry), never a moved object nobody knows about.
     */
    public StoredFile record(Account owner, UserPath path, long size, String sha256) {
        var stored = new StoredFile(path.value(), path.name(), size, sha256, clock.millis());
        files.upsert(owner.id(), stored);
        return stored;
    }

    /** Moves a staged object (an execution's output, already {@linkplain #record recorded}) into the owner's space. */
    public void moveStaged(String stagedKey, Account owner, UserPath path) {
        try {
            storage.move(stagedKey, key(owner, path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + stagedKey + " to " + path.value(), e);
        }
    }

    /** How many bytes the owner's files take, as recorded when each was written. */
    public long bytesUsed(Account owner) {
        return files.bytesUsed(owner.id());
    }

    public StoredFile stat(Account owner, UserPath path) {
        try {
            var info = storage.stat(key(owner, path))
                    .orElseThrow(() -> new NotFoundException("no file '" + path.value() + "' in your space"));
            return files.find(owner.id(), path.value())
                    .orElse(new StoredFile(path.value(), path.name(), info.size(), null, info.modifiedAtMs()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code length} bytes of a file from {@code offset} (a range of a download); the caller checked them against its size. */
    public InputStream open(Account owner, UserPath path, long offset, long length) {
        stat(owner, path);
        try {
            return storage.get(key(owner, path), offset, length);
        } catch (IOException e) {
            throw new NotFoundException("no file '" + path.value() + "' in your space");
        }
    }

    public InputStream open(Account owner, UserPath path) {
        stat(owner, path);
        try {
            return storage.get(key(owner, path));
        } catch (IOException e) {
            throw new NotFoundException("no file '" + path.value() + "' in your space");
        }
    }

    /** The storage key of a user's file, for handing to a pilot. */
    public String storageKey(Account owner, UserPath path) {
        return key(owner, path);
    }

    public List<Listing> list(Account owner, UserPath directory) {
        try {
            String prefix = directory.isRoot() ? home(owner) : key(owner, directory) + "/";
            var entries = storage.list(prefix);
            if (entries.isEmpty() && !directory.isRoot() && storage.stat(key(owner, directory)).isPresent()) {
                throw new InvalidRequestException("Not a directory", "'" + directory.value() + "' is a file: download it instead");
            }
            var listing = new ArrayList<Listing>();
            for (var entry : entries) {
                var path = directory.resolve(entry.name());
                String sha = entry.directory() ? null : files.find(owner.id(), path.value()).map(StoredFile::sha256).orElse(null);
                listing.add(new Listing(entry.name(), path.value(), entry.directory(), entry.size(), sha, entry.modifiedAtMs()));
            }
            return listing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory (and its parents) in the owner's space; an existing directory is no error. */
    public void makeDirectory(Account owner, UserPath path) {
        if (path.isRoot()) {
            return;
        }
        try {
            for (var ancestor = path; !ancestor.isRoot(); ancestor = ancestor.parent()) {
                if (storage.stat(key(owner, ancestor)).isPresent()) {
                    throw new InvalidRequestException("Invalid path", "'" + ancestor.value()
                            + "' is a file: a folder cannot be created there",
                            List.of(new InvalidRequestException.FieldProblem("path", "'" + ancestor.value() + "' is a file")));
                }
            }
            storage.makeDirectory(key(owner, path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path.value(), e);
        }
    }

    /** A file cannot go under a path one of whose folders is a file (the storage failed with a 500). */
    private void requireNoFileAbove(Account owner, UserPath path) throws IOException {
        for (var ancestor = path.parent(); !ancestor.isRoot(); ancestor = ancestor.parent()) {
            if (storage.stat(key(owner, ancestor)).isPresent()) {
                throw new InvalidRequestException("Invalid path", "'" + ancestor.value() + "' is a file, so '"
                        + path.value() + "' cannot be written under it: choose another folder",
                        List.of(new InvalidRequestException.FieldProblem("path", "'" + ancestor.value() + "' is a file")));
            }
        }
    }

    /** Whether a file or a directory is at the path. */
    public boolean exists(Account owner, UserPath path) {
        try {
            return path.isRoot() || storage.isDirectory(key(owner, path)) || storage.stat(key(owner, path)).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the path is a directory of the owner's space (the home always is). */
    public boolean isDirectory(Account owner, UserPath path) {
        try {
            return path.isRoot() || storage.isDirectory(key(owner, path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(Account owner, UserPath path) {
        if (path.isRoot()) {
            throw new InvalidRequestException("Invalid path", "refusing to delete your whole space; name a file or directory");
        }
        try {
            String key = key(owner, path);
            boolean isDirectory = storage.isDirectory(key);
            if (!isDirectory && storage.stat(key).isEmpty()) {
                throw new NotFoundException("no file '" + path.value() + "' in your space");
            }
            storage.delete(isDirectory ? key + "/" : key);
            files.deleteUnder(owner.id(), path.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String home(Account owner) {
        return "users/" + owner.username() + "/";
    }

    private static String key(Account owner, UserPath path) {
        return home(owner) + path.value();
    }

    /** An entry of a directory listing; {@code sha256} is null for directories. */
    public record Listing(String name, String path, boolean directory, long size, String sha256, long modifiedAtMs) {
    }
}
