package dev.mortar.scheduler.engine;

import java.util.Objects;

/** How a run was started by a trigger: the control plane keeps it on the run (TriggerName, and the chain). */
public record RunOrigin(String triggerName, Chain chain) {
    public RunOrigin {
        Objects.requireNonNull(triggerName, "triggerName");
        Objects.requireNonNull(chain, "chain");
    }
}
