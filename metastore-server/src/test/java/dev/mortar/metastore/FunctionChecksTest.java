package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Catalog;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.FunctionType;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Functions' input checks, alters across databases and listings, as the Hive Metastore has them. */
class FunctionChecksTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.createDatabase(Fixtures.database("fn_a"));
        client.createDatabase(Fixtures.database("fn_b"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static Function function(String db, String name) {
        return new Function(name, db, "com.example.Udf", "tester", PrincipalType.USER, 0, FunctionType.JAVA, List.of());
    }

    private static Function with(Function f, Consumer<Function> change) {
        Function copy = f.deepCopy();
        change.accept(copy);
        return copy;
    }

    @Test
    void badFunctionsAreRejectedAsTheHiveMetastoreRejectsThem() throws Exception {
        Function good = function("fn_a", "checked");
        assertThatThrownBy(() -> client.createFunction(with(good, f -> f.setFunctionName(null)))).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.createFunction(with(good, f -> f.setDbName(null)))).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.createFunction(with(good, f -> f.setOwnerType(null)))).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.createFunction(with(good, f -> f.setFunctionType(null)))).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.createFunction(with(good, f -> f.setClassName(null)))).isInstanceOf(InvalidObjectException.class);
        assertThatThrownBy(() -> client.createFunction(with(good, f -> f.setFunctionName("bad;name")))).isInstanceOf(InvalidObjectException.class);
        assertThat(client.getFunctions("fn_a", "*")).isEmpty();

        client.createFunction(with(good, f -> f.unsetResourceUris()));
        assertThat(client.getFunction("fn_a", "checked").getResourceUris()).as("no resources is an empty list").isEmpty();
        assertThatThrownBy(() -> client.getFunction(null, "checked")).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.getFunction("fn_a", null)).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.dropFunction(null, "checked")).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.dropFunction("fn_a", null)).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.getFunctions(null, "*")).isInstanceOf(MetaException.class);
        assertThat(client.getFunction("fn_a", "checked").getClassName()).isEqualTo("com.example.Udf");
        client.dropFunction("fn_a", "checked");
    }

    @Test
    void altersFailAsMetaExceptionsAndChangeNothing() throws Exception {
        client.createFunction(function("fn_a", "one"));
        client.createFunction(function("fn_a", "two"));
        Function renamed = function("fn_a", "three");
        for (Function bad : List.of(with(renamed, f -> f.setFunctionName(null)), with(renamed, f -> f.setFunctionName("")),
                with(renamed, f -> f.setFunctionName("x;y")), with(renamed, f -> f.setClassName(null)), with(renamed, f -> f.setDbName(null)),
                with(renamed, f -> f.setDbName("no_such_db")), with(renamed, f -> f.setOwnerType(null)), with(renamed, f -> f.setFunctionType(null)),
                function("fn_a", "two"))) {
            assertThatThrownBy(() -> client.alterFunction("fn_a", "one", bad)).as("%s", bad).isInstanceOf(MetaException.class);
        }
        assertThatThrownBy(() -> client.alterFunction("fn_a", "no_such_function", renamed)).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.alterFunction("no_such_db", "one", renamed)).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.alterFunction("fn_a", "one", null)).isInstanceOf(MetaException.class);
        assertThat(client.getFunctions("fn_a", "*")).containsExactly("one", "two");

        Function moved = with(function("fn_b", "Moved"), f -> f.setClassName("com.example.Moved"));
        client.alterFunction("FN_A", "ONE", moved);
        assertThat(client.getFunctions("fn_a", "*")).containsExactly("two");
        Function got = client.getFunction("fn_b", "moved");
        assertThat(got.getDbName()).isEqualTo("fn_b");
        assertThat(got.getClassName()).isEqualTo("com.example.Moved");
        assertThatThrownBy(() -> client.getFunction("fn_a", "one")).isInstanceOf(NoSuchObjectException.class);
        client.dropFunction("fn_b", "moved");
        client.dropFunction("fn_a", "two");
    }

    @Test
    void allFunctionsAreTheDefaultCatalogs() throws Exception {
        client.createCatalog(new Catalog("fn_catalog", server.dataDir.resolve("fn_catalog").toUri().toString()));
        Database db = Fixtures.database("fn_other");
        db.setCatalogName("fn_catalog");
        client.createDatabase(db);
        Function elsewhere = function("fn_other", "elsewhere");
        elsewhere.setCatName("fn_catalog");
        client.createFunction(elsewhere);
        client.createFunction(function("fn_b", "here"));

        assertThat(client.getAllFunctions().getFunctions()).extracting(Function::getFunctionName).containsExactly("here");
        assertThat(client.getFunctions("fn_catalog", "fn_other", "*")).containsExactly("elsewhere");
        client.dropFunction("fn_catalog", "fn_other", "elsewhere");
        client.dropFunction("fn_b", "here");
    }
}
