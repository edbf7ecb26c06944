package dev.mortar.metastore.control.schedule;

/** The scheduler's contract on H2. */
class SchedulerOnH2Test extends SchedulerContract {
    @Override
    String kind() {
        return "h2";
    }
}
