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
