-- Hive's runtime statistics (add_runtime_stats, get_runtime_stats): the payloads query execution
-- records for re-optimization, each with its weight and the time (epoch seconds) the server took it.
CREATE TABLE m_runtime_stats (
  stat_id BIGINT NOT NULL PRIMARY KEY,
  create_time INT NOT NULL,
  weight INT NOT NULL,
  payload ${blob} NOT NULL
) ${table_options};
CREATE INDEX m_runtime_stats_time ON m_runtime_stats (create_time);
