package dev.mortar.metastore.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A list that follows another after a write encodes as a list encoded from scratch would. */
class EncodedNamesTest {
    @Test
    void successorsEncodeAsFreshListsAfterAddsAndDrops() {
        Random random = new Random(7);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("ds=2024-%02d-%02d/hr=%d/ü".formatted(1 + i % 12, 1 + i % 28, i));
        }
        EncodedNames current = new EncodedNames(names);
        current.binary();
        for (int round = 0; round < 300; round++) {
            List<String> next = new ArrayList<>(current);
            if (random.nextBoolean() || next.size() < 5) {
                for (int k = random.nextInt(4) + 1; k > 0; k--) {
                    next.add(random.nextInt(next.size() + 1), "new=" + round + "/" + k + (random.nextBoolean() ? "/€" : ""));
                }
            } else {
                for (int k = random.nextInt(4) + 1; k > 0; k--) {
                    next.remove(random.nextInt(next.size()));
                }
            }
            EncodedNames successor = current.successor(next);
            assertThat(successor).containsExactlyElementsOf(next);
            assertThat(successor.binary()).as("round %d", round).isEqualTo(new EncodedNames(next).binary());
            current = successor;
            if (round % 50 == 49) {
                // a successor of a list never encoded is encoded whole
                EncodedNames unencoded = new EncodedNames(next);
                List<String> more = new ArrayList<>(next);
                more.add(0, "first");
                assertThat(unencoded.successor(more).binary()).isEqualTo(new EncodedNames(more).binary());
            }
        }
        // the first listing of the table's names, emptied and filled again
        EncodedNames empty = current.successor(List.of());
        assertThat(empty.binary()).isEqualTo(new EncodedNames(List.of()).binary());
        List<String> one = List.of("a=1");
        assertThat(empty.successor(one).binary()).isEqualTo(new EncodedNames(one).binary());
    }

    @Test
    void aListThatIsNotTheSameNamesWithSomeAddedIsEncodedWhole() {
        EncodedNames a = new EncodedNames(List.of("x=1", "x=2", "x=3"));
        a.binary();
        // equal strings, other objects, and a reordering: not a successor made by a write, encoded from scratch
        List<String> other = List.of(new String("x=3"), "x=1", new String("x=2"), "x=4");
        assertThat(a.successor(other).binary()).isEqualTo(new EncodedNames(other).binary());
        List<String> fewer = List.of(new String("x=2"), "x=1");
        assertThat(a.successor(fewer).binary()).isEqualTo(new EncodedNames(fewer).binary());
    }
}
