package org.escadrille.pilot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.ImageReferences;

/** Apptainer (formerly Singularity), the usual runtime of HPC clusters; it runs without a daemon. */
record ApptainerRuntime(String executable) implements ContainerRuntime {

    @Override
    public String name() {
        return "apptainer";
    }

    @Override
    public List<String> command(String image, Path workDir, Map<String, String> environment, List<String> command,
                                String containerName, boolean network) {
        // --containall: apptainer would otherwise bind the pilot's home (often the data directory's
        // parent), /tmp and the current directory; and share the host's processes and IPC.
        var args = new ArrayList<>(List.of(executable, "exec", "--containall", "--cleanenv",
                "--bind", workDir + ":" + workDir, "--pwd", workDir.toString()));
        if (!network) {
            args.addAll(List.of("--net", "--network", "none"));
        }
        return withImageAndCommand(args, environment, image, command);
    }

    /** A plain image name is a registry image, as it is for docker. */
    @Override
    public String imageArgument(String image) {
        if (!ImageReferences.isApptainer(image)) {
            throw new IllegalArgumentException(ImageReferences.explain(image));
        }
        return image.contains("://") || image.endsWith(".sif") ? image : "docker://" + image;
    }

    @Override
    public boolean proxiesSignals() {
        return false;
    }

    @Override
    public List<String> forceKillCommand(String containerName) {
        return List.of();
    }
}
