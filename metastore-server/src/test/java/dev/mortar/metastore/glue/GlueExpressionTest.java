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
}
