package org.escadrille.server.storage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A storage element in a local directory. Writes go to a temporary file then move into place, so a
 * reader never sees half an object and a crash leaves no partial file under a key.
 */
public final class LocalStorage implements Storage {
    private final Path root;

    public LocalStorage(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    @Override
    public ObjectInfo put(String key, InputStream content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try {
            HashingCopy.Copied copied;
            try (var out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                copied = HashingCopy.copy(content, out);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ObjectInfo(key, copied.size(), copied.sha256(), Files.getLastModifiedTime(target).toMillis());
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(key);
        }
        return Files.newInputStream(file);
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path file = resolve(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new ObjectInfo(key, Files.size(file), null, Files.getLastModifiedTime(file).toMillis()));
    }

    @Override
    public List<Entry> list(String prefix) throws IOException {
        Path directory = prefix.isEmpty() ? root : resolve(prefix);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        var entries = new ArrayList<Entry>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (name.startsWith(".upload-")) {
                    continue;
                }
                boolean isDirectory = Files.isDirectory(child);
                entries.add(new Entry(name, prefix + name + (isDirectory ? "/" : ""), isDirectory,
                        isDirectory ? 0 : Files.size(child), Files.getLastModifiedTime(child).toMillis()));
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    @Override
    public List<ObjectInfo> walk(String prefix) throws IOException {
        Path directory = resolve(prefix);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        var objects = new ArrayList<ObjectInfo>();
        try (var paths = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                if (file.getFileName().toString().startsWith(".upload-")) {
                    continue;
                }
                String key = prefix + directory.relativize(file).toString().replace('\\', '/');
                objects.add(new ObjectInfo(key, Files.size(file), null, Files.getLastModifiedTime(file).toMillis()));
            }
        }
        objects.sort(Comparator.comparing(ObjectInfo::key));
        return objects;
    }

    /** The temporary files ({@code .upload-*.part}) of writes cut short by a crash, older than {@code beforeMs}. */
    @Override
    public int removeAbandonedUploads(long beforeMs, Predicate<String> mayRemove) throws IOException {
        int removed = 0;
        try (var paths = Files.walk(root)) {
            for (Path file : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".upload-") && name.endsWith(".part")
                        && Files.getLastModifiedTime(file).toMillis() < beforeMs
                        && mayRemove.test(root.relativize(file).toString().replace(File.separatorChar, '/'))
                        && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public void delete(String key) throws IOException {
        Path target = key.isEmpty() ? root : resolve(key);
        if (target.equals(root)) {
            throw new IllegalArgumentException("refusing to delete the whole storage");
        }
        if (Files.isDirectory(target)) {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } else {
            Files.deleteIfExists(target);
        }
    }

    @Override
    public boolean isDirectory(String key) throws IOException {
        return !key.isEmpty() && Files.isDirectory(resolve(key));
    }

    @Override
    public void makeDirectory(String key) throws IOException {
        Files.createDirectories(resolve(key));
    }

    @Override
    public void move(String from, String to) throws IOException {
        Path target = resolve(to);
        Files.createDirectories(target.getParent());
        Files.move(resolve(from), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Keys are checked before they reach here; this is the last line: nothing resolves outside the root. */
    private Path resolve(String key) {
        StorageKeys.check(key);
        String relative = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root) && !relative.isEmpty()) {
            throw new IllegalArgumentException("key outside the storage: " + key);
        }
        return path;
    }
}
