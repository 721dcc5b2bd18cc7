package org.escadrille.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

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
        noClasses().that().resideInAnyPackage(pkg("execution"), pkg("montecarlo"), pkg("scheduling"), pkg("catalog"), pkg("site"),
                        pkg("storage"), pkg("backend"), pkg("account"), pkg("group"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("portal"), pkg("carmin"))
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
    void theFootprintReadsOnlyAttemptsAndAsksSitesThroughAnInterface() {
        // site implements SiteFactors; execution, the API and the portal show footprints.
        noClasses().that().resideInAPackage(pkg("footprint"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("execution"), pkg("site"), pkg("montecarlo"),
                        pkg("catalog"), pkg("backend"), pkg("api"), pkg("portal"))
                .check(classes);
    }

    @Test
    void provenanceReadsTheEngineAndIsReadOnlyByItsInterfaces() {
        // it exports what execution, scheduling and footprint recorded, and launches replays through execution
        noClasses().that().resideInAPackage(pkg("provenance"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("portal"), pkg("carmin"), pkg("site"),
                        pkg("backend"))
                .check(classes);
        noClasses().that().resideInAnyPackage(pkg("execution"), pkg("montecarlo"), pkg("scheduling"), pkg("catalog"),
                        pkg("storage"), pkg("account"), pkg("footprint"))
                .should().dependOnClassesThat().resideInAPackage(pkg("provenance"))
                .check(classes);
        // Jackson 2 comes only with ro-crate-java; the rest of the server speaks Jackson 3
        noClasses().that().resideOutsideOfPackage(pkg("provenance"))
                .should().dependOnClassesThat().resideInAnyPackage("edu.kit.datamanager..", "com.fasterxml.jackson.databind..",
                        "com.fasterxml.jackson.core..")
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
    void groupsAreAFoundationThatAccountsDoNotKnow() {
        // Features ask which groups a user is in through account's GroupMembership, which group implements.
        noClasses().that().resideInAPackage(pkg("group"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("storage"), pkg("catalog"), pkg("execution"),
                        pkg("montecarlo"), pkg("scheduling"), pkg("backend"), pkg("site"), pkg("footprint"))
                .check(classes);
        noClasses().that().resideInAnyPackage(pkg("account"), pkg("storage"), pkg("catalog"))
                .should().dependOnClassesThat().resideInAPackage(pkg("group"))
                .check(classes);
    }

    @Test
    void theCatalogueDoesNotKnowMonteCarlo() {
        // The catalogue checks the Monte-Carlo section at publication through DescriptorSection,
        // which montecarlo implements.
        noClasses().that().resideInAPackage(pkg("catalog"))
                .should().dependOnClassesThat().resideInAPackage(pkg("montecarlo"))
                .check(classes);
    }

    @Test
    void theRestApiAndThePortalAreTwoFacesOfTheSameEngine() {
        noClasses().that().resideInAPackage(pkg("api"))
                .should().dependOnClassesThat().resideInAPackage(pkg("portal"))
                .check(classes);
        noClasses().that().resideInAPackage(pkg("portal"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("carmin"))
                .check(classes);
        // CARMIN is a third face: it translates to the same services, never through the native API
        noClasses().that().resideInAPackage(pkg("carmin"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("portal"))
                .check(classes);
        noClasses().that().resideInAPackage(pkg("api"))
                .should().dependOnClassesThat().resideInAPackage(pkg("carmin"))
                .check(classes);
    }

    @Test
    void theReportAndTheChartsKnowNeitherFace() {
        // The API and the portal both serve the report and draw the charts: neither may be needed by them.
        noClasses().that().resideInAnyPackage(pkg("report"), pkg("chart"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("portal"), pkg("carmin"))
                .check(classes);
        noClasses().that().resideInAPackage(pkg("chart"))
                .should().dependOnClassesThat().resideInAPackage(pkg("report"))
                .check(classes);
    }

    @Test
    void onlyTheSitesStartPilots() {
        noClasses().that().resideOutsideOfPackages(pkg("site"), pkg("backend"))
                .should().dependOnClassesThat().resideInAPackage(pkg("backend"))
                .check(classes);
    }

    @Test
    void schedulingDoesNotKnowTheSitesThatFeedItPilots() {
        // The site package asks scheduling for pilots and queued work; scheduling asks back only through
        // PilotDrain, which the factory implements.
        noClasses().that().resideInAnyPackage(pkg("scheduling"), pkg("backend"), pkg("execution"), pkg("account"),
                        pkg("storage"), pkg("catalog"))
                .should().dependOnClassesThat().resideInAPackage(pkg("site"))
                .check(classes);
    }

    @Test
    void httpEndpointsAreInTheApiThePortalAndThePilotProtocol() {
        classes().that().areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
                .should().resideInAnyPackage(pkg("api"), pkg("carmin"), pkg("portal"), pkg("scheduling"))
                .check(classes);
    }

    @Test
    void sqlStaysInTheFeatureThatOwnsTheTables() {
        noClasses().that().resideInAnyPackage(pkg("api"), pkg("carmin"), pkg("portal"), pkg("backend"))
                .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
                .check(classes);
    }

    @Test
    void sqlIsWrittenOnlyInTheRepositoriesOfTheTablesOwners() {
        // TableOwnershipTest checks which tables each of these names.
        noClasses().that().resideInAPackage(ROOT + "..").and().areNotAnnotatedWith(Repository.class)
                .and().doNotHaveSimpleName("AuditLog").and().doNotHaveSimpleName("PilotRegistry")
                .and().doNotHaveSimpleName("PilotTokens")
                .should().dependOnClassesThat().areAssignableTo(JdbcClient.class)
                .orShould().dependOnClassesThat().areAssignableTo(JdbcTemplate.class)
                .check(classes);
    }

    @Test
    void theInterfacesAskTheFeaturesForTheirNumbersRatherThanReadTheirMetrics() {
        noClasses().that().resideInAnyPackage(pkg("api"), pkg("carmin"), pkg("portal"))
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(classes);
    }

    @Test
    void theRootPackageIsSharedByEveryFeatureAndUsesNone() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat().resideInAnyPackage(pkg("account"), pkg("audit"), pkg("storage"),
                        pkg("catalog"), pkg("execution"), pkg("montecarlo"), pkg("scheduling"), pkg("backend"),
                        pkg("site"), pkg("footprint"), pkg("api"), pkg("carmin"), pkg("portal"), pkg("group"))
                .check(classes);
    }

    @Test
    void theAuditLogUsesNoFeatureSoThatEveryFeatureMayRecordIntoIt() {
        noClasses().that().resideInAPackage(pkg("audit"))
                .should().dependOnClassesThat().resideInAnyPackage(pkg("account"), pkg("storage"), pkg("catalog"),
                        pkg("execution"), pkg("montecarlo"), pkg("scheduling"), pkg("backend"), pkg("site"), pkg("api"),
                        pkg("carmin"), pkg("portal"), pkg("group"))
                .check(classes);
    }

    @Test
    void onlyTheRemoteTransportSpeaksSsh() {
        noClasses().that().resideOutsideOfPackage(pkg("backend.remote"))
                .should().dependOnClassesThat().resideInAPackage("org.apache.sshd..")
                .check(classes);
    }

    /**
     * The two classes that may read the wall clock themselves (docs/architecture.md says why): every
     * other class takes the Clock bean (TimeConfiguration), so that its rules about time have unit tests.
     */
    private static final Set<String> STILL_CALLING_CURRENT_TIME_MILLIS = Set.of(
            ROOT + ".Ids", // time-ordered ids, made everywhere, also before any Spring context
            ROOT + ".backend.LocalBackend"); // a real deadline for real processes to exit

    @Test
    void timeIsReadFromTheInjectedClock() {
        var allowed = DescribedPredicate.describe("allowed to read the wall clock",
                (JavaClass c) -> STILL_CALLING_CURRENT_TIME_MILLIS.contains(c.getName().replaceFirst("\\$.*", "")));
        noClasses().that().resideInAPackage(ROOT + "..").and(DescribedPredicate.not(allowed))
                .should().callMethod(System.class, "currentTimeMillis")
                .because("a rule about time gets a unit test only if its class takes the Clock bean")
                .check(classes);
    }
}
