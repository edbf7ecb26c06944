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
 * The calls Airflow's GlueJobOperator and GlueJobSensor and Terraform's {@code aws_glue_job} make, in their order, with
 * boto3 against a server that requires SigV4 signatures; the job is a Python shell script whose own boto3 client
 * reaches this server with the credentials the server gives it. And the AWS CLI's {@code glue start-job-run} and
 * {@code get-job-run}.
 */
class GlueJobClientsTest {
    static TestServer server;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.glue.access.keys", GlueClients.ACCESS_KEY + ":" + GlueClients.SECRET_KEY));
        work = Files.createTempDirectory("mortar-job-clients");
        Files.writeString(work.resolve("job.py"), """
                import sys, boto3
                from awsglue.utils import getResolvedOptions
                args = getResolvedOptions(sys.argv, ['JOB_NAME', 'task_uuid'])
                glue = boto3.client('glue')
                print('role of', args['JOB_NAME'], 'is', glue.get_job(JobName=args['JOB_NAME'])['Job']['Role'], 'task', args['task_uuid'])
                """);
        Files.writeString(work.resolve("sleep.py"), "import time\ntime.sleep(600)\n");
        Files.writeString(work.resolve("clients.py"), SCRIPT);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    @Test
    void airflowAndTerraformCallSequences() throws Exception {
        Map<String, String> pythons = GlueBoto3AndCliTest.pythons();
        Assumptions.assumeFalse(pythons.isEmpty(), "no python3 with boto3");
        String python = pythons.keySet().iterator().next();
        GlueBoto3AndCliTest.Result r = GlueBoto3AndCliTest.runIn(work, List.of(python, "clients.py", GlueClients.endpoint(server).toString(),
                work.resolve("job.py").toString(), work.resolve("sleep.py").toString()));
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode out = GlueBoto3AndCliTest.JSON.readTree(r.stdout());
        // Airflow
        assertThat(out.path("missing").asText()).isEqualTo("EntityNotFoundException");
        assertThat(out.path("updated").asBoolean()).isTrue();
        assertThat(out.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(server.server.control().jobRuns().log("airflow-job", out.path("run_id").asText())).contains("role of airflow-job is airflow-role-2 task 7f3c");
        assertThat(out.path("reconnected").asText()).isEqualTo(out.path("run_id").asText());
        assertThat(out.path("stop_submissions").asInt()).isEqualTo(1);
        assertThat(out.path("stopped_state").asText()).isEqualTo("STOPPED");
        // Terraform
        assertThat(out.path("tf_read").toString()).isEqualTo("{\"glue_version\":\"5.1\",\"timeout\":480,\"max_retries\":0,\"default_arguments\":{\"--a\":\"1\"},"
                + "\"execution_class\":null,\"worker_type\":\"G.1X\",\"number_of_workers\":2}");
        assertThat(out.path("tf_tags").toString()).isEqualTo("{\"env\":\"dev\"}");
        assertThat(out.path("tf_updated_timeout").asInt()).isEqualTo(60);
        assertThat(out.path("tf_deleted").asText()).isEqualTo("EntityNotFoundException");
        // the AWS CLI
        assertThat(out.path("cli").asText()).isEqualTo("skipped".equals(out.path("cli").asText()) ? "skipped" : "SUCCEEDED");
    }

    private static final String SCRIPT = """
            import json, shutil, subprocess, sys, time, os
            import boto3
            endpoint, job_script, sleep_script = sys.argv[1], sys.argv[2], sys.argv[3]
            glue = boto3.client('glue', endpoint_url=endpoint, region_name='us-east-1')
            out = {}

            def wait(job, run_id, states=('SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED', 'ERROR')):
                for _ in range(600):
                    run = glue.get_job_run(JobName=job, RunId=run_id, PredecessorsIncluded=True)['JobRun']
                    if run['JobRunState'] in states:
                        return run
                    time.sleep(0.2)
                raise AssertionError('run did not end: ' + run_id)

            # --- Airflow GlueJobOperator: get_job, create_job when missing, update when the config differs, start, poll
            config = {'Name': 'airflow-job', 'Description': 'AWS Glue Job with Airflow', 'Role': 'airflow-role',
                      'ExecutionProperty': {'MaxConcurrentRuns': 1},
                      'Command': {'Name': 'pythonshell', 'ScriptLocation': job_script}, 'MaxRetries': 0, 'MaxCapacity': 0.0625}
            try:
                glue.get_job(JobName='airflow-job')
            except glue.exceptions.EntityNotFoundException as e:
                out['missing'] = e.response['Error']['Code']
                glue.create_job(**config)
            config['Role'] = 'airflow-role-2'
            current = glue.get_job(JobName='airflow-job')['Job']
            kwargs = dict(config)
            name = kwargs.pop('Name')
            if any(current.get(k) != v for k, v in kwargs.items()):
                glue.update_job(JobName=name, JobUpdate=kwargs)
                out['updated'] = True
            run_id = glue.start_job_run(JobName='airflow-job', Arguments={'--task_uuid': '7f3c'})['JobRunId']
            out['run_id'] = run_id
            run = wait('airflow-job', run_id)
            out['state'] = run['JobRunState']
            # the reconnect of a retried task: GetJobRuns newest first, runs found by an argument
            runs = glue.get_job_runs(JobName='airflow-job', MaxResults=50)['JobRuns']
            out['reconnected'] = next(r['Id'] for r in runs if r['Arguments'].get('--task_uuid') == '7f3c')
            # stop_job_run_on_kill
            glue.create_job(Name='airflow-sleep', Role='r', Command={'Name': 'pythonshell', 'ScriptLocation': sleep_script})
            sleeping = glue.start_job_run(JobName='airflow-sleep')['JobRunId']
            wait('airflow-sleep', sleeping, ('RUNNING',))
            out['stop_submissions'] = len(glue.batch_stop_job_run(JobName='airflow-sleep', JobRunIds=[sleeping])['SuccessfulSubmissions'])
            out['stopped_state'] = wait('airflow-sleep', sleeping)['JobRunState']

            # --- Terraform aws_glue_job: create, read, update with Role and Command, tags on the ARN it builds, delete
            arn = 'arn:aws:glue:us-east-1:123456789012:job/tf-job'
            glue.create_job(Name='tf-job', Role='tf-role', Command={'Name': 'glueetl', 'ScriptLocation': '/s/etl.sql', 'PythonVersion': '3'},
                            DefaultArguments={'--a': '1'}, WorkerType='G.1X', NumberOfWorkers=2, Tags={'env': 'dev'})
            job = glue.get_job(JobName='tf-job')['Job']
            out['tf_read'] = {'glue_version': job['GlueVersion'], 'timeout': job['Timeout'], 'max_retries': job['MaxRetries'],
                              'default_arguments': job.get('DefaultArguments'), 'execution_class': job.get('ExecutionClass'),
                              'worker_type': job['WorkerType'], 'number_of_workers': job['NumberOfWorkers']}
            out['tf_tags'] = glue.get_tags(ResourceArn=arn)['Tags']
            glue.update_job(JobName='tf-job', JobUpdate={'Role': 'tf-role', 'Command': {'Name': 'glueetl', 'ScriptLocation': '/s/etl.sql'},
                                                         'Timeout': 60, 'WorkerType': 'G.1X', 'NumberOfWorkers': 2})
            out['tf_updated_timeout'] = glue.get_job(JobName='tf-job')['Job']['Timeout']
            glue.tag_resource(ResourceArn=arn, TagsToAdd={'team': 'x'})
            glue.untag_resource(ResourceArn=arn, TagsToRemove=['team'])
            glue.delete_job(JobName='tf-job')
            try:
                glue.get_job(JobName='tf-job')
            except glue.exceptions.EntityNotFoundException as e:
                out['tf_deleted'] = e.response['Error']['Code']
            glue.delete_job(JobName='tf-job')

            # --- the AWS CLI
            aws = shutil.which('aws')
            if aws:
                common = ['--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json']
                started = json.loads(subprocess.check_output([aws, 'glue', 'start-job-run', '--job-name', 'airflow-job',
                                                              '--arguments', '{"--task_uuid":"cli"}'] + common))
                for _ in range(600):
                    state = json.loads(subprocess.check_output([aws, 'glue', 'get-job-run', '--job-name', 'airflow-job', '--run-id',
                                                                started['JobRunId']] + common))['JobRun']['JobRunState']
                    if state in ('SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR'):
                        break
                    time.sleep(0.3)
                out['cli'] = state
            else:
                out['cli'] = 'skipped'
            print(json.dumps(out))
            """;
}
