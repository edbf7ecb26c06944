package dev.mortar.metastore.control.crawl;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.metastore.store.CatalogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;

/**
 * Custom classifiers ({@code g_classifiers}, {@code db/control/V0_1__crawler_tables.sql}), which crawlers name in their
 * {@code Classifiers} and their runs try first: each change one transaction and one log line.
 */
public final class CustomClassifiers {
    private static final Logger LOG = LoggerFactory.getLogger(CustomClassifiers.class);
    private static final String COLUMNS = "classifier_name, classifier_kind, definition, created_at, updated_at, version_no";

    private final CatalogDatabase database;
    private final InstantSource clock;

    public CustomClassifiers(CatalogDatabase database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    private <T> T tx(CatalogDatabase.TransactionBody<T, RuntimeException> body) {
        return database.inTransaction(body);
    }

    private static ControlException notFound(String name) {
        return new ControlException.NotFound("Classifier with name " + name + " does not exist");
    }

    public void create(String name, ClassifierSpec spec) {
        spec.check(name);
        long now = clock.millis();
        tx(c -> {
            if (classifier(c, name, false).isPresent()) {
                throw new ControlException.AlreadyExists("Classifier with name " + name + " already exists");
            }
            CatalogStore.update(c, "INSERT INTO g_classifiers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", name, spec.kind(), ClassifierDefinitions.write(spec), now,
                    now, 1L);
            return null;
        });
        LOG.info("Classifier {}: created ({})", name, spec.kind());
    }

    /** Changes a classifier of the given kind; the kind itself cannot change. */
    public void update(String name, String kind, UnaryOperator<ClassifierSpec> change) {
        tx(c -> {
            ClassifierRecord current = classifier(c, name, true).orElseThrow(() -> notFound(name));
            if (!current.spec().kind().equals(kind)) {
                throw new ControlException.InvalidInput("Classifier " + name + " is a " + current.spec().kind() + ", not a " + kind
                        + "; delete it and create it anew to change its kind");
            }
            ClassifierSpec changed = change.apply(current.spec());
            changed.check(name);
            CatalogStore.update(c, "UPDATE g_classifiers SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE classifier_name = ?",
                    ClassifierDefinitions.write(changed), clock.millis(), name);
            return null;
        });
        LOG.info("Classifier {}: updated", name);
    }

    public void delete(String name) {
        tx(c -> {
            if (CatalogStore.update(c, "DELETE FROM g_classifiers WHERE classifier_name = ?", name) != 1) {
                throw notFound(name);
            }
            return null;
        });
        LOG.info("Classifier {}: deleted", name);
    }

    public ClassifierRecord get(String name) {
        return tx(c -> classifier(c, name, false)).orElseThrow(() -> notFound(name));
    }

    /** Up to {@code limit} classifiers after {@code after}, in name order. */
    public List<ClassifierRecord> page(String after, int limit) {
        return tx(c -> {
            List<ClassifierRecord> rows = query(c, "SELECT " + COLUMNS + " FROM g_classifiers WHERE classifier_name > ? ORDER BY classifier_name",
                    CustomClassifiers::row, after);
            return rows.size() > limit ? List.copyOf(rows.subList(0, limit)) : rows;
        });
    }

    /** The classifier, for a run that names it (in the run's transaction). */
    static Optional<ClassifierRecord> classifier(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM g_classifiers WHERE classifier_name = ?" + (lock ? " FOR UPDATE" : ""), CustomClassifiers::row, name);
    }

    private static ClassifierRecord row(ResultSet rs) throws SQLException {
        return new ClassifierRecord(rs.getString(1), ClassifierDefinitions.read(rs.getString(2), rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6));
    }
}
