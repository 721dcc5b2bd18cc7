package org.escadrille.server.scheduling;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.storage.Storage;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An attempt's files on the storage element: its staging area, where the pilot uploads its outputs
 * until it completes, and its checkpoints. A success's or a kept checkpoint's files become the task's
 * outputs in its owner's space; any other ending discards them.
 */
final class AttemptFiles {
    private static final Logger log = LoggerFactory.getLogger(AttemptFiles.class);

    private final TaskRepository tasks;
    private final Storage storage;
    private final UserFiles userFiles;

    AttemptFiles(TaskRepository tasks, Storage storage, UserFiles userFiles) {
        this.tasks = tasks;
        this.storage = storage;
        this.userFiles = userFiles;
    }

    /** Where every attempt's staging area is. */
    static final String STAGING = "staging/";
    /** Where every attempt's checkpoints are. */
    static final String CHECKPOINTS = "checkpoints/";

    /** Where an attempt's outputs wait for its completion. */
    static String stagingPrefix(String attemptId) {
        return STAGING + attemptId + "/";
    }

    /** Where an attempt's checkpoints wait, one directory per event count. */
    static String checkpointPrefix(String attemptId) {
        return CHECKPOINTS + attemptId + "/";
    }

    /**
     * A pilot says all the files of a checkpoint of {@code events} events are uploaded: it becomes the
     * attempt's newest, and the older ones go.
     */
    void checkpointed(String attemptId, long events) {
        String prefix = checkpointPrefix(attemptId);
        try {
            if (storage.walk(prefix + events + "/").isEmpty()) {
                log.warn("attempt {} reports checkpoint {} but none of its files arrived", attemptId, events);
                return;
            }
            if (!tasks.recordCheckpoint(attemptId, events)) {
                return;
            }
            for (var entry : storage.list(prefix)) {
                if (entry.directory() && !entry.name().equals(Long.toString(events))) {
                    storage.delete(entry.key());
                }
            }
        } catch (IOException e) {
            log.warn("checkpoint {} of attempt {} not recorded: {}", events, attemptId, e.getMessage());
        }
    }

    /** Records and moves the objects under {@code prefix} (the attempt's staging area, or a checkpoint) as the task's outputs. */
    void commitOutputs(TaskDefinition task, String prefix) throws IOException {
        var staged = storage.walk(prefix);
        if (staged.isEmpty()) {
            return;
        }
        // Within the owner's quota, or none of them: the attempt fails saying what is used and allowed.
        var sizes = new LinkedHashMap<UserPath, Long>();
        for (var object : staged) {
            sizes.put(UserPath.of(task.outputDir()).resolve(object.key().substring(prefix.length())), object.size());
        }
        userFiles.requireRoom(task.owner(), "the outputs of task " + task.id(), sizes);
        var digests = new ArrayList<String>();
        for (var object : staged) {
            digests.add(sha256(object.key()));
        }
        // The records first, then the moves. A crash between them leaves records whose objects are
        // still staged: the pilot's completion, retried, records them again and moves them. (Moving
        // first would lose the records: the retry would find nothing staged.)
        var targets = new ArrayList<UserPath>();
        tasks.inTransaction(() -> {
            targets.clear();
            for (int i = 0; i < staged.size(); i++) {
                var object = staged.get(i);
                String relative = object.key().substring(prefix.length());
                var target = UserPath.of(task.outputDir()).resolve(relative);
                userFiles.record(task.owner(), target, object.size(), digests.get(i));
                tasks.recordOutput(task.id(), task.executionId(), outputId(task.spec(), relative), target.value(),
                        object.size(), digests.get(i));
                targets.add(target);
            }
        });
        for (int i = 0; i < staged.size(); i++) {
            userFiles.moveStaged(staged.get(i).key(), task.owner(), targets.get(i));
        }
        storage.delete(prefix);
    }

    /** Records and moves what the attempt staged as the task's outputs ({@link #commitOutputs}), if it may have staged any. */
    void commitStagedOutputs(Lease lease) throws IOException {
        if (lease.outputsStaged) {
            commitOutputs(lease.definition(), stagingPrefix(lease.attemptId));
        }
    }

    /** Deletes what the attempt staged, if it may have staged anything; a failure is logged (the orphan sweeper retries). */
    void discardStaging(Lease lease) {
        if (lease.outputsStaged) {
            discard(stagingPrefix(lease.attemptId));
        }
    }

    /** Only tasks that declare a checkpoint directory have checkpoints: the others cost no storage call. */
    void discardCheckpoints(Lease lease) {
        var progress = lease.definition().spec().progress();
        if (progress != null && progress.checkpointDir() != null) {
            discard(checkpointPrefix(lease.attemptId));
        }
    }

    private void discard(String prefix) {
        try {
            storage.delete(prefix);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", prefix, e.getMessage());
        }
    }

    /**
     * The checksum the storage keeps with the object (S3: set by the server's own put, or by a direct
     * upload whose checksum the store verified), else the object read again: never bytes the server
     * would read only to learn what the store already knows.
     */
    private String sha256(String key) throws IOException {
        var kept = storage.stat(key).map(Storage.ObjectInfo::sha256);
        if (kept.isPresent()) {
            return kept.get();
        }
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(storage.get(key), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Sha256.hex(digest);
    }

    private static String outputId(TaskSpec spec, String relative) {
        for (var output : spec.outputs()) {
            if (OutputGlob.matches(output.path(), relative)) {
                return output.id();
            }
        }
        return "output";
    }

    /** What the pilot staged of its final outputs, when they are incomplete (only a checkpoint counts). */
    void deleteStaging(Lease lease) throws IOException {
        if (lease.outputsStaged) {
            storage.delete(stagingPrefix(lease.attemptId));
        }
    }
}
