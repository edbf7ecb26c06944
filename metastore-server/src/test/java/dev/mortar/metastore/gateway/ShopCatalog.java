package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small shop in the catalog, registered with the real Hive client, its files written by DuckDB:
 * {@code shop.orders} (Parquet, partitioned by ds), {@code shop.customers} (CSV with a header and
 * quoted fields, OpenCSVSerde), {@code shop.regions} (TSV, LazySimpleSerDe, \N for NULL),
 * {@code shop.events} (JSON lines) and the view {@code shop.big_orders}.
 */
final class ShopCatalog {
    static final List<String> DAYS = List.of("2024-01-01", "2024-01-02", "2024-01-03");

    final Path root;

    private ShopCatalog(Path root) {
        this.root = root;
    }

    static ShopCatalog create(TestServer server) throws Exception {
        ShopCatalog shop = new ShopCatalog(server.dataDir.resolve("shop-data"));
        shop.writeFiles();
        try (HiveMetaStoreClient client = server.client()) {
            shop.register(client);
        }
        return shop;
    }

    Path partitionDir(String day) {
        return root.resolve("orders").resolve("ds=" + day);
    }

    static Connection duckdb() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:");
    }

    private void writeFiles() throws Exception {
        Files.createDirectories(root);
        String[] orders = {
                "(1, 1, 120.50, DATE '2024-01-01', 'first'), (2, 2, 35.25, DATE '2024-01-01', NULL), (3, 1, 99.99, DATE '2024-01-01', 'gift')",
                "(4, 3, 250.00, DATE '2024-01-02', NULL), (5, 4, 10.10, DATE '2024-01-02', 'small')",
                "(6, 2, 75.00, DATE '2024-01-03', 'x'), (7, 9, 5.05, DATE '2024-01-03', 'unknown customer')"};
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            for (int i = 0; i < DAYS.size(); i++) {
                Path dir = partitionDir(DAYS.get(i));
                Files.createDirectories(dir);
                s.execute("COPY (SELECT order_id::BIGINT AS order_id, customer_id::INTEGER AS customer_id, amount::DECIMAL(10,2) AS amount, "
                        + "order_date, note FROM (VALUES " + orders[i] + ") v(order_id, customer_id, amount, order_date, note)) TO '"
                        + dir.resolve("part-00000.parquet") + "' (FORMAT parquet)");
                // bookkeeping files that engines leave behind are not data
                Files.writeString(dir.resolve("_SUCCESS"), "");
            }
            Files.createDirectories(root.resolve("customers"));
            s.execute("COPY (SELECT * FROM (VALUES (1, 'Alice', 'Berlin', DATE '2023-05-01'), (2, 'Bob', NULL, DATE '2023-06-15'), "
                    + "(3, 'Carla', 'Lisbon', DATE '2023-07-20'), (4, 'Dan, Jr.', 'Paris', DATE '2024-01-10')) v(customer_id, name, city, signup)) TO '"
                    + root.resolve("customers/customers.csv") + "' (HEADER, DELIMITER ',', QUOTE '\"')");
            Files.createDirectories(root.resolve("regions"));
            Files.writeString(root.resolve("regions/regions.tsv"), "Berlin\tDE\t3.7\nLisbon\tPT\t\\N\nParis\tFR\t2.1\n");
            Files.createDirectories(root.resolve("events"));
            s.execute("COPY (SELECT * FROM (VALUES (1, 1, 'login', TIMESTAMP '2024-01-01 10:00:00', 1.5), (2, 1, 'buy', TIMESTAMP '2024-01-01 10:05:30', 2.25), "
                    + "(3, 2, 'login', TIMESTAMP '2024-01-02 08:00:00', NULL), (4, 3, 'login', TIMESTAMP '2024-01-02 09:30:00', 0.5)) "
                    + "v(event_id, customer_id, kind, ts, score)) TO '" + root.resolve("events/events.json") + "' (FORMAT json)");
        }
    }

    private void register(HiveMetaStoreClient client) throws Exception {
        Database db = new Database("shop", "the test shop", null, new HashMap<>());
        db.setOwnerName("tester");
        client.createDatabase(db);

        Table orders = table("orders", List.of(col("order_id", "bigint"), col("customer_id", "int"), col("amount", "decimal(10,2)"),
                        col("order_date", "date"), col("note", "string")),
                sd(root.resolve("orders"), "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of()));
        orders.setPartitionKeys(List.of(col("ds", "string")));
        client.createTable(orders);
        List<Partition> partitions = new ArrayList<>();
        for (String day : DAYS) {
            Partition p = new Partition();
            p.setDbName("shop");
            p.setTableName("orders");
            p.setValues(List.of(day));
            p.setSd(orders.getSd().deepCopy());
            p.getSd().setLocation(partitionDir(day).toUri().toString());
            p.setParameters(new HashMap<>());
            partitions.add(p);
        }
        client.add_partitions(partitions);

        Table customers = table("customers", List.of(col("customer_id", "int"), col("name", "string"), col("city", "string"), col("signup", "date")),
                sd(root.resolve("customers"), "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                        Map.of("separatorChar", ",", "quoteChar", "\"")));
        customers.getParameters().put("skip.header.line.count", "1");
        client.createTable(customers);
        client.addPrimaryKey(List.of(new SQLPrimaryKey("shop", "customers", "customer_id", 1, "customers_pk", false, false, false)));

        Table regions = table("regions", List.of(col("city", "string"), col("country", "string"), col("population_m", "double")),
                sd(root.resolve("regions"), "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                        Map.of("field.delim", "\t", "serialization.format", "\t")));
        client.createTable(regions);

        Table events = table("events", List.of(col("event_id", "bigint"), col("customer_id", "int"), col("kind", "string"),
                        col("ts", "timestamp"), col("score", "double")),
                sd(root.resolve("events"), "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hive.hcatalog.data.JsonSerDe", Map.of()));
        client.createTable(events);

        SQLForeignKey fk = new SQLForeignKey("shop", "customers", "customer_id", "shop", "orders", "customer_id", 1, 0, 0, "orders_customer_fk", "customers_pk", false, false, false);
        client.addForeignKey(List.of(fk));

        Table view = new Table();
        view.setDbName("shop");
        view.setTableName("big_orders");
        view.setOwner("tester");
        view.setTableType("VIRTUAL_VIEW");
        view.setViewOriginalText("SELECT order_id, amount FROM shop.orders WHERE amount > 100");
        view.setViewExpandedText("SELECT `orders`.`order_id`, `orders`.`amount` FROM `shop`.`orders` WHERE `orders`.`amount` > 100");
        StorageDescriptor viewSd = new StorageDescriptor();
        viewSd.setCols(new ArrayList<>(List.of(col("order_id", "bigint"), col("amount", "decimal(10,2)"))));
        viewSd.setSerdeInfo(new SerDeInfo());
        view.setSd(viewSd);
        view.setPartitionKeys(new ArrayList<>());
        view.setParameters(new HashMap<>());
        client.createTable(view);
    }

    static FieldSchema col(String name, String type) {
        return new FieldSchema(name, type, null);
    }

    static StorageDescriptor sd(Path location, String inputFormat, String serde, Map<String, String> serdeParams) {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setLocation(location.toUri().toString());
        sd.setInputFormat(inputFormat);
        sd.setOutputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
        sd.setSerdeInfo(new SerDeInfo(null, serde, new HashMap<>(serdeParams)));
        sd.setCompressed(false);
        sd.setNumBuckets(-1);
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());
        sd.setParameters(new HashMap<>());
        return sd;
    }

    static Table table(String name, List<FieldSchema> columns, StorageDescriptor sd) {
        Table t = new Table();
        t.setDbName("shop");
        t.setTableName(name);
        t.setOwner("tester");
        t.setTableType("EXTERNAL_TABLE");
        sd.setCols(new ArrayList<>(columns));
        t.setSd(sd);
        t.setPartitionKeys(new ArrayList<>());
        t.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE")));
        return t;
    }
}
