package dev.mortar.metastore.store;

import java.util.Map;

/** The SQL differences between the catalog databases Mortar runs on. */
public enum Dialect {
    // H2 keeps BLOB and CLOB values out of line, one lookup each; VARBINARY and VARCHAR stay in the row.
    H2("VARBINARY(1000000000)", "VARCHAR(1000000000)", ""),
    MYSQL("LONGBLOB", "LONGTEXT", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"),
    POSTGRES("BYTEA", "TEXT", "");

    private final String blobType;
    private final String textType;
    private final String tableOptions;

    Dialect(String blobType, String textType, String tableOptions) {
        this.blobType = blobType;
        this.textType = textType;
        this.tableOptions = tableOptions;
    }

    public static Dialect fromJdbcUrl(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("Unsupported catalog store URL (use jdbc:h2:, jdbc:mysql:, jdbc:mariadb: or jdbc:postgresql:): " + url);
    }

    public Map<String, String> migrationPlaceholders() {
        return Map.of("blob", blobType, "text", textType, "table_options", tableOptions,
                "partition_names_code_point_order", this == POSTGRES ? "ALTER TABLE m_partitions ALTER COLUMN part_name TYPE VARCHAR(760) COLLATE \"C\";" : "",
                "task_id_128", switch (this) {
                    case H2 -> "ALTER TABLE g_crawl_tasks ALTER COLUMN task_id VARCHAR(128);";
                    case MYSQL -> "ALTER TABLE g_crawl_tasks MODIFY task_id VARCHAR(128) NOT NULL;";
                    case POSTGRES -> "ALTER TABLE g_crawl_tasks ALTER COLUMN task_id TYPE VARCHAR(128);";
                });
    }

    /** Orders strings by code point, as the Hive Metastore sorts partition names, whatever the database collation. */
    public String binaryOrder(String column) {
        return this == POSTGRES ? column + " COLLATE \"C\"" : column;
    }
}
