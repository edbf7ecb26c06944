package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.metastore.store.StoreException;
import dev.mortar.scheduler.engine.FencingToken;
import dev.mortar.scheduler.engine.LeaderLease;
import dev.mortar.scheduler.engine.LeaseGrant;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * The leader lease in the store ({@code c_leases}): taken with a locked read and an update that raises the token, renewed
 * with a conditional update on the token, so two servers never both hold it and a former holder's token is refused.
 * Expiry is judged by each server's clock: servers on one store keep their clocks in step (NTP) well within a lease.
 */
final class StoreLeaderLease implements LeaderLease {
    private final CatalogDatabase database;
    private final InstantSource clock;
    private final String name;

    StoreLeaderLease(CatalogDatabase database, InstantSource clock, String name) {
        this.database = database;
        this.clock = clock;
        this.name = name;
    }

    private record Row(String holder, long token, long expiresAt) {}

    @Override
    public Optional<LeaseGrant> tryAcquire(String holder, Duration duration) {
        try {
            return database.inTransaction(c -> {
                long now = clock.millis();
                long expires = now + duration.toMillis();
                Optional<Row> row = queryOne(c, "SELECT holder, token, expires_at FROM c_leases WHERE lease_name = ? FOR UPDATE",
                        rs -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3)), name);
                if (row.isEmpty()) {
                    update(c, "INSERT INTO c_leases (lease_name, holder, token, expires_at) VALUES (?, ?, 1, ?)", name, holder, expires);
                    return Optional.of(new LeaseGrant(holder, new FencingToken(1), Instant.ofEpochMilli(expires)));
                }
                if (row.get().expiresAt() > now) {
                    return Optional.<LeaseGrant>empty();
                }
                long token = row.get().token() + 1;
                update(c, "UPDATE c_leases SET holder = ?, token = ?, expires_at = ? WHERE lease_name = ? AND token = ?", holder, token, expires, name,
                        row.get().token());
                return Optional.of(new LeaseGrant(holder, new FencingToken(token), Instant.ofEpochMilli(expires)));
            });
        } catch (StoreException e) {
            // two servers inserting the first row at once: the one that lost tries again on its next pass
            return Optional.empty();
        }
    }

    @Override
    public Optional<LeaseGrant> renew(LeaseGrant grant, Duration duration) {
        return database.inTransaction(c -> {
            long now = clock.millis();
            long expires = now + duration.toMillis();
            int renewed = update(c, "UPDATE c_leases SET expires_at = ? WHERE lease_name = ? AND token = ? AND expires_at > ?", expires, name,
                    grant.token().value(), now);
            return renewed == 1 ? Optional.of(new LeaseGrant(grant.holder(), grant.token(), Instant.ofEpochMilli(expires))) : Optional.<LeaseGrant>empty();
        });
    }

    @Override
    public void release(LeaseGrant grant) {
        database.inTransaction(c -> update(c, "UPDATE c_leases SET expires_at = 0 WHERE lease_name = ? AND token = ?", name, grant.token().value()));
    }

    /** Who holds the lease now, with its token, if anyone holds it unexpired. */
    Optional<LeaseGrant> holder() {
        return database.inTransaction(c -> queryOne(c, "SELECT holder, token, expires_at FROM c_leases WHERE lease_name = ?",
                rs -> new LeaseGrant(rs.getString(1), new FencingToken(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3))), name)
                .filter(g -> g.expiresAt().toEpochMilli() > clock.millis()));
    }
}
