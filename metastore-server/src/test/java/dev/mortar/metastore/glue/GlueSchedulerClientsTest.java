package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calls Terraform's {@code aws_glue_trigger} and {@code aws_glue_workflow} make, in their order, with boto3 against
 * a server that requires SigV4 signatures: create, wait on the state, read what they do not compute, update,
 * enable/disable through Start/StopTrigger, tags on the ARN they build, delete and wait for EntityNotFound. And the AWS
 * CLI's {@code glue get-trigger}.
 */
class GlueSchedulerClientsTest {
    static TestServer server;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.glue.access.keys", GlueClients.ACCESS_KEY + ":" + GlueClients.SECRET_KEY,
                "mortar.jobs.embedded.workers", "0"));
        work = Files.createTempDirectory("mortar-scheduler-clients");
        Files.writeString(work.resolve("clients.py"), SCRIPT);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    @Test
    void terraformCallSequences() throws Exception {
        Map<String, String> pythons = GlueBoto3AndCliTest.pythons();
        Assumptions.assumeFalse(pythons.isEmpty(), "no python3 with boto3");
        String python = pythons.keySet().iterator().next();
        GlueBoto3AndCliTest.Result r = GlueBoto3AndCliTest.runIn(work, List.of(python, "clients.py", GlueClients.endpoint(server).toString()));
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode out = GlueBoto3AndCliTest.JSON.readTree(r.stdout());
        // aws_glue_trigger
        assertThat(out.path("scheduled_enabled").asBoolean()).isTrue();
        assertThat(out.path("scheduled_read").toString()).isEqualTo("{\"type\":\"SCHEDULED\",\"schedule\":\"cron(15 12 * * ? *)\",\"actions\":"
                + "[{\"JobName\":\"tf-job\",\"Arguments\":{\"--a\":\"1\"}}],\"predicate\":null,\"workflow_name\":null,\"event_batching_condition\":null,"
                + "\"start_on_creation\":null,\"tags\":null}");
        assertThat(out.path("conditional_predicate").toString()).isEqualTo("{\"Logical\":\"AND\",\"Conditions\":[{\"LogicalOperator\":\"EQUALS\","
                + "\"JobName\":\"tf-job\",\"State\":\"SUCCEEDED\"}]}");
        assertThat(out.path("disabled_state").asText()).isEqualTo("DEACTIVATED");
        assertThat(out.path("updated_schedule").asText()).isEqualTo("cron(0 6 * * ? *)");
        assertThat(out.path("updated_state").asText()).isEqualTo("DEACTIVATED");
        assertThat(out.path("on_demand_enabled").asBoolean()).isTrue();
        assertThat(out.path("on_demand_runs").asInt()).isEqualTo(1);
        assertThat(out.path("event_state").asText()).isEqualTo("CREATED");
        assertThat(out.path("event_batching").toString()).isEqualTo("{\"BatchSize\":10,\"BatchWindow\":900}");
        assertThat(out.path("trigger_tags").toString()).isEqualTo("{\"env\":\"dev\"}");
        assertThat(out.path("trigger_deleted").asText()).isEqualTo("EntityNotFoundException");
        // aws_glue_workflow
        assertThat(out.path("workflow_read").toString()).isEqualTo("{\"default_run_properties\":{\"a\":\"1\"},\"description\":\"tf\","
                + "\"max_concurrent_runs\":null,\"name\":\"tf-flow\"}");
        assertThat(out.path("workflow_updated").toString()).isEqualTo("{\"default_run_properties\":{\"a\":\"1\"},\"description\":\"tf 2\","
                + "\"max_concurrent_runs\":3,\"name\":\"tf-flow\"}");
        assertThat(out.path("workflow_tags").toString()).isEqualTo("{\"team\":\"x\"}");
        assertThat(out.path("workflow_deleted").asText()).isEqualTo("EntityNotFoundException");
        // the AWS CLI
        assertThat(out.path("cli").asText()).isEqualTo("skipped".equals(out.path("cli").asText()) ? "skipped" : "ON_DEMAND");
    }

    private static final String SCRIPT = """
            import json, shutil, subprocess, sys, time
            import boto3
            endpoint = sys.argv[1]
            glue = boto3.client('glue', endpoint_url=endpoint, region_name='us-east-1')
            out = {}
            glue.create_job(Name='tf-job', Role='r', Command={'Name': 'pythonshell', 'ScriptLocation': '/s/job.py'})

            def wait_trigger(name):
                for _ in range(300):
                    state = glue.get_trigger(Name=name)['Trigger']['State']
                    if state in ('CREATED', 'ACTIVATED'):
                        return state
                    if state not in ('ACTIVATING', 'CREATING', 'UPDATING'):
                        raise AssertionError('unexpected trigger state ' + state)
                    time.sleep(0.2)
                raise AssertionError('trigger not ready: ' + name)

            def enabled(trigger):
                if trigger['Type'] in ('SCHEDULED', 'CONDITIONAL'):
                    return trigger['State'] in ('ACTIVATED', 'ACTIVATING')
                return trigger['State'] in ('CREATED', 'CREATING')

            # --- aws_glue_trigger: SCHEDULED, enabled
            glue.create_trigger(Name='tf-scheduled', Type='SCHEDULED', Schedule='cron(15 12 * * ? *)',
                                Actions=[{'JobName': 'tf-job', 'Arguments': {'--a': '1'}}], StartOnCreation=True, Tags={'env': 'dev'})
            wait_trigger('tf-scheduled')
            t = glue.get_trigger(Name='tf-scheduled')['Trigger']
            out['scheduled_enabled'] = enabled(t)
            out['scheduled_read'] = {'type': t['Type'], 'schedule': t.get('Schedule'), 'actions': t['Actions'], 'predicate': t.get('Predicate'),
                                     'workflow_name': t.get('WorkflowName'), 'event_batching_condition': t.get('EventBatchingCondition'),
                                     'start_on_creation': t.get('StartOnCreation'), 'tags': t.get('Tags')}
            arn = 'arn:aws:glue:us-east-1:123456789012:trigger/tf-scheduled'
            out['trigger_tags'] = glue.get_tags(ResourceArn=arn)['Tags']
            # enabled = false: StopTrigger
            glue.stop_trigger(Name='tf-scheduled')
            out['disabled_state'] = glue.get_trigger(Name='tf-scheduled')['Trigger']['State']
            # update: the whole definition, then wait again
            glue.update_trigger(Name='tf-scheduled', TriggerUpdate={'Schedule': 'cron(0 6 * * ? *)', 'Actions': [{'JobName': 'tf-job'}]})
            out['updated_state'] = glue.get_trigger(Name='tf-scheduled')['Trigger']['State']
            out['updated_schedule'] = glue.get_trigger(Name='tf-scheduled')['Trigger']['Schedule']

            # CONDITIONAL: one condition, Logical left out
            glue.create_trigger(Name='tf-conditional', Type='CONDITIONAL', StartOnCreation=True,
                                Predicate={'Conditions': [{'LogicalOperator': 'EQUALS', 'JobName': 'tf-job', 'State': 'SUCCEEDED'}]},
                                Actions=[{'JobName': 'tf-other'}])
            wait_trigger('tf-conditional')
            out['conditional_predicate'] = glue.get_trigger(Name='tf-conditional')['Trigger']['Predicate']

            # ON_DEMAND, enabled: created, then StartTrigger fires it
            glue.create_trigger(Name='tf-on-demand', Type='ON_DEMAND', Actions=[{'JobName': 'tf-job'}])
            wait_trigger('tf-on-demand')
            glue.start_trigger(Name='tf-on-demand')
            out['on_demand_enabled'] = enabled(glue.get_trigger(Name='tf-on-demand')['Trigger'])
            out['on_demand_runs'] = len([r for r in glue.get_job_runs(JobName='tf-job')['JobRuns'] if r.get('TriggerName') == 'tf-on-demand'])

            # EVENT: StartOnCreation false
            glue.create_workflow(Name='tf-events')
            glue.create_trigger(Name='tf-event', Type='EVENT', WorkflowName='tf-events', StartOnCreation=False,
                                EventBatchingCondition={'BatchSize': 10}, Actions=[{'JobName': 'tf-job'}])
            out['event_state'] = wait_trigger('tf-event')
            out['event_batching'] = glue.get_trigger(Name='tf-event')['Trigger']['EventBatchingCondition']

            # delete, then poll until EntityNotFound
            glue.delete_trigger(Name='tf-scheduled')
            for _ in range(300):
                try:
                    glue.get_trigger(Name='tf-scheduled')
                    time.sleep(0.2)
                except glue.exceptions.EntityNotFoundException as e:
                    out['trigger_deleted'] = e.response['Error']['Code']
                    break

            # --- aws_glue_workflow: create, read, update with the fields that have values, tags, delete
            glue.create_workflow(Name='tf-flow', Description='tf', DefaultRunProperties={'a': '1'}, Tags={'team': 'x'})
            def read_workflow():
                w = glue.get_workflow(Name='tf-flow')['Workflow']
                return {'default_run_properties': w.get('DefaultRunProperties'), 'description': w.get('Description'),
                        'max_concurrent_runs': w.get('MaxConcurrentRuns'), 'name': w['Name']}
            out['workflow_read'] = read_workflow()
            glue.update_workflow(Name='tf-flow', Description='tf 2', MaxConcurrentRuns=3)
            out['workflow_updated'] = read_workflow()
            out['workflow_tags'] = glue.get_tags(ResourceArn='arn:aws:glue:us-east-1:123456789012:workflow/tf-flow')['Tags']
            glue.delete_workflow(Name='tf-flow')
            try:
                glue.get_workflow(Name='tf-flow')
            except glue.exceptions.EntityNotFoundException as e:
                out['workflow_deleted'] = e.response['Error']['Code']
            glue.delete_workflow(Name='tf-flow')

            # --- the AWS CLI
            aws = shutil.which('aws')
            if aws:
                common = ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json']
                out['cli'] = json.loads(subprocess.check_output([aws, 'glue', 'get-trigger', '--name', 'tf-on-demand'] + common))['Trigger']['Type']
            else:
                out['cli'] = 'skipped'
            print(json.dumps(out))
            """;
}
