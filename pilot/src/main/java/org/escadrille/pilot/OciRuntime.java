package org.escadrille.pilot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.ImageReferences;

/** Docker or Podman, whose {@code run} commands take the same options. */
record OciRuntime(String name, String executable) implements ContainerRuntime {

    @Override
    public List<String> command(String image, Path workDir, Map<String, String> environment, List<String> command,
                                String containerName, boolean network) {
        var args = new ArrayList<>(List.of(executable, "run", "--rm", "--init", "--name", containerName,
                "-v", workDir + ":" + workDir, "-w", workDir.toString()));
        if (!network) {
            args.add("--network=none");
        }
        if (name.equals("docker")) {
            // Files the task writes must stay deletable by the pilot: run as the owner of the working directory.
            args.add("--user");
            args.add(owner(workDir));
        }
        return withImageAndCommand(args, environment, image, command);
    }

    /** The reference itself; {@code docker://} (Apptainer's way of naming a registry image) is dropped. */
    @Override
    public String imageArgument(String image) {
        String reference = image != null && image.startsWith("docker://") ? image.substring("docker://".length()) : image;
        if (!ImageReferences.isOci(reference)) {
            throw new IllegalArgumentException(ImageReferences.explain(image));
        }
        return reference;
    }

    @Override
    public boolean proxiesSignals() {
        return true;
    }

    @Override
    public List<String> forceKillCommand(String containerName) {
        return List.of(executable, "kill", containerName);
    }

    private static String owner(Path dir) {
        try {
            return Files.getAttribute(dir, "unix:uid") + ":" + Files.getAttribute(dir, "unix:gid");
        } catch (Exception e) {
            return "0:0";
        }
    }
}
