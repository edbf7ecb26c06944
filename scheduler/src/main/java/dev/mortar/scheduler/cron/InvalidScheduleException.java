package dev.mortar.scheduler.cron;

import dev.mortar.scheduler.InvalidDefinitionException;

import java.util.Optional;

/**
 * A schedule expression the service would refuse. When one field is at fault the message starts with its name
 * ({@code "Day-of-week: ..."}) and {@link #field()} names it; a malformed whole (no {@code cron(...)}, a wrong number of
 * fields) or a schedule that fires too often has no field.
 */
public final class InvalidScheduleException extends InvalidDefinitionException {
    private final CronField field;

    InvalidScheduleException(String message) {
        super(message);
        this.field = null;
    }

    InvalidScheduleException(CronField field, String message) {
        super(field.label() + ": " + message);
        this.field = field;
    }

    public Optional<CronField> field() {
        return Optional.ofNullable(field);
    }
}
