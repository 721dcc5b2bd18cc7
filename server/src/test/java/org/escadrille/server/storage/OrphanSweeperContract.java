package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.MovableClock;
import org.junit.jupiter.api.Test;

/**
 * What the {@link OrphanSweeper} does on every storage engine: the time it goes by is the object's
 * last-modified time as the engine keeps it, read against a clock the test moves. Each test gets an
 * empty storage from {@link #newStorage()}.
 */
abstract class OrphanSweeperContract {
    private static final Duration GRACE = Duration.ofHours(24);

    private final MovableClock clock = new MovableClock(Instant.now());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** An empty storage, for one test. */
    protected abstract Storage newStorage() throws IOException;

    /** Leaves what a write cut short leaves at {@code key}, as the engine would (the server killed mid-upload). */
    protected abstract void leaveAnUnfinishedUpload(Storage storage, String key) throws IOException;

    /** How many unfinished uploads the engine still holds. */
    protected abstract int unfinishedUploads(Storage storage) throws IOException;

    /** An owner of {@code staging/} and {@code users/} whose records name exactly these keys. */
    private record Naming(Set<String> named) implements StoredObjectOwner {
        @Override
        public Set<String> prefixes() {
            return Set.of("staging/", "users/");
        }

        @Override
        public boolean names(String key) {
            return named.contains(key);
        }
    }

    private OrphanSweeper sweeper(Storage storage, StoredObjectOwner... owners) {
        var properties = EscadrilleProperties.withDataDir(java.nio.file.Path.of("target"));
        return new OrphanSweeper(storage, List.of(owners), properties, clock, meters);
    }

    @Test
    void anOrphanOlderThanTheGracePeriodIsRemoved() throws IOException {
        Storage storage = newStorage();
        storage.put("staging/a1/out.txt", stream("left by an attempt that raced its end"));
        var sweeper = sweeper(storage, new Naming(Set.of()));

        clock.advance(GRACE.plusMinutes(5));
        SweepReport report = sweeper.sweep();

        assertThat(storage.stat("staging/a1/out.txt")).isEmpty();
        assertThat(report.removed()).isEqualTo(1);
        assertThat(report.removedBytes()).isEqualTo("left by an attempt that raced its end".length());
        assertThat(report.removedKeys()).containsExactly("staging/a1/out.txt");
        assertThat(sweeper.lastReport()).contains(report);
        assertThat(meters.counter("escadrille.storage.orphans.removed").count()).isEqualTo(1);
    }

    @Test
    void anOrphanYoungerThanTheGracePeriodStays() throws IOException {
        Storage storage = newStorage();
        storage.put("users/alice/upload.bin", stream("its record is being written"));
        var sweeper = sweeper(storage, new Naming(Set.of()));

        clock.advance(GRACE.minusMinutes(5));
        SweepReport report = sweeper.sweep();

        assertThat(storage.stat("users/alice/upload.bin")).isPresent();
        assertThat(report.examined()).isEqualTo(1);
        assertThat(report.removed()).isZero();
    }

    @Test
    void anObjectARecordNamesStaysHoweverOld() throws IOException {
        Storage storage = newStorage();
        storage.put("users/alice/results/out.csv", stream("a,b\n"));
        storage.put("users/alice/results/stray.csv", stream("c,d\n"));
        var sweeper = sweeper(storage, new Naming(Set.of("users/alice/results/out.csv")));

        clock.advance(Duration.ofDays(400));
        SweepReport report = sweeper.sweep();

        assertThat(storage.stat("users/alice/results/out.csv")).isPresent();
        assertThat(storage.stat("users/alice/results/stray.csv")).isEmpty();
        assertThat(report.examined()).isEqualTo(2);
        assertThat(report.removedKeys()).containsExactly("users/alice/results/stray.csv");
    }

    @Test
    void anObjectAnyOwnerOfItsPrefixNamesStays() throws IOException {
        Storage storage = newStorage();
        storage.put("users/alice/shared/data.txt", stream("named by a second owner"));
        StoredObjectOwner shares = new StoredObjectOwner() {
            @Override
            public Set<String> prefixes() {
                return Set.of("users/alice/shared/");
            }

            @Override
            public boolean names(String key) {
                return true;
            }
        };
        var sweeper = sweeper(storage, new Naming(Set.of()), shares);

        clock.advance(GRACE.plusHours(1));
        sweeper.sweep();

        assertThat(storage.stat("users/alice/shared/data.txt")).isPresent();
    }

    @Test
    void objectsUnderAPrefixNoOwnerClaimsAreLeftAlone() throws IOException {
        Storage storage = newStorage();
        storage.put("uploads/u1/part-1", stream("a feature the sweeper was not told about"));
        var sweeper = sweeper(storage, new Naming(Set.of()));

        clock.advance(Duration.ofDays(30));
        SweepReport report = sweeper.sweep();

        assertThat(storage.stat("uploads/u1/part-1")).isPresent();
        assertThat(report.examined()).isZero();
    }

    @Test
    void anUploadThatNeverFinishedGoesAfterTheGracePeriod() throws IOException {
        Storage storage = newStorage();
        leaveAnUnfinishedUpload(storage, "users/alice/big.bin");
        var sweeper = sweeper(storage, new Naming(Set.of()));

        SweepReport young = sweeper.sweep();
        assertThat(unfinishedUploads(storage)).as("younger than the grace period").isEqualTo(1);
        clock.advance(GRACE.plusMinutes(5));
        SweepReport old = sweeper.sweep();

        assertThat(young.abandonedUploads()).isZero();
        assertThat(old.abandonedUploads()).isEqualTo(1);
        assertThat(unfinishedUploads(storage)).isZero();
    }

    /** Users' resumable uploads (under uploads/, which their sessions answer for) keep their parts for days. */
    @Test
    void anUnfinishedUploadUnderAPrefixNoFeatureClaimsStays() throws IOException {
        Storage storage = newStorage();
        leaveAnUnfinishedUpload(storage, "uploads/u1");
        var sweeper = sweeper(storage, new Naming(Set.of()));

        clock.advance(Duration.ofDays(30));
        SweepReport report = sweeper.sweep();

        assertThat(report.abandonedUploads()).isZero();
        assertThat(unfinishedUploads(storage)).isEqualTo(1);
    }

    @Test
    void anObjectWhoseOwnerCannotAnswerStaysAndTheFailureIsReported() throws IOException {
        Storage storage = newStorage();
        storage.put("staging/a2/out.txt", stream("its owner's database is away"));
        StoredObjectOwner failing = new StoredObjectOwner() {
            @Override
            public Set<String> prefixes() {
                return Set.of("staging/");
            }

            @Override
            public boolean names(String key) {
                throw new IllegalStateException("connection refused");
            }
        };
        var sweeper = sweeper(storage, failing);

        clock.advance(GRACE.plusHours(1));
        SweepReport report = sweeper.sweep();

        assertThat(storage.stat("staging/a2/out.txt")).isPresent();
        assertThat(report.failures()).singleElement().asString().contains("staging/a2/out.txt", "connection refused");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
