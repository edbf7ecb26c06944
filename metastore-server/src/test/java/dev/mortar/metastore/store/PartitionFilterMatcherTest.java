package dev.mortar.metastore.store;

import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which filters narrow the cached partitions by one key's distinct values, and how. */
class PartitionFilterMatcherTest {
    private static final List<FieldSchema> KEYS = List.of(new FieldSchema("ds", "string", null), new FieldSchema("hr", "int", null));

    private static PartitionFilterMatcher.Selection select(Dialect dialect, String filter) throws Exception {
        return PartitionFilterMatcher.forFilter(dialect, KEYS, PartitionFilter.parse(filter)).orElseThrow();
    }

    @Test
    void rangesOnTwoKeysGiveATestPerKey() throws Exception {
        PartitionFilterMatcher.Selection s = select(Dialect.MYSQL, "ds >= '2024-01-02' and ds < '2024-02-01' and hr between 3 and 8");
        assertThat(s.hasEqualityKey()).isFalse();
        assertThat(s.keyTests()).containsOnlyKeys(0, 1);
        assertThat(s.keyTests().get(0)).accepts("2024-01-02", "2024-01-31").rejects("2024-01-01", "2024-02-01");
        assertThat(s.keyTests().get(1)).accepts("3", "08").rejects("2", "9", "x");
    }

    @Test
    void keyTestsTakeTheSpellingWithoutTrailingSpacesWhereTheValueWouldPass() throws Exception {
        // MariaDB's PAD SPACE order: '2024-01-02 ' sorts as '2024-01-02', and is spelled so in the index
        PartitionFilterMatcher.Selection s = select(Dialect.MYSQL, "ds <= '2024-01-02' and ds > '2024-01-01'");
        assertThat(s.keyTests().get(0)).accepts(PartitionFilterMatcher.equalityKey(Dialect.MYSQL, "2024-01-02 "));
        assertThat(s.test()).accepts(List.of("2024-01-02 ", "1"));
    }

    @Test
    void likeOrAndNotEqualLeaveNoKeyTest() throws Exception {
        assertThat(select(Dialect.H2, "ds like '2024%'").hasKeyTests()).isFalse();
        assertThat(select(Dialect.H2, "ds <> 'a'").hasKeyTests()).isFalse();
        assertThat(select(Dialect.H2, "ds > 'a' or hr < 3").hasKeyTests()).isFalse();
        assertThat(select(Dialect.H2, "(ds > 'a' or hr < 3) and hr > 1").keyTests()).containsOnlyKeys(1);
    }

    @Test
    void anEqualityOnAStringKeyStillUsesTheIndexLookup() throws Exception {
        PartitionFilterMatcher.Selection s = select(Dialect.MYSQL, "ds = '2024-01-02 ' and hr < 5");
        assertThat(s.hasEqualityKey()).isTrue();
        assertThat(s.equalTo()).containsExactly("2024-01-02");
    }

    @Test
    void postgresNumericRangesGiveKeyTestsButStringOrderDoesNot() throws Exception {
        assertThat(select(Dialect.POSTGRES, "hr < 5 and hr >= 1").keyTests()).containsOnlyKeys(1);
        assertThat(PartitionFilterMatcher.forFilter(Dialect.POSTGRES, KEYS, PartitionFilter.parse("ds > 'a'"))).isEmpty();
    }
}
