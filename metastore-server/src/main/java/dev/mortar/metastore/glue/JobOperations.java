package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.job.JobBookmarks;
import dev.mortar.metastore.control.job.JobDefinition;
import dev.mortar.metastore.control.job.JobRecord;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRunState;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.control.job.Jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateJob, UpdateJob, GetJob, GetJobs, ListJobs, BatchGetJobs, DeleteJob, StartJobRun, GetJobRun, GetJobRuns,
 * BatchStopJobRun, GetJobBookmark, ResetJobBookmark: the Glue shapes of the control plane's {@link Jobs},
 * {@link JobRuns} and {@link JobBookmarks}. Requests are checked with the service's limits and mapped to typed
 * records; a job reads back exactly what was set, with the service's defaults where a member was left out.
 */
final class JobOperations {
    private static final List<String> EXECUTION_CLASSES = List.of("FLEX", "STANDARD");
    private static final List<String> JOB_MODES = List.of("SCRIPT", "VISUAL", "NOTEBOOK");
    private static final int MAX_DESCRIPTION = 2048;

    private final Jobs jobs;
    private final JobRuns runs;
    private final JobBookmarks bookmarks;

    JobOperations(Jobs jobs, JobRuns runs, JobBookmarks bookmarks) {
        this.jobs = jobs;
        this.runs = runs;
        this.bookmarks = bookmarks;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateJob", this::createJob);
        ops.put("UpdateJob", this::updateJob);
        ops.put("GetJob", this::getJob);
        ops.put("GetJobs", this::getJobs);
        ops.put("ListJobs", this::listJobs);
        ops.put("BatchGetJobs", this::batchGetJobs);
        ops.put("DeleteJob", this::deleteJob);
        ops.put("StartJobRun", this::startJobRun);
        ops.put("GetJobRun", this::getJobRun);
        ops.put("GetJobRuns", this::getJobRuns);
        ops.put("BatchStopJobRun", this::batchStopJobRun);
        ops.put("GetJobBookmark", this::getJobBookmark);
        ops.put("ResetJobBookmark", this::resetJobBookmark);
    }

    // ---- jobs

    private ObjectNode createJob(GlueRequest r) {
        String name = r.requiredName("Name");
        if (name.contains("\n") || name.contains("\r")) {
            throw GlueException.invalidInput("A job name is a single line");
        }
        Map<String, String> tags = r.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        jobs.create(name, definition(r), tags);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    private ObjectNode updateJob(GlueRequest r) {
        String name = r.requiredName("JobName");
        GlueRequest update = r.requiredObject("JobUpdate");
        if (!update.has("Role") || !update.has("Command")) {
            throw GlueException.invalidInput("JobUpdate replaces the whole job definition: it must carry Role and Command");
        }
        jobs.update(name, definition(update));
        return HiveShapes.JSON.createObjectNode().put("JobName", name);
    }

    /** The definition of a CreateJob request or a JobUpdate. */
    private static JobDefinition definition(GlueRequest r) {
        String role = r.requiredString("Role", 1, Integer.MAX_VALUE);
        GlueRequest command = r.requiredObject("Command");
        Optional<String> pythonVersion = command.string("PythonVersion", 0, Integer.MAX_VALUE);
        pythonVersion.ifPresent(v -> {
            if (!v.matches("^([2-3]|3[.]9)$")) {
                throw GlueException.validation("Value '" + v + "' at 'command.pythonVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([2-3]|3[.]9)$");
            }
        });
        String script = command.string("ScriptLocation", 0, 400_000)
                .orElseThrow(() -> GlueException.invalidInput("Command.ScriptLocation is required: the script this job runs"));
        Optional<String> glueVersion = r.string("GlueVersion", 1, 255);
        glueVersion.ifPresent(v -> {
            if (!v.matches("^(\\w+\\.)+\\w+$")) {
                throw GlueException.validation("Value '" + v + "' at 'glueVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(\\w+\\.)+\\w+$");
            }
        });
        Optional<String> maintenance = r.string("MaintenanceWindow", 0, Integer.MAX_VALUE);
        maintenance.ifPresent(v -> {
            if (!v.matches("^(Sun|Mon|Tue|Wed|Thu|Fri|Sat):([01]?[0-9]|2[0-3])$")) {
                throw GlueException.validation("Value '" + v + "' at 'maintenanceWindow' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + "^(Sun|Mon|Tue|Wed|Thu|Fri|Sat):([01]?[0-9]|2[0-3])$");
            }
        });
        Optional<Map<String, String>> sourceControl = r.object("SourceControlDetails").map(s -> {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String member : List.of("Provider", "Repository", "Owner", "Branch", "Folder", "LastCommitId", "AuthStrategy", "AuthToken")) {
                s.string(member, 0, 512).ifPresent(v -> m.put(member, v));
            }
            return m;
        });
        Optional<String> visual = r.object("CodeGenConfigurationNodes").map(n -> n.json().toString());
        try {
            return new JobDefinition(role,
                    new JobDefinition.Command(command.string("Name", 0, Integer.MAX_VALUE).orElse("glueetl"), script, pythonVersion,
                            command.string("Runtime", 1, 64)),
                    r.string("Description", 0, MAX_DESCRIPTION), r.string("LogUri", 0, Integer.MAX_VALUE),
                    r.object("ExecutionProperty").flatMap(e -> e.integer("MaxConcurrentRuns", 1, Integer.MAX_VALUE)),
                    r.stringMap("DefaultArguments", 1, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(Map.of()),
                    r.stringMap("NonOverridableArguments", 1, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(Map.of()),
                    r.object("Connections").flatMap(c -> c.strings("Connections", 0, 1000, 1, 255)).orElse(List.of()),
                    r.integer("MaxRetries", Integer.MIN_VALUE, Integer.MAX_VALUE), r.integer("AllocatedCapacity", 0, Integer.MAX_VALUE),
                    r.integer("Timeout", 1, Integer.MAX_VALUE), r.doubleValue("MaxCapacity"), r.string("SecurityConfiguration", 1, 255),
                    r.object("NotificationProperty").flatMap(n -> n.integer("NotifyDelayAfter", 1, Integer.MAX_VALUE)), glueVersion,
                    r.integer("NumberOfWorkers", 1, Integer.MAX_VALUE), r.string("WorkerType", 1, 64), r.enumValue("ExecutionClass", EXECUTION_CLASSES),
                    maintenance, r.enumValue("JobMode", JOB_MODES), r.bool("JobRunQueuingEnabled"), sourceControl.orElse(Map.of()), visual);
        } catch (ControlException e) {
            throw GlueException.of(e);
        }
    }

    private ObjectNode getJob(GlueRequest r) {
        return HiveShapes.JSON.createObjectNode().set("Job", jobJson(jobs.job(r.requiredName("JobName"))));
    }

    private ObjectNode getJobs(GlueRequest r) {
        int max = r.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "GetJobs");
        List<JobRecord> page = jobs.list(token.map(t -> t.after().get(0)).orElse(""), max + 1);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Jobs");
        page.stream().limit(max).forEach(j -> list.add(jobJson(j)));
        if (page.size() > max) {
            out.put("NextToken", new PageToken("GetJobs", List.of(page.get(max - 1).name())).encode());
        }
        return out;
    }

    private ObjectNode listJobs(GlueRequest r) {
        int max = r.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "ListJobs");
        List<String> page = jobs.names(token.map(t -> t.after().get(0)).orElse(""), max + 1, r.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of()));
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode names = out.putArray("JobNames");
        page.stream().limit(max).forEach(names::add);
        if (page.size() > max) {
            out.put("NextToken", new PageToken("ListJobs", List.of(page.get(max - 1))).encode());
        }
        return out;
    }

    private ObjectNode batchGetJobs(GlueRequest r) {
        List<String> names = r.requiredStrings("JobNames", 0, Integer.MAX_VALUE, 1, 255);
        List<JobRecord> found = jobs.jobs(names);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Jobs");
        found.forEach(j -> list.add(jobJson(j)));
        ArrayNode missing = out.putArray("JobsNotFound");
        names.stream().filter(n -> found.stream().noneMatch(j -> j.name().equals(n))).distinct().forEach(missing::add);
        return out;
    }

    private ObjectNode deleteJob(GlueRequest r) {
        String name = r.requiredName("JobName");
        jobs.delete(name);
        return HiveShapes.JSON.createObjectNode().put("JobName", name);
    }

    // ---- runs

    private ObjectNode startJobRun(GlueRequest r) {
        String name = r.requiredName("JobName");
        Optional<String> previous = r.string("JobRunId", 1, 255);
        Map<String, String> arguments = r.stringMap("Arguments", 1, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(Map.of());
        r.string("ExecutionRoleSessionPolicy", 2, 2048);
        JobRuns.StartRequest request = new JobRuns.StartRequest(arguments, previous, r.integer("Timeout", 1, Integer.MAX_VALUE),
                r.string("WorkerType", 1, 64), r.integer("NumberOfWorkers", 1, Integer.MAX_VALUE), r.doubleValue("MaxCapacity"),
                r.string("SecurityConfiguration", 1, 255), r.object("NotificationProperty").flatMap(n -> n.integer("NotifyDelayAfter", 1, Integer.MAX_VALUE)),
                r.enumValue("ExecutionClass", EXECUTION_CLASSES), r.bool("JobRunQueuingEnabled"), Optional.empty(), List.of(), Optional.empty());
        request.timeoutMinutes().ifPresent(t -> {
            if (t > JobDefinition.MAX_TIMEOUT_MINUTES) {
                throw GlueException.invalidInput("Timeout must be less than " + (JobDefinition.MAX_TIMEOUT_MINUTES + 1) + " minutes, not " + t);
            }
        });
        String runId = runs.start(name, request);
        return HiveShapes.JSON.createObjectNode().put("JobRunId", runId);
    }

    private ObjectNode getJobRun(GlueRequest r) {
        String name = r.requiredName("JobName");
        String runId = r.requiredString("RunId", 1, 255);
        r.bool("PredecessorsIncluded");
        return HiveShapes.JSON.createObjectNode().set("JobRun", runJson(jobs.job(name), runs.run(name, runId)));
    }

    private ObjectNode getJobRuns(GlueRequest r) {
        String name = r.requiredName("JobName");
        int max = r.integer("MaxResults", 1, 200).orElse(100);
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "GetJobRuns");
        JobRecord job = jobs.job(name);
        List<JobRunRecord> page = runs.runs(name, token.map(t -> t.after().get(0)), max + 1);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("JobRuns");
        page.stream().limit(max).forEach(run -> list.add(runJson(job, run)));
        if (page.size() > max) {
            out.put("NextToken", new PageToken("GetJobRuns", List.of(page.get(max - 1).id())).encode());
        }
        return out;
    }

    private ObjectNode batchStopJobRun(GlueRequest r) {
        String name = r.requiredName("JobName");
        List<String> ids = r.requiredStrings("JobRunIds", 1, 25, 1, 255);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode ok = out.putArray("SuccessfulSubmissions");
        ArrayNode errors = out.putArray("Errors");
        for (JobRuns.StopResult result : runs.stop(name, ids)) {
            if (result.errorCode().isEmpty()) {
                ok.addObject().put("JobName", name).put("JobRunId", result.runId());
            } else {
                ObjectNode e = errors.addObject().put("JobName", name).put("JobRunId", result.runId());
                e.putObject("ErrorDetail").put("ErrorCode", result.errorCode().get()).put("ErrorMessage", result.errorMessage().orElse(""));
            }
        }
        return out;
    }

    // ---- bookmarks

    private ObjectNode getJobBookmark(GlueRequest r) {
        String name = r.requiredName("JobName");
        r.string("RunId", 1, 255);
        return HiveShapes.JSON.createObjectNode().set("JobBookmarkEntry", bookmarkJson(bookmarks.get(name)));
    }

    private ObjectNode resetJobBookmark(GlueRequest r) {
        String name = r.requiredName("JobName");
        return HiveShapes.JSON.createObjectNode().set("JobBookmarkEntry", bookmarkJson(bookmarks.reset(name, r.string("RunId", 1, 255))));
    }

    private static ObjectNode bookmarkJson(JobBookmarks.Entry e) {
        ObjectNode n = HiveShapes.JSON.createObjectNode().put("JobName", e.jobName()).put("Version", e.version()).put("Run", e.run()).put("Attempt", e.attempt());
        e.previousRunId().ifPresent(v -> n.put("PreviousRunId", v));
        e.runId().ifPresent(v -> n.put("RunId", v));
        n.put("JobBookmark", e.state());
        return n;
    }

    // ---- shapes

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** DPUs of one worker of a type (G.1X is one DPU); unknown types count as one. */
    private static double dpus(String workerType) {
        return switch (workerType) {
            case "G.025X" -> 0.25;
            case "G.2X", "Z.2X" -> 2;
            case "G.4X" -> 4;
            case "G.8X" -> 8;
            case "G.12X" -> 12;
            case "G.16X" -> 16;
            default -> 1;
        };
    }

    private static double capacity(JobDefinition d, Optional<String> workerType, Optional<Integer> workers, Optional<Double> maxCapacity) {
        if (workerType.isPresent() && workers.isPresent()) {
            return dpus(workerType.get()) * workers.get();
        }
        return maxCapacity.orElse(d.command().name().equals("pythonshell") ? 0.0625 : 10.0);
    }

    /** The Job shape: what was set, as it was set, and the service's defaults for what it computes. */
    static ObjectNode jobJson(JobRecord job) {
        JobDefinition d = job.definition();
        ObjectNode n = HiveShapes.JSON.createObjectNode().put("Name", job.name()).put("JobMode", d.effectiveJobMode());
        d.jobRunQueuingEnabled().ifPresent(v -> n.put("JobRunQueuingEnabled", v));
        d.description().ifPresent(v -> n.put("Description", v));
        d.logUri().ifPresent(v -> n.put("LogUri", v));
        n.put("Role", d.role());
        n.put("CreatedOn", epochSeconds(job.created()));
        n.put("LastModifiedOn", epochSeconds(job.modified()));
        n.putObject("ExecutionProperty").put("MaxConcurrentRuns", d.effectiveMaxConcurrentRuns());
        ObjectNode command = n.putObject("Command").put("Name", d.command().name()).put("ScriptLocation", d.command().scriptLocation());
        command.put("PythonVersion", d.command().pythonVersion().orElse(d.command().name().equals("pythonshell") ? "3.9" : "3"));
        d.command().runtime().ifPresent(v -> command.put("Runtime", v));
        if (!d.defaultArguments().isEmpty()) {
            new java.util.TreeMap<>(d.defaultArguments()).forEach(n.putObject("DefaultArguments")::put);
        }
        if (!d.nonOverridableArguments().isEmpty()) {
            new java.util.TreeMap<>(d.nonOverridableArguments()).forEach(n.putObject("NonOverridableArguments")::put);
        }
        if (!d.connections().isEmpty()) {
            d.connections().forEach(n.putObject("Connections").putArray("Connections")::add);
        }
        n.put("MaxRetries", d.effectiveMaxRetries());
        double capacity = capacity(d, d.workerType(), d.numberOfWorkers(), d.maxCapacity());
        n.put("AllocatedCapacity", d.allocatedCapacity().orElse((int) capacity));
        n.put("Timeout", d.effectiveTimeoutMinutes());
        n.put("MaxCapacity", capacity);
        d.workerType().ifPresent(v -> n.put("WorkerType", v));
        d.numberOfWorkers().ifPresent(v -> n.put("NumberOfWorkers", v));
        d.securityConfiguration().ifPresent(v -> n.put("SecurityConfiguration", v));
        d.notifyDelayAfter().ifPresent(v -> n.putObject("NotificationProperty").put("NotifyDelayAfter", v));
        n.put("GlueVersion", d.effectiveGlueVersion());
        d.executionClass().ifPresent(v -> n.put("ExecutionClass", v));
        d.maintenanceWindow().ifPresent(v -> n.put("MaintenanceWindow", v));
        if (!d.sourceControl().isEmpty()) {
            ObjectNode sc = n.putObject("SourceControlDetails");
            d.sourceControl().forEach(sc::put);
        }
        d.visualGraph().ifPresent(v -> {
            try {
                n.set("CodeGenConfigurationNodes", HiveShapes.JSON.readTree(v));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("A stored visual graph is not JSON", e);
            }
        });
        return n;
    }

    /** The JobRun shape, with Mortar's figures of a finished run in {@code MortarRunFigures} (clients that do not know it ignore it). */
    static ObjectNode runJson(JobRecord job, JobRunRecord run) {
        JobRunRecord.RunSettings s = run.settings();
        ObjectNode n = HiveShapes.JSON.createObjectNode().put("Id", run.id()).put("Attempt", run.attempt());
        run.previousRunId().ifPresent(v -> n.put("PreviousRunId", v));
        run.triggerName().ifPresent(v -> n.put("TriggerName", v));
        n.put("JobName", run.jobName()).put("JobMode", s.jobMode()).put("JobRunQueuingEnabled", s.queuing());
        n.put("StartedOn", epochSeconds(run.started()));
        n.put("LastModifiedOn", epochSeconds(run.modified()));
        run.completed().ifPresent(t -> n.put("CompletedOn", epochSeconds(t)));
        n.put("JobRunState", run.state().name());
        ObjectNode args = n.putObject("Arguments");
        new java.util.TreeMap<>(s.arguments()).forEach(args::put);
        run.error().ifPresent(e -> n.put("ErrorMessage", e));
        ArrayNode predecessors = n.putArray("PredecessorRuns");
        s.predecessors().forEach(p -> predecessors.addObject().put("JobName", p.jobName()).put("RunId", p.runId()));
        double capacity = capacity(job.definition(), s.workerType(), s.numberOfWorkers(), s.maxCapacity());
        n.put("AllocatedCapacity", (int) capacity);
        n.put("ExecutionTime", run.executionSeconds(Instant.now()));
        n.put("Timeout", s.timeoutMinutes());
        n.put("MaxCapacity", capacity);
        s.workerType().ifPresent(v -> n.put("WorkerType", v));
        s.numberOfWorkers().ifPresent(v -> n.put("NumberOfWorkers", v));
        s.securityConfiguration().ifPresent(v -> n.put("SecurityConfiguration", v));
        s.notifyDelayAfter().ifPresent(v -> n.putObject("NotificationProperty").put("NotifyDelayAfter", v));
        s.executionClass().ifPresent(v -> n.put("ExecutionClass", v));
        n.put("LogGroupName", job.definition().command().name().equals("pythonshell") ? "/aws-glue/python-jobs" : "/aws-glue/jobs");
        n.put("GlueVersion", s.glueVersion());
        if (run.state() == JobRunState.WAITING) {
            n.put("StateDetail", "Waiting for one of the job's " + job.definition().effectiveMaxConcurrentRuns() + " concurrent run slots");
        }
        run.figures().ifPresent(f -> {
            ObjectNode m = n.putObject("MortarRunFigures").put("RowsRead", f.rowsRead()).put("FilesRead", f.filesRead()).put("BytesRead", f.bytesRead())
                    .put("RowsWritten", f.rowsWritten()).put("FilesWritten", f.filesWritten()).put("BytesWritten", f.bytesWritten());
            ArrayNode outputs = m.putArray("OutputPartitions");
            for (JobRunRecord.Output o : f.outputs()) {
                ObjectNode out = outputs.addObject().put("Table", o.table()).put("Location", o.location()).put("Change", o.change());
                o.values().forEach(out.putArray("Values")::add);
            }
        });
        return n;
    }
}
