package org.escadrille.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The server's settings ({@code escadrille.*}), with defaults that work on a laptop. Documented in
 * {@code docs/configuration.md}.
 *
 * @param dataDir    where the embedded database, the local storage, logs and tools live
 * @param publicUrl  the URL pilots use to reach the server; empty: {@code http://127.0.0.1:<port>}
 * @param scheduling leases, heartbeats and retries
 * @param local      the local backend: pilots as child processes of the server
 * @param limits     bounds on what a user may send (tasks per launch, sizes, names, pages)
 * @param signIn     rates of failed sign-ins and API keys
 * @param metrics    who may read the metrics
 * @param security   who may run tasks on pilots that do not sandbox them
 * @param pilots     pilots' tokens and the sizes of what they send
 * @param notifications e-mails when an execution ends (sent when {@code spring.mail.host} is set)
 * @param sites      how the pilot factory supplies sites (clusters, Kubernetes, hosts by hand) with pilots
 * @param overload   how many requests of each kind may be in progress before the server sheds more
 * @param footprint  the Green Algorithms constants of sites that do not set their own (docs/footprint.md)
 * @param pilotWrites how pilots' registrations and heartbeats are written together
 * @param storage    where files are stored: a local directory, or an S3 bucket
 * @param taskCache  whether identical tasks reuse the outputs of earlier ones (docs/footprint.md)
 * @param oidc       institutional sign-in with OpenID Connect (none by default: passwords only)
 * @param housekeeping the removal of orphaned objects on the storage element, and of old results
 * @param uploads    users' uploads straight to the storage (S3): part size, abandoned uploads
 * @param longPolls  how many pilots' lease requests wait on the server at once, and what the others are told
 */
@ConfigurationProperties("escadrille")
public record EscadrilleProperties(Path dataDir, String publicUrl, Scheduling scheduling, Local local,
                                  Limits limits, SignIn signIn, Metrics metrics, Security security, Pilots pilots,
                                  Notifications notifications, Sites sites,
                                  Overload overload, Footprint footprint, PilotWrites pilotWrites,
                                  StorageSettings storage, TaskCache taskCache, Oidc oidc, Housekeeping housekeeping,
                                  Uploads uploads, LongPollLimits longPolls) {

    /** Every setting at its default but the data directory: for tools and tests. */
    public static EscadrilleProperties withDataDir(Path dataDir) {
        return new EscadrilleProperties(dataDir, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public EscadrilleProperties {
        if (dataDir == null) {
            dataDir = Path.of(System.getProperty("user.home"), ".escadrille");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        publicUrl = publicUrl == null ? "" : publicUrl.strip();
        scheduling = scheduling == null ? new Scheduling(null, null, 0, 0, null, 0, null, null, null, null) : scheduling;
        local = local == null ? new Local(true, 0, 0, null, null) : local;
        limits = limits == null ? Limits.DEFAULTS : limits;
        signIn = signIn == null ? new SignIn(0, 0, 0, null) : signIn;
        metrics = metrics == null ? new Metrics(null) : metrics;
        security = security == null ? new Security(false, null) : security;
        pilots = (pilots == null ? new Pilots(null, null, null, null, null) : pilots).within(scheduling);
        notifications = notifications == null ? new Notifications(null, null) : notifications;
        sites = sites == null ? new Sites(0, null, null, null) : sites;
        overload = overload == null ? new Overload(0, 0, 0, 0, 0, null, null, null, null) : overload;
        footprint = footprint == null ? new Footprint(null, null, null) : footprint;
        pilotWrites = pilotWrites == null ? new PilotWrites(null, 0) : pilotWrites;
        storage = storage == null ? new StorageSettings(null, null, null) : storage;
        taskCache = taskCache == null ? new TaskCache(null) : taskCache;
        oidc = oidc == null ? new Oidc(null, null) : oidc;
        housekeeping = housekeeping == null ? new Housekeeping(null, null, null, null) : housekeeping;
        uploads = uploads == null ? new Uploads(null, null) : uploads;
        longPolls = longPolls == null ? new LongPollLimits(0, null, 0) : longPolls;
    }

    /** Where built-in tools are installed; {@code bin/} under it is on the PATH of local tasks. */
    public Path toolsDir() {
        return dataDir.resolve("tools");
    }

    /**
     * @param lease       how long a lease lives without a heartbeat before its task returns to the queue
     * @param heartbeat   how often pilots heartbeat (well under the lease)
     * @param maxAttempts     how many failed attempts a task gets before it fails for good
     * @param maxLostAttempts how many attempts of a task may be lost with their pilot before it fails
     * @param longPoll        how long a lease request waits for work before answering empty
     * @param userQuota       most tasks one user may have running at once (0: no limit)
     * @param stragglerFactor an attempt running this many times longer than the median of its
     *                        execution's finished ones gets a replica elsewhere (0: never)
     * @param stragglerMinimum and only once it has run at least this long
     * @param heartbeatBudget heartbeats a second the server plans for: when more pilots run tasks than send them
     *                        at {@code heartbeat} within it, their interval grows (and the leases with it), up to
     *                        {@code heartbeatMax}; 0: the interval stays {@code heartbeat}. Default 250
     * @param heartbeatMax    the longest interval the pace gives (and a lease as many times longer than the base
     *                        lease); default four {@code heartbeat}s, and never more than a third of a session
     *                        token's lifetime
     */
    public record Scheduling(Duration lease, Duration heartbeat, int maxAttempts, int maxLostAttempts, Duration longPoll,
                             int userQuota, Double stragglerFactor, Duration stragglerMinimum, Integer heartbeatBudget,
                             Duration heartbeatMax) {
        public Scheduling {
            maxLostAttempts = maxLostAttempts <= 0 ? 10 : maxLostAttempts;
            stragglerFactor = stragglerFactor == null ? 3.0 : stragglerFactor;
            stragglerMinimum = stragglerMinimum == null ? Duration.ofSeconds(60) : stragglerMinimum;
            if (userQuota < 0) {
                throw new IllegalArgumentException("escadrille.scheduling.user-quota must be 0 (no limit) or more");
            }
            lease = lease == null ? Duration.ofSeconds(60) : lease;
            heartbeat = heartbeat == null ? lease.dividedBy(4) : heartbeat;
            maxAttempts = maxAttempts <= 0 ? 3 : maxAttempts;
            longPoll = longPoll == null ? Duration.ofSeconds(20) : longPoll;
            if (heartbeat.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("escadrille.scheduling.heartbeat (" + heartbeat
                        + ") must be shorter than escadrille.scheduling.lease (" + lease + ")");
            }
            heartbeatBudget = heartbeatBudget == null ? 250 : heartbeatBudget;
            heartbeatMax = heartbeatMax == null ? heartbeat.multipliedBy(4) : heartbeatMax;
            if (heartbeatBudget < 0) {
                throw new IllegalArgumentException("escadrille.scheduling.heartbeat-budget must be 0 (a fixed interval)"
                        + " or a number of heartbeats a second, got " + heartbeatBudget);
            }
            if (heartbeatMax.compareTo(heartbeat) < 0) {
                throw new IllegalArgumentException("escadrille.scheduling.heartbeat-max (" + heartbeatMax
                        + ") must not be shorter than escadrille.scheduling.heartbeat (" + heartbeat + ")");
            }
        }
    }

    /**
     * @param enabled  whether the server starts local pilots
     * @param slots    task slots of each local pilot; 0: one per core
     * @param pilots   how many local pilot processes; 0: one
     * @param pilotJvmOptions extra JVM options of local pilots
     * @param tags     the tags local pilots register with (tasks of tools that declare pilot tags need them)
     */
    public record Local(@DefaultValue("true") boolean enabled, int slots, int pilots, String pilotJvmOptions,
                        List<String> tags) {
        public Local {
            tags = tags == null ? List.of() : List.copyOf(tags);
            slots = slots <= 0 ? Runtime.getRuntime().availableProcessors() : slots;
            pilots = pilots <= 0 ? 1 : pilots;
            // C1 only, and early: a pilot's per-request code runs a few hundred times a minute, and
            // at the default thresholds it stayed interpreted for seconds (bench/README.md, dispatch).
            pilotJvmOptions = pilotJvmOptions == null ? "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1" : pilotJvmOptions;
        }
    }

    /**
     * Bounds on everything a user sends, so that one request cannot take the server down.
     * Each refusal names the setting that raises it.
     *
     * @param tasksPerLaunch    most tasks one launch may make (a sweep's points, a static split's shares)
     * @param monteCarloTasks   most tasks a Monte-Carlo launch may ask for ({@code tasks})
     * @param valueBytes        largest value of one input (a string, a file path), in bytes of JSON
     * @param invocationBytes   largest invocation (all the input values of a launch), in bytes of JSON
     * @param requestBytes      largest request body of the API (file uploads excepted: they stream to storage)
     * @param descriptorBytes   largest descriptor, in bytes of JSON
     * @param descriptorFieldChars longest string anywhere in a descriptor (description, command line, ...)
     * @param pageSize          items in a page of a list when the request does not say
     * @param maxPageSize       most items a page may hold
     * @param maxRunningExecutions executions of one user not ended at once (0: no limit), unless an admin set
     *                          the user's or one of their groups' own
     * @param overLimit         what a launch past that limit gets: {@code queue} (it waits, and starts when
     *                          one of the user's executions ends) or {@code refuse} (409)
     */
    public record Limits(int tasksPerLaunch, int monteCarloTasks, int valueBytes, int invocationBytes, long requestBytes,
                         int descriptorBytes, int descriptorFieldChars, int pageSize, int maxPageSize,
                         int maxRunningExecutions, String overLimit) {
        static final Limits DEFAULTS = new Limits(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);

        public Limits {
            tasksPerLaunch = tasksPerLaunch <= 0 ? 10_000 : tasksPerLaunch;
            monteCarloTasks = monteCarloTasks <= 0 ? 1_000 : monteCarloTasks;
            valueBytes = valueBytes <= 0 ? 64 * 1024 : valueBytes;
            invocationBytes = invocationBytes <= 0 ? 1024 * 1024 : invocationBytes;
            requestBytes = requestBytes <= 0 ? 2 * 1024 * 1024 : requestBytes;
            descriptorBytes = descriptorBytes <= 0 ? 256 * 1024 : descriptorBytes;
            descriptorFieldChars = descriptorFieldChars <= 0 ? 16 * 1024 : descriptorFieldChars;
            maxPageSize = maxPageSize <= 0 ? 1_000 : maxPageSize;
            pageSize = pageSize <= 0 ? Math.min(100, maxPageSize) : Math.min(pageSize, maxPageSize);
            if (maxRunningExecutions < 0) {
                throw new IllegalArgumentException("escadrille.limits.max-running-executions must be 0 (no limit) or more");
            }
            overLimit = overLimit == null || overLimit.isBlank() ? "queue" : overLimit.strip().toLowerCase(Locale.ROOT);
            if (!overLimit.equals("queue") && !overLimit.equals("refuse")) {
                throw new IllegalArgumentException("escadrille.limits.over-limit must be 'queue' or 'refuse', got '" + overLimit + "'");
            }
        }

        /** Whether a launch past {@link #maxRunningExecutions} waits rather than being refused. */
        public boolean queueOverLimit() {
            return overLimit.equals("queue");
        }
    }

    /**
     * Failed sign-ins (the portal's form) and failed API keys are rationed: each account and each
     * address has a bucket of tries that refills over {@code window}; an empty bucket means 429 with
     * Retry-After until the next try comes back. Successes cost nothing.
     *
     * @param failuresPerAccount      failed sign-ins to one account per window, from anywhere
     * @param failuresPerAddress      failed sign-ins from one address per window, to any account
     * @param apiKeyFailuresPerAddress unknown, revoked or expired API keys from one address per window
     * @param window                  how long a bucket takes to refill completely
     */
    public record SignIn(int failuresPerAccount, int failuresPerAddress, int apiKeyFailuresPerAddress, Duration window) {
        public SignIn {
            failuresPerAccount = failuresPerAccount <= 0 ? 10 : failuresPerAccount;
            failuresPerAddress = failuresPerAddress <= 0 ? 50 : failuresPerAddress;
            apiKeyFailuresPerAddress = apiKeyFailuresPerAddress <= 0 ? 20 : apiKeyFailuresPerAddress;
            window = window == null || window.isZero() || window.isNegative() ? Duration.ofMinutes(5) : window;
        }
    }

    /**
     * @param scrapeToken a token that lets Prometheus read {@code /actuator/prometheus} (sent as
     *                    {@code Authorization: Bearer <token>}); empty: only admins' API keys may
     */
    public record Metrics(String scrapeToken) {
        public Metrics {
            scrapeToken = scrapeToken == null ? "" : scrapeToken.strip();
        }
    }

    /**
     * @param singleUser        one person's installation (a laptop; {@code escadrille run --embedded} sets
     *                          it): tasks may run on pilots without a sandbox. Otherwise a pilot that does
     *                          not sandbox its tasks (no bubblewrap) gets none, since a tool could read the
     *                          data directory, other users' files and the pilots' tokens
     * @param localPilotSandbox how local pilots sandbox their tasks: {@code auto} (bubblewrap when it works),
     *                          {@code bwrap} (or they do not start), {@code none}
     */
    public record Security(boolean singleUser, String localPilotSandbox) {
        public Security {
            localPilotSandbox = localPilotSandbox == null || localPilotSandbox.isBlank() ? "auto" : localPilotSandbox.strip();
            if (!List.of("auto", "bwrap", "none").contains(localPilotSandbox)) {
                throw new IllegalArgumentException("escadrille.security.local-pilot-sandbox must be auto, bwrap or none, got "
                        + localPilotSandbox);
            }
        }
    }

    /**
     * @param registrationTokenLifetime how long the token a pilot is started with stays good unused (it
     *                                  is spent by the pilot's registration)
     * @param sessionTokenLifetime      how long a session token lives unless a heartbeat replaces it;
     *                                  default four leases
     * @param sessionTokenGrace         how long a replaced session token still works, for requests in
     *                                  flight; default one lease
     * @param maxLogBytes               the largest stdout or stderr log of one attempt
     * @param maxFileBytes              the largest output or checkpoint file a pilot may upload
     */
    public record Pilots(Duration registrationTokenLifetime, Duration sessionTokenLifetime, Duration sessionTokenGrace,
                         DataSize maxLogBytes, DataSize maxFileBytes) {
        public Pilots {
            registrationTokenLifetime = registrationTokenLifetime == null ? Duration.ofHours(24) : registrationTokenLifetime;
            maxLogBytes = maxLogBytes == null ? DataSize.ofMegabytes(64) : maxLogBytes;
            maxFileBytes = maxFileBytes == null ? DataSize.ofGigabytes(16) : maxFileBytes;
            if (registrationTokenLifetime.isNegative() || registrationTokenLifetime.isZero()) {
                throw new IllegalArgumentException("escadrille.pilots.registration-token-lifetime must be positive");
            }
        }

        /** These settings with the defaults that follow from the lease filled in, and checked against the heartbeat. */
        Pilots within(Scheduling scheduling) {
            Duration session = sessionTokenLifetime == null ? scheduling.lease().multipliedBy(4) : sessionTokenLifetime;
            Duration grace = sessionTokenGrace == null ? scheduling.lease() : sessionTokenGrace;
            if (session.compareTo(scheduling.heartbeat().multipliedBy(2)) <= 0) {
                throw new IllegalArgumentException("escadrille.pilots.session-token-lifetime (" + session
                        + ") must be more than two heartbeats (escadrille.scheduling.heartbeat: " + scheduling.heartbeat()
                        + "): each heartbeat brings the pilot a fresh one");
            }
            if (grace.isNegative() || grace.compareTo(session) >= 0) {
                throw new IllegalArgumentException("escadrille.pilots.session-token-grace (" + grace
                        + ") must be shorter than the session token's lifetime (" + session + ")");
            }
            return new Pilots(registrationTokenLifetime, session, grace, maxLogBytes, maxFileBytes);
        }
    }

    /**
     * E-mails telling a user that an execution ended. They are sent only when the server has an SMTP server
     * ({@code spring.mail.host} and the other {@code spring.mail.*} settings of Spring Boot).
     *
     * @param from      the sender's address; default {@code escadrille@localhost}
     * @param portalUrl the portal's address as users reach it, for the link to the execution; empty: the
     *                  server's {@code escadrille.public-url}, else {@code http://localhost:<port>}
     */
    public record Notifications(String from, String portalUrl) {
        public Notifications {
            from = from == null || from.isBlank() ? "escadrille@localhost" : from.strip();
            portalUrl = portalUrl == null ? "" : portalUrl.strip().replaceAll("/+$", "");
        }
    }

    /**
     * How the pilot factory supplies the elastic sites (every kind but {@code local}) with pilots.
     *
     * @param submissionsPerRound most pilots one elastic site gets per round of the factory (every two seconds)
     * @param idleTimeout         how long an elastic site's pilot waits without work before it leaves, unless
     *                            the site's {@code idle-timeout} setting says
     * @param backoff             how long a site whose submission failed (or whose pilot died before
     *                            registering) gets no new pilot; doubled at each further failure
     * @param maxBackoff          the longest such wait
     */
    public record Sites(int submissionsPerRound, Duration idleTimeout, Duration backoff, Duration maxBackoff) {
        public Sites {
            submissionsPerRound = submissionsPerRound <= 0 ? 2 : submissionsPerRound;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(120) : idleTimeout;
            backoff = backoff == null || !backoff.isPositive() ? Duration.ofSeconds(10) : backoff;
            maxBackoff = maxBackoff == null || maxBackoff.compareTo(backoff) < 0 ? Duration.ofMinutes(10) : maxBackoff;
        }
    }

    /**
     * Bounds on the requests in progress, per kind of call: beyond a bound a request waits up to
     * {@code queueWait} for room, then gets 503 with Retry-After (a whole number of seconds drawn between
     * {@code retryAfterMin} and {@code retryAfterMax}, so that the callers shed at once do not come back at
     * once). A storm of pilots then costs the server time, not its heap. 0: the default.
     *
     * @param registrations pilot registrations (each spends a token in the database)
     * @param heartbeats    pilot heartbeats and goodbyes; default: an eighth of {@link #requestBudget}, at least 256
     * @param leases        lease requests in progress, parked long polls included; default: 3/8 of {@link #requestBudget}
     * @param completions   completions, log, output and checkpoint uploads, and input downloads of pilots;
     *                      default: a quarter of {@link #requestBudget}, at least 256
     * @param userApi       everything else but health and metrics: the APIs and the portal
     * @param queueWait     how long a request beyond its bound waits for room before it is shed
     * @param completionQueueWait how long a completion (or another call of a pilot's attempt) beyond its bound
     *                      waits for room: longer than the others, since it brings work done, and leases are shed
     *                      while it waits
     * @param retryAfterMin the shortest Retry-After of a shed request
     * @param retryAfterMax the longest Retry-After of a shed request
     */
    public record Overload(int registrations, int heartbeats, int leases, int completions, int userApi,
                           Duration queueWait, Duration completionQueueWait, Duration retryAfterMin, Duration retryAfterMax) {
        public Overload {
            if (registrations < 0 || heartbeats < 0 || leases < 0 || completions < 0 || userApi < 0) {
                throw new IllegalArgumentException("escadrille.overload.* bounds must be 0 (the default) or more");
            }
            var defaults = Bounds.defaults(Runtime.getRuntime().maxMemory());
            registrations = registrations == 0 ? defaults.registrations() : registrations;
            leases = leases == 0 ? defaults.leases() : leases;
            heartbeats = heartbeats == 0 ? defaults.heartbeats() : heartbeats;
            completions = completions == 0 ? defaults.completions() : completions;
            userApi = userApi == 0 ? defaults.userApi() : userApi;
            queueWait = queueWait == null || queueWait.isNegative() ? Duration.ofMillis(100) : queueWait;
            completionQueueWait = completionQueueWait == null || completionQueueWait.isNegative() ? Duration.ofSeconds(1)
                    : completionQueueWait;
            retryAfterMin = retryAfterMin == null ? Duration.ofSeconds(1) : retryAfterMin;
            retryAfterMax = retryAfterMax == null ? Duration.ofSeconds(5) : retryAfterMax;
            if (retryAfterMin.toSeconds() < 1 || retryAfterMax.compareTo(retryAfterMin) < 0) {
                throw new IllegalArgumentException("escadrille.overload.retry-after-min (" + retryAfterMin + ") must be at least"
                        + " 1s and escadrille.overload.retry-after-max (" + retryAfterMax + ") at least as long");
            }
        }

        /**
         * What the requests in progress of every kind together, and those waiting for room, may hold: 3/8 of
         * the heap at about 64 KiB a request (Tomcat's buffers and objects, a parked virtual thread:
         * bench/README.md, "Scale"), 6,144 with a 1 GiB heap. Not more: each pilot's connection, the
         * requests being shed, the server's caches and the garbage of a busy server need the rest; with
         * half the heap for the leases alone (10,500 requests in all) 10,000 pilots ran it out of memory.
         */
        static int requestBudget(long maxHeap) {
            return (int) Math.max(1536, Math.min(300_000, maxHeap * 3 / 8 / (64 * 1024)));
        }

        /** The default bounds of a server with this heap: see {@link #requestBudget}. */
        record Bounds(int registrations, int heartbeats, int leases, int completions, int userApi) {
            static Bounds defaults(long maxHeap) {
                int requests = requestBudget(maxHeap);
                // Completions and heartbeats not lower: on a busy server each takes seconds, and 64 of them in
                // progress shed most of the others, which cut the dispatch rate seven times (bench/README.md,
                // "Overload"). Completions a quarter: a pilot whose completion is shed waits before it leases
                // again, so with 10,000 pilots completions at an eighth dispatched 13 tasks/s, and at a quarter
                // 145 (bench/README.md, "Overload"). Leases 3/8: above the parked long polls (an eighth of the
                // heap, a third of the budget), so that pilots beyond those are told to come back, not shed.
                return new Bounds(64, Math.max(256, requests / 8), requests * 3 / 8, Math.max(256, requests / 4), 128);
            }
        }
    }

    /**
     * @param pue             power usage effectiveness of a site that does not set its own ({@code pue})
     * @param carbonIntensity grams of CO2e per kWh of a site that does not set its own ({@code carbon-intensity})
     * @param powerPerCore    watts per core of a processor the table does not know
     */
    public record Footprint(Double pue, Double carbonIntensity, Double powerPerCore) {
        public Footprint {
            // Green Algorithms' defaults: the Uptime Institute's 2024 average PUE, the world's average
            // grid, and its "Any" processor (docs/footprint.md).
            pue = pue == null ? 1.56 : pue;
            carbonIntensity = carbonIntensity == null ? 475.0 : carbonIntensity;
            powerPerCore = powerPerCore == null ? 12.0 : powerPerCore;
            if (pue < 1 || carbonIntensity < 0 || powerPerCore <= 0) {
                throw new IllegalArgumentException("escadrille.footprint.pue must be at least 1, carbon-intensity 0 or more"
                        + " and power-per-core more than 0");
            }
        }
    }

    /**
     * Pilots' registrations, session token rotations and heartbeat times are written in batches, one
     * transaction each, instead of one connection per request.
     *
     * @param window   how long a batch stays open for more writes after its first (0: only those already waiting)
     * @param maxBatch the most writes in one batch
     */
    public record PilotWrites(Duration window, int maxBatch) {
        public PilotWrites {
            window = window == null ? Duration.ofMillis(2) : window;
            maxBatch = maxBatch <= 0 ? 256 : maxBatch;
            if (window.isNegative() || window.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("escadrille.pilot-writes.window must be between 0 and 1s, got " + window);
            }
        }
    }

    /**
     * Where users' files, tasks' inputs and outputs are stored (docs/storage.md).
     *
     * @param kind {@code local}: {@code <data-dir>/storage}; {@code s3}: the bucket of {@code s3}
     * @param s3   the bucket, when {@code kind} is {@code s3}
     * @param quotaDefault how much each user may store, unless an admin set their own quota (0: no limit)
     */
    public record StorageSettings(StorageKind kind, S3 s3, DataSize quotaDefault) {
        public StorageSettings {
            kind = kind == null ? StorageKind.LOCAL : kind;
            quotaDefault = quotaDefault == null ? DataSize.ofBytes(0) : quotaDefault;
            if (quotaDefault.isNegative()) {
                throw new IllegalArgumentException("escadrille.storage.quota-default must be 0 (no limit) or more, got " + quotaDefault);
            }
            s3 = s3 == null ? new S3(null, null, null, null, null, null, false, null, null) : s3;
            if (kind == StorageKind.S3 && s3.bucket().isEmpty()) {
                throw new IllegalArgumentException("escadrille.storage.s3.bucket must name a bucket when escadrille.storage.kind is s3");
            }
        }
    }

    public enum StorageKind { LOCAL, S3 }

    /**
     * An S3 bucket (AWS or any S3-compatible store).
     *
     * @param endpoint  the store's URL; empty: AWS's own for the region
     * @param region    the region to sign for
     * @param bucket    the bucket, which must exist
     * @param prefix    where Escadrille's keys start in the bucket (empty: at its root)
     * @param accessKey the access key; empty: the AWS default chain (environment, profile, instance role)
     * @param secretKey its secret
     * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (MinIO, Ceph, Garage)
     * @param partSize  the bytes of one part of a multipart upload, held in memory while it is sent
     * @param urlLifetime how long a presigned URL handed to a pilot (an input to read, an output to write) works
     */
    public record S3(String endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
                     boolean pathStyle, DataSize partSize, Duration urlLifetime) {
        public S3 {
            endpoint = endpoint == null ? "" : endpoint.strip();
            region = region == null || region.isBlank() ? "us-east-1" : region.strip();
            bucket = bucket == null ? "" : bucket.strip();
            prefix = prefix == null ? "" : prefix.strip();
            accessKey = accessKey == null ? "" : accessKey.strip();
            secretKey = secretKey == null ? "" : secretKey;
            partSize = partSize == null ? DataSize.ofMegabytes(8) : partSize;
            urlLifetime = urlLifetime == null ? Duration.ofMinutes(5) : urlLifetime;
            if (urlLifetime.toSeconds() < 1 || urlLifetime.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("escadrille.storage.s3.url-lifetime must be between 1s and 7d"
                        + " (S3's longest), got " + urlLifetime);
            }
            if (partSize.toBytes() < 5L * 1024 * 1024 || partSize.toBytes() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("escadrille.storage.s3.part-size must be between 5MB (S3's smallest part)"
                        + " and 2GB, got " + partSize);
            }
            if (accessKey.isEmpty() != secretKey.isEmpty()) {
                throw new IllegalArgumentException("escadrille.storage.s3.access-key and secret-key go together:"
                        + " set both, or neither to use the AWS default chain");
            }
        }

        /** Never the secret: these settings may be logged. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                    + ", accessKey=" + accessKey + ", pathStyle=" + pathStyle + ", partSize=" + partSize + ", urlLifetime=" + urlLifetime + "]";
        }
    }

    /**
     * The task cache: a task identical to one its owner ran and that succeeded reuses its outputs.
     *
     * @param enabled whether launches may use it (each launch and each tool may still opt out)
     */
    public record TaskCache(Boolean enabled) {
        public TaskCache {
            enabled = enabled == null || enabled;
        }
    }

    /**
     * Institutional sign-in with OpenID Connect (docs/oidc.md). With no provider, the portal offers
     * passwords only and exposes no OAuth2 endpoint.
     *
     * @param providers          the identity providers, by an id of the operator's choosing (it appears in
     *                           the sign-in URLs: lower-case letters, digits and '-')
     * @param autoApproveDomains e-mail domains whose people get an enabled account at their first sign-in,
     *                           when their provider says it verified the address; others wait for an admin
     */
    public record Oidc(Map<String, OidcProvider> providers, List<String> autoApproveDomains) {
        private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

        public Oidc {
            providers = providers == null ? Map.of() : Map.copyOf(providers);
            autoApproveDomains = autoApproveDomains == null ? List.of() : autoApproveDomains.stream()
                    .map(domain -> domain.strip().toLowerCase(Locale.ROOT)).filter(domain -> !domain.isEmpty()).toList();
            for (var provider : providers.entrySet()) {
                if (!PROVIDER_ID.matcher(provider.getKey()).matches()) {
                    throw new IllegalArgumentException("escadrille.oidc.providers: a provider's id is 1 to 40 lower-case "
                            + "letters, digits or '-', starting with a letter or digit; got " + provider.getKey());
                }
                provider.getValue().check("escadrille.oidc.providers." + provider.getKey());
            }
        }
    }

    /**
     * One OpenID provider (Keycloak realm, EGI Check-in, ...); its endpoints come from its discovery
     * document ({@code <issuer-uri>/.well-known/openid-configuration}), read at the first sign-in through it.
     *
     * @param issuerUri    the provider's issuer, exactly as its ID tokens name it
     * @param clientId     the client registered for this gateway at the provider
     * @param clientSecret its secret
     * @param displayName  the name on the button ("Sign in with ..."); default: the provider's id
     * @param scopes       what to ask for; default {@code openid, profile, email}
     * @param autoApprove  trusted: everyone it signs in gets an enabled account at once
     */
    public record OidcProvider(String issuerUri, String clientId, String clientSecret, String displayName,
                               List<String> scopes, boolean autoApprove) {
        public OidcProvider {
            issuerUri = issuerUri == null ? "" : issuerUri.strip();
            clientId = clientId == null ? "" : clientId.strip();
            clientSecret = clientSecret == null ? "" : clientSecret;
            displayName = displayName == null ? "" : displayName.strip();
            scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "profile", "email")
                    : scopes.stream().map(String::strip).filter(scope -> !scope.isEmpty()).toList();
        }

        void check(String prefix) {
            if (!issuerUri.startsWith("https://") && !issuerUri.startsWith("http://")) {
                throw new IllegalArgumentException(prefix + ".issuer-uri must be the provider's https URL, got '" + issuerUri + "'");
            }
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException(prefix + ".client-id must name the client registered at the provider");
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException(prefix + ".scopes must include openid, got " + scopes);
            }
        }

        /** Never the secret: these settings may be logged. */
        @Override
        public String toString() {
            return "OidcProvider[issuerUri=" + issuerUri + ", clientId=" + clientId + ", displayName=" + displayName
                    + ", scopes=" + scopes + ", autoApprove=" + autoApprove + "]";
        }
    }

    /**
     * What the server removes from the storage element on its own (docs/storage.md, "Housekeeping").
     *
     * @param orphanGrace   how old an object that no record names must be before the sweeper removes it:
     *                      longer than any upload or attempt takes to record what it wrote
     * @param sweepInterval how often the sweeper looks for orphans
     * @param retention     results of executions ended longer ago than this are deleted (0 or unset: kept for ever)
     * @param retentionNotice how long before that deletion the execution says when it will happen
     */
    public record Housekeeping(Duration orphanGrace, Duration sweepInterval, Duration retention, Duration retentionNotice) {
        public Housekeeping {
            orphanGrace = orphanGrace == null ? Duration.ofHours(24) : orphanGrace;
            sweepInterval = sweepInterval == null ? Duration.ofHours(6) : sweepInterval;
            retention = retention == null ? Duration.ZERO : retention;
            retentionNotice = retentionNotice == null ? Duration.ofDays(7) : retentionNotice;
            if (orphanGrace.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("escadrille.housekeeping.orphan-grace must be 1h or more (an upload"
                        + " or an attempt may take that long to record what it wrote), got " + orphanGrace);
            }
            if (sweepInterval.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("escadrille.housekeeping.sweep-interval must be 1m or more, got " + sweepInterval);
            }
            if (retention.isNegative() || retentionNotice.isNegative()) {
                throw new IllegalArgumentException("escadrille.housekeeping.retention and retention-notice must be"
                        + " 0 or more, got " + retention + " and " + retentionNotice);
            }
            if (!retention.isZero() && retentionNotice.compareTo(retention) >= 0) {
                throw new IllegalArgumentException("escadrille.housekeeping.retention-notice (" + retentionNotice
                        + ") must be shorter than escadrille.housekeeping.retention (" + retention + ")");
            }
        }

        /** Whether old results are deleted at all. */
        public boolean retains() {
            return !retention.isZero();
        }
    }

    /**
     * Users' uploads straight to an S3 storage (docs/storage.md): a file larger than one part goes in
     * parts, and an upload cut short resumes with the parts already sent.
     *
     * @param partSize       the size of each part (5MB, S3's smallest, to 5GB, its largest)
     * @param abandonedAfter an upload not completed within this time is aborted and its parts deleted
     */
    public record Uploads(DataSize partSize, Duration abandonedAfter) {
        public Uploads {
            partSize = partSize == null ? DataSize.ofMegabytes(64) : partSize;
            abandonedAfter = abandonedAfter == null ? Duration.ofDays(7) : abandonedAfter;
            if (partSize.toBytes() < 5L * 1024 * 1024 || partSize.toBytes() > 5L * 1024 * 1024 * 1024) {
                throw new IllegalArgumentException("escadrille.uploads.part-size must be between 5MB and 5GB (S3's limits), got "
                        + partSize);
            }
            if (!abandonedAfter.isPositive()) {
                throw new IllegalArgumentException("escadrille.uploads.abandoned-after must be positive, got " + abandonedAfter);
            }
        }
    }

    /**
     * A pilot's lease request that finds no work waits on the server (a long poll), holding its suspended
     * HTTP request's buffers (some 50 KB): at most {@code maxParked} wait at once. Beyond, a request is
     * answered at once with no task and a time to ask again (around its own wait, with jitter), and while
     * some are, the waiting places rotate among the pilots (docs/architecture.md, "Overload").
     *
     * @param maxParked        the most lease requests that wait at once; 0: an eighth of the heap at 64 KiB
     *                         each (2,048 with a 1 GiB heap), at least 64
     * @param closeConnections whether the answer telling a pilot to come back later also closes its
     *                         connection (an idle keep-alive connection holds buffers and a file descriptor
     *                         on both sides for the whole wait); default true
     * @param comeBackRate     about how many pilots told to come back later may come back a second, all
     *                         together: a larger idle pool is told to come back later, in proportion (never
     *                         later than a third of a session token's lifetime); 0: 500
     */
    public record LongPollLimits(int maxParked, Boolean closeConnections, int comeBackRate) {
        public LongPollLimits {
            if (comeBackRate < 0) {
                throw new IllegalArgumentException("escadrille.long-polls.come-back-rate must be 0 (the default) or more, got "
                        + comeBackRate);
            }
            comeBackRate = comeBackRate == 0 ? 500 : comeBackRate;
            if (maxParked < 0) {
                throw new IllegalArgumentException("escadrille.long-polls.max-parked must be 0 (the default) or more, got "
                        + maxParked);
            }
            // A small share of the heap: an eighth, at about 64 KiB a suspended request (bench/README.md, "Scale").
            maxParked = maxParked == 0 ? (int) Math.max(64, Math.min(200_000, Runtime.getRuntime().maxMemory() / 8 / (64 * 1024)))
                    : maxParked;
            closeConnections = closeConnections == null || closeConnections;
        }
    }
}
