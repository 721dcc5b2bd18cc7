package org.escadrille.server.backend.slurm;

import java.util.Map;
import java.util.Set;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.BackendKind;
import org.escadrille.server.backend.SiteConfig;
import org.escadrille.server.backend.remote.Commands;
import org.escadrille.server.backend.remote.LocalCommands;
import org.escadrille.server.backend.remote.SshCommands;
import org.springframework.stereotype.Component;

/**
 * The "slurm" kind of site: pilots as batch jobs, submitted on this machine (the server runs on a login
 * node) or over SSH to a login node when {@code ssh-host} is set. Settings in docs/sites-slurm.md.
 */
@Component("slurm")
public final class SlurmKind implements BackendKind {

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public Map<String, String> settings() {
        return SlurmSettings.DESCRIPTIONS;
    }

    /** The settings whose value is never shown back: {@code ssh-key}. */
    public Set<String> secretSettings() {
        return SlurmSettings.SECRET;
    }

    /** Validates the settings; connects to nothing until the backend is used ({@link Backend#check()}). */
    @Override
    public Backend open(SiteConfig site) {
        SlurmSettings settings = SlurmSettings.of(site);
        Commands commands = settings.ssh().<Commands>map(SshCommands::new).orElseGet(LocalCommands::new);
        return new SlurmBackend(settings, commands);
    }
}
