package dev.mortar.metastore.glue;

import dev.mortar.metastore.store.GlueExpressionParser;
import dev.mortar.metastore.store.PartitionFilter;
import dev.mortar.metastore.store.PartitionFilter.And;
import dev.mortar.metastore.store.PartitionFilter.Between;
import dev.mortar.metastore.store.PartitionFilter.Compare;
import dev.mortar.metastore.store.PartitionFilter.In;
import dev.mortar.metastore.store.PartitionFilter.IsNull;
import dev.mortar.metastore.store.PartitionFilter.Like;
import dev.mortar.metastore.store.PartitionFilter.Literal;
import dev.mortar.metastore.store.PartitionFilter.LiteralKind;
import dev.mortar.metastore.store.PartitionFilter.Not;
import dev.mortar.metastore.store.PartitionFilter.Op;
import dev.mortar.metastore.store.PartitionFilter.Or;
import dev.mortar.metastore.store.PartitionFilter.ParseException;
import dev.mortar.metastore.store.PartitionFilterSql;
import dev.mortar.metastore.store.Sql;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GetPartitions Expression language: what parses to what, what is refused and where, and the SQL it becomes. */
class GlueExpressionTest {
    private static PartitionFilter parse(String expression) throws ParseException {
        return GlueExpressionParser.parse(expression);
    }

    private static Literal s(String text) {
        return new Literal(text, LiteralKind.STRING);
    }

    private static Literal n(String text) {
        return new Literal(text, LiteralKind.NUMBER);
    }

    @Test
    void precedenceIsNotThenAndThenOr() throws Exception {
        assertThat(parse("a = 1 OR b = 'x' AND NOT c < 2")).isEqualTo(
                new Or(new Compare("a", Op.EQ, n("1")), new And(new Compare("b", Op.EQ, s("x")), new Not(new Compare("c", Op.LT, n("2"))))));
        assertThat(parse("(a = 1 OR b = 2) AND c = 3")).isEqualTo(
                new And(new Or(new Compare("a", Op.EQ, n("1")), new Compare("b", Op.EQ, n("2"))), new Compare("c", Op.EQ, n("3"))));
    }

    @Test
    void everyPredicateForm() throws Exception {
        assertThat(parse("Ds IN ('a', 'b')")).isEqualTo(new In("ds", List.of(s("a"), s("b"))));
        assertThat(parse("hr not in (1,2)")).isEqualTo(new Not(new In("hr", List.of(n("1"), n("2")))));
        assertThat(parse("hr BETWEEN -1 AND 2.5")).isEqualTo(new Between("hr", n("-1"), n("2.5")));
        assertThat(parse("hr NOT BETWEEN 1 AND 2")).isEqualTo(new Not(new Between("hr", n("1"), n("2"))));
        assertThat(parse("ds LIKE '2024%'")).isEqualTo(new Like("ds", "2024%"));
        assertThat(parse("ds NOT LIKE '%x'")).isEqualTo(new Not(new Like("ds", "%x")));
        assertThat(parse("ds IS NULL")).isEqualTo(new IsNull("ds"));
        assertThat(parse("ds is not null")).isEqualTo(new Not(new IsNull("ds")));
        assertThat(parse("5 >= hr")).isEqualTo(new Compare("hr", Op.LE, n("5")));
        assertThat(parse("ds <> 'x' AND ds != 'y'")).isEqualTo(new And(new Compare("ds", Op.NE, s("x")), new Compare("ds", Op.NE, s("y"))));
        assertThat(parse("dt > DATE '2024-01-01'")).isEqualTo(new Compare("dt", Op.GT, new Literal("2024-01-01", LiteralKind.DATE)));
        assertThat(parse("ts <= TIMESTAMP '2024-01-01 10:00:00'")).isEqualTo(new Compare("ts", Op.LE, new Literal("2024-01-01 10:00:00", LiteralKind.TIMESTAMP)));
        assertThat(parse("`date` = 'x' and \"Order\" = 'y'")).isEqualTo(new And(new Compare("date", Op.EQ, s("x")), new Compare("order", Op.EQ, s("y"))));
        assertThat(parse("name = 'it''s' OR name = 'o\\'k'")).isEqualTo(new Or(new Compare("name", Op.EQ, s("it's")), new Compare("name", Op.EQ, s("o'k"))));
        assertThat(parse("n = 1e3")).isEqualTo(new Compare("n", Op.EQ, n("1e3")));
    }

    @Test
    void malformedExpressionsNameWhereTheyFail() {
        assertThatThrownBy(() -> parse("ds = 'x' AND")).isInstanceOf(ParseException.class)
                .hasMessageContaining("expected a partition key but found 'end of expression' at position 12");
        assertThatThrownBy(() -> parse("ds = 'x")).hasMessageContaining("unterminated string starting at position 5");
        assertThatThrownBy(() -> parse("ds ~ 'x'")).hasMessageContaining("unexpected character '~' at position 3");
        assertThatThrownBy(() -> parse("ds = hr")).hasMessageContaining("comparing two partition keys is not supported");
        assertThatThrownBy(() -> parse("ds IN ()")).hasMessageContaining("expected a literal");
        assertThatThrownBy(() -> parse("ds BETWEEN 1 OR 2")).hasMessageContaining("expected AND");
        assertThatThrownBy(() -> parse("ds IS 'x'")).hasMessageContaining("expected NULL");
        assertThatThrownBy(() -> parse("ds = 'a' ds = 'b'")).hasMessageContaining("expected end of expression");
    }

    @Test
    void translatesToIndexedSqlOverKeyValues() throws Exception {
        List<FieldSchema> keys = List.of(new FieldSchema("ds", "string", null), new FieldSchema("hr", "int", null), new FieldSchema("amount", "decimal(10,2)", null));
        PartitionFilterSql sql = new PartitionFilterSql(7, keys, PartitionFilter.Semantics.GLUE);
        Sql integral = sql.toSql(parse("hr > 9"));
        assertThat(integral.text()).isEqualTo("p.part_id IN (SELECT v.part_id FROM m_partition_key_vals v WHERE v.tbl_id = ? AND v.key_idx = ? AND v.num_val > ?)");
        assertThat(integral.params()).containsExactly(7L, 1, 9L);
        Sql fraction = sql.toSql(parse("hr > 9.5"));
        assertThat(fraction.params()).containsExactly(7L, 1, new BigDecimal("9.5"));
        Sql decimal = sql.toSql(parse("amount BETWEEN 1 AND '2.50'"));
        assertThat(decimal.text()).contains("CAST(v.str_val AS DECIMAL(38, 18)) END BETWEEN ? AND ?");
        assertThat(decimal.params()).containsExactly(7L, 2, new BigDecimal("1"), new BigDecimal("2.50"));
        Sql string = sql.toSql(parse("NOT ds LIKE '2024%' OR ds IS NULL"));
        assertThat(string.text()).startsWith("((NOT p.part_id IN (SELECT").contains("v.str_val LIKE ?").contains("(v.str_val IS NULL OR v.str_val = ?)");
        assertThat(string.params()).containsExactly(7L, 0, "2024%", 7L, 0, "__HIVE_DEFAULT_PARTITION__");
        assertThatThrownBy(() -> sql.toSql(parse("nokey = 1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nokey', which is not a partition key of the table; partition keys are [ds, hr, amount]");
    }

    @Test
    void timestampsCompareByEverySpellingOfTheirInstant() throws Exception {
        List<FieldSchema> keys = List.of(new FieldSchema("ts", "timestamp", null));
        PartitionFilterSql sql = new PartitionFilterSql(7, keys, PartitionFilter.Semantics.GLUE);
        Sql equal = sql.toSql(parse("ts = '2022-02-01 00:00:00.0'"));
        assertThat(equal.text()).contains("v.str_val IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        assertThat(equal.params()).startsWith(7L, 0, "2022-02-01 00:00:00", "2022-02-01 00:00:00.0").endsWith("2022-02-01 00:00:00.000000000");
        Sql after = sql.toSql(parse("ts > '2022-02-01 00:00:00.5'"));
        assertThat(after.params()).containsExactly(7L, 0, "2022-02-01 00:00:00.500000000");
        Sql from = sql.toSql(parse("ts >= TIMESTAMP '2022-2-1 00:00:00.50'"));
        assertThat(from.params()).containsExactly(7L, 0, "2022-02-01 00:00:00.5");
    }

    @Test
    void literalsMustBeValuesOfTheirKeysType() throws Exception {
        List<FieldSchema> keys = List.of(new FieldSchema("i", "bigint", null), new FieldSchema("d", "decimal(5,1)", null),
                new FieldSchema("day", "date", null), new FieldSchema("ts", "timestamp", null), new FieldSchema("s", "varchar(10)", null));
        PartitionFilterSql sql = new PartitionFilterSql(7, keys, PartitionFilter.Semantics.GLUE);
        assertThatThrownBy(() -> sql.toSql(parse("i = 'x'"))).hasMessage("For input string: \"x\" is not an integer.");
        assertThatThrownBy(() -> sql.toSql(parse("i IN (1, 2.5)"))).hasMessage("For input string: \"2.5\" is not an integer.");
        assertThatThrownBy(() -> sql.toSql(parse("i = 99999999999999999999"))).hasMessageContaining("is not an integer");
        assertThatThrownBy(() -> sql.toSql(parse("i LIKE '1%'"))).hasMessage("Integral data type doesn't support operation 'LIKE'");
        assertThatThrownBy(() -> sql.toSql(parse("d = DATE '2024-01-01'"))).hasMessage("2024-01-01 is not a decimal.");
        assertThatThrownBy(() -> sql.toSql(parse("day = '2024-02-30'"))).hasMessage("2024-02-30 is not a date.");
        assertThatThrownBy(() -> sql.toSql(parse("ts = '2024-01-01 24:00:00'"))).hasMessageContaining("is not a timestamp.");
        assertThatThrownBy(() -> sql.toSql(parse("NOT (s = 'a' OR nokey IS NULL)"))).hasMessageStartingWith("Unknown column 'nokey'");
        // A range's bound on an integral key may be a fraction; strings take any literal.
        assertThat(sql.toSql(parse("i BETWEEN 0.5 AND '3'")).params()).containsExactly(7L, 0, new BigDecimal("0.5"), 3L);
        assertThat(sql.toSql(parse("s = 2 AND day = DATE '2024-1-5'")).params()).containsExactly(7L, 4, "2", 7L, 2, "2024-01-05");
    }

    @Test
    void hiveFiltersKeepComparingStringsAsStrings() throws Exception {
        List<FieldSchema> keys = List.of(new FieldSchema("ts", "timestamp", null), new FieldSchema("hr", "int", null));
        PartitionFilterSql sql = new PartitionFilterSql(7, keys);
        assertThat(sql.toSql(PartitionFilter.parse("ts = '2022-02-01 00:00:00'")).params()).containsExactly(7L, 0, "2022-02-01 00:00:00");
        assertThat(sql.toSql(PartitionFilter.parse("hr = 'x' or hr > '7'")).params()).containsExactly(7L, 1, "x", 7L, 1, 7L);
        assertThat(PartitionFilter.parse("ts > DATE '2024-01-01'")).isEqualTo(new Compare("ts", Op.GT, new Literal("2024-01-01", LiteralKind.DATE)));
    }
}
