package dev.mortar.metastore.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.mortar.gateway.service.QueryListener;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The last statements this server's SQL gateway ran, newest first ({@code GET /queries}): who ran what, how it ended,
 * how long it took, the rows fetched. Each server answers for its own gateway, as each Trino coordinator does for its
 * queries; with several servers, ask each.
 */
final class QueryHistory implements QueryListener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(long endedAt, Outcome outcome) {}

    private final int size;
    private final Clock clock;
    private final String server;
    private final Deque<Entry> entries = new ArrayDeque<>();

    QueryHistory(int size, Clock clock, String server) {
        this.size = size;
        this.clock = clock;
        this.server = server;
    }

    @Override
    public synchronized void ended(Outcome outcome) {
        if (size == 0) {
            return;
        }
        entries.addFirst(new Entry(clock.millis(), outcome));
        while (entries.size() > size) {
            entries.removeLast();
        }
    }

    private synchronized List<Entry> newest(int limit) {
        List<Entry> out = new ArrayList<>(Math.min(limit, entries.size()));
        for (Entry e : entries) {
            if (out.size() == limit) {
                break;
            }
            out.add(e);
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code GET /queries[?limit=N]}. */
    ObjectNode read(HttpExchange exchange) {
        int limit = size;
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null && query.startsWith("limit=")) {
            try {
                limit = Math.max(0, Integer.parseInt(query.substring("limit=".length())));
            } catch (NumberFormatException e) {
                throw new dev.mortar.metastore.glue.GlueException("InvalidInputException", 400, "limit must be a whole number, not '" + query.substring(6) + "'");
            }
        }
        ObjectNode out = JSON.createObjectNode().put("Server", server).put("Kept", size);
        ArrayNode list = out.putArray("Queries");
        for (Entry e : newest(limit)) {
            Outcome o = e.outcome();
            ObjectNode q = list.addObject().put("User", o.user()).put("State", o.state()).put("Statement", o.statement())
                    .put("DurationMillis", o.duration().toMillis()).put("Rows", o.rows()).put("EndTime", e.endedAt() / 1000.0);
            o.error().ifPresent(err -> q.put("Error", err));
        }
        return out;
    }
}
