package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Action;
import software.amazon.awssdk.services.glue.model.BatchGetTriggersResponse;
import software.amazon.awssdk.services.glue.model.Condition;
import software.amazon.awssdk.services.glue.model.GetTriggersResponse;
import software.amazon.awssdk.services.glue.model.JobCommand;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.ListTriggersResponse;
import software.amazon.awssdk.services.glue.model.Logical;
import software.amazon.awssdk.services.glue.model.LogicalOperator;
import software.amazon.awssdk.services.glue.model.Predicate;
import software.amazon.awssdk.services.glue.model.Trigger;
import software.amazon.awssdk.services.glue.model.TriggerState;
import software.amazon.awssdk.services.glue.model.TriggerType;
import software.amazon.awssdk.services.glue.model.TriggerUpdate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triggers through the AWS SDK's Glue client on every supported store: CreateTrigger of each type read back exactly as
 * set with the service's echoed defaults, UpdateTrigger replacing the definition, Start/StopTrigger state changes, an
 * ON_DEMAND trigger firing its job, GetTriggers/ListTriggers paging and DependentJobName, BatchGetTriggers, tags on the
 * trigger's ARN, DeleteTrigger; and the service's error for each kind of bad request, which changes nothing.
 */
class GlueTriggerApiTest {
    private static final String ARN = "arn:aws:glue:us-east-1:123456789012:trigger/";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void triggers(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-triggers-" + kind);
        Map<String, String> store = new java.util.HashMap<>(TestStores.fresh(kind, dir));
        // no job workers: the runs a trigger starts stay queued, where the API shows them
        store.put("mortar.jobs.embedded.workers", "0");
        try (TestServer server = TestServer.start(dir, store); GlueClient glue = GlueClients.client(server)) {
            glue.createJob(r -> r.name("etl").role("glue").command(JobCommand.builder().name("pythonshell").scriptLocation("/scripts/etl.py").build()));
            definitions(glue);
            refusals(glue);
            states(glue);
            updates(glue);
            listings(glue);
            tags(glue);
            deletes(glue);
        }
    }

    private static Action job(String name) {
        return Action.builder().jobName(name).build();
    }

    private static Predicate after(String job) {
        return Predicate.builder().conditions(Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName(job).state("SUCCEEDED").build()).build();
    }

    private static void definitions(GlueClient glue) {
        assertGlueError(() -> glue.getTrigger(r -> r.name("nightly")), "EntityNotFoundException");
        assertThat(glue.createTrigger(r -> r.name("nightly").type(TriggerType.SCHEDULED).schedule("cron(15 12 * * ? *)").description("every day at noon")
                .actions(Action.builder().jobName("etl").arguments(Map.of("--day", "today")).timeout(30).securityConfiguration("sec")
                        .notificationProperty(n -> n.notifyDelayAfter(5)).build())
                .startOnCreation(true).tags(Map.of("team", "data"))).name()).isEqualTo("nightly");
        Trigger nightly = glue.getTrigger(r -> r.name("nightly")).trigger();
        assertThat(nightly.name()).isEqualTo("nightly");
        assertThat(nightly.type()).isEqualTo(TriggerType.SCHEDULED);
        assertThat(nightly.state()).isEqualTo(TriggerState.ACTIVATED);
        assertThat(nightly.schedule()).isEqualTo("cron(15 12 * * ? *)");
        assertThat(nightly.description()).isEqualTo("every day at noon");
        assertThat(nightly.workflowName()).isNull();
        assertThat(nightly.predicate()).isNull();
        assertThat(nightly.eventBatchingCondition()).isNull();
        assertThat(nightly.actions()).hasSize(1);
        Action action = nightly.actions().getFirst();
        assertThat(action.jobName()).isEqualTo("etl");
        assertThat(action.arguments()).isEqualTo(Map.of("--day", "today"));
        assertThat(action.timeout()).isEqualTo(30);
        assertThat(action.securityConfiguration()).isEqualTo("sec");
        assertThat(action.notificationProperty().notifyDelayAfter()).isEqualTo(5);
        assertThat(action.crawlerName()).isNull();

        // one condition without Logical: Logical is echoed as AND; an action's Timeout is not filled in
        glue.createTrigger(r -> r.name("after-etl").type(TriggerType.CONDITIONAL).predicate(after("etl")).actions(job("report")));
        Trigger afterEtl = glue.getTrigger(r -> r.name("after-etl")).trigger();
        assertThat(afterEtl.state()).isEqualTo(TriggerState.CREATED);
        assertThat(afterEtl.predicate().logical()).isEqualTo(Logical.AND);
        assertThat(afterEtl.predicate().conditions()).hasSize(1);
        Condition condition = afterEtl.predicate().conditions().getFirst();
        assertThat(condition.logicalOperator()).isEqualTo(LogicalOperator.EQUALS);
        assertThat(condition.jobName()).isEqualTo("etl");
        assertThat(condition.stateAsString()).isEqualTo("SUCCEEDED");
        assertThat(afterEtl.actions().getFirst().timeout()).isNull();
        assertThat(afterEtl.actions().getFirst().arguments()).isEmpty();
        assertThat(afterEtl.schedule()).isNull();

        glue.createTrigger(r -> r.name("both-crawled").type(TriggerType.CONDITIONAL).startOnCreation(true)
                .predicate(p -> p.logical(Logical.ANY).conditions(
                        Condition.builder().logicalOperator(LogicalOperator.EQUALS).crawlerName("orders").crawlState("SUCCEEDED").build(),
                        Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName("etl").state("FAILED").build()))
                .actions(Action.builder().crawlerName("customers").build(), job("report")));
        Trigger both = glue.getTrigger(r -> r.name("both-crawled")).trigger();
        assertThat(both.state()).isEqualTo(TriggerState.ACTIVATED);
        assertThat(both.predicate().logical()).isEqualTo(Logical.ANY);
        assertThat(both.predicate().conditions()).extracting(Condition::crawlerName).containsExactly("orders", null);
        assertThat(both.predicate().conditions()).extracting(Condition::crawlStateAsString).containsExactly("SUCCEEDED", null);
        assertThat(both.predicate().conditions()).extracting(Condition::stateAsString).containsExactly(null, "FAILED");
        assertThat(both.actions()).extracting(Action::crawlerName).containsExactly("customers", null);
        assertThat(both.actions()).extracting(Action::jobName).containsExactly(null, "report");

        // EVENT: stored, BatchWindow echoed with its default
        glue.createTrigger(r -> r.name("on-upload").type(TriggerType.EVENT).eventBatchingCondition(b -> b.batchSize(5)).actions(job("etl")));
        Trigger onUpload = glue.getTrigger(r -> r.name("on-upload")).trigger();
        assertThat(onUpload.state()).isEqualTo(TriggerState.CREATED);
        assertThat(onUpload.eventBatchingCondition().batchSize()).isEqualTo(5);
        assertThat(onUpload.eventBatchingCondition().batchWindow()).isEqualTo(900);

        glue.createTrigger(r -> r.name("manual").type(TriggerType.ON_DEMAND).actions(Action.builder().jobName("etl").arguments(Map.of("--who", "manual")).build()));
        assertThat(glue.getTrigger(r -> r.name("manual")).trigger().state()).isEqualTo(TriggerState.CREATED);
    }

    private static void refusals(GlueClient glue) {
        // a field out of range: the message names the field
        assertThat(assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.SCHEDULED).schedule("cron(61 12 * * ? *)").actions(job("etl"))),
                "InvalidInputException").getMessage()).contains("Minutes");
        assertThat(assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.SCHEDULED).schedule("cron(15 12 1 * MON *)").actions(job("etl"))),
                "InvalidInputException").getMessage()).contains("Day-of-week");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.SCHEDULED).schedule("every day").actions(job("etl"))), "InvalidInputException");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.SCHEDULED).actions(job("etl"))), "InvalidInputException");
        assertThat(assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.CONDITIONAL).actions(job("etl"))), "InvalidInputException")
                .getMessage()).contains("Predicate cannot be null or empty");
        assertThat(assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.ON_DEMAND).startOnCreation(true).actions(job("etl"))),
                "InvalidInputException").getMessage()).contains("StartOnCreation");
        // a state the model does not have; a state of the model a condition cannot watch
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.CONDITIONAL)
                .predicate(p -> p.conditions(Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName("etl").state("DONE").build())).actions(job("report"))),
                "ValidationException");
        assertThat(assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.CONDITIONAL)
                .predicate(p -> p.conditions(Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName("etl").state("RUNNING").build())).actions(job("report"))),
                "InvalidInputException").getMessage()).contains("RUNNING");
        assertThat(assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.CONDITIONAL)
                .predicate(p -> p.conditions(Condition.builder().jobName("etl").state("SUCCEEDED").build())).actions(job("report"))),
                "InvalidInputException").getMessage()).contains("Logical operator cannot be null or empty");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.CONDITIONAL).predicate(after("etl")).actions(job("etl"))), "InvalidInputException");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.ON_DEMAND)), "InvalidInputException");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type("SOMETIMES").actions(job("etl"))), "ValidationException");
        assertGlueError(() -> glue.createTrigger(r -> r.type(TriggerType.ON_DEMAND).actions(job("etl"))), "ValidationException");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.EVENT).eventBatchingCondition(b -> b.batchSize(101)).actions(job("etl"))),
                "InvalidInputException");
        assertGlueError(() -> glue.createTrigger(r -> r.name("bad").type(TriggerType.ON_DEMAND).workflowName("nowhere").actions(job("etl"))), "EntityNotFoundException");
        assertGlueError(() -> glue.createTrigger(r -> r.name("nightly").type(TriggerType.ON_DEMAND).actions(job("etl"))), "AlreadyExistsException");
        assertGlueError(() -> glue.getTrigger(r -> r.name("bad")), "EntityNotFoundException");
        assertThat(glue.getTrigger(r -> r.name("nightly")).trigger().type()).isEqualTo(TriggerType.SCHEDULED);

        assertThat(assertGlueError(() -> glue.startTrigger(r -> r.name("on-upload")), "InvalidInputException").getMessage())
                .contains("Trigger Type EVENT cannot be started");
        assertThat(assertGlueError(() -> glue.stopTrigger(r -> r.name("after-etl")), "InvalidInputException").getMessage())
                .contains("The operation is not allowed when trigger is in state: CREATED");
        assertGlueError(() -> glue.startTrigger(r -> r.name("nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.stopTrigger(r -> r.name("nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.updateTrigger(r -> r.name("nope").triggerUpdate(TriggerUpdate.builder().actions(job("etl")).build())), "EntityNotFoundException");
        assertThat(glue.getTrigger(r -> r.name("on-upload")).trigger().state()).isEqualTo(TriggerState.CREATED);
        assertThat(glue.getTrigger(r -> r.name("after-etl")).trigger().state()).isEqualTo(TriggerState.CREATED);
    }

    private static void states(GlueClient glue) {
        assertThat(glue.startTrigger(r -> r.name("after-etl")).name()).isEqualTo("after-etl");
        assertThat(glue.getTrigger(r -> r.name("after-etl")).trigger().state()).isEqualTo(TriggerState.ACTIVATED);
        assertThat(glue.stopTrigger(r -> r.name("after-etl")).name()).isEqualTo("after-etl");
        assertThat(glue.getTrigger(r -> r.name("after-etl")).trigger().state()).isEqualTo(TriggerState.DEACTIVATED);
        assertGlueError(() -> glue.stopTrigger(r -> r.name("after-etl")), "InvalidInputException");
        glue.startTrigger(r -> r.name("after-etl"));
        assertThat(glue.getTrigger(r -> r.name("after-etl")).trigger().state()).isEqualTo(TriggerState.ACTIVATED);

        // ON_DEMAND fires at once and stays CREATED: its job run records the trigger and the action's arguments
        assertThat(glue.startTrigger(r -> r.name("manual")).name()).isEqualTo("manual");
        assertThat(glue.getTrigger(r -> r.name("manual")).trigger().state()).isEqualTo(TriggerState.CREATED);
        List<JobRun> runs = glue.getJobRuns(r -> r.jobName("etl")).jobRuns();
        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst().triggerName()).isEqualTo("manual");
        assertThat(runs.getFirst().arguments()).containsEntry("--who", "manual");
    }

    private static void updates(GlueClient glue) {
        Trigger updated = glue.updateTrigger(r -> r.name("nightly").triggerUpdate(TriggerUpdate.builder().schedule("cron(0 6 ? * MON-FRI *)")
                .actions(job("etl"), job("report")).build())).trigger();
        // the whole definition is replaced: the description is gone; type and state stay
        assertThat(updated.name()).isEqualTo("nightly");
        assertThat(updated.type()).isEqualTo(TriggerType.SCHEDULED);
        assertThat(updated.state()).isEqualTo(TriggerState.ACTIVATED);
        assertThat(updated.schedule()).isEqualTo("cron(0 6 ? * MON-FRI *)");
        assertThat(updated.description()).isNull();
        assertThat(updated.actions()).extracting(Action::jobName).containsExactly("etl", "report");
        assertThat(glue.getTrigger(r -> r.name("nightly")).trigger()).isEqualTo(updated);

        // refused updates change nothing
        assertThat(assertGlueError(() -> glue.updateTrigger(r -> r.name("nightly").triggerUpdate(TriggerUpdate.builder().schedule("cron(0 25 * * ? *)")
                .actions(job("etl")).build())), "InvalidInputException").getMessage()).contains("Hours");
        assertGlueError(() -> glue.updateTrigger(r -> r.name("nightly").triggerUpdate(TriggerUpdate.builder().schedule("cron(0 6 * * ? *)")
                .predicate(after("report")).actions(job("etl")).build())), "InvalidInputException");
        assertGlueError(() -> glue.updateTrigger(r -> r.name("nightly").triggerUpdate(TriggerUpdate.builder().name("renamed").schedule("cron(0 6 * * ? *)")
                .actions(job("etl")).build())), "InvalidInputException");
        assertThat(glue.getTrigger(r -> r.name("nightly")).trigger()).isEqualTo(updated);

        Trigger conditional = glue.updateTrigger(r -> r.name("after-etl").triggerUpdate(TriggerUpdate.builder().description("then the report")
                .predicate(p -> p.logical(Logical.AND).conditions(Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName("etl").state("TIMEOUT").build()))
                .actions(job("report")).build())).trigger();
        assertThat(conditional.description()).isEqualTo("then the report");
        assertThat(conditional.predicate().conditions().getFirst().stateAsString()).isEqualTo("TIMEOUT");
        assertThat(conditional.state()).isEqualTo(TriggerState.ACTIVATED);
    }

    private static void listings(GlueClient glue) {
        List<String> all = List.of("after-etl", "both-crawled", "manual", "nightly", "on-upload");
        assertThat(glue.getTriggers(r -> r.maxResults(100)).triggers()).extracting(Trigger::name).isEqualTo(all);
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            GetTriggersResponse page = glue.getTriggers(r -> r.maxResults(2).nextToken(next));
            assertThat(page.triggers().size()).isLessThanOrEqualTo(2);
            page.triggers().forEach(t -> paged.add(t.name()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo(3);

        List<String> listed = new ArrayList<>();
        token = null;
        do {
            String next = token;
            ListTriggersResponse page = glue.listTriggers(r -> r.maxResults(1).nextToken(next));
            assertThat(page.triggerNames()).hasSizeLessThanOrEqualTo(1);
            listed.addAll(page.triggerNames());
            token = page.nextToken();
        } while (token != null);
        assertThat(listed).isEqualTo(all);
        assertThat(glue.getTriggersPaginator(r -> r.maxResults(2)).triggers().stream().map(Trigger::name).toList()).isEqualTo(all);

        // DependentJobName: the triggers that start the job, or all of them when none does
        assertThat(glue.getTriggers(r -> r.dependentJobName("report")).triggers()).extracting(Trigger::name)
                .containsExactly("after-etl", "both-crawled", "nightly");
        assertThat(glue.getTriggers(r -> r.dependentJobName("nobody")).triggers()).extracting(Trigger::name).isEqualTo(all);
        assertThat(glue.listTriggers(r -> r.dependentJobName("report")).triggerNames()).containsExactly("after-etl", "both-crawled", "nightly");
        assertThat(glue.listTriggers(r -> r.tags(Map.of("team", "data"))).triggerNames()).containsExactly("nightly");

        BatchGetTriggersResponse batch = glue.batchGetTriggers(r -> r.triggerNames("nightly", "nope", "manual"));
        assertThat(batch.triggers()).extracting(Trigger::name).containsExactly("nightly", "manual");
        assertThat(batch.triggersNotFound()).containsExactly("nope");

        assertGlueError(() -> glue.getTriggers(r -> r.maxResults(201)), "ValidationException");
        assertGlueError(() -> glue.getTriggers(r -> r.nextToken("forged")), "InvalidInputException");
        String jobsToken = glue.listTriggers(r -> r.maxResults(1)).nextToken();
        assertGlueError(() -> glue.getTriggers(r -> r.nextToken(jobsToken)), "InvalidInputException");
    }

    private static void tags(GlueClient glue) {
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "nightly")).tags()).isEqualTo(Map.of("team", "data"));
        glue.tagResource(r -> r.resourceArn(ARN + "nightly").tagsToAdd(Map.of("tier", "gold")));
        glue.untagResource(r -> r.resourceArn(ARN + "nightly").tagsToRemove("team"));
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "nightly")).tags()).isEqualTo(Map.of("tier", "gold"));
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "manual")).tags()).isEmpty();
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(ARN + "nope")), "EntityNotFoundException");
        // tags are not part of the Trigger shape
        assertThat(glue.getTrigger(r -> r.name("nightly")).trigger().toString()).doesNotContain("gold");
    }

    private static void deletes(GlueClient glue) {
        assertThat(glue.deleteTrigger(r -> r.name("nightly")).name()).isEqualTo("nightly");
        assertGlueError(() -> glue.getTrigger(r -> r.name("nightly")), "EntityNotFoundException");
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(ARN + "nightly")), "EntityNotFoundException");
        assertThat(glue.deleteTrigger(r -> r.name("nightly")).name()).isEqualTo("nightly");
        // a new trigger of the name starts from nothing
        glue.createTrigger(r -> r.name("nightly").type(TriggerType.ON_DEMAND).actions(job("etl")));
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "nightly")).tags()).isEmpty();
        assertThat(glue.listTriggers(r -> r.maxResults(100)).triggerNames()).containsExactly("after-etl", "both-crawled", "manual", "nightly", "on-upload");
    }
}
