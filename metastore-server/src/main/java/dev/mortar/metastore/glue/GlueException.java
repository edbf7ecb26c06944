package dev.mortar.metastore.glue;

/**
 * A failure reported to a Glue client: the service's own error type name (the {@code __type} of the
 * JSON error body, which the AWS SDKs turn into their modeled exception classes), an HTTP status and a
 * message that names the object.
 */
public final class GlueException extends RuntimeException {
    private final String type;
    private final int status;

    public GlueException(String type, int status, String message) {
        super(message);
        this.type = type;
        this.status = status;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public static GlueException entityNotFound(String message) {
        return new GlueException("EntityNotFoundException", 400, message);
    }

    public static GlueException alreadyExists(String message) {
        return new GlueException("AlreadyExistsException", 400, message);
    }

    public static GlueException invalidInput(String message) {
        return new GlueException("InvalidInputException", 400, message);
    }

    public static GlueException concurrentModification(String message) {
        return new GlueException("ConcurrentModificationException", 400, message);
    }

    public static GlueException resourceNumberLimitExceeded(String message) {
        return new GlueException("ResourceNumberLimitExceededException", 400, message);
    }

    /** A request that breaks the API model's constraints, worded as the service words it. */
    public static GlueException validation(String detail) {
        return new GlueException("ValidationException", 400, "1 validation error detected: " + detail);
    }

    /** A body that is not JSON, or a member of the wrong JSON type. */
    public static GlueException serialization(String message) {
        return new GlueException("SerializationException", 400, message);
    }

    public static GlueException unknownOperation(String message) {
        return new GlueException("UnknownOperationException", 400, message);
    }

    public static GlueException internal(String message) {
        return new GlueException("InternalServiceException", 500, message);
    }

    /** The Glue error of a control-plane error: the one place where they are mapped. */
    public static GlueException of(dev.mortar.metastore.control.ControlException e) {
        return switch (e) {
            case dev.mortar.metastore.control.ControlException.NotFound n -> entityNotFound(n.getMessage());
            case dev.mortar.metastore.control.ControlException.AlreadyExists a -> alreadyExists(a.getMessage());
            case dev.mortar.metastore.control.ControlException.InvalidInput i -> invalidInput(i.getMessage());
            case dev.mortar.metastore.control.ControlException.LeaseLost l -> concurrentModification(l.getMessage());
            case dev.mortar.metastore.control.ControlException.Conflict c -> new GlueException(switch (c.reason()) {
                case RUNNING -> "CrawlerRunningException";
                case NOT_RUNNING -> "CrawlerNotRunningException";
                case STOPPING -> "CrawlerStoppingException";
                case CONCURRENT_RUNS -> "ConcurrentRunsExceededException";
                case WORKFLOW_STATE -> "IllegalWorkflowStateException";
                case NO_SCHEDULE -> "NoScheduleException";
                case SCHEDULE_RUNNING -> "SchedulerRunningException";
                case SCHEDULE_NOT_RUNNING -> "SchedulerNotRunningException";
            }, 400, c.getMessage());
        };
    }
}
