package dev.mortar.scheduler.workflow;

/** The kinds of node in a workflow graph. */
public enum NodeType {
    TRIGGER, JOB, CRAWLER
}
