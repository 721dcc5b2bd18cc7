package org.escadrille.server.provenance;

import java.util.Map;

/**
 * The profile URIs and the JSON-LD terms a crate uses beyond RO-Crate 1.1's context. The Workflow Run
 * terms are those of https://w3id.org/ro/terms/workflow-run/context, added term by term because the
 * library would fetch a context given by its URL; Escadrille's own terms (what a gateway knows of a
 * task that no vocabulary names: its seed, its attempts' sites, their energy) live under one namespace.
 */
final class CrateTerms {
    static final String PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5";
    static final String METADATA = "ro-crate-metadata.json";
    static final String DESCRIPTOR = "descriptor.json";
    static final String INVOCATION = "invocation.json";
    static final String APPLICATION = "#application";
    static final String ESCADRILLE = "#escadrille";
    static final String CONTAINER = "#container-image";
    static final String WFRUN = "https://w3id.org/ro/terms/workflow-run#";
    static final String OURS = "https://w3id.org/escadrille/terms#";

    /** Every term added to the crate's context, with its IRI. */
    static final Map<String, String> CONTEXT = Map.ofEntries(
            Map.entry("sha256", WFRUN + "sha256"),
            Map.entry("ContainerImage", WFRUN + "ContainerImage"),
            Map.entry("containerImage", WFRUN + "containerImage"),
            Map.entry("registry", WFRUN + "registry"),
            Map.entry("tag", WFRUN + "tag"),
            Map.entry("commandLine", OURS + "commandLine"),
            Map.entry("taskIndex", OURS + "taskIndex"),
            Map.entry("seed", OURS + "seed"),
            Map.entry("events", OURS + "events"),
            Map.entry("attempt", OURS + "attempt"),
            Map.entry("host", OURS + "host"),
            Map.entry("site", OURS + "site"),
            Map.entry("pilot", OURS + "pilot"),
            Map.entry("exitCode", OURS + "exitCode"),
            Map.entry("cpuSeconds", OURS + "cpuSeconds"),
            Map.entry("wallSeconds", OURS + "wallSeconds"),
            Map.entry("peakMemoryBytes", OURS + "peakMemoryBytes"),
            Map.entry("energyWh", OURS + "energyWh"),
            Map.entry("carbonGrams", OURS + "carbonGrams"),
            Map.entry("wasted", OURS + "wasted"),
            Map.entry("wastedShare", OURS + "wastedShare"),
            Map.entry("userPath", OURS + "userPath"),
            Map.entry("embedded", OURS + "embedded"),
            Map.entry("changedAfterLaunch", OURS + "changedAfterLaunch"),
            Map.entry("iterate", OURS + "iterate"),
            Map.entry("split", OURS + "split"),
            Map.entry("totalEvents", OURS + "totalEvents"));

    private CrateTerms() {
    }
}
