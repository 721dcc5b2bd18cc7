package org.escadrille.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency direction of DESIGN §2 inside the server: portal and APIs → execution →
 * scheduling → backend and storage; accounts and the catalogue below the engine; nothing points
 * back up.
 */
class ArchitectureTest {
    private static final String ROOT = "org.escadrille.server";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    private static String pkg(String feature) {
        return ROOT + "." + feature + "..";
    }

    @Test
    void theEngineDoesNotKnowItsInterfaces() {
        noClasses().that().resideInAnyPackage(pkg("execution"), pkg("montecarlo"), pkg("scheduling"), pkg("catalog"),
                        pkg("storage"), pkg("backend"), pkg("account"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("portal"))
                .check(classes);
    }

    @Test
    void schedulingDoesNotKnowExecutionsOrTheCatalogue() {
        noClasses().that().resideInAPackage(pkg("scheduling"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("execution"), pkg("catalog"))
                .check(classes);
    }

    @Test
    void monteCarloRunsDoNotKnowTheEngineAbove() {
        noClasses().that().resideInAPackage(pkg("montecarlo"))
                .should().dependOnClassesThat().resideInAPackage(pkg("execution"))
                .check(classes);
    }

    @Test
    void backendsKnowOnlyHowToStartPilots() {
        noClasses().that().resideInAPackage(pkg("backend"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("scheduling"), pkg("execution"), pkg("catalog"),
                        pkg("storage"), pkg("account"))
                .check(classes);
    }

    @Test
    void storageAndAccountsAreFoundations() {
        noClasses().that().resideInAnyPackage(pkg("storage"), pkg("account"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("scheduling"), pkg("execution"), pkg("catalog"),
                        pkg("backend"))
                .check(classes);
        noClasses().that().resideInAPackage(pkg("catalog"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("scheduling"), pkg("execution"), pkg("backend"))
                .check(classes);
    }

    @Test
    void theAuditLogUsesNoFeatureSoThatEveryFeatureMayRecordIntoIt() {
        noClasses().that().resideInAPackage(pkg("audit"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("account"), pkg("storage"), pkg("catalog"),
                        pkg("execution"), pkg("montecarlo"), pkg("scheduling"), pkg("backend"), pkg("api"), pkg("portal"))
                .check(classes);
    }
}
