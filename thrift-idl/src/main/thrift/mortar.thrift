/*
 * Mortar's own wire contracts. The Java in src/main/java is generated from this file by
 * thrift-idl/generate.sh (Apache Thrift compiler 0.17); ThriftIdlCurrentTest fails when it is stale.
 *
 * The worker protocol: separate crawler processes lease crawl tasks from the server, renew the lease
 * with heartbeats while they work (reporting progress), and end the task with its report. Served on
 * mortar.worker.port, framed transport, binary protocol.
 */
namespace java dev.mortar.thrift.worker

/** One include path of a crawl and its exclusions (Unix globs relative to the path). */
struct CrawlInclude {
  1: required string path,
  2: required list<string> exclusions,
  /** Files read in each folder (S3Target.SampleSize); all when absent. */
  3: optional i32 sampleSize,
}

/** SchemaChangePolicy.UpdateBehavior. */
enum UpdateBehavior {
  UPDATE_IN_DATABASE = 1,
  LOG = 2,
}

/** SchemaChangePolicy.DeleteBehavior: what happens to tables and partitions whose data is gone. */
enum DeleteBehavior {
  LOG = 1,
  DELETE_FROM_DATABASE = 2,
  DEPRECATE_IN_DATABASE = 3,
}

/** How a crawl turns folders into tables and keeps existing tables in step (the crawler's policies and Configuration). */
struct CrawlPolicy {
  1: required UpdateBehavior updateBehavior,
  2: required DeleteBehavior deleteBehavior,
  /** RecrawlPolicy CRAWL_NEW_FOLDERS_ONLY: only folders the last finished run did not see are listed and read. */
  3: required bool newFoldersOnly,
  4: required bool combineCompatibleSchemas,
  5: optional i32 tableLevel,
  6: required bool mergeNewColumnsOnly,
  7: required bool partitionsInheritFromTable,
}

struct GrokClassifierSpec {
  1: required string classification,
  2: required string grokPattern,
  3: optional string customPatterns,
}

struct JsonClassifierSpec {
  1: required string jsonPath,
}

struct CsvClassifierSpec {
  1: optional string delimiter,
  2: optional string quoteSymbol,
  /** UNKNOWN, PRESENT or ABSENT. */
  3: required string containsHeader,
  4: required list<string> header,
  5: required bool disableValueTrimming,
  6: required bool allowSingleColumn,
  /** AUTO, OPEN_CSV or LAZY_SIMPLE. */
  7: required string serde,
}

struct XmlClassifierSpec {
  1: required string classification,
  2: optional string rowTag,
}

/** The definition of a custom classifier, one kind set. */
union ClassifierKind {
  1: GrokClassifierSpec grok,
  2: JsonClassifierSpec json,
  3: CsvClassifierSpec csv,
  4: XmlClassifierSpec xml,
}

/** A custom classifier of the crawler, tried in the crawler's order before the built-in ones. */
struct CustomClassifierSpec {
  1: required string name,
  2: required ClassifierKind kind,
}

/** A catalog connection of type JDBC, as a JDBC target reads through it. */
struct JdbcConnection {
  1: required string name,
  2: required string url,
  3: optional string user,
  4: optional string password,
}

/** One JdbcTarget: its connection (or why it cannot be used), include path and exclusions. */
struct JdbcCrawlInclude {
  1: required string connectionName,
  2: required string path,
  3: required list<string> exclusions,
  4: optional JdbcConnection connection,
  /** Set instead of connection when the connection is missing or unusable: the run reports it as an error of this target. */
  5: optional string connectionError,
}

/** What a crawler knows from its last finished run: folders with data (folder -> table) and table roots (table -> folder). */
struct CrawlFolders {
  1: required map<string, string> dataFolders,
  2: required map<string, string> tableRoots,
}

/** What a leased crawl covers, from its crawler's definition when the run started. */
struct CrawlTarget {
  1: required string databaseName,
  2: required string tablePrefix,
  3: required list<CrawlInclude> includes,
  /** false when the crawler's SchemaChangePolicy.UpdateBehavior is LOG: schema changes are only reported. */
  4: required bool updateTables,
  /** The whole policy; updateTables is its updateBehavior. */
  5: optional CrawlPolicy policy,
  6: optional list<CustomClassifierSpec> classifiers,
  7: optional list<JdbcCrawlInclude> jdbcIncludes,
}

/** A crawl task held under a lease. Every later call about it names taskId and leaseToken. */
struct CrawlTask {
  1: required string taskId,
  2: required string leaseToken,
  3: required string crawlerName,
  /** The run of the crawler this task is (ListCrawls' CrawlId). */
  4: required string crawlId,
  /** 1 for the first lease; higher when an earlier holder's lease expired. */
  5: required i32 attempt,
  6: required i64 leaseExpiresAtMillis,
  7: required CrawlTarget target,
  /** The server's HMS Thrift port: workers write tables and partitions through it. */
  8: required i32 metastorePort,
  /* 9 was the crawler's definition as JSON; everything a run needs is now in target and previous. */
  /** The folder state of the crawler's last finished run (empty for its first run). */
  10: optional CrawlFolders previous,
}

/** leaseTask's answer: a task, or none when no task is waiting. */
struct LeaseReply {
  1: optional CrawlTask task,
}

/** Counts of a crawl while it runs. */
struct CrawlProgress {
  1: required i64 filesSeen,
  2: required i64 bytesSeen,
  3: required i32 tablesFound,
}

enum LeaseStatus {
  /** The lease runs on until leaseExpiresAtMillis. */
  EXTENDED = 1,
  /** StopCrawler was called: stop between tables and complete the task with what was done. */
  STOP_REQUESTED = 2,
}

struct HeartbeatReply {
  1: required LeaseStatus status,
  2: required i64 leaseExpiresAtMillis,
}

struct FileError {
  1: required string path,
  2: required string message,
}

/** One entry of a run's decision log. */
struct DecisionLogEntry {
  /** INCLUDE, EXCLUDE, SKIP, CLASSIFY, HEADER, ERROR, GROUP, TABLE, PARTITION, CHANGE, UNCHANGED, DELETE or STOP. */
  1: required string kind,
  2: required string subject,
  3: required string message,
}

/** What a crawl did (the run's Summary). */
struct CrawlReport {
  1: required list<string> tablesCreated,
  2: required list<string> tablesUpdated,
  3: required i32 partitionsAdded,
  4: required i32 filesRead,
  5: required list<FileError> errors,
  /** true when the crawl ended early because a stop was requested. */
  6: required bool stopped,
  7: optional list<string> tablesDeleted,
  8: optional i32 partitionsDeleted,
  9: optional i32 filesSeen,
  10: optional i64 bytesRead,
  11: optional list<DecisionLogEntry> decisionLog,
  /** The folder state for the next run; absent when the crawl did not finish (the previous state is kept). */
  12: optional CrawlFolders state,
}

/** The lease is not (or no longer) held with this token: wrong token, expired, or the task was leased again. */
exception LeaseLostException {
  1: required string message,
}

/** No task with this id. */
exception NoSuchTaskException {
  1: required string message,
}

/** A malformed request: empty worker id, lease seconds out of range. */
exception InvalidRequestException {
  1: required string message,
}

/** A file of a catalog table as a job bookmark keeps it: full location, size, last-modified time. */
struct JobFileMark {
  1: required string path,
  2: required i64 size,
  3: required i64 modifiedMillis,
}

/** A job run held under a lease, with everything it needs. Every later call about it names taskId and leaseToken. */
struct JobRunTask {
  1: required string taskId,
  2: required string leaseToken,
  3: required string jobName,
  4: required string runId,
  /** 0 for a job's first run; higher for its retries. */
  5: required i32 attempt,
  /** The job's Command.Name: glueetl or pythonshell. */
  6: required string command,
  7: required string scriptLocation,
  /** The run's arguments, merged as the job API merges them (keys with their leading --). */
  8: required map<string, string> arguments,
  9: required i64 timeoutMillis,
  10: required i64 leaseExpiresAtMillis,
  /** The server's HMS Thrift port: the run reads and writes the catalog through it. */
  11: required i32 metastorePort,
  /** Present when the run's bookmark is on: per table (database.table), the files it must not read again. */
  12: optional map<string, list<JobFileMark>> alreadyRead,
  /** What a Python shell script finds in its environment so that boto3.client('glue') reaches the server (endpoint, region, keys). */
  13: optional map<string, string> environment,
  /** Present for a bookmark range (--job-bookmark-from/--job-bookmark-to): per table, the only files the run reads. */
  14: optional map<string, list<JobFileMark>> onlyRead,
}

struct JobLeaseReply {
  1: optional JobRunTask task,
}

/** A partition (no values: a whole table) a run added, appended to or replaced. */
struct JobOutputPartition {
  1: required string table,
  2: required list<string> values,
  3: required string location,
  /** ADDED, APPENDED or REPLACED. */
  4: required string change,
}

/** What a successful SQL run read and wrote. */
struct JobRunFigures {
  1: required i64 rowsRead,
  2: required i64 filesRead,
  3: required i64 bytesRead,
  4: required i64 rowsWritten,
  5: required i64 filesWritten,
  6: required i64 bytesWritten,
  7: required list<JobOutputPartition> outputs,
}

/** How a worker ended a run. */
struct JobRunOutcome {
  /** SUCCEEDED, FAILED, TIMEOUT or STOPPED. */
  1: required string ending,
  2: optional string error,
  3: optional JobRunFigures figures,
  /** Per table read, the files the run read (for its bookmark). */
  4: optional map<string, list<JobFileMark>> filesRead,
  /** The run's last log lines. */
  5: required list<string> log,
}

/** The worker protocol: crawl tasks, and job runs (the job calls) on the same queue. */
service CrawlTaskService {
  /** The oldest waiting task (or one whose lease expired), leased to workerId for leaseSeconds (1..3600). */
  LeaseReply leaseTask(1: string workerId, 2: i32 leaseSeconds)
      throws (1: InvalidRequestException invalid),

  /** Renews the lease for the seconds it was taken for and records the progress. */
  HeartbeatReply heartbeat(1: string taskId, 2: string leaseToken, 3: CrawlProgress progress)
      throws (1: LeaseLostException lost, 2: NoSuchTaskException noSuchTask),

  /** Ends the task and its run (COMPLETED, or STOPPED when report.stopped) with the report. */
  void completeTask(1: string taskId, 2: string leaseToken, 3: CrawlReport report)
      throws (1: LeaseLostException lost, 2: NoSuchTaskException noSuchTask),

  /** Ends the task and its run as FAILED with the error and what was done before it. */
  void failTask(1: string taskId, 2: string leaseToken, 3: string errorMessage, 4: CrawlReport report)
      throws (1: LeaseLostException lost, 2: NoSuchTaskException noSuchTask),

  /** The oldest waiting job run, leased to workerId for leaseSeconds (1..3600) and made RUNNING. */
  JobLeaseReply leaseJobRun(1: string workerId, 2: i32 leaseSeconds)
      throws (1: InvalidRequestException invalid),

  /** Renews a job run's lease and appends its new log lines; STOP_REQUESTED when the run was asked to stop. */
  HeartbeatReply heartbeatJobRun(1: string taskId, 2: string leaseToken, 3: list<string> logLines)
      throws (1: LeaseLostException lost, 2: NoSuchTaskException noSuchTask),

  /** Ends a job run with its outcome. */
  void endJobRun(1: string taskId, 2: string leaseToken, 3: JobRunOutcome outcome)
      throws (1: LeaseLostException lost, 2: NoSuchTaskException noSuchTask),
}
