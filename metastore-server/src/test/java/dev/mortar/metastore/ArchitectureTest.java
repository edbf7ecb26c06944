package dev.mortar.metastore;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of docs/ARCHITECTURE.md, checked on the compiled main classes of every module (this module's
 * test classpath holds them all). Dependencies point one way: {@code thrift-idl} and {@code catalog-client} use
 * nothing of ours, the crawler only those two, the gateway only the catalog client, jobs ({@code etl-runner}) only
 * {@code thrift-idl} and the catalog client, and nothing outside this server uses it. Inside the server, the control plane and the catalog store use no protocol package.
 * A rule over a package that does not exist yet passes (nothing violates it).
 */
class ArchitectureTest {
    private static final String[] SERVER_PROTOCOLS = {
            "dev.mortar.metastore.glue..", "dev.mortar.metastore.hms..", "dev.mortar.metastore.thrift..",
            "dev.mortar.metastore.worker..", "dev.mortar.metastore.server.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.mortar");
    }

    /** Ours ({@code dev.mortar..}) but none of {@code allowed}. */
    private static DescribedPredicate<JavaClass> oursExcept(String... allowed) {
        return resideInAPackage("dev.mortar..").and(DescribedPredicate.not(resideInAnyPackage(allowed)));
    }

    @Test
    void everyModuleIsChecked() {
        assertThat(classes.contain("dev.mortar.thrift.worker.CrawlTaskService")).isTrue();
        assertThat(classes.contain("dev.mortar.catalog.CatalogWriter")).isTrue();
        assertThat(classes.contain("dev.mortar.crawler.Crawler")).isTrue();
        assertThat(classes.contain("dev.mortar.gateway.QueryGateway")).isTrue();
        assertThat(classes.contain("dev.mortar.etl.SqlJobRunner")).isTrue();
        assertThat(classes.contain("dev.mortar.scheduler.engine.SchedulerLoop")).isTrue();
        assertThat(classes.contain("dev.mortar.metastore.server.MortarServer")).isTrue();
        assertThat(classes.contain("dev.mortar.testing.ServerProcesses")).isTrue();
    }

    @Test
    void theSchedulerUsesNothingOfOursAndOnlyTheControlPlaneDrivesItsEngine() {
        noClasses().that().resideInAPackage("dev.mortar.scheduler..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.scheduler.."))
                .because("the scheduler is a model and an engine with no I/O; the control plane implements its interfaces")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.mortar.metastore.glue..", "dev.mortar.metastore.hms..", "dev.mortar.metastore.thrift..",
                        "dev.mortar.metastore.worker..", "dev.mortar.metastore.cli..")
                .should().dependOnClassesThat(resideInAnyPackage("dev.mortar.scheduler.engine.."))
                .because("protocols map triggers and workflows (the scheduler's model) to their wire; only the control plane runs the engine")
                .check(classes);
    }

    @Test
    void theTestSupportUsesNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.mortar.testing..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.testing.."))
                .because("test-support serves every module's tests, so it starts servers by their command line, not their classes")
                .check(classes);
    }

    @Test
    void theWireContractsUseNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.mortar.thrift..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.thrift.."))
                .because("thrift-idl holds wire contracts only")
                .check(classes);
    }

    @Test
    void theCatalogClientUsesNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.mortar.catalog..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.catalog.."))
                .because("catalog-client is the catalog as every client sees it, over its APIs only")
                .check(classes);
    }

    @Test
    void crawlersUseOnlyTheWireContractsAndTheCatalogClient() {
        noClasses().that().resideInAPackage("dev.mortar.crawler..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.crawler..", "dev.mortar.thrift..", "dev.mortar.catalog.."))
                .because("a crawl runs the same in the server and in a worker process on another machine")
                .check(classes);
    }

    @Test
    void theGatewayUsesOnlyTheCatalogClient() {
        noClasses().that().resideInAPackage("dev.mortar.gateway..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.gateway..", "dev.mortar.catalog.."))
                .because("the gateway reads the catalog as a client of its HMS API, in-process or not")
                .check(classes);
    }

    @Test
    void jobsUseOnlyTheWireContractsAndTheCatalogClient() {
        noClasses().that().resideInAPackage("dev.mortar.etl..")
                .should().dependOnClassesThat(oursExcept("dev.mortar.etl..", "dev.mortar.thrift..", "dev.mortar.catalog.."))
                .because("a job reads and commits through the catalog's HMS API, so it runs the same in the server and in a worker process")
                .check(classes);
    }

    @Test
    void nothingOutsideTheServerUsesIt() {
        noClasses().that().resideOutsideOfPackage("dev.mortar.metastore..")
                .should().dependOnClassesThat().resideInAPackage("dev.mortar.metastore..")
                .because("metastore-server assembles the modules; none of them depends on it")
                .check(classes);
    }

    @Test
    void theControlPlaneUsesNoProtocol() {
        // nor any wire format: the worker protocol's structs, Thrift, the HMS API's types, HTTP
        String[] forbidden = java.util.stream.Stream.concat(java.util.Arrays.stream(SERVER_PROTOCOLS), java.util.stream.Stream.of("dev.mortar.thrift..",
                "org.apache.thrift..", "org.apache.hadoop.hive.metastore.api..", "com.sun.net.httpserver..")).toArray(String[]::new);
        ArchRule rule = noClasses().that().resideInAPackage("dev.mortar.metastore.control..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("the protocols (Glue JSON, HMS, the Thrift and worker ports) and the server's assembly call the control plane, never the reverse");
        rule.check(classes);
    }

    @Test
    void theCatalogStoreUsesNoProtocolAndNoControlPlane() {
        String[] forbidden = java.util.stream.Stream.concat(java.util.Arrays.stream(SERVER_PROTOCOLS), java.util.stream.Stream.of("dev.mortar.metastore.control.."))
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("dev.mortar.metastore.store..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("the catalog store is below every protocol and below the control plane")
                .check(classes);
    }

    /**
     * The Glue API maps JSON to the catalog's and the control plane's records; what it keeps of its own (table
     * versions, partition indexes, extras) is stored by {@code store.CatalogExtras}. It holds a store transaction (a
     * {@link java.sql.Connection} handed to it by the store, as the HMS handlers do) and passes it on, but runs no
     * SQL: it calls nothing of {@code java.sql}, uses no other JDBC type, and none of the store's SQL helpers.
     */
    @Test
    void theGlueApiRunsNoSql() {
        DescribedPredicate<JavaClass> jdbc = resideInAPackage("java.sql..")
                .and(DescribedPredicate.not(JavaClass.Predicates.type(java.sql.Connection.class)))
                .and(DescribedPredicate.not(JavaClass.Predicates.type(java.sql.SQLException.class)));
        noClasses().that().resideInAPackage("dev.mortar.metastore.glue..")
                .should().dependOnClassesThat(jdbc)
                .orShould().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(resideInAPackage("java.sql.."))))
                .because("Glue's SQL lives in store (CatalogExtras, CatalogStore), below every protocol")
                .check(classes);

        DescribedPredicate<JavaMethodCall> storeStatements = DescribedPredicate.describe("the store's statement helpers (CatalogStore.prepare, query, queryOne, update)",
                call -> call.getTargetOwner().isEquivalentTo(dev.mortar.metastore.store.CatalogStore.class)
                        && java.util.Set.of("prepare", "query", "queryOne", "update", "execute").contains(call.getName()));
        DescribedPredicate<JavaClass> storeSqlTypes = JavaClass.Predicates.type(dev.mortar.metastore.store.Dialect.class)
                .or(JavaClass.Predicates.type(dev.mortar.metastore.store.CatalogStore.RowMapper.class))
                .or(JavaClass.Predicates.type(dev.mortar.metastore.store.CatalogStore.Write.class));
        noClasses().that().resideInAPackage("dev.mortar.metastore.glue..")
                .should().callMethodWhere(storeStatements)
                .orShould().dependOnClassesThat(storeSqlTypes)
                .because("Glue's SQL lives in store (CatalogExtras, CatalogStore), below every protocol")
                .check(classes);

        // GetPartitions (PartitionOperations) has the store render its parsed Expression (PartitionFilterSql, which also
        // checks it against the keys) and hands the rendered Sql on to the store; no other class here touches either.
        DescribedPredicate<JavaClass> renderedSql = JavaClass.Predicates.type(dev.mortar.metastore.store.Sql.class)
                .or(JavaClass.Predicates.type(dev.mortar.metastore.store.PartitionFilterSql.class));
        noClasses().that().resideInAPackage("dev.mortar.metastore.glue..")
                .and().doNotHaveSimpleName("PartitionOperations")
                .should().dependOnClassesThat(renderedSql)
                .because("Glue's SQL lives in store, below every protocol")
                .check(classes);
    }
}
