package dev.mortar.it.engine;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a script of labelled statements in one local Spark session with Hive support and prints
 * every result row. The Spark settings come from {@code -Dspark.*} system properties (SparkConf
 * reads them), so the test decides the metastore URI and the Hive client version.
 *
 * <p>Script: one statement per line, {@code label<TAB>statement}. A statement is Spark SQL, or the
 * directive {@code !copy <from-dir> <to-dir>}, which copies a folder's files the way a user or an
 * external tool would drop files into a table's directory.
 *
 * <p>Output on stdout: {@code @@STMT label sql}, {@code @@ROW label v1 v2 ...},
 * {@code @@OK label rows millis} or {@code @@ERROR label message}; finally {@code @@DONE errors}.
 * A failing statement does not stop the script.
 */
public final class SparkSqlDriver {
    private static final int MAX_ROWS = 1000;

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        long start = System.nanoTime();
        SparkSession spark = SparkSession.builder().enableHiveSupport().getOrCreate();
        out.println("@@FACT\tsession.start.millis\t" + (System.nanoTime() - start) / 1_000_000);
        out.println("@@FACT\tspark.version\t" + spark.version());
        int errors = 0;
        try {
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                String label = line.substring(0, tab);
                String statement = line.substring(tab + 1);
                out.println("@@STMT\t" + Report.escape(label) + "\t" + Report.escape(statement));
                long t0 = System.nanoTime();
                try {
                    int rows = statement.startsWith("!copy ") ? copy(statement) : sql(spark, label, statement, out);
                    out.println("@@OK\t" + Report.escape(label) + "\t" + rows + "\t" + (System.nanoTime() - t0) / 1_000_000);
                } catch (Throwable e) {
                    errors++;
                    out.println("@@ERROR\t" + Report.escape(label) + "\t" + Report.escape(rootMessage(e)));
                    e.printStackTrace(System.err);
                }
            }
        } finally {
            spark.stop();
        }
        out.println("@@DONE\t" + errors);
        System.exit(0);
    }

    private static int sql(SparkSession spark, String label, String statement, PrintStream out) {
        List<Row> rows = spark.sql(statement).limit(MAX_ROWS).collectAsList();
        for (Row row : rows) {
            StringBuilder b = new StringBuilder("@@ROW\t").append(Report.escape(label));
            for (int i = 0; i < row.length(); i++) {
                b.append('\t').append(Report.escape(row.isNullAt(i) ? null : String.valueOf(row.get(i))));
            }
            out.println(b);
        }
        return rows.size();
    }

    /** {@code !copy FROM TO}: copies the regular files of FROM into TO (created if needed). */
    private static int copy(String directive) throws IOException {
        String[] parts = directive.split(" ");
        Path from = Path.of(parts[1]);
        Path to = Path.of(parts[2]);
        Files.createDirectories(to);
        int copied = 0;
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    copied++;
                }
            }
        }
        if (copied == 0) {
            throw new IOException("No files in " + from);
        }
        return copied;
    }

    /** The exception and its causes, outermost first: the metastore's own message is usually inside. */
    private static String rootMessage(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 4000; t = t.getCause() == t ? null : t.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return b.toString();
    }
}
