package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.ForeignKeysRequest;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.PrimaryKeysRequest;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.SQLUniqueConstraint;
import org.apache.hadoop.hive.metastore.api.UniqueConstraintsRequest;
import org.apache.thrift.TApplicationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Constraints' bad input answered as the Hive Metastore answers it, and foreign keys when their parent's database is dropped. */
class ConstraintChecksTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.createDatabase(Fixtures.database("ck"));
        client.createTable(Fixtures.table("ck", "t"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static SQLPrimaryKey pk(String db, String table, String column, String name) {
        return new SQLPrimaryKey(db, table, column, 1, name, true, false, false);
    }

    @Test
    void badAddsAndDropsAreInternalErrorsOrMetaExceptionsAndChangeNothing() throws Exception {
        assertThatThrownBy(() -> client.addPrimaryKey(List.of(pk("ck", "nosuch", "id", "pk_x"))))
                .as("a missing table: Hive's undeclared InvalidObjectException").isInstanceOf(TApplicationException.class);
        assertThatThrownBy(() -> client.addPrimaryKey(List.of(pk("nosuch", "t", "id", "pk_x")))).isInstanceOf(TApplicationException.class);

        client.addPrimaryKey(List.of(pk("ck", "t", "id", "t_pk")));
        for (String name : List.of("t_pk2", "t_pk")) {
            assertThatThrownBy(() -> client.addPrimaryKey(List.of(pk("ck", "t", "name", name))))
                    .isInstanceOf(MetaException.class).hasMessageContaining("Primary key already exists for");
        }
        SQLUniqueConstraint uk = new SQLUniqueConstraint("hive", "ck", "t", "name", 1, "t_uk", true, false, false);
        client.addUniqueConstraint(List.of(uk));
        assertThatThrownBy(() -> client.addUniqueConstraint(List.of(uk))).as("a taken name").isInstanceOf(TApplicationException.class);

        assertThatThrownBy(() -> client.dropConstraint("ck", "t", "nosuch")).isInstanceOf(TApplicationException.class);
        assertThatThrownBy(() -> client.dropConstraint("ck", "nosuch", "t_pk")).isInstanceOf(TApplicationException.class);
        assertThatThrownBy(() -> client.dropConstraint("nosuch", "t", "t_pk")).isInstanceOf(TApplicationException.class);

        assertThat(client.getPrimaryKeys(new PrimaryKeysRequest("ck", "t"))).extracting(SQLPrimaryKey::getPk_name).containsExactly("t_pk");
        assertThat(client.getUniqueConstraints(new UniqueConstraintsRequest("hive", "ck", "t"))).extracting(SQLUniqueConstraint::getUk_name).containsExactly("t_uk");
        client.dropConstraint("ck", "t", "t_uk");
        client.dropConstraint("ck", "t", "t_pk");
    }

    @Test
    void foreignKeysMustReferenceAKeyAndGoWithTheirParentsDatabase() throws Exception {
        client.createDatabase(Fixtures.database("ck_parent"));
        client.createTable(Fixtures.table("ck_parent", "p"));
        client.createTable(Fixtures.table("ck", "child"));
        SQLForeignKey fk = new SQLForeignKey("ck_parent", "p", "id", "ck", "child", "id", 1, 0, 0, "child_fk", "p_pk", true, false, false);
        assertThatThrownBy(() -> client.addForeignKey(List.of(fk))).as("the parent has no key on id")
                .isInstanceOf(MetaException.class).hasMessageContaining("no corresponding primary key or unique key");
        assertThat(client.getForeignKeys(new ForeignKeysRequest("ck_parent", "p", "ck", "child"))).isEmpty();

        client.addPrimaryKey(List.of(pk("ck_parent", "p", "id", "p_pk")));
        client.addForeignKey(List.of(fk));
        assertThat(client.getForeignKeys(new ForeignKeysRequest("ck_parent", "p", "ck", "child"))).extracting(SQLForeignKey::getFk_name).containsExactly("child_fk");
        assertThatThrownBy(() -> client.dropTable("ck_parent", "p")).isInstanceOf(MetaException.class).hasMessageContaining("referenced by a foreign key");

        client.dropDatabase("ck_parent", true, true, true);
        assertThat(client.getDatabases("ck_parent")).isEmpty();
        assertThat(client.getForeignKeys(new ForeignKeysRequest(null, null, "ck", "child"))).as("the key went with its parent").isEmpty();
        assertThat(client.getTable("ck", "child").getTableName()).isEqualTo("child");
        client.dropTable("ck", "child");
    }
}
