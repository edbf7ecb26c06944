-- Hive's scheduled queries (scheduled_query_maintenance, _poll, _progress): each query whole as its
-- Thrift struct, with the columns a poll selects on; and each execution a poll hands out. A query's
-- active execution keeps other polls from handing it out again until that execution ends.
CREATE TABLE m_scheduled_queries (
  schq_id BIGINT NOT NULL PRIMARY KEY,
  cluster_namespace VARCHAR(256) NOT NULL,
  schedule_name VARCHAR(256) NOT NULL,
  enabled INT NOT NULL,
  next_execution INT,
  active_execution_id BIGINT,
  body ${blob} NOT NULL,
  CONSTRAINT m_schq_key UNIQUE (cluster_namespace, schedule_name)
) ${table_options};

CREATE TABLE m_scheduled_executions (
  execution_id BIGINT NOT NULL PRIMARY KEY,
  schq_id BIGINT NOT NULL,
  state VARCHAR(32) NOT NULL,
  executor_query_id VARCHAR(1024),
  error_message ${text},
  start_time INT NOT NULL,
  end_time INT,
  last_update_time INT
) ${table_options};
CREATE INDEX m_sched_exec_schq ON m_scheduled_executions (schq_id);
