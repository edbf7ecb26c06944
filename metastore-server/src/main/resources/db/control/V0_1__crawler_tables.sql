-- The control plane's crawler tables and run queue: crawlers and their runs, custom classifiers, what crawlers
-- keep between runs and the decision logs, the task queue (every run's task, crawls and job runs), connections.
-- Until they moved here they were the catalog's migrations V3 to V7; this is their DDL unchanged, in their order.
-- A store made before the move already has these tables (its catalog history lists V3 to V7) and skips this
-- version: see CatalogDatabase and docs/STORES.md. It sorts before V1, which changes g_crawl_tasks.

-- Crawlers of the Glue-compatible API and the record of their runs.
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

-- One row per crawler: its definition as given to CreateCrawler (JSON) and its state
-- (READY, RUNNING, STOPPING), which StartCrawler changes with a conditional UPDATE.
CREATE TABLE g_crawlers (
  crawler_name VARCHAR(255) NOT NULL PRIMARY KEY,
  definition ${text} NOT NULL,
  crawler_state VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version_no BIGINT NOT NULL
) ${table_options};

-- One row per run (ListCrawls): state RUNNING, COMPLETED, FAILED or STOPPED, times in epoch
-- milliseconds, counts, the summary JSON (with the errors per file) and the error of a failed run.
CREATE TABLE g_crawls (
  crawl_id VARCHAR(64) NOT NULL PRIMARY KEY,
  crawler_name VARCHAR(255) NOT NULL,
  crawl_state VARCHAR(16) NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  tables_created INT NOT NULL,
  tables_updated INT NOT NULL,
  partitions_added INT NOT NULL,
  files_read INT NOT NULL,
  summary ${text},
  error_message ${text}
) ${table_options};
CREATE INDEX g_crawls_crawler ON g_crawls (crawler_name, started_at);

-- Custom classifiers of the Glue-compatible API (CreateClassifier, ...).
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

-- One row per classifier: its kind (GrokClassifier, XMLClassifier, JsonClassifier, CsvClassifier), its
-- definition as given (JSON, without the name), times in epoch milliseconds and the version, which
-- starts at 1 and grows with every UpdateClassifier.
CREATE TABLE g_classifiers (
  classifier_name VARCHAR(255) NOT NULL PRIMARY KEY,
  classifier_kind VARCHAR(32) NOT NULL,
  definition ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version_no BIGINT NOT NULL
) ${table_options};

-- What crawlers keep between runs, and the decision log of each run.
-- ${text} and ${table_options} are filled in per database by the store.

-- The folders a crawler's last finished run saw: folders holding data (kind DATA) with the table
-- they belong to, and the root folder of each table (kind TABLE). A CRAWL_NEW_FOLDERS_ONLY run
-- lists and reads only folders not here; a full run compares with them to find data that is gone.
-- Folders are keyed by the SHA-256 of their URI, which may be longer than an index allows.
CREATE TABLE g_crawler_folders (
  crawler_name VARCHAR(255) NOT NULL,
  folder_kind VARCHAR(8) NOT NULL,
  folder_hash CHAR(64) NOT NULL,
  folder_uri ${text} NOT NULL,
  table_name VARCHAR(255) NOT NULL,
  PRIMARY KEY (crawler_name, folder_kind, folder_hash)
) ${table_options};

-- The decision log of a run (JSON array of {Kind, Subject, Message}), written when the run ends.
CREATE TABLE g_crawl_logs (
  crawl_id VARCHAR(64) NOT NULL PRIMARY KEY,
  crawler_name VARCHAR(255) NOT NULL,
  entry_count INT NOT NULL,
  log_json ${text} NOT NULL
) ${table_options};
CREATE INDEX g_crawl_logs_crawler ON g_crawl_logs (crawler_name);

-- Crawl tasks for separate worker processes (mortar.crawler.workers=external) and their leases.
-- ${text} and ${table_options} are filled in per database by the store.

-- One row per crawl run handed to workers (task_id is the run's crawl_id in g_crawls). task_state is
-- PENDING (waiting, or its lease expired), LEASED, or DONE. A worker leases a task with a conditional
-- UPDATE on (task_state, lease_token) in one transaction, so two workers never hold one task; the
-- lease_token it gets back must accompany its heartbeats and its completion. attempt counts leases.
-- files_seen, bytes_seen and tables_found are the progress of the latest heartbeat; stop_requested
-- is set by StopCrawler and answered to the next heartbeat.
CREATE TABLE g_crawl_tasks (
  task_id VARCHAR(64) NOT NULL PRIMARY KEY,
  crawler_name VARCHAR(255) NOT NULL,
  task_state VARCHAR(16) NOT NULL,
  target ${text} NOT NULL,
  attempt INT NOT NULL,
  lease_owner VARCHAR(255),
  lease_token VARCHAR(64),
  lease_seconds INT,
  lease_expires_at BIGINT,
  heartbeat_at BIGINT,
  files_seen BIGINT NOT NULL,
  bytes_seen BIGINT NOT NULL,
  tables_found INT NOT NULL,
  stop_requested INT NOT NULL,
  created_at BIGINT NOT NULL
) ${table_options};
CREATE INDEX g_crawl_tasks_state ON g_crawl_tasks (task_state, created_at);
CREATE INDEX g_crawl_tasks_crawler ON g_crawl_tasks (crawler_name, task_state);

-- Connections of the Glue-compatible API (CreateConnection, ...), which JDBC crawler targets name.
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

-- One row per connection: its type and its ConnectionInput as given (JSON, without the name), with
-- the connection properties (JDBC_CONNECTION_URL, USERNAME, PASSWORD, ...) in it.
CREATE TABLE g_connections (
  connection_name VARCHAR(255) NOT NULL PRIMARY KEY,
  connection_type VARCHAR(64) NOT NULL,
  definition ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
) ${table_options};

