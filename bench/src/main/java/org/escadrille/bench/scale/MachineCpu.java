package org.escadrille.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.escadrille.bench.CpuMeter;
import org.escadrille.bench.CpuMeter.CpuTicks;

/**
 * The machine's CPU time at one instant: each CPU's ticks, and the CPU time of the database's processes
 * (every process named {@code postgres}). Two readings around a window say how busy each CPU was in it, and
 * how much of the machine PostgreSQL took, which neither the server's nor the generator's own CPU time shows.
 */
record MachineCpu(List<CpuTicks> cpus, double databaseSeconds) {

    static MachineCpu now() {
        return new MachineCpu(CpuMeter.perCpu(), CpuMeter.processesNamedSeconds("postgres"));
    }

    /**
     * "cpu0 0.98, cpu1 0.71 busy; database 0.42 cores" between {@code before} and this reading, {@code seconds} apart.
     * The database's share counts the processes alive at both readings (PostgreSQL's pooled connections are).
     */
    String since(MachineCpu before, double seconds) {
        var busy = new ArrayList<String>();
        for (int i = 0; i < cpus.size() && i < before.cpus.size(); i++) {
            CpuTicks from = before.cpus.get(i);
            CpuTicks to = cpus.get(i);
            busy.add(String.format(Locale.ROOT, "cpu%d %.2f", i, (to.busy() - from.busy()) / (double) Math.max(1, to.total() - from.total())));
        }
        return String.join(", ", busy) + String.format(Locale.ROOT, " busy; database %.2f cores",
                Math.max(0, databaseSeconds - before.databaseSeconds) / seconds);
    }
}
