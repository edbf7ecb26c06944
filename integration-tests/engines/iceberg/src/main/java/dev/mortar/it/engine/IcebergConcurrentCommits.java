package dev.mortar.it.engine;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hive.HiveCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Iceberg's HiveCatalog against the metastore at {@code args[0]}: creates a table, then
 * {@code args[3]} writer threads (each with its own table handle, as separate jobs would have)
 * each write and commit {@code args[4]} one-file appends at the same time. Prints what the
 * table holds afterwards.
 * Arguments: metastore URI, warehouse URI, database, threads, commits per thread.
 */
public final class IcebergConcurrentCommits {
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "writer", Types.IntegerType.get()),
            Types.NestedField.required(3, "seq", Types.IntegerType.get()));
    private static final int ROWS_PER_FILE = 3;

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String warehouse = args[1];
        String db = args[2];
        int threads = Integer.parseInt(args[3]);
        int commitsPerThread = Integer.parseInt(args[4]);
        Report report = new Report();

        HiveCatalog catalog = new HiveCatalog();
        Configuration conf = new Configuration();
        // Hadoop settings of the catalog (e.g. iceberg.hive.lock-check-max-wait-ms) come as -D system properties
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("iceberg."))
                .forEach(key -> conf.set(key, System.getProperty(key)));
        catalog.setConf(conf);
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.URI, uri);
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        properties.put(CatalogProperties.CLIENT_POOL_SIZE, String.valueOf(threads));
        catalog.initialize("mortar", properties);
        TableIdentifier id = TableIdentifier.of(db, "commits");

        report.step("create_namespace", () -> catalog.createNamespace(Namespace.of(db), Map.of("purpose", "concurrent commits")));
        report.step("create_table", () -> {
            Map<String, String> tableProperties = new HashMap<>();
            // Every writer loses the race many times; it must be able to retry until it wins.
            tableProperties.put(TableProperties.COMMIT_NUM_RETRIES, "1000");
            tableProperties.put(TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "5");
            tableProperties.put(TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "200");
            tableProperties.put(TableProperties.COMMIT_TOTAL_RETRY_TIME_MS, "600000");
            Table table = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), tableProperties);
            report.fact("table.location", table.location());
            report.fact("table.snapshots.initial", count(table.snapshots()));
        });

        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> writers = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < threads; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                Table table = catalog.loadTable(id);
                ready.countDown();
                go.await();
                for (int seq = 0; seq < commitsPerThread; seq++) {
                    try {
                        DataFile file = writeFile(table, writer, seq);
                        table.newAppend().appendFile(file).commit();
                        committed.add(file.path().toString());
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        System.out.println("@@ERROR\tcommit writer " + writer + " seq " + seq + "\t" + Report.escape(Report.describe(e)));
                        e.printStackTrace(System.err);
                    }
                }
                return null;
            }));
        }
        ready.await();
        go.countDown();
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        report.fact("commit.millis", (System.nanoTime() - start) / 1_000_000);
        report.fact("commits.succeeded", committed.size());
        report.fact("commits.failed", failures.get());

        report.step("verify", () -> {
            Table table = catalog.loadTable(id);
            List<String> files = new ArrayList<>();
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    files.add(task.file().path().toString());
                }
            }
            Set<String> distinct = new HashSet<>(files);
            report.fact("data_files", files.size());
            report.fact("data_files.distinct", distinct.size());
            report.fact("data_files.equal_committed", distinct.equals(committed));
            report.fact("snapshots", count(table.snapshots()));
            // Walk the current snapshot's ancestry: a lost commit would leave a gap in the chain.
            int ancestors = 0;
            Map<String, Integer> operations = new TreeMap<>();
            int oneFileAppends = 0;
            for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
                ancestors++;
                operations.merge(s.operation(), 1, Integer::sum);
                if ("1".equals(s.summary().get("added-data-files"))) {
                    oneFileAppends++;
                }
            }
            report.fact("snapshots.ancestry", ancestors);
            report.fact("snapshots.operations", operations);
            report.fact("snapshots.one_file_appends", oneFileAppends);
            report.fact("snapshot.total-data-files", table.currentSnapshot().summary().get("total-data-files"));
            report.fact("snapshot.total-records", table.currentSnapshot().summary().get("total-records"));
            long rows = 0;
            Set<Long> ids = new HashSet<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                for (Record r : records) {
                    rows++;
                    ids.add((Long) r.getField("id"));
                }
            }
            report.fact("rows", rows);
            report.fact("rows.distinct_ids", ids.size());
            report.fact("metadata_location", ((org.apache.iceberg.BaseTable) table).operations().current().metadataFileLocation());
        });
        report.step("drop_table", () -> report.fact("dropped", catalog.dropTable(id, true /* purge */)));
        report.step("drop_namespace", () -> report.fact("namespace.dropped", catalog.dropNamespace(Namespace.of(db))));
        System.out.println("@@DONE\t" + (report.errors() + failures.get()));
        System.exit(0);
    }

    private static DataFile writeFile(Table table, int writer, int seq) throws java.io.IOException {
        String path = table.locationProvider().newDataLocation(String.format("w%d-s%03d.parquet", writer, seq));
        DataWriter<Record> out = Parquet.writeData(table.io().newOutputFile(path))
                .schema(table.schema())
                .createWriterFunc(GenericParquetWriter::create)
                .withSpec(PartitionSpec.unpartitioned())
                .overwrite()
                .build();
        try (out) {
            for (int r = 0; r < ROWS_PER_FILE; r++) {
                GenericRecord record = GenericRecord.create(table.schema());
                record.setField("id", (long) writer * 1_000_000 + seq * 1_000L + r);
                record.setField("writer", writer);
                record.setField("seq", seq);
                out.write(record);
            }
        }
        return out.toDataFile();
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }
}
