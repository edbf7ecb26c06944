package dev.mortar.scheduler.engine;

/** Ids ch_1, ch_2, ... and wr_1, wr_2, ... */
final class CountingIds implements IdGenerator {
    private int chains;
    private int workflowRuns;

    @Override
    public String newChainId() {
        return "ch_" + ++chains;
    }

    @Override
    public String newWorkflowRunId() {
        return "wr_" + ++workflowRuns;
    }
}
