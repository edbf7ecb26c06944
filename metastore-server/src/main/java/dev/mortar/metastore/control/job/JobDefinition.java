package dev.mortar.metastore.control.job;

import dev.mortar.metastore.control.ControlException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job is, as it was defined (CreateJob, UpdateJob): its command and script, its arguments, and its run settings.
 * Absent members stay absent, so that clients read back exactly what they set; the values a run uses when a member is
 * absent come from the {@code effective...} methods. {@code visualGraph} and {@code sourceControl} are kept and
 * returned as given.
 */
public record JobDefinition(
        String role,
        Command command,
        Optional<String> description,
        Optional<String> logUri,
        Optional<Integer> maxConcurrentRuns,
        Map<String, String> defaultArguments,
        Map<String, String> nonOverridableArguments,
        List<String> connections,
        Optional<Integer> maxRetries,
        Optional<Integer> allocatedCapacity,
        Optional<Integer> timeoutMinutes,
        Optional<Double> maxCapacity,
        Optional<String> securityConfiguration,
        Optional<Integer> notifyDelayAfter,
        Optional<String> glueVersion,
        Optional<Integer> numberOfWorkers,
        Optional<String> workerType,
        Optional<String> executionClass,
        Optional<String> maintenanceWindow,
        Optional<String> jobMode,
        Optional<Boolean> jobRunQueuingEnabled,
        Map<String, String> sourceControl,
        Optional<String> visualGraph) {

    /** Command.Name values. */
    public static final List<String> COMMANDS = List.of("glueetl", "pythonshell", "gluestreaming", "glueray");
    /** Glue versions from which a job's default timeout is 480 minutes, not 2880. */
    private static final int SHORT_TIMEOUT_FROM_MAJOR = 5;
    public static final String DEFAULT_GLUE_VERSION = "5.1";
    public static final String DEFAULT_PYTHON_SHELL_VERSION = "3.0";
    /** Timeouts must be under a week. */
    public static final int MAX_TIMEOUT_MINUTES = 10079;

    /** The job's command: which kind of job, the script, the Python version of a Python job. */
    public record Command(String name, String scriptLocation, Optional<String> pythonVersion, Optional<String> runtime) {
        public Command {
            if (!COMMANDS.contains(name)) {
                throw new ControlException.InvalidInput("Command.Name must be one of " + String.join(", ", COMMANDS) + ", not " + name);
            }
        }
    }

    public JobDefinition {
        defaultArguments = Map.copyOf(defaultArguments);
        nonOverridableArguments = Map.copyOf(nonOverridableArguments);
        connections = List.copyOf(connections);
        sourceControl = Map.copyOf(sourceControl);
        if (role == null || role.isEmpty()) {
            throw new ControlException.InvalidInput("Role must not be empty");
        }
        if (command.scriptLocation() == null || command.scriptLocation().isEmpty()) {
            throw new ControlException.InvalidInput("Command.ScriptLocation must not be empty");
        }
        timeoutMinutes.ifPresent(t -> {
            if (t < 1 || t > MAX_TIMEOUT_MINUTES) {
                throw new ControlException.InvalidInput("Timeout must be between 1 and " + MAX_TIMEOUT_MINUTES + " minutes, not " + t);
            }
        });
        maxRetries.ifPresent(r -> {
            if (r < 0 || r > 10) {
                throw new ControlException.InvalidInput("MaxRetries must be between 0 and 10, not " + r);
            }
        });
        maxConcurrentRuns.ifPresent(m -> {
            if (m < 1) {
                throw new ControlException.InvalidInput("ExecutionProperty.MaxConcurrentRuns must be at least 1, not " + m);
            }
        });
        if (maxCapacity.isPresent() && (workerType.isPresent() || numberOfWorkers.isPresent())) {
            throw new ControlException.InvalidInput("Please do not set Max Capacity if using Worker Type and Number of Workers.");
        }
        if (workerType.isPresent() != numberOfWorkers.isPresent()) {
            throw new ControlException.InvalidInput("WorkerType and NumberOfWorkers must be set together");
        }
        for (String key : defaultArguments.keySet()) {
            checkArgumentKey("DefaultArguments", key);
        }
        for (String key : nonOverridableArguments.keySet()) {
            checkArgumentKey("NonOverridableArguments", key);
        }
    }

    static void checkArgumentKey(String member, String key) {
        if (key.isEmpty()) {
            throw new ControlException.InvalidInput(member + " has an empty key");
        }
    }

    public String effectiveGlueVersion() {
        return glueVersion.orElse(command.name().equals("pythonshell") ? DEFAULT_PYTHON_SHELL_VERSION : DEFAULT_GLUE_VERSION);
    }

    /** The timeout a run gets when it sets none: the job's, or the service's default for the job's Glue version. */
    public int effectiveTimeoutMinutes() {
        return timeoutMinutes.orElseGet(() -> major(effectiveGlueVersion()) >= SHORT_TIMEOUT_FROM_MAJOR ? 480 : 2880);
    }

    public int effectiveMaxConcurrentRuns() {
        return maxConcurrentRuns.orElse(1);
    }

    public int effectiveMaxRetries() {
        return maxRetries.orElse(0);
    }

    public String effectiveJobMode() {
        return jobMode.orElse("SCRIPT");
    }

    public boolean queuing() {
        return jobRunQueuingEnabled.orElse(false);
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.substring(0, version.indexOf('.') < 0 ? version.length() : version.indexOf('.')));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
