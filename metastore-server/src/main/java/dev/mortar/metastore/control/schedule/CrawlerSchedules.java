package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.crawl.CrawlerDocument;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.InvalidDefinitionException;
import dev.mortar.scheduler.cron.GlueSchedule;
import dev.mortar.scheduler.engine.ScheduledTrigger;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerState;
import dev.mortar.scheduler.trigger.TriggerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Crawler schedules: a crawler with a Schedule is SCHEDULED (CreateCrawler, UpdateCrawler, StartCrawlerSchedule) or
 * NOT_SCHEDULED (StopCrawlerSchedule), and the scheduler starts its crawls on the ticks as it fires SCHEDULED triggers
 * (a watermark on the crawler, claimed by compare-and-set). A crawl so started begins no chain; a tick that finds the
 * crawler running is skipped.
 */
public final class CrawlerSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlerSchedules.class);
    /**
     * The engine sees each crawler schedule as a SCHEDULED trigger named with this prefix: a control character, which no
     * trigger name may hold, so the launcher tells them apart.
     */
    static final String TRIGGER_PREFIX = "\u0001crawler:";

    public enum State { SCHEDULED, NOT_SCHEDULED }

    private final CatalogDatabase database;
    private final InstantSource clock;
    private final java.util.function.Supplier<Duration> minimumInterval;
    private final Runnable wake;

    CrawlerSchedules(CatalogDatabase database, InstantSource clock, java.util.function.Supplier<Duration> minimumInterval, Runnable wake) {
        this.database = database;
        this.clock = clock;
        this.minimumInterval = minimumInterval;
        this.wake = wake;
    }

    /** Checks a crawler's schedule expression as a trigger's is checked; InvalidInput naming the field at fault. */
    public void check(String expression) {
        try {
            GlueSchedule.parse(expression).requireMinimumInterval(minimumInterval.get(), clock.instant());
        } catch (InvalidDefinitionException e) {
            throw new ControlException.InvalidInput(e.getMessage());
        }
    }

    /**
     * After CreateCrawler or UpdateCrawler: a crawler given a schedule is SCHEDULED from now; one whose schedule was
     * removed is NOT_SCHEDULED. Runs in the caller's transaction.
     */
    public void scheduleChanged(Connection c, String crawler, Optional<String> expression) throws SQLException {
        if (expression.isPresent() && !expression.get().isBlank()) {
            update(c, "UPDATE g_crawlers SET schedule_state = ?, schedule_fired_through = ? WHERE crawler_name = ?", State.SCHEDULED.name(), clock.millis(), crawler);
        } else {
            update(c, "UPDATE g_crawlers SET schedule_state = NULL, schedule_fired_through = NULL WHERE crawler_name = ?", crawler);
        }
    }

    /** The crawler's schedule state; empty when it has no schedule. */
    public Optional<State> state(String crawler) {
        return database.inTransaction(c -> state(c, crawler));
    }

    private static Optional<State> state(Connection c, String crawler) throws SQLException {
        Optional<Optional<String>> row = queryOne(c, "SELECT schedule_state FROM g_crawlers WHERE crawler_name = ?", rs -> Optional.ofNullable(rs.getString(1)), crawler);
        if (row.isEmpty()) {
            throw new ControlException.NotFound("Crawler entry with name " + crawler + " does not exist");
        }
        return row.get().map(State::valueOf);
    }

    /** StartCrawlerSchedule. */
    public void start(String crawler) {
        database.inTransaction(c -> {
            Optional<String> expression = expression(c, crawler);
            if (expression.isEmpty()) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.NO_SCHEDULE, "Crawler " + crawler + " has no schedule");
            }
            if (state(c, crawler).orElse(State.NOT_SCHEDULED) == State.SCHEDULED) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.SCHEDULE_RUNNING, "Schedule of crawler " + crawler + " is already running");
            }
            update(c, "UPDATE g_crawlers SET schedule_state = ?, schedule_fired_through = ? WHERE crawler_name = ?", State.SCHEDULED.name(), clock.millis(), crawler);
            return null;
        });
        LOG.info("Crawler {}: schedule started", crawler);
        wake.run();
    }

    /** StopCrawlerSchedule. */
    public void stop(String crawler) {
        database.inTransaction(c -> {
            if (state(c, crawler).orElse(State.NOT_SCHEDULED) != State.SCHEDULED) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.SCHEDULE_NOT_RUNNING, "Schedule of crawler " + crawler + " is not running");
            }
            update(c, "UPDATE g_crawlers SET schedule_state = ?, schedule_fired_through = NULL WHERE crawler_name = ?", State.NOT_SCHEDULED.name(), crawler);
            return null;
        });
        LOG.info("Crawler {}: schedule stopped", crawler);
    }

    private static Optional<String> expression(Connection c, String crawler) throws SQLException {
        String definition = queryOne(c, "SELECT definition FROM g_crawlers WHERE crawler_name = ?", rs -> rs.getString(1), crawler)
                .orElseThrow(() -> new ControlException.NotFound("Crawler entry with name " + crawler + " does not exist"));
        return CrawlerDocument.read(definition).schedule().filter(s -> !s.isBlank());
    }

    // ---- for the scheduler

    /** Every SCHEDULED crawler as the engine sees it: a SCHEDULED trigger whose one action is the crawl. */
    static List<ScheduledTrigger> activated(Connection c) throws SQLException {
        record Row(String name, String definition, long firedThrough) {}
        List<Row> rows = query(c, "SELECT crawler_name, definition, schedule_fired_through FROM g_crawlers WHERE schedule_state = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3)), State.SCHEDULED.name());
        List<ScheduledTrigger> schedules = new ArrayList<>();
        for (Row row : rows) {
            Optional<String> expression = CrawlerDocument.read(row.definition()).schedule().filter(s -> !s.isBlank());
            if (expression.isEmpty()) {
                continue;
            }
            try {
                Trigger trigger = new Trigger(TRIGGER_PREFIX + row.name(), TriggerType.SCHEDULED, TriggerState.ACTIVATED, Optional.empty(), Optional.empty(),
                        Optional.of(GlueSchedule.parse(expression.get())), Optional.empty(), List.of(Action.crawler(row.name())), Optional.empty());
                schedules.add(new ScheduledTrigger(trigger, Instant.ofEpochMilli(row.firedThrough())));
            } catch (InvalidDefinitionException e) {
                LOG.warn("Crawler {}: schedule {} cannot run: {}", row.name(), expression.get(), e.getMessage());
            }
        }
        return schedules;
    }

    static boolean isCrawlerSchedule(String triggerName) {
        return triggerName.startsWith(TRIGGER_PREFIX);
    }

    static String crawlerOf(String triggerName) {
        return triggerName.substring(TRIGGER_PREFIX.length());
    }

    /** Claims a tick of the crawler's schedule: the watermark moves from {@code expected} to {@code tick} if it is still there. */
    static boolean claim(Connection c, String crawler, Instant expected, Instant tick) throws SQLException {
        return update(c, "UPDATE g_crawlers SET schedule_fired_through = ? WHERE crawler_name = ? AND schedule_state = ? AND schedule_fired_through = ?",
                tick.toEpochMilli(), crawler, State.SCHEDULED.name(), expected.toEpochMilli()) == 1;
    }
}
