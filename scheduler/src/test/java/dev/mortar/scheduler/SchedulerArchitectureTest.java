package dev.mortar.scheduler;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The module's promises in docs/ARCHITECTURE.md: nothing of ours, no I/O of its own, time only from the injected clock. */
class SchedulerArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.mortar.scheduler");
    }

    @Test
    void theMainClassesAreImported() {
        assertThat(classes.contain("dev.mortar.scheduler.engine.SchedulerLoop")).isTrue();
        assertThat(classes.contain("dev.mortar.scheduler.cron.GlueSchedule")).isTrue();
    }

    @Test
    void usesNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.mortar.scheduler..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("ours outside the scheduler",
                        c -> c.getPackageName().startsWith("dev.mortar.") && !c.getPackageName().startsWith("dev.mortar.scheduler")))
                .because("the scheduler depends on nothing of ours; the control plane implements its interfaces")
                .check(classes);
    }

    @Test
    void hasNoIoOfItsOwn() {
        noClasses().that().resideInAPackage("dev.mortar.scheduler..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net..", "java.nio.file..", "java.nio.channels..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().callMethod(Thread.class, "sleep", Duration.class)
                .orShould().callConstructor(Thread.class, Runnable.class)
                .orShould().callMethod(Thread.class, "ofVirtual")
                .orShould().callMethod(Thread.class, "ofPlatform")
                .because("the store, the launcher and the lease are the control plane's; the server runs the loop and it waits through its Sleeper")
                .check(classes);
    }

    @Test
    void takesTheTimeOnlyFromTheInjectedClock() {
        noClasses().that().resideInAPackage("dev.mortar.scheduler..")
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .orShould().callMethod(LocalDate.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .because("every decision is made at the time the injected clock gives, so tests run a year in milliseconds")
                .check(classes);
    }
}
