package dev.mortar.catalog.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.CatalogTable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The table references of one parsed statement (DuckDB's {@code json_serialize_sql} tree) and, for
 * each, the partition predicates that every row it contributes must satisfy: the top-level AND terms
 * of the WHERE clause of the SELECT whose FROM names it, of the form {@code key <op> constant},
 * {@code key IN (...)} or {@code key BETWEEN a AND b}. Those become a Hive partition filter that the
 * catalog evaluates, so only matching partitions are listed and read. Anything else (OR, functions,
 * casts, subqueries) is left to DuckDB, which still filters exactly.
 */
public final class QueryAnalysis {
    public static final class TableRef {
        public final String catalog;
        public final String schema;
        public final String table;
        public final String alias;
        public final List<String> filters = new ArrayList<>();

        TableRef(JsonNode node) {
            this.catalog = node.path("catalog_name").asText("");
            this.schema = node.path("schema_name").asText("").toLowerCase(Locale.ROOT);
            this.table = node.path("table_name").asText("").toLowerCase(Locale.ROOT);
            this.alias = node.path("alias").asText("").toLowerCase(Locale.ROOT);
        }

        public boolean answersTo(String qualifier) {
            return alias.isEmpty() ? table.equals(qualifier) : alias.equals(qualifier);
        }
    }

    private static final class Scope {
        final List<TableRef> refs = new ArrayList<>();
        final List<JsonNode> conjuncts = new ArrayList<>();
    }

    private final Map<JsonNode, TableRef> refsByNode = new IdentityHashMap<>();
    private final List<TableRef> refs = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();

    public static QueryAnalysis of(JsonNode statement) {
        QueryAnalysis analysis = new QueryAnalysis();
        analysis.walk(statement);
        return analysis;
    }

    public List<TableRef> references() {
        return refs;
    }

    private void walk(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(this::walk);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String type = node.path("type").asText("");
        if (type.equals("SELECT_NODE")) {
            Scope scope = new Scope();
            collectFrom(node.get("from_table"), scope);
            flattenAnd(node.get("where_clause"), scope.conjuncts);
            scopes.add(scope);
        } else if (type.equals("BASE_TABLE") && node.has("table_name")) {
            register(node);
        }
        node.elements().forEachRemaining(this::walk);
    }

    private TableRef register(JsonNode node) {
        return refsByNode.computeIfAbsent(node, n -> {
            TableRef ref = new TableRef(n);
            refs.add(ref);
            return ref;
        });
    }

    private void collectFrom(JsonNode from, Scope scope) {
        if (from == null || !from.isObject()) {
            return;
        }
        switch (from.path("type").asText("")) {
            case "BASE_TABLE" -> scope.refs.add(register(from));
            case "JOIN" -> {
                collectFrom(from.get("left"), scope);
                collectFrom(from.get("right"), scope);
            }
            default -> { }
        }
    }

    private static void flattenAnd(JsonNode expression, List<JsonNode> out) {
        if (expression == null || expression.isNull()) {
            return;
        }
        if (expression.path("type").asText("").equals("CONJUNCTION_AND")) {
            expression.path("children").forEach(child -> flattenAnd(child, out));
        } else {
            out.add(expression);
        }
    }

    /**
     * Attaches to each reference the Hive filter terms its scope implies.
     * @param tables the catalog table (not view) a reference reads, if any
     */
    public void derivePartitionFilters(Function<TableRef, Optional<CatalogTable>> tables) {
        for (Scope scope : scopes) {
            for (JsonNode conjunct : scope.conjuncts) {
                toFilter(conjunct, scope, tables);
            }
        }
    }

    /** The Hive filter that covers every use of a table, or empty when some use needs all partitions. */
    public static Optional<String> combined(List<TableRef> uses) {
        List<String> alternatives = new ArrayList<>();
        for (TableRef use : uses) {
            if (use.filters.isEmpty()) {
                return Optional.empty();
            }
            alternatives.add("(" + String.join(" and ", use.filters) + ")");
        }
        return alternatives.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", alternatives.stream().distinct().toList()));
    }

    private void toFilter(JsonNode conjunct, Scope scope, Function<TableRef, Optional<CatalogTable>> tables) {
        String type = conjunct.path("type").asText("");
        JsonNode column;
        List<JsonNode> constants = new ArrayList<>();
        String op;
        switch (type) {
            case "COMPARE_EQUAL", "COMPARE_NOTEQUAL", "COMPARE_LESSTHAN", "COMPARE_GREATERTHAN",
                 "COMPARE_LESSTHANOREQUALTO", "COMPARE_GREATERTHANOREQUALTO" -> {
                JsonNode left = conjunct.get("left");
                JsonNode right = conjunct.get("right");
                if (isColumn(left) && isConstant(right)) {
                    column = left;
                    constants.add(right);
                    op = operator(type, false);
                } else if (isColumn(right) && isConstant(left)) {
                    column = right;
                    constants.add(left);
                    op = operator(type, true);
                } else {
                    return;
                }
            }
            case "COMPARE_IN" -> {
                JsonNode children = conjunct.path("children");
                if (children.size() < 2 || !isColumn(children.get(0))) {
                    return;
                }
                column = children.get(0);
                for (int i = 1; i < children.size(); i++) {
                    if (!isConstant(children.get(i))) {
                        return;
                    }
                    constants.add(children.get(i));
                }
                op = "in";
            }
            case "COMPARE_BETWEEN" -> {
                if (!isColumn(conjunct.get("input")) || !isConstant(conjunct.get("lower")) || !isConstant(conjunct.get("upper"))) {
                    return;
                }
                column = conjunct.get("input");
                constants.add(conjunct.get("lower"));
                constants.add(conjunct.get("upper"));
                op = "between";
            }
            default -> {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        column.path("column_names").forEach(n -> names.add(n.asText().toLowerCase(Locale.ROOT)));
        String columnName = names.get(names.size() - 1);
        TableRef target = null;
        if (names.size() >= 2) {
            String qualifier = names.get(names.size() - 2);
            for (TableRef ref : scope.refs) {
                if (ref.answersTo(qualifier)) {
                    target = ref;
                }
            }
        } else {
            for (TableRef ref : scope.refs) {
                Optional<CatalogTable> table = tables.apply(ref);
                // an unqualified name binds to the one table of this FROM that has it; if none is known, give up
                if (table.isEmpty()) {
                    return;
                }
                if (table.get().allColumns().stream().anyMatch(c -> c.name().equalsIgnoreCase(columnName))) {
                    if (target != null) {
                        return;
                    }
                    target = ref;
                }
            }
        }
        if (target == null) {
            return;
        }
        Optional<CatalogTable> table = tables.apply(target);
        if (table.isEmpty()) {
            return;
        }
        Optional<Column> key = table.get().partitionKeys().stream().filter(k -> k.name().equalsIgnoreCase(columnName)).findFirst();
        if (key.isEmpty()) {
            return;
        }
        String keyType = key.get().type().trim().toLowerCase(Locale.ROOT);
        boolean stringKey = keyType.equals("string") || keyType.startsWith("varchar") || keyType.startsWith("char");
        boolean integralKey = switch (keyType) {
            case "tinyint", "smallint", "int", "integer", "bigint" -> true;
            default -> false;
        };
        // Ranges are pushed only for string keys, whose order is the same in the catalog and in DuckDB.
        if (!stringKey && !(integralKey && (op.equals("=") || op.equals("in")))) {
            return;
        }
        List<String> literals = new ArrayList<>();
        for (JsonNode constant : constants) {
            Optional<String> literal = hiveLiteral(constant, stringKey);
            if (literal.isEmpty()) {
                return;
            }
            literals.add(literal.get());
        }
        String k = key.get().name();
        String filter = switch (op) {
            case "in" -> "(" + String.join(" or ", literals.stream().map(l -> k + " = " + l).toList()) + ")";
            case "between" -> "(" + k + " >= " + literals.get(0) + " and " + k + " <= " + literals.get(1) + ")";
            default -> k + " " + op + " " + literals.get(0);
        };
        target.filters.add(filter);
    }

    private static boolean isColumn(JsonNode node) {
        return node != null && node.path("class").asText("").equals("COLUMN_REF");
    }

    private static boolean isConstant(JsonNode node) {
        return node != null && node.path("type").asText("").equals("VALUE_CONSTANT") && !node.path("value").path("is_null").asBoolean(true);
    }

    private static Optional<String> hiveLiteral(JsonNode constant, boolean stringKey) {
        JsonNode value = constant.path("value");
        String typeId = value.path("type").path("id").asText("");
        JsonNode raw = value.path("value");
        if (stringKey) {
            if (!typeId.equals("VARCHAR") || !raw.isTextual()) {
                return Optional.empty();
            }
            String text = raw.asText();
            if (text.contains("'") || text.contains("\"") || text.contains("\\")) {
                return Optional.empty();
            }
            return Optional.of("'" + text + "'");
        }
        return switch (typeId) {
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT" -> raw.canConvertToLong() ? Optional.of(Long.toString(raw.asLong())) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static String operator(String type, boolean flipped) {
        return switch (type) {
            case "COMPARE_EQUAL" -> "=";
            case "COMPARE_NOTEQUAL" -> "<>";
            case "COMPARE_LESSTHAN" -> flipped ? ">" : "<";
            case "COMPARE_GREATERTHAN" -> flipped ? "<" : ">";
            case "COMPARE_LESSTHANOREQUALTO" -> flipped ? ">=" : "<=";
            case "COMPARE_GREATERTHANOREQUALTO" -> flipped ? "<=" : ">=";
            default -> throw new IllegalArgumentException(type);
        };
    }
}
