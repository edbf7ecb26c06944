package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * boto3 and the AWS CLI, unchanged, with {@code endpoint_url} pointed at a server that requires
 * Signature Version 4. Runs every interpreter with boto3 and every {@code aws} found (the Debian
 * packages python3-boto3 and awscli, and whatever is first on the PATH); skipped when there is none.
 */
class GlueBoto3AndCliTest {
    static TestServer server;
    static Path work;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.glue.access.keys", GlueClients.ACCESS_KEY + ":" + GlueClients.SECRET_KEY));
        work = Files.createTempDirectory("mortar-boto3");
        Files.writeString(work.resolve("glue_client.py"), BOTO3_SCRIPT);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    record Result(int exit, String stdout, String stderr) {}

    static Result run(List<String> command) throws IOException, InterruptedException {
        return runIn(work, command);
    }

    /** Runs the command in {@code work} with AWS credentials of the test keys and nothing of the user's own AWS setup. */
    static Result runIn(Path work, List<String> command) throws IOException, InterruptedException {
        if (work == null) {
            work = Files.createTempDirectory("mortar-clients");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", GlueClients.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", GlueClients.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        // Nothing from the user's own AWS setup: no profiles, no pager, no instance metadata.
        env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Distinct interpreters (by real path) that can import boto3. */
    static Map<String, String> pythons() throws Exception {
        Map<String, String> found = new LinkedHashMap<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Result r = run(List.of(candidate, "-c", "import sys, boto3, botocore; print(sys.executable + ' boto3 ' + boto3.__version__ + ' botocore ' + botocore.__version__)"));
                if (r.exit() == 0) {
                    found.putIfAbsent(r.stdout().trim().split(" ")[0], candidate + ": " + r.stdout().trim());
                }
            } catch (IOException e) {
                // Not installed.
            }
        }
        return found;
    }

    static Map<String, String> clis() throws Exception {
        Map<String, String> found = new LinkedHashMap<>();
        for (String candidate : List.of("/usr/bin/aws", "aws")) {
            try {
                Result r = run(List.of(candidate, "--version"));
                if (r.exit() == 0) {
                    found.putIfAbsent((r.stdout() + r.stderr()).trim(), candidate);
                }
            } catch (IOException e) {
                // Not installed.
            }
        }
        return found;
    }

    @Test
    void boto3WorksUnchanged() throws Exception {
        Map<String, String> pythons = pythons();
        Assumptions.assumeFalse(pythons.isEmpty(), "no python3 with boto3");
        int n = 0;
        for (Map.Entry<String, String> python : pythons.entrySet()) {
            System.out.println("Glue API with " + python.getValue());
            String db = "boto3_" + n++;
            Result r = run(List.of(python.getKey(), "glue_client.py", GlueClients.endpoint(server).toString(), GlueClients.ACCESS_KEY, GlueClients.SECRET_KEY,
                    db, server.dataDir.resolve(db).toUri().toString()));
            assertThat(r.exit()).as(python.getValue() + "\n" + r.stderr()).isZero();
            JsonNode out = JSON.readTree(r.stdout());
            assertThat(out.path("batch_errors").asInt()).as(python.getValue()).isZero();
            assertThat(out.path("filtered").toString()).isEqualTo("[20,21,22,23,24]");
            assertThat(out.path("pages").asInt()).isEqualTo(3);
            assertThat(out.path("all").asInt()).isEqualTo(50);
            assertThat(out.path("create_time_type").asText()).isEqualTo("datetime");
            assertThat(out.path("version").asText()).isEqualTo("0");
            assertThat(out.path("stale").asText()).isEqualTo("ConcurrentModificationException");
            assertThat(out.path("missing").asText()).isEqualTo("EntityNotFoundException");
            assertThat(out.path("missing_message").asText()).isEqualTo("Table missing not found.");
            assertThat(out.path("db_tags").toString()).isEqualTo("{\"team\":\"data\"}");
            assertThat(out.path("crawler_elapsed").asInt(-1)).isZero();
            assertThat(out.path("tagged_crawlers").toString()).isEqualTo("[\"" + db + "_crawler\"]");
            assertThat(out.path("crawls_since").toString()).isEqualTo("[]");
            assertThat(out.path("ordered_state").asText()).isEqualTo("Only EQ or NE operator is allowed for field : STATE");
            assertThat(out.path("delete_default").asText()).isEqualTo("InvalidInputException");
            assertThat(out.path("request_id").asText()).isNotBlank();
            assertThat(out.path("versions").toString()).isEqualTo("[\"1\",\"0\"]");
            assertThat(out.path("bad_signature").asText()).isEqualTo("InvalidSignatureException");
            assertThat(out.path("bad_status").asInt()).isEqualTo(403);
            assertThat(out.path("stats").asText()).isEqualTo("LONG");
            assertThat(out.path("udf").asText()).isEqualTo("com.example.Udf");
        }
    }

    @Test
    void awsCliWorksUnchanged() throws Exception {
        Map<String, String> clis = clis();
        Assumptions.assumeFalse(clis.isEmpty(), "no aws command");
        int n = 0;
        for (Map.Entry<String, String> cli : clis.entrySet()) {
            String aws = cli.getValue();
            System.out.println("Glue API with " + aws + ": " + cli.getKey());
            String db = "cli_" + n++;
            String endpoint = GlueClients.endpoint(server).toString();
            List<String> common = List.of("--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json");
            assertThat(run(cmd(aws, common, "glue", "create-database", "--database-input", "{\"Name\":\"" + db + "\",\"Description\":\"from the cli\"}")).exit())
                    .as(cli.getKey()).isZero();
            String table = "{\"Name\":\"logs\",\"TableType\":\"EXTERNAL_TABLE\",\"PartitionKeys\":[{\"Name\":\"ds\",\"Type\":\"string\"}],"
                    + "\"StorageDescriptor\":{\"Columns\":[{\"Name\":\"line\",\"Type\":\"string\"}],\"Location\":\"" + server.dataDir.resolve(db).toUri() + "\"}}";
            Result created = run(cmd(aws, common, "glue", "create-table", "--database-name", db, "--table-input", table));
            assertThat(created.exit()).as(cli.getKey() + created.stderr()).isZero();
            List<String> partitions = new ArrayList<>();
            for (int d = 1; d <= 5; d++) {
                partitions.add("{\"Values\":[\"2024-01-0" + d + "\"]}");
            }
            assertThat(run(cmd(aws, common, "glue", "batch-create-partition", "--database-name", db, "--table-name", "logs",
                    "--partition-input-list", "[" + String.join(",", partitions) + "]")).exit()).isZero();
            // The CLI follows NextToken itself: three pages of two.
            Result listed = run(cmd(aws, common, "glue", "get-partitions", "--database-name", db, "--table-name", "logs",
                    "--expression", "ds > '2024-01-01'", "--page-size", "2"));
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(JSON.readTree(listed.stdout()).path("Partitions")).hasSize(4);
            Result got = run(cmd(aws, common, "glue", "get-table", "--database-name", db, "--name", "logs"));
            JsonNode t = JSON.readTree(got.stdout()).path("Table");
            assertThat(t.path("Name").asText()).isEqualTo("logs");
            assertThat(t.path("VersionId").asText()).isEqualTo("0");
            assertThat(t.path("StorageDescriptor").path("Columns").get(0).path("Name").asText()).isEqualTo("line");
            Result missing = run(cmd(aws, common, "glue", "get-table", "--database-name", db, "--name", "nope"));
            assertThat(missing.exit()).isNotZero();
            assertThat(missing.stderr()).contains("EntityNotFoundException");
            List<String> wrongKey = new ArrayList<>(cmd(aws, common, "glue", "get-databases"));
            Result denied = runWithSecret(wrongKey, "wrong-secret");
            assertThat(denied.exit()).isNotZero();
            assertThat(denied.stderr()).contains("InvalidSignatureException");
            assertThat(run(cmd(aws, common, "glue", "delete-database", "--name", db)).exit()).isZero();
        }
    }

    private static List<String> cmd(String aws, List<String> common, String... args) {
        List<String> command = new ArrayList<>();
        command.add(aws);
        command.addAll(List.of(args));
        command.addAll(common);
        return command;
    }

    private static Result runWithSecret(List<String> command, String secret) throws Exception {
        List<String> wrapped = new ArrayList<>(List.of("env", "AWS_SECRET_ACCESS_KEY=" + secret));
        wrapped.addAll(command);
        return run(wrapped);
    }

    private static final String BOTO3_SCRIPT = """
            import json, sys, time
            import boto3, botocore
            endpoint, ak, sk, db, location = sys.argv[1:6]
            g = boto3.client('glue', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=ak, aws_secret_access_key=sk)
            out = {}
            g.create_database(DatabaseInput={'Name': db, 'Description': 'from boto3'})
            g.create_table(DatabaseName=db, TableInput={'Name': 'events', 'TableType': 'EXTERNAL_TABLE',
                'StorageDescriptor': {'Columns': [{'Name': 'id', 'Type': 'bigint'}], 'Location': location,
                                      'SerdeInfo': {'SerializationLibrary': 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'}},
                'PartitionKeys': [{'Name': 'ds', 'Type': 'string'}, {'Name': 'hr', 'Type': 'int'}],
                'Parameters': {'classification': 'csv'}})
            inputs = [{'Values': ['2024-01-0%d' % d, str(h)]} for d in (1, 2) for h in range(25)]
            out['batch_errors'] = len(g.batch_create_partition(DatabaseName=db, TableName='events', PartitionInputList=inputs)['Errors'])
            pages = list(g.get_paginator('get_partitions').paginate(DatabaseName=db, TableName='events',
                Expression="hr >= 20 AND ds = '2024-01-02'", PaginationConfig={'PageSize': 2}))
            out['filtered'] = sorted(int(p['Values'][1]) for page in pages for p in page['Partitions'])
            out['pages'] = len(pages)
            out['all'] = sum(len(page['Partitions']) for page in g.get_paginator('get_partitions').paginate(DatabaseName=db, TableName='events', Expression=''))
            t = g.get_table(DatabaseName=db, Name='events')['Table']
            out['create_time_type'] = type(t['CreateTime']).__name__
            out['version'] = t['VersionId']
            ti = {k: t[k] for k in ('Name', 'StorageDescriptor', 'PartitionKeys', 'TableType', 'Parameters')}
            ti['Parameters']['rev'] = '1'
            g.update_table(DatabaseName=db, TableInput=ti, VersionId=t['VersionId'])
            try:
                g.update_table(DatabaseName=db, TableInput=ti, VersionId=t['VersionId'])
                out['stale'] = 'accepted'
            except g.exceptions.ConcurrentModificationException as e:
                out['stale'] = e.response['Error']['Code']
            try:
                g.get_table(DatabaseName=db, Name='missing')
            except g.exceptions.EntityNotFoundException as e:
                out['missing'] = e.response['Error']['Code']
                out['missing_message'] = e.response['Error']['Message']
                out['request_id'] = e.response['ResponseMetadata']['RequestId']
            out['versions'] = [v['VersionId'] for v in g.get_table_versions(DatabaseName=db, TableName='events')['TableVersions']]
            g.update_column_statistics_for_table(DatabaseName=db, TableName='events', ColumnStatisticsList=[{
                'ColumnName': 'id', 'ColumnType': 'bigint', 'AnalyzedTime': 1700000000,
                'StatisticsData': {'Type': 'LONG', 'LongColumnStatisticsData': {'MinimumValue': 1, 'MaximumValue': 9, 'NumberOfNulls': 0, 'NumberOfDistinctValues': 9}}}])
            out['stats'] = g.get_column_statistics_for_table(DatabaseName=db, TableName='events', ColumnNames=['id'])['ColumnStatisticsList'][0]['StatisticsData']['Type']
            g.create_user_defined_function(DatabaseName=db, FunctionInput={'FunctionName': 'udf', 'ClassName': 'com.example.Udf'})
            out['udf'] = g.get_user_defined_function(DatabaseName=db, FunctionName='udf')['UserDefinedFunction']['ClassName']
            arn = 'arn:aws:glue:us-east-1:000000000000:database/' + db
            g.tag_resource(ResourceArn=arn, TagsToAdd={'team': 'data'})
            out['db_tags'] = g.get_tags(ResourceArn=arn)['Tags']
            crawler = db + '_crawler'
            g.create_crawler(Name=crawler, Role='r', DatabaseName=db + '-crawled', Targets={'S3Targets': [{'Path': location}]}, Tags={'team': 'data'})
            out['crawler_elapsed'] = g.get_crawler(Name=crawler)['Crawler']['CrawlElapsedTime']
            out['tagged_crawlers'] = g.list_crawlers(Tags={'team': 'data'})['CrawlerNames']
            out['crawls_since'] = g.list_crawls(CrawlerName=crawler, Filters=[
                {'FieldName': 'START_TIME', 'FilterOperator': 'GT', 'FieldValue': str(int(time.time() * 1000) - 60000)}])['Crawls']
            try:
                g.list_crawls(CrawlerName=crawler, Filters=[{'FieldName': 'STATE', 'FilterOperator': 'GT', 'FieldValue': 'RUNNING'}])
            except g.exceptions.InvalidInputException as e:
                out['ordered_state'] = e.response['Error']['Message']
            g.delete_crawler(Name=crawler)
            try:
                g.delete_database(Name='default')
            except g.exceptions.InvalidInputException as e:
                out['delete_default'] = e.response['Error']['Code']
            bad = boto3.client('glue', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=ak, aws_secret_access_key='wrong')
            try:
                bad.get_databases()
                out['bad_signature'] = 'accepted'
            except botocore.exceptions.ClientError as e:
                out['bad_signature'] = e.response['Error']['Code']
                out['bad_status'] = e.response['ResponseMetadata']['HTTPStatusCode']
            g.delete_database(Name=db)
            print(json.dumps(out))
            """;
}
