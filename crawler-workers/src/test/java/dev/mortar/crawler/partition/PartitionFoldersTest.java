package dev.mortar.crawler.partition;

import dev.mortar.crawler.partition.PartitionFolders.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Partition keys and values from folder names. */
class PartitionFoldersTest {
    @Test
    void keyValueFoldersNameTheirKeyAndOthersArePositional() {
        assertThat(PartitionFolders.parse(List.of("Year=2024", "eu", "dt=2024-01-01%3A00")))
                .containsExactly(new Segment("year", "2024"), new Segment("partition_1", "eu"), new Segment("dt", "2024-01-01:00"));
        assertThat(PartitionFolders.isKeyValue("a=b")).isTrue();
        assertThat(PartitionFolders.isKeyValue("=b")).isFalse();
        assertThat(PartitionFolders.isKeyValue("a=")).isFalse();
        assertThat(PartitionFolders.parse(List.of("p=100%"))).containsExactly(new Segment("p", "100%"));
    }
}
