package dev.mortar.etl;

import dev.mortar.testing.S3ProxyServer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job scripts read from local paths, file: URIs and S3 (a real S3-API server), and how each kind of job runs here. */
class JobScriptsTest {
    private static final String SQL = "SELECT 1;\n-- é\n";
    private static S3ProxyServer s3;

    @TempDir
    static Path s3Dir;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(s3Dir);
        s3.createBucket("scripts");
        s3.put("scripts", "jobs/daily.sql", SQL.getBytes(StandardCharsets.UTF_8));
        s3.put("scripts", "jobs/clean.py", "print('clean')\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private final JobScripts local = new JobScripts(new Configuration());

    /** A Hadoop configuration that points S3A (for s3a:// and s3://) at the S3 server, as the server's S3 settings do. */
    private static Configuration hadoop() {
        Configuration conf = new Configuration();
        conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        conf.set("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        conf.set("fs.s3a.endpoint", s3.endpoint().toString());
        conf.set("fs.s3a.endpoint.region", "us-east-1");
        conf.setBoolean("fs.s3a.path.style.access", true);
        conf.set("fs.s3a.access.key", S3ProxyServer.ACCESS_KEY);
        conf.set("fs.s3a.secret.key", S3ProxyServer.SECRET_KEY);
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        return conf;
    }

    @Test
    void readsALocalPathAndAFileUri() throws IOException {
        Path script = Files.writeString(dir.resolve("daily.sql"), SQL);

        assertThat(local.read(script.toString())).isEqualTo(SQL);
        assertThat(local.read("file:" + script)).isEqualTo(SQL);
        assertThat(local.read("file://" + script)).isEqualTo(SQL);
        assertThat(local.read(script.toUri().toString())).isEqualTo(SQL);
    }

    @Test
    void copiesAScriptUnderItsBaseName() throws IOException {
        Path script = Files.writeString(dir.resolve("clean.py"), "print('clean')\n");
        Path run = dir.resolve("runs/jr_1");

        Path copy = local.copyTo("file://" + script, run);

        assertThat(copy).isEqualTo(run.resolve("clean.py"));
        assertThat(copy).hasContent("print('clean')");
        assertThat(local.copyTo(script.toString(), run)).isEqualTo(copy);
        try (var files = Files.list(run)) {
            assertThat(files).containsExactly(copy);
        }
    }

    @Test
    void aMissingScriptIsNamed() {
        String missing = dir.resolve("nothing.sql").toString();

        assertThatThrownBy(() -> local.read(missing)).isInstanceOf(JobException.class).hasMessage("Script " + missing + " does not exist");
        assertThatThrownBy(() -> local.read("file:" + missing)).isInstanceOf(JobException.class).hasMessage("Script file:" + missing + " does not exist");
        assertThatThrownBy(() -> local.copyTo(missing, dir.resolve("run"))).isInstanceOf(JobException.class).hasMessage("Script " + missing + " does not exist");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void aFolderOrNoLocationIsNotAScript() {
        assertThatThrownBy(() -> local.read(dir.toString())).isInstanceOf(JobException.class).hasMessage("Script location " + dir + " is a folder, not a script");
        assertThatThrownBy(() -> local.copyTo("s3://bucket/jobs/", dir)).isInstanceOf(JobException.class)
                .hasMessage("Script location s3://bucket/jobs/ names a folder, not a script");
        assertThatThrownBy(() -> local.read(" ")).isInstanceOf(JobException.class).hasMessage("The job has no script location");
        assertThatThrownBy(() -> local.read("file://otherhost/x.sql")).isInstanceOf(JobException.class)
                .hasMessage("Script location file://otherhost/x.sql names another host; a file: location is on this machine");
    }

    @Test
    void readsS3aAndS3LocationsThroughHadoop() {
        JobScripts scripts = new JobScripts(hadoop());

        assertThat(scripts.read("s3a://scripts/jobs/daily.sql")).isEqualTo(SQL);
        assertThat(scripts.read("s3://scripts/jobs/daily.sql")).isEqualTo(SQL);
        Configuration unmapped = hadoop();
        unmapped.unset("fs.s3.impl");
        assertThat(new JobScripts(unmapped).read("s3://scripts/jobs/daily.sql")).isEqualTo(SQL);
        Path copy = scripts.copyTo("s3://scripts/jobs/clean.py", dir.resolve("run"));
        assertThat(copy).isEqualTo(dir.resolve("run/clean.py")).hasContent("print('clean')");
    }

    @Test
    void aMissingS3ScriptIsNamed() {
        JobScripts scripts = new JobScripts(hadoop());

        assertThatThrownBy(() -> scripts.read("s3://scripts/jobs/missing.sql")).isInstanceOf(JobException.class)
                .hasMessage("Script s3://scripts/jobs/missing.sql does not exist");
    }

    @Test
    void sqlRunsAsAGlueEtlJobAndPythonAsAPythonShellJob() {
        assertThat(JobScripts.kind("glueetl", "s3://scripts/jobs/daily.sql")).isEqualTo(JobKind.SQL);
        assertThat(JobScripts.kind("glueetl", "/opt/jobs/DAILY.SQL")).isEqualTo(JobKind.SQL);
        assertThat(JobScripts.kind("pythonshell", "s3://scripts/jobs/clean.py")).isEqualTo(JobKind.PYTHON_SHELL);
        assertThat(JobScripts.kind("pythonshell", "file:///opt/jobs/clean.py")).isEqualTo(JobKind.PYTHON_SHELL);
    }

    @Test
    void whatDoesNotRunHereSaysWhatDoes() {
        String engines = "this server runs glueetl jobs written in SQL (.sql) on its DuckDB engine, and Python scripts (.py) as pythonshell jobs";
        assertThatThrownBy(() -> JobScripts.kind("glueetl", "s3://scripts/jobs/spark_job.py")).isInstanceOf(JobException.class)
                .hasMessage("Script s3://scripts/jobs/spark_job.py of a glueetl job is a PySpark script; " + engines
                        + ". Rewrite it in SQL, or run it as a pythonshell job if it does not need Spark");
        assertThatThrownBy(() -> JobScripts.kind("glueetl", "s3://scripts/jobs/Job.scala")).isInstanceOf(JobException.class)
                .hasMessage("Script s3://scripts/jobs/Job.scala of a glueetl job is a Scala Spark script; " + engines);
        assertThatThrownBy(() -> JobScripts.kind("glueetl", "s3://scripts/jobs/notes.txt")).isInstanceOf(JobException.class)
                .hasMessage("Script s3://scripts/jobs/notes.txt of a glueetl job is neither SQL (.sql) nor Python (.py); " + engines);
        assertThatThrownBy(() -> JobScripts.kind("pythonshell", "s3://scripts/jobs/daily.sql")).isInstanceOf(JobException.class)
                .hasMessage("Script s3://scripts/jobs/daily.sql of a pythonshell job is not a Python script (.py); " + engines);
        assertThatThrownBy(() -> JobScripts.kind("gluestreaming", "s3://scripts/jobs/stream.py")).isInstanceOf(JobException.class)
                .hasMessage("Streaming jobs (gluestreaming) are not supported; " + engines);
        assertThatThrownBy(() -> JobScripts.kind("glueray", "s3://scripts/jobs/ray.py")).isInstanceOf(JobException.class)
                .hasMessage("Ray jobs (glueray) are not supported; " + engines);
        assertThatThrownBy(() -> JobScripts.kind("gluebatch", "s3://scripts/jobs/x.py")).isInstanceOf(JobException.class)
                .hasMessageStartingWith("Unknown job command gluebatch");
    }
}
