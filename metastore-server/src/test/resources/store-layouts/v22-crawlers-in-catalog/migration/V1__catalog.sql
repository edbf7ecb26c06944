-- Mortar catalog schema. Every object is stored whole, as its Thrift struct in compact encoding
-- (the "body" column), next to the few columns that are looked up or filtered on. Reading a
-- table or a partition is one indexed row, never a join over the object's parts.
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

CREATE TABLE m_sequences (
  seq_name VARCHAR(64) NOT NULL PRIMARY KEY,
  next_val BIGINT NOT NULL
) ${table_options};

CREATE TABLE m_catalogs (
  cat_name VARCHAR(256) NOT NULL PRIMARY KEY,
  body ${blob} NOT NULL
) ${table_options};

CREATE TABLE m_dbs (
  db_id BIGINT NOT NULL PRIMARY KEY,
  cat_name VARCHAR(256) NOT NULL,
  db_name VARCHAR(128) NOT NULL,
  body ${blob} NOT NULL,
  CONSTRAINT m_dbs_name UNIQUE (cat_name, db_name)
) ${table_options};

CREATE TABLE m_tbls (
  tbl_id BIGINT NOT NULL PRIMARY KEY,
  db_id BIGINT NOT NULL,
  tbl_name VARCHAR(256) NOT NULL,
  tbl_type VARCHAR(64),
  owner_name VARCHAR(767),
  body ${blob} NOT NULL,
  CONSTRAINT m_tbls_name UNIQUE (db_id, tbl_name)
) ${table_options};

CREATE TABLE m_partitions (
  part_id BIGINT NOT NULL PRIMARY KEY,
  tbl_id BIGINT NOT NULL,
  part_name VARCHAR(760) NOT NULL,
  body ${blob} NOT NULL,
  CONSTRAINT m_partitions_name UNIQUE (tbl_id, part_name)
) ${table_options};

-- One row per partition key value, so that partition filters run as indexed SQL.
-- num_val is set for integral keys whose value is a number.
CREATE TABLE m_partition_key_vals (
  part_id BIGINT NOT NULL,
  tbl_id BIGINT NOT NULL,
  key_idx INT NOT NULL,
  str_val VARCHAR(512),
  num_val BIGINT,
  PRIMARY KEY (part_id, key_idx)
) ${table_options};
CREATE INDEX m_pkv_str ON m_partition_key_vals (tbl_id, key_idx, str_val);
CREATE INDEX m_pkv_num ON m_partition_key_vals (tbl_id, key_idx, num_val);

CREATE TABLE m_tab_col_stats (
  tbl_id BIGINT NOT NULL,
  col_name VARCHAR(700) NOT NULL,
  body ${blob} NOT NULL,
  PRIMARY KEY (tbl_id, col_name)
) ${table_options};

CREATE TABLE m_part_col_stats (
  part_id BIGINT NOT NULL,
  col_name VARCHAR(700) NOT NULL,
  tbl_id BIGINT NOT NULL,
  body ${blob} NOT NULL,
  PRIMARY KEY (part_id, col_name)
) ${table_options};
CREATE INDEX m_pcs_tbl ON m_part_col_stats (tbl_id);

CREATE TABLE m_functions (
  db_id BIGINT NOT NULL,
  func_name VARCHAR(256) NOT NULL,
  body ${blob} NOT NULL,
  PRIMARY KEY (db_id, func_name)
) ${table_options};

-- One row per column of a constraint.
CREATE TABLE m_constraints (
  tbl_id BIGINT NOT NULL,
  constraint_name VARCHAR(400) NOT NULL,
  position INT NOT NULL,
  constraint_kind VARCHAR(16) NOT NULL,
  parent_tbl_id BIGINT,
  body ${blob} NOT NULL,
  PRIMARY KEY (tbl_id, constraint_name, position)
) ${table_options};
CREATE INDEX m_cons_parent ON m_constraints (parent_tbl_id);

CREATE TABLE m_locks (
  lock_id BIGINT NOT NULL,
  component_idx INT NOT NULL,
  db_name VARCHAR(128) NOT NULL,
  tbl_name VARCHAR(256),
  part_name VARCHAR(760),
  lock_type VARCHAR(16) NOT NULL,
  lock_state VARCHAR(16) NOT NULL,
  txn_id BIGINT NOT NULL,
  user_name VARCHAR(256) NOT NULL,
  host_name VARCHAR(256) NOT NULL,
  agent_info VARCHAR(512),
  created_at BIGINT NOT NULL,
  acquired_at BIGINT,
  last_heartbeat BIGINT NOT NULL,
  PRIMARY KEY (lock_id, component_idx)
) ${table_options};
CREATE INDEX m_locks_obj ON m_locks (db_name, tbl_name);

CREATE TABLE m_notification_log (
  event_id BIGINT NOT NULL PRIMARY KEY,
  event_time INT NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  cat_name VARCHAR(256),
  db_name VARCHAR(128),
  tbl_name VARCHAR(256),
  message ${text} NOT NULL,
  message_format VARCHAR(16)
) ${table_options};

INSERT INTO m_sequences (seq_name, next_val) VALUES ('object', 1);
INSERT INTO m_sequences (seq_name, next_val) VALUES ('lock', 1);
INSERT INTO m_sequences (seq_name, next_val) VALUES ('event', 1);
