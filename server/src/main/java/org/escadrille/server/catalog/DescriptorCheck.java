package org.escadrille.server.catalog;

import java.util.List;
import org.escadrille.boutiques.ContainerImage;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.InvalidDescriptorException;
import org.escadrille.protocol.ImageReferences;
import org.escadrille.server.InvalidRequestException;
import org.springframework.stereotype.Component;

/**
 * Validates a descriptor for publication with the {@code boutiques} library (the schema and bosh's
 * rules, every problem at once) and our own extensions (the Monte-Carlo section, the pilot tags and the
 * network grant of {@code custom}), checks that its container image is an image reference (never options
 * for the runtime), and gives its identity: name, version, canonical JSON, digest.
 */
@Component
class DescriptorCheck {
    private final DescriptorLimits limits;
    private final List<DescriptorSection> sections;

    DescriptorCheck(DescriptorLimits limits, List<DescriptorSection> sections) {
        this.limits = limits;
        this.sections = List.copyOf(sections);
    }

    record Checked(Descriptor descriptor, String name, String version, String canonicalJson, String digest) {
    }

    Checked check(String descriptorJson) {
        limits.checkSize(descriptorJson);
        try {
            Descriptor descriptor = Descriptor.parse(descriptorJson);
            limits.checkFields(descriptorJson);
            for (DescriptorSection section : sections) {
                var problems = section.problems(descriptor);
                if (!problems.isEmpty()) {
                    throw new InvalidRequestException("Invalid descriptor", problems.size() + " problem(s) in the "
                            + section.name() + " section: " + problems.getFirst().field() + " "
                            + problems.getFirst().message(), problems);
                }
            }
            var tags = PilotTagsSpec.parse(descriptor);
            if (!tags.problems().isEmpty()) {
                var problems = tags.problems();
                throw new InvalidRequestException("Invalid descriptor", problems.getFirst().field() + " "
                        + problems.getFirst().message(), problems);
            }
            var image = descriptor.containerImage();
            if (image != null && image.image() != null && !acceptedImage(image)) {
                String message = ImageReferences.explain(image.image());
                throw new InvalidRequestException("Invalid descriptor", "container-image.image " + message,
                        List.of(new InvalidRequestException.FieldProblem("container-image.image", message)));
            }
            var network = NetworkSpec.parse(descriptor);
            if (!network.problems().isEmpty()) {
                var problems = network.problems();
                throw new InvalidRequestException("Invalid descriptor", problems.getFirst().field() + " "
                        + problems.getFirst().message(), problems);
            }
            var cache = CacheSpec.parse(descriptor);
            if (!cache.problems().isEmpty()) {
                var problems = cache.problems();
                throw new InvalidRequestException("Invalid descriptor", problems.getFirst().field() + " "
                        + problems.getFirst().message(), problems);
            }
            return new Checked(descriptor, descriptor.name(), descriptor.toolVersion(), descriptor.canonicalJson(),
                    descriptor.sha256());
        } catch (InvalidDescriptorException e) {
            var problems = e.problems().stream()
                    .map(p -> new InvalidRequestException.FieldProblem(p.location().isEmpty() ? "descriptor" : p.location(),
                            p.message()))
                    .toList();
            throw new InvalidRequestException("Invalid descriptor", problems.size() + " problem(s) in the descriptor: "
                    + problems.getFirst().field() + ": " + problems.getFirst().message(), problems);
        }
    }

    /** A pilot refuses an image its runtime cannot take as one: better said to the author at publication. */
    private static boolean acceptedImage(ContainerImage image) {
        return "singularity".equals(image.type()) ? ImageReferences.isApptainer(image.image())
                : ImageReferences.isOci(image.image());
    }
}
