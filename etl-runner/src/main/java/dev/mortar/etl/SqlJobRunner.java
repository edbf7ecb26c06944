package dev.mortar.etl;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.duckdb.SqlText;
import dev.mortar.catalog.duckdb.TableScan;
import dev.mortar.catalog.files.TableFiles;
import dev.mortar.catalog.files.UnsupportedLocationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs a SQL job: the script's statements in order on an engine, their output staged, and, when every statement
 * succeeded, committed through the catalog ({@link OutputCommit}). A statement that fails ends the run with a
 * {@link JobException} naming it and its line, and nothing of the run is left: no files, no tables, no partitions.
 * Statements read tables as the catalog has them; a table this run writes is read without this run's output.
 * A run with a bookmark ({@link JobRequest#alreadyRead}) leaves the files read before out of its scans, and its result
 * says which files its scans included. A run asked to stop ({@link Cancellation}) has its statement in flight
 * interrupted, runs no further statement, keeps nothing and ends with a {@link JobCancelledException}.
 */
public final class SqlJobRunner {
    private final Engine engine;
    private final Catalog catalog;
    private final CatalogWriter writer;

    public SqlJobRunner(Engine engine, Catalog catalog, CatalogWriter writer) {
        this.engine = engine;
        this.catalog = catalog;
        this.writer = writer;
    }

    public RunResult run(JobRequest request) {
        return run(request, new Cancellation());
    }

    /**
     * Runs the job until it ends or {@code cancellation} asks it to stop. A stop that comes once the commit has begun
     * is too late for this run: the commit completes (or fails and is undone) as it would have.
     */
    public RunResult run(JobRequest request, Cancellation cancellation) {
        Instant started = Instant.now();
        List<String> log = new ArrayList<>();
        java.util.function.Consumer<String> sink = line -> {
            log.add(line);
            request.logSink().accept(line);
        };
        sink.accept("Run " + request.runId() + " on " + engine.name());
        if (cancellation.isCancelled()) {
            JobCancelledException stopped = new JobCancelledException(cancellation.reason().orElseThrow());
            sink.accept("Failed: " + stopped.getMessage());
            throw stopped;
        }
        List<Script.Statement> statements = Script.parse(request.script(), request.arguments());
        List<JobStatement> parsed = statements.stream().map(StatementParser::parse).toList();
        OutputCommit output = new OutputCommit(request.runId(), catalog, writer);
        List<RunResult.StatementResult> results = new ArrayList<>();
        long rowsWritten = 0;
        long filesWritten = 0;
        long bytesWritten = 0;
        long rowsRead;
        Map<String, Set<FileMark>> filesRead;
        long bytesRead;
        try (EngineSession session = engine.open(catalog, sink, request.selection());
             Cancellation.Registration interrupt = cancellation.onCancel(session::interrupt)) {
            for (JobStatement statement : parsed) {
                cancellation.throwIfCancelled();
                Script.Statement source = statement.source();
                Instant start = Instant.now();
                long rows;
                try {
                    rows = execute(statement, session, output, request.runId(), sink);
                } catch (RuntimeException e) {
                    if (cancellation.isCancelled()) {
                        throw new JobCancelledException(cancellation.reason().orElseThrow(), e);
                    }
                    if (e instanceof JobException j && j.statement().isPresent()) {
                        throw j;
                    }
                    throw StatementParser.fail(source, e.getMessage(), e);
                }
                Duration took = Duration.between(start, Instant.now());
                String kind = kind(statement);
                results.add(new RunResult.StatementResult(source.number(), source.line(), kind, took, rows));
                sink.accept("Statement " + source.number() + " (line " + source.line() + ") " + kind + ": " + rows + " rows in " + took.toMillis() + " ms");
            }
            cancellation.throwIfCancelled();
            rowsRead = session.rowsRead();
            filesRead = session.filesRead();
            bytesRead = session.bytesRead();
            for (OutputCommit.Target target : targets(output, parsed)) {
                for (OutputCommit.Unit unit : target.units.values()) {
                    filesWritten += unit.files.size();
                    for (Path file : unit.files) {
                        bytesWritten += size(file);
                    }
                }
            }
            rowsWritten = results.stream().filter(r -> !r.kind().equals("SELECT") && !r.kind().equals("CREATE TABLE")).mapToLong(RunResult.StatementResult::rows).sum();
            request.beforeCommit().run();
            cancellation.throwIfCancelled();
            output.commit();
        } catch (RuntimeException e) {
            output.discard();
            sink.accept("Failed: " + e.getMessage());
            throw e;
        }
        sink.accept("Committed " + output.outputs().size() + " outputs: " + rowsWritten + " rows in " + filesWritten + " files");
        return new RunResult(request.runId(), rowsRead, filesRead, bytesRead, rowsWritten, filesWritten, bytesWritten,
                output.outputs(), results, log, Duration.between(started, Instant.now()));
    }

    private static List<OutputCommit.Target> targets(OutputCommit output, List<JobStatement> statements) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (JobStatement s : statements) {
            switch (s) {
                case JobStatement.CreateTable c -> names.add(c.table().toString());
                case JobStatement.CreateTableAs c -> names.add(c.table().toString());
                case JobStatement.Insert i -> names.add(i.table().toString());
                case JobStatement.Query q -> { }
            }
        }
        return names.stream().map(output::target).flatMap(Optional::stream).toList();
    }

    private static String kind(JobStatement statement) {
        return switch (statement) {
            case JobStatement.Query q -> "SELECT";
            case JobStatement.CreateTable c -> "CREATE TABLE";
            case JobStatement.CreateTableAs c -> "CREATE TABLE AS";
            case JobStatement.Insert i -> i.overwrite() ? "INSERT OVERWRITE" : "INSERT INTO";
        };
    }

    private long execute(JobStatement statement, EngineSession session, OutputCommit output, String runId, java.util.function.Consumer<String> log) {
        return switch (statement) {
            case JobStatement.Query q -> session.count(q.query());
            case JobStatement.CreateTable c -> {
                if (exists(output, c.table().database(), c.table().table())) {
                    if (c.ifNotExists()) {
                        log.accept("Table " + c.table() + " exists; CREATE TABLE IF NOT EXISTS leaves it");
                        yield 0;
                    }
                    throw new JobException("Table " + c.table() + " already exists");
                }
                Set<String> names = new HashSet<>();
                for (Column column : c.columns()) {
                    if (!names.add(column.name())) {
                        throw new JobException("Column " + column.name() + " is named twice");
                    }
                }
                for (Column key : c.partitionKeys()) {
                    if (!names.add(key.name())) {
                        throw new JobException("Partition column " + key.name() + " is also a column (in Hive, partition columns are not in the column list)");
                    }
                }
                for (Column column : c.columns()) {
                    checkType(column);
                }
                c.partitionKeys().forEach(SqlJobRunner::checkType);
                newTarget(output, c.table(), c.columns(), c.partitionKeys(), c.format(), c.location(), runId);
                yield 0;
            }
            case JobStatement.CreateTableAs c -> {
                if (exists(output, c.table().database(), c.table().table())) {
                    if (c.ifNotExists()) {
                        log.accept("Table " + c.table() + " exists; CREATE TABLE IF NOT EXISTS ... AS leaves it");
                        yield 0;
                    }
                    throw new JobException("Table " + c.table() + " already exists");
                }
                List<Column> result = session.describe(c.query());
                Map<String, Column> byName = new HashMap<>();
                for (Column column : result) {
                    if (byName.put(column.name(), column) != null) {
                        throw new JobException("The query gives two columns named " + column.name() + "; name them apart with AS");
                    }
                }
                List<Column> keys = new ArrayList<>();
                for (String key : c.partitionColumns()) {
                    Column column = byName.get(key.toLowerCase(Locale.ROOT));
                    if (column == null) {
                        throw new JobException("Partition column " + key + " is not a column of the query (" + String.join(", ", byName.keySet()) + ")");
                    }
                    keys.add(column);
                }
                List<Column> columns = result.stream().filter(col -> !keys.contains(col)).toList();
                OutputCommit.Target target = newTarget(output, c.table(), columns, keys, c.format(), c.location(), runId);
                String ordered = "SELECT " + java.util.stream.Stream.concat(columns.stream(), keys.stream())
                        .map(col -> SqlText.identifier(col.name())).collect(Collectors.joining(", ")) + " FROM (" + c.query() + "\n)";
                yield write(session, target, ordered, Map.of(), false, statement.source().number(), runId);
            }
            case JobStatement.Insert i -> {
                OutputCommit.Target target = output.target(i.table().toString()).orElseGet(() -> existingTarget(output, i, runId));
                yield write(session, target, i.query(), i.partitionSpec(), i.overwrite(), statement.source().number(), runId);
            }
        };
    }

    private static void checkType(Column column) {
        try {
            dev.mortar.catalog.duckdb.DuckDbTypes.toDuckDb(column.type());
        } catch (IllegalArgumentException e) {
            throw new JobException("Column " + column.name() + ": " + e.getMessage());
        }
    }

    private boolean exists(OutputCommit output, String database, String table) {
        return output.target(database + "." + table).isPresent() || catalog.table(database, table).isPresent();
    }

    private OutputCommit.Target newTarget(OutputCommit output, dev.mortar.catalog.TableName name, List<Column> columns, List<Column> keys,
                                          Optional<OutputFormat> format, Optional<String> location, String runId) {
        if (!catalog.databaseExists(name.database())) {
            throw new JobException("Database not found: " + name.database());
        }
        String where = location.orElseGet(() -> catalog.databaseLocation(name.database())
                .map(l -> (l.endsWith("/") ? l : l + "/") + name.table())
                .orElseThrow(() -> new JobException("Database " + name.database() + " has no location; give the table one with LOCATION '...'")));
        if (where.endsWith("/") && where.length() > 1) {
            where = where.substring(0, where.length() - 1);
        }
        OutputFormat f = format.orElse(OutputFormat.PARQUET);
        Map<String, String> parameters = new HashMap<>();
        parameters.put("classification", f.classification());
        CatalogTable table = CatalogTable.external(name, where, columns, keys, f.storage(), parameters);
        Path home = localHome(table, where);
        return output.add(new OutputCommit.Target(table, true, home, runId, f, ','));
    }

    private OutputCommit.Target existingTarget(OutputCommit output, JobStatement.Insert insert, String runId) {
        CatalogTable table = catalog.table(insert.table().database(), insert.table().table())
                .orElseThrow(() -> new JobException(catalog.databaseExists(insert.table().database())
                        ? "Table not found: " + insert.table() : "Database not found: " + insert.table().database()));
        if (table.isView()) {
            throw new JobException(table.name() + " is a view; a job writes tables");
        }
        OutputFormat format = switch (TableScan.format(table)) {
            case PARQUET -> OutputFormat.PARQUET;
            case JSON -> OutputFormat.JSONFILE;
            case TEXT -> OutputFormat.TEXTFILE;
            default -> throw new JobException("Table " + table.name() + " is stored in a format a job cannot write (it writes Parquet, text and JSON)");
        };
        Map<String, String> serde = new HashMap<>(table.parameters());
        serde.putAll(table.format().serdeParameters());
        char delimiter = TableScan.character(serde.getOrDefault("field.delim", serde.getOrDefault("serialization.format", "1")));
        String location = table.location().orElseThrow(() -> new JobException("Table " + table.name() + " has no location to write to"));
        Path home = localHome(table, table.parameters().getOrDefault(OutputCommit.HOME_PARAMETER, location));
        return output.add(new OutputCommit.Target(table, false, home, runId, format, delimiter));
    }

    private static Path localHome(CatalogTable table, String location) {
        try {
            return TableFiles.localPath(table, location);
        } catch (UnsupportedLocationException e) {
            throw new JobException("Table " + table.name() + " is at " + location + "; jobs write file: locations only", e);
        }
    }

    /** Writes one statement's rows under the target's staging folder and records them in its units. */
    private static long write(EngineSession session, OutputCommit.Target target, String query, Map<String, Optional<String>> spec,
                              boolean overwrite, int statementNumber, String runId) {
        CatalogTable table = target.table;
        List<Column> keys = table.partitionKeys();
        for (String named : spec.keySet()) {
            if (keys.stream().noneMatch(k -> k.name().equals(named))) {
                throw new JobException("PARTITION names " + named + ", which is not a partition column of " + table.name()
                        + " (" + keys.stream().map(Column::name).collect(Collectors.joining(", ")) + ")");
            }
        }
        if (!spec.isEmpty() && spec.size() != keys.size()) {
            throw new JobException("PARTITION names " + spec.size() + " of the " + keys.size() + " partition columns of " + table.name() + "; name them all, dynamic ones without a value");
        }
        Map<String, String> statics = new HashMap<>();
        boolean dynamicSeen = false;
        for (Column key : keys) {
            Optional<String> value = spec.getOrDefault(key.name(), Optional.empty());
            if (value.isPresent()) {
                if (dynamicSeen) {
                    throw new JobException("Static partition column " + key.name() + " comes after a dynamic one; static values go first");
                }
                statics.put(key.name(), value.get());
            } else {
                dynamicSeen = true;
            }
        }
        List<Column> result = session.describe(query);
        int expected = table.columns().size() + keys.size() - statics.size();
        if (result.size() != expected) {
            throw new JobException("The query gives " + result.size() + " columns; " + table.name() + " takes " + expected + " ("
                    + java.util.stream.Stream.concat(table.columns().stream(), keys.stream().filter(k -> !statics.containsKey(k.name())))
                    .map(Column::name).collect(Collectors.joining(", ")) + ", partition columns last)");
        }
        String source = query;
        if (!statics.isEmpty()) {
            List<String> positional = IntStream.range(0, result.size()).mapToObj(n -> "_c" + n).toList();
            List<String> projection = new ArrayList<>();
            int next = 0;
            for (int n = 0; n < table.columns().size(); n++) {
                projection.add(SqlText.identifier(positional.get(next++)));
            }
            for (Column key : keys) {
                projection.add(statics.containsKey(key.name()) ? SqlText.literal(statics.get(key.name())) : SqlText.identifier(positional.get(next++)));
            }
            source = "SELECT " + String.join(", ", projection) + " FROM (" + query + "\n) AS s(" + positional.stream().map(SqlText::identifier).collect(Collectors.joining(", ")) + ")";
        }
        Path directory = target.staging.resolve("s" + statementNumber);
        EngineSession.Written written = session.write(source, table.columns(), keys, target.format, target.delimiter, directory,
                "part-" + runId + "-s" + statementNumber + "-");
        if (keys.isEmpty()) {
            OutputCommit.Unit unit = target.unit(List.of());
            if (overwrite) {
                unit.replace = true;
                unit.files.clear();
            }
            unit.files.addAll(written.files());
        } else {
            Set<List<String>> cleared = new HashSet<>();
            if (overwrite && statics.size() == keys.size()) {
                List<String> values = keys.stream().map(k -> statics.get(k.name())).toList();
                OutputCommit.Unit unit = target.unit(values);
                unit.replace = true;
                unit.files.clear();
                cleared.add(values);
            }
            for (Path file : written.files()) {
                List<String> values = OutputCommit.partitionValues(directory, file, keys.size());
                OutputCommit.Unit unit = target.unit(values);
                if (overwrite && cleared.add(values)) {
                    unit.replace = true;
                    unit.files.clear();
                }
                unit.files.add(file);
            }
        }
        return written.rows();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
