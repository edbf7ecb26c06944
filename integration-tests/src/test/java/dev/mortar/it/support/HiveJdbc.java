package dev.mortar.it.support;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The real Hive JDBC driver (hive-jdbc 4.0.1, standalone jar), the client of Mortar's query gateway.
 * It runs in a class loader that sees only that jar and the JDK, as in an application of its own
 * (the jar carries copies of Hadoop, Thrift and more that must not meet the test's classes).
 */
public final class HiveJdbc {
    private static final Driver DRIVER = load();

    private HiveJdbc() {}

    private static Driver load() {
        String jar = System.getProperty("it.hive.jdbc");
        if (jar == null || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(jar))) {
            throw new IllegalStateException("No Hive JDBC standalone jar at " + jar + " (pre-integration-test copies it: mvn verify)");
        }
        try {
            URLClassLoader isolated = new URLClassLoader(new URL[] {java.nio.file.Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            return (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, isolated).getConstructor().newInstance();
        } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
            throw new IllegalStateException("Cannot load the Hive JDBC driver from " + jar, e);
        }
    }

    public static Connection connect(String url, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", "");
        Connection connection = DRIVER.connect(url, properties);
        if (connection == null) {
            throw new SQLException("The Hive driver does not accept " + url);
        }
        return connection;
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
