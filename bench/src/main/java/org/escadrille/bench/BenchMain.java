package org.escadrille.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code bench/run NAME [--option value ...]}: runs one benchmark and writes its results under bench/results/NAME. */
public final class BenchMain {
    static final String USAGE = """
            Usage: bench/run mc|dispatch|load|slurm [options]

            mc        Monte-Carlo dynamic versus static split on pilots of different speeds (CPU cgroups; needs root)
              --runs N            runs of each scenario and split (default 3)
              --events N          events of pi per execution (default 40e9: about 50 s on 2 cores)
              --quotas a,b,...    one pilot per value, limited to that many cores (default 0.8,0.4,0.4,0.2,0.2)
              --scenarios A,B     A: no failure; B: one pilot SIGKILLed and replaced (default A,B)
              --modes m,...       splits, run in this order (default dynamic,static)
              --victim N          the pilot scenario B kills, 1-based (default 2, a 0.4-core pilot)
              --kill-at F         when, as a fraction of scenario A's dynamic makespan (default 0.4)
              --expected S        the expected makespan in seconds when scenario A is not run (default 50)
              --lease D           the server's lease (default 5s)
              --max-background C  before each run, wait until other processes use at most C cores (default 0.3)
              --max-wait-minutes M  ... but no longer than M minutes, then go on (default 10)
              --summarise-only true  only summarise again what bench/results/mc holds (tables, figures)

            dispatch  many no-op tasks through one local pilot of 2 slots, against xargs -P2, parallel -j2, snakemake --cores 2
              --runs N            runs of each tool (default 3)
              --warmup N          untimed Escadrille runs first, so that the timed ones meet a compiled server (default 1)
              --tasks N           tasks (default 10000)
              --snakemake-tasks N tasks for snakemake, scaled to --tasks in the table (default 1000)
              --tools a,b,...     (default xargs,parallel,snakemake,escadrille,xargs-bwrap,escadrille-sandboxed;
                                  escadrille runs its tasks on the host, escadrille-sandboxed in bubblewrap, which
                                  xargs-bwrap also runs each true in)
              --profile true|false  one more Escadrille run under Java Flight Recorder (default true)
              --timeout-minutes N an Escadrille run longer than this is killed (default 20)
              --max-background C, --max-wait-minutes M  as for mc
              --pilot-jvm-options "..."  JVM options of the local pilot (default: the server's default)
              --carmin-pollers N  N executions watched through CARMIN (GET /rest/executions/{id}) once a
                                  second each during every Escadrille run (default 0)

            load      N API clients at once (reads and small launches, local pilots running): errors and latency percentiles
              --clients N         concurrent clients (default 200)
              --seconds S         how long the load lasts (default 60)
              --users U           the clients share U users (default 20)
              --launch-share F    the share of requests that launch a sha256sum execution (default 0.05)
              --think-ms T        each client's pause between requests, 0.5 to 1.5 times T (default 1000)
              --drain-seconds D   how long to wait afterwards for the launched executions to end (default 60)

            slurm     a burst of short tasks through a SLURM site (.ci/slurm-up) against the same work as one sbatch --array
              --runs N            Escadrille runs (default 3)
              --array-runs N      sbatch --array runs, side by side (default 2; each takes minutes)
              --tasks N           tasks (default 300)
              --task-seconds S    what each task sleeps (default 0.1)
              --pilots P          pilots of the site (default 1)
              --slots-per-pilot S (default: this machine's cores)
              --partition NAME    (default debug)

            fuzz      (bench/run fuzz, through Maven) the server's fuzz test, longer
              --tries N (20000)  --seed S (random; printed)

            jfr FILE...  the hot spots of Java Flight Recordings (as dispatch's profile prints them)

            soak      (bench/run soak, through Maven) CI's ChaosTest, longer: pilots and the server SIGKILLed
                      while one execution runs; every task must succeed exactly once with the right output
              --tasks N (20000)  --pilot-kills K (500)  --server-kills S (20)  --minutes M (30, per database)
            """;

    private BenchMain() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            // Non-daemon threads of a server that failed to close must not keep the JVM alive.
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length == 0 || Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"))) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
            return;
        }
        Map<String, String> options = args[0].equals("jfr") ? Map.of() : options(Arrays.copyOfRange(args, 1, args.length));
        Path root = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath().normalize();
        switch (args[0]) {
            case "mc" -> new MonteCarloBench(new MonteCarloBench.Settings(
                    integer(options, "runs", 3), events(options.getOrDefault("events", "40e9")),
                    Arrays.stream(options.getOrDefault("quotas", "0.8,0.4,0.4,0.2,0.2").split(",")).map(Double::parseDouble).toList(),
                    Double.parseDouble(options.getOrDefault("kill-at", "0.4")), integer(options, "victim", 2),
                    list(options, "scenarios", "A,B"), list(options, "modes", "dynamic,static"),
                    options.getOrDefault("lease", "5s"), Double.parseDouble(options.getOrDefault("expected", "50")),
                    Double.parseDouble(options.getOrDefault("max-background", "0.3")),
                    60 * Double.parseDouble(options.getOrDefault("max-wait-minutes", "10")),
                    Boolean.parseBoolean(options.getOrDefault("summarise-only", "false")),
                    root.resolve("results").resolve("mc"), root.resolve("figures"))).run();
            case "dispatch" -> new DispatchBench(new DispatchBench.Settings(integer(options, "runs", 3),
                    integer(options, "warmup", 1),
                    integer(options, "tasks", 10_000), integer(options, "snakemake-tasks", 1_000),
                    list(options, "tools", "xargs,parallel,snakemake,escadrille,xargs-bwrap,escadrille-sandboxed"),
                    Boolean.parseBoolean(options.getOrDefault("profile", "true")), integer(options, "timeout-minutes", 20),
                    Double.parseDouble(options.getOrDefault("max-background", "0.3")),
                    60 * Double.parseDouble(options.getOrDefault("max-wait-minutes", "10")),
                    options.getOrDefault("pilot-jvm-options", DispatchBench.PILOT_JVM),
                    root.resolve("results").resolve("dispatch"), integer(options, "carmin-pollers", 0))).run();
            case "load" -> new LoadBench(new LoadBench.Settings(integer(options, "clients", 200), integer(options, "seconds", 60),
                    integer(options, "users", 20), Double.parseDouble(options.getOrDefault("launch-share", "0.05")),
                    integer(options, "think-ms", 1000), integer(options, "drain-seconds", 60),
                    root.resolve("results").resolve("load"))).run();
            case "slurm" -> new SlurmBurstBench(new SlurmBurstBench.Settings(integer(options, "runs", 3),
                    integer(options, "array-runs", 2), integer(options, "tasks", 300),
                    Double.parseDouble(options.getOrDefault("task-seconds", "0.1")), integer(options, "slots-per-pilot",
                    Runtime.getRuntime().availableProcessors()), integer(options, "pilots", 1),
                    options.getOrDefault("partition", "debug"), root.resolve("results").resolve("slurm"))).run();
            case "jfr" -> {
                for (String file : Arrays.copyOfRange(args, 1, args.length)) {
                    System.out.println(JfrProfile.analyse(Path.of(file)).format(file, 15));
                }
            }
            default -> {
                System.err.println("bench: unknown benchmark " + args[0]);
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    static Map<String, String> options(String[] args) {
        var options = new HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, got " + arg);
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                options.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return options;
    }

    /** A count written either way people write them: 40000000000 or 4e10. */
    static long events(String text) {
        return text.matches("[0-9.]+[eE][0-9]+") ? (long) Double.parseDouble(text) : Long.parseLong(text);
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private static List<String> list(Map<String, String> options, String name, String fallback) {
        return List.of(options.getOrDefault(name, fallback).split(","));
    }
}
