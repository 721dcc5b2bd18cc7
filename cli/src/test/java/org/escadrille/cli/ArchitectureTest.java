package org.escadrille.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.escadrille.cli");

    @Test
    void onlyTheEmbeddedPackageTouchesTheServer() {
        noClasses().that().resideOutsideOfPackage("org.escadrille.cli.embedded..")
                .should().dependOnClassesThat().resideInAnyPackage("org.escadrille.server..", "org.springframework..")
                .because("the client commands talk to a gateway through its REST API only, so they work against"
                        + " any server; only serve and the embedded mode start one in-process")
                .check(classes);
    }

    @Test
    void theClientLibrariesDoNotDependOnTheCommands() {
        noClasses().that().resideInAnyPackage("org.escadrille.cli.api..", "org.escadrille.cli.launch..",
                        "org.escadrille.cli.transfer..", "org.escadrille.cli.terminal..")
                .should().dependOnClassesThat().resideInAPackage("org.escadrille.cli")
                .check(classes);
    }
}
