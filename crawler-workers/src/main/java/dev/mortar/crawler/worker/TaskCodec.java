package dev.mortar.crawler.worker;

import dev.mortar.crawler.CrawlAssignment;
import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlPolicy;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlState;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.crawler.classify.CsvClassifier;
import dev.mortar.crawler.classify.CustomClassifier;
import dev.mortar.crawler.jdbc.JdbcInclude;
import dev.mortar.crawler.jdbc.JdbcSource;
import dev.mortar.thrift.worker.ClassifierKind;
import dev.mortar.thrift.worker.CrawlFolders;
import dev.mortar.thrift.worker.CrawlInclude;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.CsvClassifierSpec;
import dev.mortar.thrift.worker.CustomClassifierSpec;
import dev.mortar.thrift.worker.DecisionLogEntry;
import dev.mortar.thrift.worker.DeleteBehavior;
import dev.mortar.thrift.worker.FileError;
import dev.mortar.thrift.worker.GrokClassifierSpec;
import dev.mortar.thrift.worker.JdbcConnection;
import dev.mortar.thrift.worker.JdbcCrawlInclude;
import dev.mortar.thrift.worker.JsonClassifierSpec;
import dev.mortar.thrift.worker.UpdateBehavior;
import dev.mortar.thrift.worker.XmlClassifierSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A crawl run on the worker protocol and back: a {@link CrawlAssignment} as a task's target and previous
 * folder state, and a {@link CrawlReport} (with its decision log and the state for the next run) as the
 * task's report. The server and the workers both map through here, so a run carries the same on both sides.
 */
public final class TaskCodec {
    private TaskCodec() {}

    // ---- assignment

    public static dev.mortar.thrift.worker.CrawlTarget target(CrawlAssignment assignment) {
        CrawlTarget t = assignment.target();
        List<CrawlInclude> includes = new ArrayList<>();
        for (CrawlTarget.Include i : t.includes()) {
            CrawlInclude include = new CrawlInclude(i.path(), new ArrayList<>(i.exclusions()));
            i.sampleSize().ifPresent(include::setSampleSize);
            includes.add(include);
        }
        CrawlPolicy p = t.policy();
        var policy = new dev.mortar.thrift.worker.CrawlPolicy(UpdateBehavior.valueOf(p.updateBehavior().name()), DeleteBehavior.valueOf(p.deleteBehavior().name()),
                p.recrawlBehavior() == CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY, p.combineCompatibleSchemas(), p.mergeNewColumnsOnly(),
                p.partitionsInheritFromTable());
        p.tableLevel().ifPresent(policy::setTableLevel);
        var wire = new dev.mortar.thrift.worker.CrawlTarget(t.database(), t.tablePrefix(), includes,
                p.updateBehavior() == CrawlPolicy.UpdateBehavior.UPDATE_IN_DATABASE);
        wire.setPolicy(policy);
        wire.setClassifiers(assignment.classifiers().stream().map(TaskCodec::classifier).toList());
        wire.setJdbcIncludes(assignment.jdbcTargets().stream().map(TaskCodec::jdbc).toList());
        return wire;
    }

    public static CrawlFolders folders(CrawlState state) {
        return new CrawlFolders(new HashMap<>(state.dataFolders()), new HashMap<>(state.tableRoots()));
    }

    /** What a leased task asks the worker to do. */
    public static CrawlAssignment assignment(CrawlTask task) {
        var t = task.getTarget();
        List<CrawlTarget.Include> includes = t.getIncludes().stream()
                .map(i -> new CrawlTarget.Include(i.getPath(), i.getExclusions(), i.isSetSampleSize() ? OptionalInt.of(i.getSampleSize()) : OptionalInt.empty()))
                .toList();
        CrawlTarget target = new CrawlTarget(t.getDatabaseName(), t.getTablePrefix(), includes, t.isUpdateTables());
        if (t.isSetPolicy()) {
            var p = t.getPolicy();
            target = target.withPolicy(new CrawlPolicy(CrawlPolicy.UpdateBehavior.valueOf(p.getUpdateBehavior().name()),
                    CrawlPolicy.DeleteBehavior.valueOf(p.getDeleteBehavior().name()),
                    p.isNewFoldersOnly() ? CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY : CrawlPolicy.RecrawlBehavior.CRAWL_EVERYTHING,
                    p.isCombineCompatibleSchemas(), p.isSetTableLevel() ? OptionalInt.of(p.getTableLevel()) : OptionalInt.empty(), p.isMergeNewColumnsOnly(),
                    p.isPartitionsInheritFromTable()));
        }
        List<CustomClassifier> classifiers = t.isSetClassifiers() ? t.getClassifiers().stream().map(TaskCodec::classifier).toList() : List.of();
        List<CrawlAssignment.JdbcTarget> jdbc = t.isSetJdbcIncludes() ? t.getJdbcIncludes().stream().map(TaskCodec::jdbc).toList() : List.of();
        return new CrawlAssignment(target, classifiers, jdbc, task.isSetPrevious() ? state(task.getPrevious()) : CrawlState.empty());
    }

    private static CrawlState state(CrawlFolders folders) {
        CrawlState state = CrawlState.empty();
        folders.getDataFolders().forEach(state::addDataFolder);
        folders.getTableRoots().forEach(state::addTable);
        return state;
    }

    private static CustomClassifierSpec classifier(CustomClassifier c) {
        ClassifierKind kind = switch (c) {
            case CustomClassifier.Grok g -> {
                GrokClassifierSpec spec = new GrokClassifierSpec(g.classification(), g.grokPattern());
                g.customPatterns().ifPresent(spec::setCustomPatterns);
                yield ClassifierKind.grok(spec);
            }
            case CustomClassifier.Json j -> ClassifierKind.json(new JsonClassifierSpec(j.jsonPath()));
            case CustomClassifier.Csv v -> {
                CsvClassifierSpec spec = new CsvClassifierSpec(v.containsHeader().name(), new ArrayList<>(v.header()), v.disableValueTrimming(),
                        v.allowSingleColumn(), v.serde().name());
                v.delimiter().ifPresent(d -> spec.setDelimiter(String.valueOf(d)));
                v.quoteSymbol().ifPresent(q -> spec.setQuoteSymbol(String.valueOf(q)));
                yield ClassifierKind.csv(spec);
            }
            case CustomClassifier.Xml x -> {
                XmlClassifierSpec spec = new XmlClassifierSpec(x.classification());
                x.rowTag().ifPresent(spec::setRowTag);
                yield ClassifierKind.xml(spec);
            }
        };
        return new CustomClassifierSpec(c.name(), kind);
    }

    private static CustomClassifier classifier(CustomClassifierSpec spec) {
        ClassifierKind k = spec.getKind();
        String name = spec.getName();
        if (k.isSetGrok()) {
            return new CustomClassifier.Grok(name, k.getGrok().getClassification(), k.getGrok().getGrokPattern(), Optional.ofNullable(k.getGrok().getCustomPatterns()));
        } else if (k.isSetJson()) {
            return new CustomClassifier.Json(name, k.getJson().getJsonPath());
        } else if (k.isSetCsv()) {
            CsvClassifierSpec v = k.getCsv();
            return new CustomClassifier.Csv(name, Optional.ofNullable(v.getDelimiter()).map(s -> s.charAt(0)), Optional.ofNullable(v.getQuoteSymbol()).map(s -> s.charAt(0)),
                    CsvClassifier.HeaderMode.valueOf(v.getContainsHeader()), v.getHeader(), v.isDisableValueTrimming(), v.isAllowSingleColumn(),
                    CsvClassifier.SerdeChoice.valueOf(v.getSerde()));
        } else if (k.isSetXml()) {
            return new CustomClassifier.Xml(name, k.getXml().getClassification(), Optional.ofNullable(k.getXml().getRowTag()));
        }
        throw new IllegalArgumentException("Custom classifier " + name + " of the task has no kind");
    }

    private static JdbcCrawlInclude jdbc(CrawlAssignment.JdbcTarget t) {
        JdbcCrawlInclude wire = new JdbcCrawlInclude(t.connectionName(), t.include().path(), new ArrayList<>(t.include().exclusions()));
        t.source().ifPresent(s -> {
            JdbcConnection c = new JdbcConnection(s.connectionName(), s.url());
            if (s.user() != null) {
                c.setUser(s.user());
            }
            if (s.password() != null) {
                c.setPassword(s.password());
            }
            wire.setConnection(c);
        });
        t.connectionError().ifPresent(wire::setConnectionError);
        return wire;
    }

    private static CrawlAssignment.JdbcTarget jdbc(JdbcCrawlInclude wire) {
        Optional<JdbcSource> source = wire.isSetConnection()
                ? Optional.of(new JdbcSource(wire.getConnection().getName(), wire.getConnection().getUrl(), wire.getConnection().getUser(), wire.getConnection().getPassword()))
                : Optional.empty();
        Optional<String> error = source.isPresent() ? Optional.empty()
                : Optional.of(wire.isSetConnectionError() ? wire.getConnectionError() : "The task names no connection for " + wire.getConnectionName());
        return new CrawlAssignment.JdbcTarget(wire.getConnectionName(), new JdbcInclude(wire.getPath(), wire.getExclusions()), source, error);
    }

    // ---- report

    public static dev.mortar.thrift.worker.CrawlReport report(CrawlReport report, boolean stopped) {
        var wire = new dev.mortar.thrift.worker.CrawlReport(new ArrayList<>(report.tablesCreated()), new ArrayList<>(report.tablesUpdated()),
                report.partitionsAdded(), report.filesRead(), report.errors().stream().map(e -> new FileError(e.path(), e.message())).toList(), stopped);
        wire.setTablesDeleted(new ArrayList<>(report.tablesDeleted()));
        wire.setPartitionsDeleted(report.partitionsDeleted());
        wire.setFilesSeen(report.filesSeen());
        wire.setBytesRead(report.bytesRead());
        wire.setDecisionLog(entries(report.log()));
        report.state().ifPresent(s -> wire.setState(folders(s)));
        return wire;
    }

    public static List<DecisionLogEntry> entries(CrawlLog log) {
        return log.entries().stream().map(e -> new DecisionLogEntry(e.kind().name(), e.subject(), e.message())).toList();
    }

    /** The report a worker sent; a missing report is an empty one. */
    public static CrawlReport report(dev.mortar.thrift.worker.CrawlReport wire) {
        if (wire == null) {
            return new CrawlReport(List.of(), List.of(), 0, 0, List.of());
        }
        CrawlLog log = new CrawlLog();
        if (wire.isSetDecisionLog()) {
            for (DecisionLogEntry e : wire.getDecisionLog()) {
                log.add(kind(e.getKind()), e.getSubject(), e.getMessage());
            }
        }
        List<CrawlReport.FileError> errors = wire.isSetErrors() ? wire.getErrors().stream().map(e -> new CrawlReport.FileError(e.getPath(), e.getMessage())).toList()
                : List.of();
        return new CrawlReport(orEmpty(wire.getTablesCreated()), orEmpty(wire.getTablesUpdated()), orEmpty(wire.getTablesDeleted()), wire.getPartitionsAdded(),
                wire.getPartitionsDeleted(), wire.isSetFilesSeen() ? wire.getFilesSeen() : wire.getFilesRead(), wire.getFilesRead(), wire.getBytesRead(), errors, log,
                wire.isSetState() ? Optional.of(state(wire.getState())) : Optional.empty());
    }

    private static CrawlLog.Kind kind(String name) {
        try {
            return CrawlLog.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown decision log kind '" + name + "' in a crawl report", e);
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

}
