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
