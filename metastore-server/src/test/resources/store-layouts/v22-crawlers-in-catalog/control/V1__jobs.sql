-- The control plane's own migrations (history in c_schema_history), applied after the catalog's.
-- ${text} and ${table_options} are filled in per database by the store.

-- The run queue serves every kind of run: crawls (CRAWL) and job runs (JOB). crawler_name is the
-- task's subject (the crawler, or the job), target its payload. Job run ids (jr_ and 64 hex digits, with
-- _attempt_N for retries) are longer than crawl ids.
ALTER TABLE g_crawl_tasks ADD COLUMN task_kind VARCHAR(16) DEFAULT 'CRAWL' NOT NULL;
${task_id_128}
CREATE INDEX g_crawl_tasks_kind ON g_crawl_tasks (task_kind, task_state, created_at);

-- Jobs: the definition as a JSON document of the control plane's own format (not the wire's),
-- changed with a version number.
CREATE TABLE c_jobs (
  job_name VARCHAR(255) NOT NULL PRIMARY KEY,
  definition ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version_no BIGINT NOT NULL
) ${table_options};

-- One row per job run. run_state is one of JobRunState; settings holds what the run was started
-- with (merged arguments, timeout, queuing, the trigger and predecessors) as JSON; figures what a
-- finished run did (rows, bytes, files, output partitions); log its log lines, appended as it runs.
-- bookmark_run is the job bookmark's run number this run's reads were recorded under.
CREATE TABLE c_job_runs (
  run_id VARCHAR(128) NOT NULL PRIMARY KEY,
  job_name VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  previous_run_id VARCHAR(128),
  trigger_name VARCHAR(255),
  run_state VARCHAR(16) NOT NULL,
  started_at BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  completed_at BIGINT,
  running_since BIGINT,
  settings ${text} NOT NULL,
  error_message ${text},
  figures ${text},
  log_text ${text},
  bookmark_run BIGINT
) ${table_options};
CREATE INDEX c_job_runs_job ON c_job_runs (job_name, started_at);
CREATE INDEX c_job_runs_state ON c_job_runs (job_name, run_state);

-- A job's bookmark: its counters as GetJobBookmark reports them.
CREATE TABLE c_job_bookmarks (
  job_name VARCHAR(255) NOT NULL PRIMARY KEY,
  version_no BIGINT NOT NULL,
  run_no BIGINT NOT NULL,
  attempt INT NOT NULL,
  run_id VARCHAR(128),
  previous_run_id VARCHAR(128),
  updated_at BIGINT NOT NULL
) ${table_options};

-- The files of catalog tables that successful bookmarked runs read: a file with the same path, size
-- and modification time is not read again. file_key is a hash of table and path (paths are too long
-- for an index on every store); run_no is the bookmark run that read it, for rewinds.
CREATE TABLE c_job_bookmark_files (
  job_name VARCHAR(255) NOT NULL,
  file_key VARCHAR(64) NOT NULL,
  table_name VARCHAR(600) NOT NULL,
  path ${text} NOT NULL,
  size_bytes BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  run_no BIGINT NOT NULL,
  PRIMARY KEY (job_name, file_key)
) ${table_options};

-- Tags of control-plane resources (GetTags, TagResource, UntagResource), by kind and name.
CREATE TABLE c_tags (
  resource_kind VARCHAR(32) NOT NULL,
  resource_name VARCHAR(255) NOT NULL,
  tag_key VARCHAR(128) NOT NULL,
  tag_value VARCHAR(256) NOT NULL,
  PRIMARY KEY (resource_kind, resource_name, tag_key)
) ${table_options};
