package dev.mortar.gateway.engine.trino;

import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.engine.FunctionInfo;
import dev.mortar.gateway.engine.PreparedQuery;
import dev.mortar.gateway.engine.QueryEngine;
import dev.mortar.gateway.engine.QueryRequest;
import dev.mortar.catalog.duckdb.HiveDialect;
import dev.mortar.gateway.service.ResultColumn;
import io.trino.jdbc.NonRegisteringTrinoDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Forwards queries to a Trino coordinator through Trino's JDBC driver. The session's database is the
 * Trino schema and {@code mortar.gateway.trino.catalog} (a Trino catalog on this Mortar metastore)
 * the catalog, so {@code db.table} names the same table as in Hive. Rows stream from Trino page by
 * page as the client fetches them; cancelling the statement cancels the Trino query.
 */
public final class TrinoEngine implements QueryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(TrinoEngine.class);
    private static final Pattern LEADING_COMMENTS = Pattern.compile("(?s)^(\\s*(--[^\\n]*(\\n|$)|/\\*.*?\\*/))*\\s*");
    private static final Pattern EXPLAIN = Pattern.compile("(?is)^explain\\s+(analyze\\s+)?(verbose\\s+)?(\\([^)]*\\)\\s*)?(.*)$");
    private static final Pattern FIRST_WORD = Pattern.compile("^\\(*\\s*([A-Za-z]+)");
    /** Statements that only read: the gateway never changes the catalog or its data, whatever the engine. */
    private static final Set<String> QUERIES = Set.of("select", "with", "values", "table", "show", "describe");
    /** Trino's other statements, refused here; any other first word is Trino's syntax error to report. */
    private static final Set<String> NOT_QUERIES = Set.of("alter", "analyze", "call", "comment", "commit", "create", "deallocate", "delete",
            "deny", "drop", "execute", "grant", "insert", "merge", "prepare", "refresh", "reset", "revoke", "rollback", "set", "start",
            "truncate", "update", "use");

    private final String url;
    private final String user;
    private final String catalog;
    private final Driver driver = new Driver();

    /** The driver without its registration in DriverManager: the gateway owns it, and closes its HTTP client. */
    private static final class Driver extends NonRegisteringTrinoDriver {}

    /**
     * @param url the coordinator, {@code http://host:port}, {@code https://host:port} or {@code jdbc:trino://host:port}
     * @param user the Trino user the gateway's queries run as
     * @param catalog the Trino catalog on this metastore (a hive connector catalog)
     */
    public TrinoEngine(String url, String user, String catalog) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("mortar.gateway.trino.url must name the Trino coordinator (http://host:8080)");
        }
        if (catalog == null || catalog.isBlank()) {
            throw new IllegalArgumentException("mortar.gateway.trino.catalog must name the Trino catalog on this metastore");
        }
        this.url = jdbcUrl(url.strip());
        this.user = user == null || user.isBlank() ? "mortar" : user.strip();
        this.catalog = catalog.strip();
    }

    static String jdbcUrl(String url) {
        if (url.startsWith("jdbc:trino://")) {
            return url;
        }
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("mortar.gateway.trino.url must be http://host:port, https://host:port or jdbc:trino://host:port, not " + url);
        }
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        return "jdbc:trino://" + uri.getHost() + ":" + port + (tls ? "?SSL=true" : "");
    }

    public String catalog() {
        return catalog;
    }

    @Override
    public String version() {
        try (Connection c = open(null); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return "Trino " + rs.getString(1);
        } catch (SQLException | GatewayException e) {
            return "Trino (version unknown)";
        }
    }

    @Override
    public List<FunctionInfo> functions() {
        List<FunctionInfo> functions = new ArrayList<>();
        try (Connection c = open(null); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW FUNCTIONS")) {
            String last = null;
            while (rs.next()) {
                String name = rs.getString("Function");
                // one row per signature: keep the first of each name, as for DuckDB
                if (!name.equals(last)) {
                    functions.add(new FunctionInfo(name, rs.getString("Description"), "table".equalsIgnoreCase(rs.getString("Function Type"))));
                    last = name;
                }
            }
        } catch (SQLException e) {
            throw TrinoErrors.map(e);
        }
        return functions;
    }

    @Override
    public PreparedQuery prepare(QueryRequest request) {
        // backticks become Trino's "quoted identifiers"; `default` as a schema name is quoted too
        String sql = HiveDialect.toDuckDb(HiveDialect.trimStatement(request.statement()));
        if (sql.isEmpty()) {
            throw new GatewayException(GatewayException.SYNTAX_ERROR, "Empty statement");
        }
        checkReadOnly(sql);
        String schema = request.currentDatabase().toLowerCase(Locale.ROOT);
        Connection connection = open(schema);
        request.log().accept("Running on Trino " + url.substring("jdbc:trino://".length()) + ", catalog " + catalog + ", schema " + schema);
        return new PreparedQuery(connection, sql, this);
    }

    static void checkReadOnly(String sql) {
        String statement = LEADING_COMMENTS.matcher(sql).replaceFirst("");
        Matcher explain = EXPLAIN.matcher(statement);
        if (explain.matches()) {
            statement = LEADING_COMMENTS.matcher(explain.group(4)).replaceFirst("");
        }
        Matcher word = FIRST_WORD.matcher(statement);
        String first = word.find() ? word.group(1).toLowerCase(Locale.ROOT) : "";
        if (NOT_QUERIES.contains(first) || (explain.matches() && !QUERIES.contains(first))) {
            throw new GatewayException(GatewayException.NOT_SUPPORTED,
                    "Only queries (SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE, EXPLAIN) run on the gateway; it does not change the catalog or its data");
        }
    }

    private Connection open(String schema) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("source", "mortar-gateway");
        properties.setProperty("catalog", catalog);
        if (schema != null) {
            properties.setProperty("schema", schema);
        }
        try {
            return driver.connect(url, properties);
        } catch (SQLException e) {
            throw new GatewayException(GatewayException.CATALOG_UNAVAILABLE, "Cannot connect to Trino at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ResultColumn column(ResultSetMetaData meta, int index) throws SQLException {
        return ResultColumn.ofTrino(meta.getColumnLabel(index), meta.getColumnTypeName(index), meta.getPrecision(index), meta.getScale(index));
    }

    @Override
    public GatewayException error(SQLException e) {
        return TrinoErrors.map(e);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } catch (IOException e) {
            LOG.debug("Closing Trino's JDBC driver: {}", e.getMessage());
        }
    }
}
