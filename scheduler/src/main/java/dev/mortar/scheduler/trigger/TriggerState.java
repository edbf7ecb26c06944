package dev.mortar.scheduler.trigger;

/**
 * The service's trigger states. Mortar changes state within one transaction, so only CREATED, ACTIVATED and
 * DEACTIVATED are ever stored; the others exist for clients that wait on them.
 */
public enum TriggerState {
    CREATING, CREATED, ACTIVATING, ACTIVATED, DEACTIVATING, DEACTIVATED, DELETING, UPDATING
}
