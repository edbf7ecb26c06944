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
}

/** What a leased crawl covers, from its crawler's definition when the run started. */
struct CrawlTarget {
  1: required string databaseName,
  2: required string tablePrefix,
  3: required list<CrawlInclude> includes,
  /** false when the crawler's SchemaChangePolicy.UpdateBehavior is LOG: schema changes are only reported. */
  4: required bool updateTables,
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
  /**
   * The crawler's definition when the run started, as CreateCrawler/UpdateCrawler took it (Glue JSON:
   * Targets, SchemaChangePolicy, Configuration, ...), for settings that target does not carry.
   */
  9: optional string crawlerDefinition,
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

/** What a crawl did (the run's Summary). */
struct CrawlReport {
  1: required list<string> tablesCreated,
  2: required list<string> tablesUpdated,
  3: required i32 partitionsAdded,
  4: required i32 filesRead,
  5: required list<FileError> errors,
  /** true when the crawl ended early because a stop was requested. */
  6: required bool stopped,
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
}
