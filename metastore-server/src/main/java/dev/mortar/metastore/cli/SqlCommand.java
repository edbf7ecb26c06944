package dev.mortar.metastore.cli;

import dev.mortar.metastore.config.MortarConfig;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code mortar sql}: a SQL shell on the server's HiveServer2 gateway, through the Hive JDBC driver. Statements end
 * with {@code ;} and may span lines; results print as aligned columns. With {@code -e} or {@code -f} it runs the
 * statements and exits 1 at the first that fails; interactively it keeps a history and goes on after an error.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "SQL shell on the server's query gateway (HiveServer2 protocol, Hive JDBC driver).")
final class SqlCommand implements Callable<Integer> {
    @Option(names = {"-u", "--url"}, description = "JDBC URL of the gateway (default: jdbc:hive2://127.0.0.1:<mortar.gateway.port>/<database>)")
    String url;

    @Option(names = {"-d", "--database"}, defaultValue = "default", description = "Database of unqualified table names (default: ${DEFAULT-VALUE})")
    String database;

    @Option(names = {"-n", "--user"}, description = "User name (default: the login name)")
    String user;

    @Option(names = {"-p", "--password"}, description = "Password, when the gateway has mortar.gateway.users (default: MORTAR_SQL_PASSWORD)")
    String password;

    @Option(names = {"-e", "--execute"}, description = "Run these statements and exit")
    String execute;

    @Option(names = {"-f", "--file"}, description = "Run the statements of this file and exit")
    Path file;

    @Option(names = "--config", description = "Mortar properties file, for the gateway's port (default: conf/mortar.properties)")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (execute != null && file != null) {
            err.println("Error: give -e or -f, not both");
            return 2;
        }
        String script = null;
        try {
            if (file != null) {
                script = Files.readString(file);
            } else if (execute != null) {
                script = execute;
            }
        } catch (IOException e) {
            err.println("Error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        String jdbcUrl;
        try {
            jdbcUrl = url != null ? url : "jdbc:hive2://127.0.0.1:" + gatewayPort() + "/" + database;
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        try (Connection connection = connect(jdbcUrl)) {
            if (script != null) {
                for (String statement : SqlStatements.split(script)) {
                    if (!run(connection, statement, out, err)) {
                        return 1;
                    }
                }
                return 0;
            }
            return interactive(connection, jdbcUrl, out, err);
        } catch (SQLException e) {
            err.println("Error: cannot connect to the SQL gateway at " + jdbcUrl + ": " + message(e) + " (is the server running? -u sets where)");
            err.flush();
            return 1;
        }
    }

    private int gatewayPort() {
        MortarConfig.Builder builder = MortarConfig.builder();
        if (config != null) {
            builder.requiredPropertiesFile(config);
        } else {
            builder.propertiesFile(MortarCli.defaultPropertiesFile());
        }
        return builder.environment(System.getenv()).build().getInt("mortar.gateway.port");
    }

    private int interactive(Connection connection, String jdbcUrl, PrintWriter out, PrintWriter err) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("mortar-sql")
                    .parser(new StatementParser())
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".mortar_sql_history"))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "      > ")
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            PrintWriter console = terminal.writer();
            console.println("Connected to " + jdbcUrl + ". Statements end with ;  quit or Ctrl-D leaves.");
            while (true) {
                String text;
                try {
                    text = reader.readLine("mortar> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                if (StatementParser.quits(text)) {
                    return 0;
                }
                for (String statement : SqlStatements.split(text)) {
                    run(connection, statement, console, console);
                }
            }
        }
    }

    /** Reads on, with the secondary prompt, until the text ends a statement: a multi-line statement is one history entry. */
    private static final class StatementParser extends org.jline.reader.impl.DefaultParser {
        static boolean quits(String text) {
            return List.of("quit", "exit", "quit;", "exit;").contains(text.strip().toLowerCase(Locale.ROOT));
        }

        @Override
        public org.jline.reader.ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !line.isBlank() && !quits(line) && !SqlStatements.complete(line)) {
                throw new org.jline.reader.EOFError(-1, cursor, "the statement goes on until ;");
            }
            return super.parse(line, cursor, context);
        }
    }

    /** Runs one statement and prints its result; false when it failed (the error is printed). */
    static boolean run(Connection connection, String sql, PrintWriter out, PrintWriter err) {
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet()) {
                    ResultSetMetaData meta = rows.getMetaData();
                    String[] header = new String[meta.getColumnCount()];
                    for (int i = 0; i < header.length; i++) {
                        header[i] = meta.getColumnLabel(i + 1);
                    }
                    TextTable table = new TextTable(header).ruled();
                    while (rows.next()) {
                        Object[] cells = new Object[header.length];
                        for (int i = 0; i < header.length; i++) {
                            String value = rows.getString(i + 1);
                            cells[i] = value == null ? "NULL" : value;
                        }
                        table.row(cells);
                    }
                    table.print(out);
                    out.printf(Locale.ROOT, "(%d row%s, %.2f s)%n", table.rows(), table.rows() == 1 ? "" : "s", (System.nanoTime() - started) / 1e9);
                }
            } else {
                out.printf(Locale.ROOT, "OK (%.2f s)%n", (System.nanoTime() - started) / 1e9);
            }
            out.flush();
            warnings(statement).forEach(err::println);
            err.flush();
            return true;
        } catch (SQLException e) {
            err.println("Error: " + message(e));
            err.flush();
            return false;
        }
    }

    /** The warnings of the statement's operation log (HiveStatement.getQueryLog; the driver is in its own class loader). */
    private static List<String> warnings(Statement statement) {
        try {
            Object log = statement.getClass().getMethod("getQueryLog").invoke(statement);
            List<String> warnings = new ArrayList<>();
            if (log instanceof List<?> lines) {
                lines.stream().map(String::valueOf).filter(l -> l.startsWith("WARNING")).forEach(warnings::add);
            }
            return warnings;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of();
        }
    }

    /** The driver's message without the wrapping it adds ("Error while compiling statement: "). */
    private static String message(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceFirst("^Error while (compiling|processing) statement: ", "");
    }

    private Connection connect(String jdbcUrl) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user != null ? user : System.getProperty("user.name", "mortar"));
        String secret = password != null ? password : System.getenv("MORTAR_SQL_PASSWORD");
        properties.setProperty("password", secret == null ? "" : secret);
        // the driver's jar looks for a logging binding it does not carry and says so on stderr; that is not the user's concern
        java.io.PrintStream stderr = System.err;
        Connection connection;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            connection = HiveDriver.INSTANCE.connect(jdbcUrl, properties);
        } finally {
            System.setErr(stderr);
        }
        if (connection == null) {
            throw new SQLException("not a jdbc:hive2:// URL");
        }
        return connection;
    }

    /**
     * The Hive JDBC driver, from its self-contained jar ({@code mortar.hive.jdbc.jar}, or the build's
     * {@code metastore-server/target/sql-client/}) in a class loader that sees only it and the JDK.
     */
    private static final class HiveDriver {
        static final Driver INSTANCE = load();

        private static Driver load() {
            String configured = System.getProperty("mortar.hive.jdbc.jar");
            String home = System.getProperty("mortar.home", ".");
            Path jar = configured != null ? Path.of(configured) : Path.of(home, "metastore-server", "target", "sql-client", "hive-jdbc-standalone.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("The Hive JDBC driver is not at " + jar + " (bin/mortar builds it; or set -Dmortar.hive.jdbc.jar)");
            }
            try {
                URLClassLoader isolated = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                return (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, isolated).getConstructor().newInstance();
            } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
                throw new IllegalStateException("Cannot load the Hive JDBC driver from " + jar, e);
            }
        }
    }
}
