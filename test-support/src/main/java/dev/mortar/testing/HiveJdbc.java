package dev.mortar.testing;

import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The real Hive JDBC driver (hive-jdbc 4.x, standalone jar), the client of Mortar's query gateway. That jar carries
 * its own copies of Hive's TCLIService classes compiled against a relocated libthrift, and of Hadoop and metastore
 * classes, which clash with the server's on a test classpath; so the driver runs in a class loader of its own that
 * sees only that jar (and the JDK), as in an application of its own. Only java.sql types cross the boundary.
 * The jar is the one named by the system property {@code hive.jdbc.jar}, or else the one on the test classpath.
 */
public final class HiveJdbc {
    private static final Driver DRIVER = load();

    private HiveJdbc() {}

    private static Driver load() {
        URL jar;
        String configured = System.getProperty("hive.jdbc.jar");
        try {
            if (configured != null) {
                if (!Files.isRegularFile(Path.of(configured))) {
                    throw new IllegalStateException("No Hive JDBC standalone jar at " + configured + " (the build copies it: run the tests through Maven)");
                }
                jar = Path.of(configured).toUri().toURL();
            } else {
                URL resource = ClassLoader.getSystemResource("org/apache/hive/jdbc/HiveDriver.class");
                if (resource == null || !resource.getProtocol().equals("jar")) {
                    throw new IllegalStateException("The hive-jdbc standalone jar is not on the test classpath, and -Dhive.jdbc.jar names none");
                }
                jar = new URL(resource.getPath().substring(0, resource.getPath().indexOf("!/")));
            }
            URLClassLoader isolated = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
            return (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, isolated).getConstructor().newInstance();
        } catch (ReflectiveOperationException | MalformedURLException e) {
            throw new IllegalStateException("Cannot load the Hive JDBC driver from " + configured, e);
        }
    }

    /** A connection to a {@code jdbc:hive2:} URL; a null user or password is not sent. */
    public static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        Connection connection = DRIVER.connect(url, properties);
        if (connection == null) {
            throw new SQLException("The Hive driver does not accept " + url);
        }
        return connection;
    }

    /** A connection as {@code user} with an empty password. */
    public static Connection connect(String url, String user) throws SQLException {
        return connect(url, user, "");
    }

    /** The rows of a query, each as its columns' {@link ResultSet#getObject} values in order. */
    public static List<List<Object>> rows(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** The rows of a query, each as its columns' {@link ResultSet#getString} values in order. */
    public static List<List<String>> stringRows(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** HiveStatement.getQueryLog(): the operation log the gateway wrote for the last statement. */
    @SuppressWarnings("unchecked")
    public static List<String> queryLog(Statement statement) throws Exception {
        Method method = statement.getClass().getMethod("getQueryLog");
        return (List<String>) method.invoke(statement);
    }

    /** HiveStatement.getQueryId(): non-null once the gateway has accepted the statement. */
    public static String queryId(Statement statement) throws Exception {
        return (String) statement.getClass().getMethod("getQueryId").invoke(statement);
    }
}
