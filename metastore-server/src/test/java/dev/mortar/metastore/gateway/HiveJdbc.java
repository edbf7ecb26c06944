package dev.mortar.metastore.gateway;

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
 * The real Hive JDBC driver (hive-jdbc 4.0.1, standalone jar). That jar carries its own copies of
 * Hive's TCLIService classes compiled against a relocated libthrift, and of Hadoop and metastore
 * classes, which clash with the server's on the test classpath; so the driver runs in a class loader
 * of its own that sees only that jar (and the JDK), as it would in a separate JVM. Only java.sql
 * types cross the boundary.
 */
public final class HiveJdbc {
    private static final Driver DRIVER = load();

    private HiveJdbc() {}

    private static Driver load() {
        URL resource = ClassLoader.getSystemResource("org/apache/hive/jdbc/HiveDriver.class");
        if (resource == null || !resource.getProtocol().equals("jar")) {
            throw new IllegalStateException("hive-jdbc standalone jar is not on the test classpath");
        }
        try {
            String jar = resource.getPath().substring(0, resource.getPath().indexOf("!/"));
            URLClassLoader isolated = new URLClassLoader(new URL[] {new URL(jar)}, ClassLoader.getPlatformClassLoader());
            return (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, isolated).getConstructor().newInstance();
        } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
            throw new IllegalStateException("Cannot load the Hive JDBC driver", e);
        }
    }

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

    /** HiveStatement.getQueryLog(): the operation log the gateway wrote for the last statement. */
    @SuppressWarnings("unchecked")
    static List<String> queryLog(Statement statement) throws Exception {
        Method method = statement.getClass().getMethod("getQueryLog");
        return (List<String>) method.invoke(statement);
    }

    /** HiveStatement.getQueryId(): non-null once the gateway has accepted the statement. */
    static String queryId(Statement statement) throws Exception {
        return (String) statement.getClass().getMethod("getQueryId").invoke(statement);
    }
}
