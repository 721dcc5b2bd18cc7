package org.escadrille.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.escadrille.server.EscadrilleProperties;

/**
 * Rations failed sign-ins per account and per address, and failed API keys per address, with token
 * buckets (Bucket4j): each failure takes a token, tokens come back steadily over the window, and while
 * a bucket is empty the caller is told how long to wait. The buckets live in bounded caches (Caffeine),
 * so that an attacker with many addresses or names cannot grow memory without bound; a bucket unused
 * for a whole window is full again anyway, and is dropped.
 */
final class SignInThrottle {
    /** Buckets kept per kind: a few hundred bytes each. */
    static final int TRACKED = 20_000;

    private final EscadrilleProperties.SignIn settings;
    private final TimeMeter time;
    private final Cache<String, Bucket> accounts;
    private final Cache<String, Bucket> addresses;
    private final Cache<String, Bucket> apiKeyAddresses;

    SignInThrottle(EscadrilleProperties.SignIn settings, TimeMeter time) {
        this.settings = settings;
        this.time = time;
        this.accounts = cache();
        this.addresses = cache();
        this.apiKeyAddresses = cache();
    }

    /** How long the caller must wait before trying this account from this address; empty: go ahead. */
    Optional<Duration> signInWait(String username, String address) {
        var account = wait(accounts, accountKey(username));
        var from = wait(addresses, address);
        return account.isEmpty() ? from : from.filter(d -> d.compareTo(account.get()) > 0).or(() -> account);
    }

    void signInFailed(String username, String address) {
        take(accounts, accountKey(username), settings.failuresPerAccount());
        take(addresses, address, settings.failuresPerAddress());
    }

    /** How long this address must wait before its next API key is even looked at; empty: go ahead. */
    Optional<Duration> apiKeyWait(String address) {
        return wait(apiKeyAddresses, address);
    }

    void apiKeyFailed(String address) {
        take(apiKeyAddresses, address, settings.apiKeyFailuresPerAddress());
    }

    private static Optional<Duration> wait(Cache<String, Bucket> buckets, String key) {
        var bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return Optional.empty();
        }
        var probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private void take(Cache<String, Bucket> buckets, String key, int capacity) {
        buckets.get(key, k -> Bucket.builder()
                        .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, settings.window()).build())
                        .withCustomTimePrecision(time)
                        .build())
                .tryConsume(1);
    }

    private Cache<String, Bucket> cache() {
        return Caffeine.newBuilder().maximumSize(TRACKED).expireAfterAccess(settings.window()).build();
    }

    /** Names are compared as the database does, and only as far as a name can go. */
    private static String accountKey(String username) {
        String name = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return name.length() > AccountService.MAX_USERNAME ? name.substring(0, AccountService.MAX_USERNAME + 1) : name;
    }

    /** Whole seconds, rounded up, for a Retry-After header (at least 1). */
    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
