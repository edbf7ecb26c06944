package dev.mortar.gateway.engine;

import dev.mortar.gateway.GatewayException;

/**
 * A table an engine cannot read (its format or file system), as opposed to a query that is wrong:
 * with {@code mortar.gateway.engine=auto} such a query goes to Trino instead. SQLSTATE {@code 0A000}.
 */
public final class UnreadableTableException extends GatewayException {
    public UnreadableTableException(String message) {
        super(NOT_SUPPORTED, message);
    }
}
