package dev.mortar.metastore.control.schedule;

/** The scheduler's contract on Postgres. */
class SchedulerOnPostgresTest extends SchedulerContract {
    @Override
    String kind() {
        return "postgres";
    }
}
