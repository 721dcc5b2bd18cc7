package org.escadrille.server.montecarlo;

import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.escadrille.server.catalog.DescriptorSection;
import org.springframework.stereotype.Component;

/** The Monte-Carlo declaration ({@link MonteCarloSpec}), checked by the catalogue at publication. */
@Component
class MonteCarloSection implements DescriptorSection {

    @Override
    public String name() {
        return "Monte-Carlo";
    }

    @Override
    public List<FieldProblem> problems(Descriptor descriptor) {
        return MonteCarloSpec.parse(descriptor).problems();
    }
}
