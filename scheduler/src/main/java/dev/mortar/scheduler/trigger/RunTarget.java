package dev.mortar.scheduler.trigger;

import java.util.Objects;

/** What a trigger starts and what a condition watches: a job or a crawler, by name. */
public sealed interface RunTarget {
    String name();

    static Job job(String name) {
        return new Job(name);
    }

    static Crawler crawler(String name) {
        return new Crawler(name);
    }

    record Job(String name) implements RunTarget {
        public Job {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "job " + name;
        }
    }

    record Crawler(String name) implements RunTarget {
        public Crawler {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "crawler " + name;
        }
    }
}
