package org.escadrille.server.backend.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.escadrille.server.backend.SiteConfig;
import org.escadrille.server.backend.remote.SshCommands;

/**
 * A SLURM site's settings, validated: each bad one is refused with its name and what it should be. Values
 * that reach the cluster are checked here (names, absolute paths, options) as well as quoted there.
 */
record SlurmSettings(String site, Optional<String> partition, Optional<String> account, Optional<String> qos,
                     Optional<Duration> timeLimit, OptionalInt cpusPerPilot, OptionalInt memoryMb, String workDir,
                     Optional<String> pilotJar, String java, List<String> javaOptions, List<String> extra,
                     Optional<SshCommands.Target> ssh) {

    /** Name → meaning, in the order the docs list them. */
    static final Map<String, String> DESCRIPTIONS = descriptions();

    /** Settings whose value is never shown back (the API and pages mask them). */
    static final Set<String> SECRET = Set.of("ssh-key");

    /** Options the backend sets itself, which {@code extra} may not override (the job must stay recognisable). */
    private static final Set<String> RESERVED = Set.of("job-name", "comment", "output", "error", "chdir", "export",
            "parsable", "wrap", "partition", "account", "qos", "time", "cpus-per-task", "mem", "ntasks", "nodes", "array");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.,+-]{1,128}");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9_.,+@=/ -]*");
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z0-9-]*(=[A-Za-z0-9_.,:+@=/*-]+)?");
    private static final Pattern JVM_OPTION = Pattern.compile("-[A-Za-z0-9_.,:+@=/%-]+");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    static SlurmSettings of(SiteConfig config) {
        config.onlyKnown(DESCRIPTIONS.keySet());
        String site = config.name();
        Optional<Duration> timeLimit = config.optional("time-limit").map(text -> config.duration("time-limit", null));
        if (timeLimit.isPresent() && timeLimit.get().compareTo(Duration.ofMinutes(1)) < 0) {
            throw bad(config, "time-limit", "must be at least one minute (SLURM counts in minutes)");
        }
        int cpus = config.integer("cpus-per-pilot", 0, 1, 4096);
        int memory = config.integer("memory-mb", 0, 1, 64 * 1024 * 1024);
        String workDir = config.required("work-dir");
        if (!PATH.matcher(workDir).matches() || workDir.contains("/../")) {
            throw bad(config, "work-dir", "must be an absolute path on the cluster, of letters, digits and _.,+@=/- ");
        }
        Optional<String> pilotJar = config.optional("pilot-jar");
        if (pilotJar.isPresent() && !PATH.matcher(pilotJar.get()).matches()) {
            throw bad(config, "pilot-jar", "must be an absolute path on the cluster");
        }
        String java = config.string("java", "java");
        if (!java.equals("java") && !PATH.matcher(java).matches()) {
            throw bad(config, "java", "must be 'java' (found on the job's PATH) or an absolute path on the cluster");
        }
        return new SlurmSettings(site, name(config, "partition"), name(config, "account"), name(config, "qos"), timeLimit,
                cpus == 0 ? OptionalInt.empty() : OptionalInt.of(cpus), memory == 0 ? OptionalInt.empty() : OptionalInt.of(memory),
                stripSlash(workDir), pilotJar, java, words(config, "java-options", JVM_OPTION, "must be JVM options such as -Xmx512m"),
                extra(config), ssh(config));
    }

    private static Optional<String> name(SiteConfig config, String key) {
        Optional<String> value = config.optional(key);
        if (value.isPresent() && !NAME.matcher(value.get()).matches()) {
            throw bad(config, key, "must be a SLURM name (letters, digits and _.,+-)");
        }
        return value;
    }

    private static List<String> extra(SiteConfig config) {
        List<String> options = words(config, "extra", OPTION,
                "must be sbatch options in their long form, each written --name or --name=value (no spaces in a value)");
        for (String option : options) {
            String name = option.substring(2).split("=", 2)[0];
            if (RESERVED.contains(name)) {
                throw bad(config, "extra", "may not set --" + name + ", which the backend sets itself"
                        + (Set.of("partition", "account", "qos", "time", "mem", "cpus-per-task").contains(name)
                                ? " (use its own setting)" : ""));
            }
        }
        return options;
    }

    private static List<String> words(SiteConfig config, String key, Pattern pattern, String should) {
        Optional<String> value = config.optional(key);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> words = Arrays.asList(value.get().split("\\s+"));
        for (String word : words) {
            if (!pattern.matcher(word).matches()) {
                throw bad(config, key, should + ", not '" + word + "'");
            }
        }
        return List.copyOf(words);
    }

    private static Optional<SshCommands.Target> ssh(SiteConfig config) {
        Optional<String> host = config.optional("ssh-host");
        if (host.isEmpty()) {
            for (String key : List.of("ssh-port", "ssh-user", "ssh-key", "ssh-known-hosts", "ssh-host-fingerprint")) {
                if (config.optional(key).isPresent()) {
                    throw bad(config, key, "is only meaningful with 'ssh-host' (without it, commands run on the server's machine)");
                }
            }
            return Optional.empty();
        }
        if (!host.get().matches("[A-Za-z0-9.:_-]{1,253}")) {
            throw bad(config, "ssh-host", "must be a host name or an IP address");
        }
        int port = config.integer("ssh-port", 22, 1, 65535);
        String user = config.string("ssh-user", System.getProperty("user.name"));
        if (!user.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}")) {
            throw bad(config, "ssh-user", "must be a user name");
        }
        Path key = Path.of(config.required("ssh-key"));
        if (!key.isAbsolute()) {
            throw bad(config, "ssh-key", "must be the absolute path of a private key file on the server");
        }
        String fingerprint = config.optional("ssh-host-fingerprint").orElse(null);
        if (fingerprint != null && !FINGERPRINT.matcher(fingerprint).matches()) {
            throw bad(config, "ssh-host-fingerprint", "must be a SHA-256 fingerprint as ssh-keygen -lf prints it (SHA256:…)");
        }
        Path knownHosts = Path.of(config.string("ssh-known-hosts", Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString()));
        return Optional.of(new SshCommands.Target(host.get(), port, user, key, knownHosts, fingerprint));
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static IllegalArgumentException bad(SiteConfig config, String key, String should) {
        return new IllegalArgumentException("site " + config.name() + ": the setting '" + key + "' " + should);
    }

    private static Map<String, String> descriptions() {
        var map = new LinkedHashMap<String, String>();
        map.put("partition", "SLURM partition (queue) of the pilot jobs; the cluster's default when unset");
        map.put("account", "SLURM account charged for the pilot jobs (--account)");
        map.put("qos", "SLURM quality of service of the pilot jobs (--qos)");
        map.put("time-limit", "wall-clock limit of each pilot job (--time), e.g. 2h; the pilot drains before it");
        map.put("cpus-per-pilot", "cores each pilot job asks for (--cpus-per-task); the pilot's slots when unset");
        map.put("memory-mb", "memory of each pilot job in MB (--mem); the partition's default when unset");
        map.put("work-dir", "required: absolute directory on the cluster for pilot jars, scripts and job output");
        map.put("pilot-jar", "absolute path of the pilot jar on a shared file system; copied into work-dir when unset");
        map.put("java", "the java command on the cluster's nodes (a JRE 21 or newer); default: java");
        map.put("java-options", "JVM options of the pilot, e.g. -Xmx512m");
        map.put("extra", "further sbatch options, long form only, e.g. --constraint=intel --reservation=gw");
        map.put("ssh-host", "login node to submit from over SSH; unset: sbatch runs on the server's machine");
        map.put("ssh-port", "SSH port of the login node; default 22");
        map.put("ssh-user", "user on the login node (a service account); default: the server's user");
        map.put("ssh-key", "secret: absolute path, on the server, of the private key (no passphrase) for ssh-user");
        map.put("ssh-known-hosts", "known_hosts file that holds the login node's host key; default ~/.ssh/known_hosts");
        map.put("ssh-host-fingerprint", "the login node's host key fingerprint (SHA256:…, from ssh-keygen -lf); used instead of known_hosts");
        return Collections.unmodifiableMap(map);
    }
}
