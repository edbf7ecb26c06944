package dev.mortar.metastore.control.job;

/** Told of every job run started and ended in this server: its state, seconds on a worker, and rows written. */
public interface JobMetrics {
    JobMetrics NONE = new JobMetrics() {
        @Override
        public void started(String job) {}

        @Override
        public void ended(JobRunState state, double seconds, long rowsWritten) {}
    };

    void started(String job);

    void ended(JobRunState state, double seconds, long rowsWritten);
}
