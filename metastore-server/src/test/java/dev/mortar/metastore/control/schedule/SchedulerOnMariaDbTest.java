package dev.mortar.metastore.control.schedule;

/** The scheduler's contract on MariaDb. */
class SchedulerOnMariaDbTest extends SchedulerContract {
    @Override
    String kind() {
        return "mariadb";
    }
}
