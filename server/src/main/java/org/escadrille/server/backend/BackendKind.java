package org.escadrille.server.backend;

import java.util.Map;

/**
 * One engine that runs pilots, registered by its name as a Spring bean: the pilot factory opens one
 * {@link Backend} per site of that kind and never knows an engine itself (one class per engine,
 * registered by name, as Nextflow's executors are).
 */
public interface BackendKind {

    /** The kind's name, as sites spell it: {@code local}, {@code slurm}, {@code kubernetes}, {@code manual}. */
    String name();

    /** The settings this engine understands: name → what it means (for the CLI's help, the admin page and the docs). */
    Map<String, String> settings();

    /**
     * A backend for one site.
     *
     * @throws IllegalArgumentException naming the setting to fix (an unknown one, a bad value, a required one missing)
     */
    Backend open(SiteConfig site);
}
