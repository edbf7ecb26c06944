package dev.mortar.crawler.jdbc;

import java.util.Objects;

/**
 * A database a JDBC crawl reads, as a catalog connection describes it: the connection's name (recorded on the
 * tables as {@code connectionName}), its {@code JDBC_CONNECTION_URL}, {@code USERNAME} and {@code PASSWORD}.
 */
public record JdbcSource(String connectionName, String url, String user, String password) {
    public JdbcSource {
        Objects.requireNonNull(connectionName, "connectionName");
        Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
        return "JdbcSource[" + connectionName + ", " + url + ", user " + user + "]";
    }
}
