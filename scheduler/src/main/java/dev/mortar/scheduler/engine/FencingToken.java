package dev.mortar.scheduler.engine;

/**
 * The number of a leader lease, higher for every new holder. The control plane refuses every scheduler write whose
 * token is not the lease's current one, so a paused former leader cannot fire anything.
 */
public record FencingToken(long value) {
}
