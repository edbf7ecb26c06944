package dev.mortar.scheduler.trigger;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Arguments as StartJobRun merges them: non-overridable over the run's (a trigger action's) over the job's defaults. */
class JobArgumentsTest {
    @Test
    void runArgumentsOverDefaultsUnderNonOverridable() {
        Map<String, String> merged = JobArguments.merge(
                Map.of("--day", "yesterday", "--TempDir", "s3://tmp"),
                Map.of("--env", "prod"),
                Map.of("--day", "today", "--env", "dev", "--extra", "1"));
        assertThat(merged).containsOnly(Map.entry("--day", "today"), Map.entry("--TempDir", "s3://tmp"), Map.entry("--env", "prod"),
                Map.entry("--extra", "1"));
    }

    @Test
    void workflowRunsAddTheirNameAndRunId() {
        Map<String, String> merged = JobArguments.mergeInWorkflowRun(Map.of("--WORKFLOW_NAME", "placeholder"), Map.of(), Map.of("--a", "1"),
                "flow", "wr_1");
        assertThat(merged).containsOnly(Map.entry("--WORKFLOW_NAME", "flow"), Map.entry("--WORKFLOW_RUN_ID", "wr_1"), Map.entry("--a", "1"));
    }
}
