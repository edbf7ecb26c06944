package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mortar catalog ...}: the catalog of a running server (through its Glue API), without the AWS CLI.
 * Errors of the API print as {@code Error: <ErrorType>: <message>} and exit with status 1.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Show the catalog of a running Mortar server: databases, tables, a table, partitions.",
        subcommands = {CatalogCommand.Databases.class, CatalogCommand.Tables.class, CatalogCommand.Table.class, CatalogCommand.Partitions.class})
final class CatalogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** DB.TABLE split at its first dot. */
    static String[] qualified(String name) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new IllegalArgumentException("Name the table as DATABASE.TABLE, not '" + name + "'");
        }
        return new String[] {name.substring(0, dot), name.substring(dot + 1)};
    }

    /** The table's format: the classification a crawler or Glue client gave it, else what its input format and serde say. */
    private static String format(JsonNode table) {
        if (table.path("Parameters").hasNonNull("classification")) {
            return table.path("Parameters").path("classification").asText();
        }
        JsonNode sd = table.path("StorageDescriptor");
        String input = sd.path("InputFormat").asText("");
        String serde = sd.path("SerdeInfo").path("SerializationLibrary").asText("");
        String both = (input + " " + serde).toLowerCase(java.util.Locale.ROOT);
        for (String f : List.of("parquet", "orc", "avro", "json", "csv", "lazysimpleserde", "text")) {
            if (both.contains(f)) {
                return switch (f) {
                    case "lazysimpleserde", "text" -> "text";
                    default -> f;
                };
            }
        }
        return input.isEmpty() ? "-" : input.substring(input.lastIndexOf('.') + 1);
    }

    @Command(name = "databases", mixinStandardHelpOptions = true, description = "The databases: name, location, description.")
    static final class Databases extends ApiCommand {
        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            TextTable table = new TextTable("DATABASE", "LOCATION", "DESCRIPTION");
            glue.pages("GetDatabases", GlueApiClient.object(), "DatabaseList",
                    d -> table.row(d.path("Name").asText(), d.path("LocationUri").asText("-"), d.path("Description").asText("-")));
            table.print(out);
            return 0;
        }
    }

    @Command(name = "tables", mixinStandardHelpOptions = true, description = "The tables of a database: type, format, columns, partition keys, location.")
    static final class Tables extends ApiCommand {
        @Parameters(index = "0", description = "Database")
        String database;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            TextTable table = new TextTable("TABLE", "TYPE", "FORMAT", "COLUMNS", "PARTITION KEYS", "LOCATION");
            glue.pages("GetTables", GlueApiClient.object().put("DatabaseName", database), "TableList", t -> {
                JsonNode sd = t.path("StorageDescriptor");
                List<String> keys = new ArrayList<>();
                t.path("PartitionKeys").forEach(k -> keys.add(k.path("Name").asText()));
                table.row(t.path("Name").asText(), t.path("TableType").asText("-"), format(t), sd.path("Columns").size(),
                        keys.isEmpty() ? "-" : String.join(",", keys), sd.path("Location").asText("-"));
            });
            table.print(out);
            return 0;
        }
    }

    @Command(name = "table", mixinStandardHelpOptions = true, description = "One table: location, format, columns, partition keys and parameters.")
    static final class Table extends ApiCommand {
        @Parameters(index = "0", description = "DATABASE.TABLE")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            String[] dbTable = qualified(name);
            JsonNode t = glue.call("GetTable", GlueApiClient.object().put("DatabaseName", dbTable[0]).put("Name", dbTable[1])).path("Table");
            JsonNode sd = t.path("StorageDescriptor");
            out.printf("Table     %s.%s (%s)%n", dbTable[0], t.path("Name").asText(), t.path("TableType").asText("-"));
            out.printf("Location  %s%n", sd.path("Location").asText("-"));
            out.printf("Format    %s (input %s, serde %s)%n", format(t), sd.path("InputFormat").asText("-"),
                    sd.path("SerdeInfo").path("SerializationLibrary").asText("-"));
            if (t.hasNonNull("Description")) {
                out.printf("Comment   %s%n", t.path("Description").asText());
            }
            out.println();
            TextTable columns = new TextTable("COLUMN", "TYPE", "KIND", "COMMENT").ruled();
            sd.path("Columns").forEach(c -> columns.row(c.path("Name").asText(), c.path("Type").asText(), "column", c.path("Comment").asText("")));
            t.path("PartitionKeys").forEach(c -> columns.row(c.path("Name").asText(), c.path("Type").asText(), "partition key", c.path("Comment").asText("")));
            columns.print(out);
            if (!t.path("Parameters").isEmpty()) {
                out.println();
                TextTable parameters = new TextTable("PARAMETER", "VALUE").ruled();
                t.path("Parameters").properties().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(p -> parameters.row(p.getKey(), p.getValue().asText()));
                parameters.print(out);
            }
            return 0;
        }
    }

    @Command(name = "partitions", mixinStandardHelpOptions = true, description = "The partitions of a table: values and location.")
    static final class Partitions extends ApiCommand {
        @Parameters(index = "0", description = "DATABASE.TABLE")
        String name;

        @Option(names = "--filter", description = "Only the partitions this expression selects, in Hive's filter language: ds >= '2024-01-02' AND region = 'eu'")
        String filter;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            String[] dbTable = qualified(name);
            JsonNode t = glue.call("GetTable", GlueApiClient.object().put("DatabaseName", dbTable[0]).put("Name", dbTable[1])).path("Table");
            List<String> header = new ArrayList<>();
            t.path("PartitionKeys").forEach(k -> header.add(k.path("Name").asText().toUpperCase(java.util.Locale.ROOT)));
            if (header.isEmpty()) {
                throw new IllegalArgumentException("Table " + name + " has no partition keys");
            }
            header.add("LOCATION");
            TextTable table = new TextTable(header.toArray(String[]::new));
            ObjectNode input = GlueApiClient.object().put("DatabaseName", dbTable[0]).put("TableName", dbTable[1]);
            if (filter != null) {
                input.put("Expression", filter);
            }
            glue.pages("GetPartitions", input, "Partitions", p -> {
                List<Object> cells = new ArrayList<>();
                p.path("Values").forEach(v -> cells.add(v.asText()));
                cells.add(p.path("StorageDescriptor").path("Location").asText("-"));
                table.row(cells.toArray());
            });
            table.print(out);
            out.printf("(%d partition%s)%n", table.rows(), table.rows() == 1 ? "" : "s");
            return 0;
        }
    }
}
