package dev.mortar.metastore.control.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/** The folders a crawler's last finished run saw ({@code g_crawler_folders}) and the decision log of each run ({@code g_crawl_logs}), {@code db/control/V0_1__crawler_tables.sql}. */
final class CrawlFolderStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA = "DATA";
    private static final String TABLE = "TABLE";

    private CrawlFolderStore() {}

    static CrawlState load(Connection c, String crawler) throws SQLException {
        CrawlState state = CrawlState.empty();
        query(c, "SELECT folder_kind, folder_uri, table_name FROM g_crawler_folders WHERE crawler_name = ?", rs -> {
            if (rs.getString(1).equals(DATA)) {
                state.addDataFolder(rs.getString(2), rs.getString(3));
            } else {
                state.addTable(rs.getString(3), rs.getString(2));
            }
            return null;
        }, crawler);
        return state;
    }

    /** Replaces the crawler's state, in the caller's transaction. */
    static void save(Connection c, String crawler, CrawlState state) throws SQLException {
        update(c, "DELETE FROM g_crawler_folders WHERE crawler_name = ?", crawler);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO g_crawler_folders (crawler_name, folder_kind, folder_hash, folder_uri, table_name) VALUES (?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (Map.Entry<String, String> e : state.dataFolders().entrySet()) {
                pending = add(ps, crawler, DATA, e.getKey(), e.getValue(), pending);
            }
            for (Map.Entry<String, String> e : state.tableRoots().entrySet()) {
                pending = add(ps, crawler, TABLE, e.getValue(), e.getKey(), pending);
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    private static int add(PreparedStatement ps, String crawler, String kind, String folder, String table, int pending) throws SQLException {
        ps.setString(1, crawler);
        ps.setString(2, kind);
        ps.setString(3, sha256(kind.equals(TABLE) ? table + "\u0000" + folder : folder));
        ps.setString(4, folder);
        ps.setString(5, table);
        ps.addBatch();
        if (++pending == 500) {
            ps.executeBatch();
            return 0;
        }
        return pending;
    }

    static void saveLog(Connection c, String crawler, String crawlId, CrawlLog log) throws SQLException {
        ArrayNode entries = JSON.createArrayNode();
        log.entries().forEach(e -> entries.addObject().put("Kind", e.kind().name()).put("Subject", e.subject()).put("Message", e.message()));
        update(c, "DELETE FROM g_crawl_logs WHERE crawl_id = ?", crawlId);
        update(c, "INSERT INTO g_crawl_logs (crawl_id, crawler_name, entry_count, log_json) VALUES (?, ?, ?, ?)", crawlId, crawler, log.entries().size(),
                entries.toString());
    }

    /** The run's log, or empty when the run wrote none (still running, or ended before logs were kept). */
    static Optional<CrawlLog> log(Connection c, String crawler, String crawlId) throws SQLException {
        Optional<String> json = queryOne(c, "SELECT log_json FROM g_crawl_logs WHERE crawl_id = ? AND crawler_name = ?", rs -> rs.getString(1), crawlId, crawler);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        JsonNode entries;
        try {
            entries = JSON.readTree(json.get());
        } catch (IOException e) {
            throw new IllegalStateException("Stored crawl log of " + crawlId + " is not JSON: " + e.getMessage(), e);
        }
        CrawlLog log = new CrawlLog();
        entries.forEach(e -> log.add(CrawlLog.Kind.valueOf(e.path("Kind").asText()), e.path("Subject").asText(), e.path("Message").asText()));
        return Optional.of(log);
    }

    static void delete(Connection c, String crawler) throws SQLException {
        update(c, "DELETE FROM g_crawler_folders WHERE crawler_name = ?", crawler);
        update(c, "DELETE FROM g_crawl_logs WHERE crawler_name = ?", crawler);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
