package org.escadrille.server.execution;

/**
 * What a launch would do, planned but not submitted: how many tasks at first, and the first task's
 * label and command line (as the pilot would run it, with File inputs named as staged in its working
 * directory). For a Monte-Carlo run, {@code events} is its total and {@code split} how it is divided
 * (the command line is then the unsplit run's: each task runs its share with a seed of its own).
 */
public record LaunchPreview(int taskCount, String firstLabel, String firstCommandLine, Long events, String split) {

    public boolean isMonteCarlo() {
        return events != null;
    }
}
