package dev.mortar.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spark 4.0.1 in local mode with Hive support, in a forked Java 17 JVM (heap 1 GiB), pointed at a
 * Mortar server. One run executes a whole script in one Spark session (engines/spark,
 * SparkSqlDriver) and returns what every statement returned.
 */
public final class Spark {
    /** The metastore client Spark uses. */
    public enum HiveClient {
        /** Spark's default: the Hive 2.3.10 client compiled into spark-hive. */
        BUILTIN_2_3,
        /** spark.sql.hive.metastore.version=4.0.1 with the jars of engines/hive4-client-jars. */
        HIVE_4_0_1
    }

    /** The flags spark-submit would add: org.apache.spark.launcher.JavaModuleOptions of Spark 4.0.1. */
    public static final List<String> JAVA_MODULE_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    /** A script: labelled statements, run in order. */
    public static final class Script {
        private final Map<String, String> statements = new LinkedHashMap<>();

        public Script add(String label, String statement) {
            if (statements.put(label, statement) != null) {
                throw new IllegalArgumentException("Label used twice: " + label);
            }
            if (statement.contains("\n") || label.contains("\t")) {
                throw new IllegalArgumentException("One line per statement: " + label);
            }
            return this;
        }

        /** Copies the files of one folder into another, as an external tool would. */
        public Script copyFiles(String label, Path from, Path to) {
            return add(label, "!copy " + from + " " + to);
        }

        String text() {
            StringBuilder b = new StringBuilder();
            statements.forEach((label, sql) -> b.append(label).append('\t').append(sql).append('\n'));
            return b.toString();
        }
    }

    private Spark() {}

    /** The Spark settings of a run (also listed in docs/ENGINES.md). */
    public static Map<String, String> settings(MortarServer mortar, HiveClient client) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", "local[2]");
        conf.put("spark.app.name", "mortar-it");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.sql.shuffle.partitions", "2");
        conf.put("spark.sql.catalogImplementation", "hive");
        conf.put("spark.hadoop.hive.metastore.uris", mortar.thriftUri());
        // Spark gives CREATE DATABASE without LOCATION a path under its own warehouse dir: make it Mortar's.
        conf.put("spark.sql.warehouse.dir", mortar.warehouseUri());
        conf.put("spark.hadoop.hive.exec.dynamic.partition.mode", "nonstrict");
        conf.put("spark.sql.sources.partitionOverwriteMode", "dynamic");
        if (client == HiveClient.HIVE_4_0_1) {
            conf.put("spark.sql.hive.metastore.version", "4.0.1");
            conf.put("spark.sql.hive.metastore.jars", "path");
            conf.put("spark.sql.hive.metastore.jars.path", ItEnvironment.engineLib("hive4-client-jars").toUri() + "*.jar");
        }
        return conf;
    }

    public static EngineOutput run(MortarServer mortar, HiveClient client, Path workDir, String name, Script script) {
        Path scriptFile = workDir.resolve(name + ".sql.tsv");
        try {
            Files.writeString(scriptFile, script.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp(workDir)));
        jvm.addAll(JAVA_MODULE_OPTIONS);
        settings(mortar, client).forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        try (EngineProcess spark = EngineProcess.java(name, ItEnvironment.java17Home())
                .jvmArgs(jvm)
                .classpath(ItEnvironment.engineClasspath("spark"))
                .mainClass("dev.mortar.it.engine.SparkSqlDriver")
                .args(scriptFile.toString())
                .env("SPARK_LOCAL_IP", "127.0.0.1")
                .workDir(workDir)
                .logDir(workDir.resolve("logs"))
                .start()) {
            int exit = spark.waitFor(Duration.ofMinutes(10));
            EngineOutput out = EngineOutput.parse(spark.stdout());
            assertThat(out.completed()).as("Spark ran the whole script (exit %d)\n%s", exit, spark.logTail(60)).isTrue();
            return out;
        }
    }

    private static Path tmp(Path workDir) {
        try {
            return Files.createDirectories(workDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
