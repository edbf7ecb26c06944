package dev.mortar.gateway.service;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.ForeignKeyColumn;
import dev.mortar.catalog.PrimaryKeyColumn;
import dev.mortar.catalog.TableName;
import dev.mortar.gateway.engine.duckdb.HiveTypes;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rows of HS2's metadata calls, with the columns JDBC's DatabaseMetaData defines for each. */
final class MetadataResults {
    static final String CATALOG = "";

    private MetadataResults() {}

    record Result(List<ResultColumn> columns, List<Object[]> rows) {}

    /** A JDBC search pattern (% and _, with \ as escape; Hive also takes *) as a regex; null matches all. */
    static Pattern pattern(String jdbcPattern) {
        if (jdbcPattern == null || jdbcPattern.isEmpty() || jdbcPattern.equals("*") || jdbcPattern.equals("%")) {
            return Pattern.compile(".*", Pattern.DOTALL);
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < jdbcPattern.length(); i++) {
            char c = jdbcPattern.charAt(i);
            if (c == '\\' && i + 1 < jdbcPattern.length()) {
                regex.append(Pattern.quote(String.valueOf(jdbcPattern.charAt(++i))));
            } else if (c == '%' || c == '*') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    static Result catalogs() {
        return new Result(List.of(ResultColumn.string("TABLE_CAT")), List.of());
    }

    static Result schemas(Catalog catalog, String schemaPattern) {
        Pattern p = pattern(schemaPattern);
        List<Object[]> rows = new ArrayList<>();
        for (String db : catalog.databases()) {
            if (p.matcher(db).matches()) {
                rows.add(new Object[] {db, CATALOG});
            }
        }
        return new Result(List.of(ResultColumn.string("TABLE_SCHEM"), ResultColumn.string("TABLE_CATALOG")), rows);
    }

    static Result tableTypes() {
        List<Object[]> rows = new ArrayList<>();
        for (String type : List.of("TABLE", "VIEW", "MATERIALIZED_VIEW")) {
            rows.add(new Object[] {type});
        }
        return new Result(List.of(ResultColumn.string("TABLE_TYPE")), rows);
    }

    private static List<CatalogTable> matchingTables(Catalog catalog, String schemaPattern, String tablePattern) {
        Pattern schemas = pattern(schemaPattern);
        Pattern tables = pattern(tablePattern);
        List<CatalogTable> result = new ArrayList<>();
        for (String db : catalog.databases()) {
            if (!schemas.matcher(db).matches()) {
                continue;
            }
            List<String> names = catalog.tableNames(db).stream().filter(t -> tables.matcher(t).matches()).toList();
            result.addAll(catalog.tables(db, names));
        }
        return result;
    }

    /** JDBC's table type for a catalog table: TABLE, VIEW or MATERIALIZED_VIEW (Hive's "classic" mapping). */
    static String jdbcTableType(CatalogTable table) {
        return switch (table.tableType().toUpperCase(Locale.ROOT)) {
            case "VIRTUAL_VIEW" -> "VIEW";
            case "MATERIALIZED_VIEW" -> "MATERIALIZED_VIEW";
            default -> table.isView() ? "VIEW" : "TABLE";
        };
    }

    static Result tables(Catalog catalog, String schemaPattern, String tablePattern, List<String> types) {
        List<String> wanted = types == null || types.isEmpty() ? null : types.stream().map(t -> t.toUpperCase(Locale.ROOT)).toList();
        List<Object[]> rows = new ArrayList<>();
        for (CatalogTable table : matchingTables(catalog, schemaPattern, tablePattern)) {
            String type = jdbcTableType(table);
            if (wanted != null && !wanted.contains(type) && !wanted.contains(table.tableType().toUpperCase(Locale.ROOT))) {
                continue;
            }
            rows.add(new Object[] {CATALOG, table.name().database(), table.name().table(), type, table.comment().orElse(""), null, null, null, null, null});
        }
        List<ResultColumn> columns = List.of(ResultColumn.string("TABLE_CAT"), ResultColumn.string("TABLE_SCHEM"), ResultColumn.string("TABLE_NAME"),
                ResultColumn.string("TABLE_TYPE"), ResultColumn.string("REMARKS"), ResultColumn.string("TYPE_CAT"), ResultColumn.string("TYPE_SCHEM"),
                ResultColumn.string("TYPE_NAME"), ResultColumn.string("SELF_REFERENCING_COL_NAME"), ResultColumn.string("REF_GENERATION"));
        return new Result(columns, rows);
    }

    static Result columns(Catalog catalog, String schemaPattern, String tablePattern, String columnPattern) {
        Pattern columnNames = pattern(columnPattern);
        List<Object[]> rows = new ArrayList<>();
        for (CatalogTable table : matchingTables(catalog, schemaPattern, tablePattern)) {
            int position = 0;
            for (Column column : table.allColumns()) {
                position++;
                if (!columnNames.matcher(column.name()).matches()) {
                    continue;
                }
                String hiveType = column.type();
                int jdbcType = HiveTypes.jdbcType(hiveType);
                Integer size = HiveTypes.columnSize(hiveType);
                Integer digits = HiveTypes.decimalDigits(hiveType);
                Integer radix = switch (jdbcType) {
                    case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL -> 10;
                    case Types.FLOAT, Types.DOUBLE -> 2;
                    default -> null;
                };
                rows.add(new Object[] {CATALOG, table.name().database(), table.name().table(), column.name(), jdbcType,
                        HiveTypes.typeName(hiveType), size, null, digits, radix, DatabaseMetaData.columnNullable,
                        column.comment().orElse(""), null, null, null, null, position, "YES", null, null, null, null, "NO"});
            }
        }
        List<ResultColumn> columns = List.of(ResultColumn.string("TABLE_CAT"), ResultColumn.string("TABLE_SCHEM"), ResultColumn.string("TABLE_NAME"),
                ResultColumn.string("COLUMN_NAME"), ResultColumn.integer("DATA_TYPE"), ResultColumn.string("TYPE_NAME"), ResultColumn.integer("COLUMN_SIZE"),
                ResultColumn.smallint("BUFFER_LENGTH"), ResultColumn.integer("DECIMAL_DIGITS"), ResultColumn.integer("NUM_PREC_RADIX"),
                ResultColumn.integer("NULLABLE"), ResultColumn.string("REMARKS"), ResultColumn.string("COLUMN_DEF"), ResultColumn.integer("SQL_DATA_TYPE"),
                ResultColumn.integer("SQL_DATETIME_SUB"), ResultColumn.integer("CHAR_OCTET_LENGTH"), ResultColumn.integer("ORDINAL_POSITION"),
                ResultColumn.string("IS_NULLABLE"), ResultColumn.string("SCOPE_CATALOG"), ResultColumn.string("SCOPE_SCHEMA"), ResultColumn.string("SCOPE_TABLE"),
                ResultColumn.smallint("SOURCE_DATA_TYPE"), ResultColumn.string("IS_AUTO_INCREMENT"));
        return new Result(columns, rows);
    }

    static Result primaryKeys(Catalog catalog, String schema, String table) {
        List<Object[]> rows = new ArrayList<>();
        if (schema != null && table != null) {
            for (PrimaryKeyColumn key : catalog.primaryKeys(schema.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT))) {
                rows.add(new Object[] {CATALOG, key.database(), key.table(), key.column(), key.keySeq(), key.constraintName()});
            }
        }
        return new Result(List.of(ResultColumn.string("TABLE_CAT"), ResultColumn.string("TABLE_SCHEM"), ResultColumn.string("TABLE_NAME"),
                ResultColumn.string("COLUMN_NAME"), ResultColumn.integer("KEY_SEQ"), ResultColumn.string("PK_NAME")), rows);
    }

    static Result crossReference(Catalog catalog, Optional<TableName> parent, Optional<TableName> foreign) {
        List<Object[]> rows = new ArrayList<>();
        if (parent.isPresent() || foreign.isPresent()) {
            for (ForeignKeyColumn key : catalog.foreignKeys(parent, foreign)) {
                rows.add(new Object[] {CATALOG, key.parentDatabase(), key.parentTable(), key.parentColumn(), CATALOG, key.foreignDatabase(),
                        key.foreignTable(), key.foreignColumn(), key.keySeq(), key.updateRule(), key.deleteRule(), key.constraintName(),
                        key.parentKeyName(), DatabaseMetaData.importedKeyNotDeferrable});
            }
        }
        return new Result(List.of(ResultColumn.string("PKTABLE_CAT"), ResultColumn.string("PKTABLE_SCHEM"), ResultColumn.string("PKTABLE_NAME"),
                ResultColumn.string("PKCOLUMN_NAME"), ResultColumn.string("FKTABLE_CAT"), ResultColumn.string("FKTABLE_SCHEM"),
                ResultColumn.string("FKTABLE_NAME"), ResultColumn.string("FKCOLUMN_NAME"), ResultColumn.integer("KEQ_SEQ"),
                ResultColumn.integer("UPDATE_RULE"), ResultColumn.integer("DELETE_RULE"), ResultColumn.string("FK_NAME"),
                ResultColumn.string("PK_NAME"), ResultColumn.integer("DEFERRABILITY")), rows);
    }

    /** The Hive types a query can read, with JDBC's type info columns. */
    static Result typeInfo() {
        List<Object[]> rows = new ArrayList<>();
        Object[][] types = {
                {"VOID", Types.NULL, null}, {"BOOLEAN", Types.BOOLEAN, null}, {"TINYINT", Types.TINYINT, 3}, {"SMALLINT", Types.SMALLINT, 5},
                {"INT", Types.INTEGER, 10}, {"BIGINT", Types.BIGINT, 19}, {"FLOAT", Types.FLOAT, 7}, {"DOUBLE", Types.DOUBLE, 15},
                {"STRING", Types.VARCHAR, null}, {"CHAR", Types.CHAR, null}, {"VARCHAR", Types.VARCHAR, null}, {"DATE", Types.DATE, null},
                {"TIMESTAMP", Types.TIMESTAMP, null}, {"BINARY", Types.BINARY, null}, {"DECIMAL", Types.DECIMAL, 38},
                {"ARRAY", Types.ARRAY, null}, {"MAP", Types.JAVA_OBJECT, null}, {"STRUCT", Types.STRUCT, null}};
        for (Object[] t : types) {
            int jdbc = (Integer) t[1];
            boolean numeric = t[2] != null;
            boolean text = jdbc == Types.VARCHAR || jdbc == Types.CHAR;
            rows.add(new Object[] {t[0], jdbc, t[2], text ? "'" : null, text ? "'" : null, null, DatabaseMetaData.typeNullable, !text && !numeric ? false : text,
                    (short) (jdbc == Types.ARRAY || jdbc == Types.STRUCT || jdbc == Types.JAVA_OBJECT ? DatabaseMetaData.typePredNone : DatabaseMetaData.typeSearchable),
                    !numeric, false, false, t[0], (short) 0, (short) (jdbc == Types.DECIMAL ? 38 : 0), null, null, numeric ? 10 : null});
        }
        List<ResultColumn> columns = List.of(ResultColumn.string("TYPE_NAME"), ResultColumn.integer("DATA_TYPE"), ResultColumn.integer("PRECISION"),
                ResultColumn.string("LITERAL_PREFIX"), ResultColumn.string("LITERAL_SUFFIX"), ResultColumn.string("CREATE_PARAMS"),
                ResultColumn.smallint("NULLABLE"), ResultColumn.bool("CASE_SENSITIVE"), ResultColumn.smallint("SEARCHABLE"),
                ResultColumn.bool("UNSIGNED_ATTRIBUTE"), ResultColumn.bool("FIXED_PREC_SCALE"), ResultColumn.bool("AUTO_INCREMENT"),
                ResultColumn.string("LOCAL_TYPE_NAME"), ResultColumn.smallint("MINIMUM_SCALE"), ResultColumn.smallint("MAXIMUM_SCALE"),
                ResultColumn.integer("SQL_DATA_TYPE"), ResultColumn.integer("SQL_DATETIME_SUB"), ResultColumn.integer("NUM_PREC_RADIX"));
        return new Result(columns, rows);
    }

    static List<ResultColumn> functionColumns() {
        return List.of(ResultColumn.string("FUNCTION_CAT"), ResultColumn.string("FUNCTION_SCHEM"), ResultColumn.string("FUNCTION_NAME"),
                ResultColumn.string("REMARKS"), ResultColumn.integer("FUNCTION_TYPE"), ResultColumn.string("SPECIFIC_NAME"));
    }
}
