package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How inferred types merge across records and files. */
class HiveTypesTest {
    @Test
    void typesWidenToTheNarrowestCommonType() {
        assertThat(HiveTypes.merge("int", "bigint")).isEqualTo("bigint");
        assertThat(HiveTypes.merge("bigint", "double")).isEqualTo("double");
        assertThat(HiveTypes.merge("date", "timestamp")).isEqualTo("timestamp");
        assertThat(HiveTypes.merge("boolean", "bigint")).isEqualTo("string");
        assertThat(HiveTypes.merge(HiveTypes.UNKNOWN, "boolean")).isEqualTo("boolean");
        assertThat(HiveTypes.merge("array<bigint>", "array<double>")).isEqualTo("array<double>");
        assertThat(HiveTypes.merge("struct<a:bigint,m:map<string,int>>", "struct<b:string,a:double>"))
                .isEqualTo("struct<a:double,m:map<string,int>,b:string>");
    }

    @Test
    void columnsMergeByNameInFirstSeenOrder() {
        assertThat(HiveTypes.mergeColumns(List.of(new Column("a", "bigint"), new Column("b", "string")),
                List.of(new Column("c", "date"), new Column("a", "double"))))
                .containsExactly(new Column("a", "double"), new Column("b", "string"), new Column("c", "date"));
    }
}
