package dev.mortar.catalog.duckdb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HiveDialectTest {
    @Test
    void backticksBecomeDoubleQuotesOutsideStrings() {
        assertThat(HiveDialect.toDuckDb("SELECT `t`.`a b` FROM `db`.`t` WHERE x = 'it''s `raw`'"))
                .isEqualTo("SELECT \"t\".\"a b\" FROM \"db\".\"t\" WHERE x = 'it''s `raw`'");
    }

    @Test
    void theDefaultDatabaseIsQuotedWhereItQualifiesAName() {
        assertThat(HiveDialect.toDuckDb("SELECT default.t.x, 'default.t' FROM default . t WHERE c = DEFAULT"))
                .isEqualTo("SELECT \"default\".t.x, 'default.t' FROM \"default\" . t WHERE c = DEFAULT");
    }

    @Test
    void trailingSemicolonsAreDropped() {
        assertThat(HiveDialect.trimStatement("  SELECT 1 ;; \n")).isEqualTo("SELECT 1");
    }
}
