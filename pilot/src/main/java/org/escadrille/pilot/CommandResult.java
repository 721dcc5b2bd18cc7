package org.escadrille.pilot;

/**
 * How a command ended and what it used.
 *
 * @param exitCode    the command's exit status; above 128 it was killed by signal {@code exitCode - 128}
 * @param timedOut    the time limit was reached and the pilot killed the process tree
 * @param stopped     a stop was delivered to the tool (SIGTERM or its stop file)
 * @param killed      the pilot killed the process tree on request (cancel, abandon, shutdown)
 * @param cpuSeconds  user + system CPU of the whole process tree
 * @param peakRssKb   the largest resident memory of the tree, sampled (a short spike between samples
 *                    is seen only through the kernel's per-process high-water mark)
 */
record CommandResult(
        int exitCode,
        boolean timedOut,
        boolean stopped,
        boolean killed,
        long startedAtMs,
        long endedAtMs,
        double wallSeconds,
        double cpuSeconds,
        long peakRssKb) {

    /** The name of the signal that ended the command, or null when it exited by itself. */
    String signalName() {
        if (exitCode <= 128 || exitCode > 128 + 64) {
            return null;
        }
        return switch (exitCode - 128) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            case 24 -> "SIGXCPU";
            case 25 -> "SIGXFSZ";
            default -> "signal " + (exitCode - 128);
        };
    }
}
