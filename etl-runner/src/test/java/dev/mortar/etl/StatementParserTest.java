package dev.mortar.etl;

import dev.mortar.catalog.Column;
import dev.mortar.catalog.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripts cut into statements, arguments substituted, and each statement read by the parser. */
class StatementParserTest {
    private static List<JobStatement> parse(String script, Map<String, String> arguments) {
        return Script.parse(script, arguments).stream().map(StatementParser::parse).toList();
    }

    @Test
    void aScriptIsCutAtSemicolonsOutsideStringsAndComments() {
        List<Script.Statement> statements = Script.parse("-- a comment; still a comment\nSELECT 'a;b' AS x;\n\n  SELECT \"c;d\" FROM t /* ; */;\n", Map.of());
        assertThat(statements).extracting(Script.Statement::text).containsExactly("SELECT 'a;b' AS x", "SELECT \"c;d\" FROM t");
        assertThat(statements).extracting(Script.Statement::line).containsExactly(2, 4);
    }

    @Test
    void argumentsAreSubstitutedAndAMissingOneNamesItsLine() {
        JobStatement s = parse("INSERT INTO ${db}.`${table}`\nSELECT * FROM src.t WHERE dt = '${day}'", Map.of("--db", "out", "--table", "my-table", "--day", "2024-01-01")).get(0);
        assertThat(s).isInstanceOfSatisfying(JobStatement.Insert.class, i -> {
            assertThat(i.table()).isEqualTo(new TableName("out", "my-table"));
            assertThat(i.overwrite()).isFalse();
            assertThat(i.query()).isEqualTo("SELECT * FROM src.t WHERE dt = '2024-01-01'");
        });
        assertThatThrownBy(() -> parse("SELECT 1;\nSELECT ${nope}", Map.of())).hasMessageContaining("Line 2").hasMessageContaining("--nope");
    }

    @Test
    void createTableWithHiveClauses() {
        JobStatement s = parse("CREATE TABLE IF NOT EXISTS `my-db`.\"Sales\" (id bigint, amount decimal(12,2), tags array<string>)\n"
                + "PARTITIONED BY (dt string, hr int) STORED AS JSONFILE LOCATION 'file:/tmp/it''s'", Map.of()).get(0);
        assertThat(s).isInstanceOfSatisfying(JobStatement.CreateTable.class, c -> {
            assertThat(c.table()).isEqualTo(new TableName("my-db", "sales"));
            assertThat(c.ifNotExists()).isTrue();
            assertThat(c.columns()).containsExactly(new Column("id", "bigint"), new Column("amount", "decimal(12,2)"), new Column("tags", "array<string>"));
            assertThat(c.partitionKeys()).containsExactly(new Column("dt", "string"), new Column("hr", "int"));
            assertThat(c.format()).contains(OutputFormat.JSONFILE);
            assertThat(c.location()).contains("file:/tmp/it's");
        });
    }

    @Test
    void createTableAsKeepsItsQueryInTheEnginesDialect() {
        JobStatement s = parse("CREATE TABLE out.t PARTITIONED BY (dt) AS\nSELECT list_transform([1, 2], x -> x + 1) AS l, dt FROM src.e", Map.of()).get(0);
        assertThat(s).isInstanceOfSatisfying(JobStatement.CreateTableAs.class, c -> {
            assertThat(c.partitionColumns()).containsExactly("dt");
            assertThat(c.format()).isEmpty();
            assertThat(c.query()).isEqualTo("SELECT list_transform([1, 2], x -> x + 1) AS l, dt FROM src.e");
        });
    }

    @Test
    void insertOverwriteWithStaticAndDynamicPartitions() {
        JobStatement s = parse("INSERT OVERWRITE TABLE out.t PARTITION (dt = '2024-01-01', hr) SELECT id, hr FROM src.e", Map.of()).get(0);
        assertThat(s).isInstanceOfSatisfying(JobStatement.Insert.class, i -> {
            assertThat(i.overwrite()).isTrue();
            assertThat(i.partitionSpec()).containsExactly(Map.entry("dt", Optional.of("2024-01-01")), Map.entry("hr", Optional.empty()));
        });
    }

    @Test
    void otherStatementsAreRefusedWithTheirNumberAndLine() {
        assertThatThrownBy(() -> parse("SELECT 1;\n\nDROP TABLE out.t", Map.of()))
                .isInstanceOf(JobException.class).hasMessageStartingWith("Statement 2 (line 3): ").hasMessageContaining("DROP");
        assertThatThrownBy(() -> parse("CREATE TABLE t (a int)", Map.of())).hasMessageContaining("database.table");
        assertThatThrownBy(() -> parse("CREATE TABLE db.t (a int) STORED AS ORC", Map.of())).hasMessageContaining("STORED AS ORC");
    }
}
