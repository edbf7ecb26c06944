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
