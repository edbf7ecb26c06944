-- What the Glue-compatible API keeps beyond the Hive Metastore's objects. The catalog objects
-- themselves (databases, tables, partitions, statistics, functions) stay in the V1 tables, shared
-- with the HMS API; these tables only add to them, keyed by the V1 ids.
-- ${blob}, ${text} and ${table_options} are filled in per database by the store.

-- The current Glue version of each table (the row Glue writers lock), and every version kept:
-- the Hive table as of that version, its Glue-only fields and when it was written.
CREATE TABLE g_tables (
  tbl_id BIGINT NOT NULL PRIMARY KEY,
  current_version BIGINT NOT NULL
) ${table_options};

CREATE TABLE g_table_versions (
  tbl_id BIGINT NOT NULL,
  version_id BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  body ${blob} NOT NULL,
  extras ${text},
  PRIMARY KEY (tbl_id, version_id)
) ${table_options};

-- Partition indexes, as declared through CreatePartitionIndex (the key values themselves are
-- indexed for every partition key already, in m_partition_key_vals).
CREATE TABLE g_partition_indexes (
  tbl_id BIGINT NOT NULL,
  index_name VARCHAR(255) NOT NULL,
  key_names ${text} NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tbl_id, index_name)
) ${table_options};

-- Glue-only fields of other objects, as JSON: databases (obj_id = db_id), partitions
-- (obj_id = part_id, parent_id = tbl_id), functions (obj_id = db_id, obj_name = function name),
-- column statistics times (obj_id = tbl_id or part_id, obj_name = column name).
CREATE TABLE g_extras (
  obj_kind VARCHAR(32) NOT NULL,
  obj_id BIGINT NOT NULL,
  obj_name VARCHAR(256) NOT NULL,
  parent_id BIGINT,
  extras ${text} NOT NULL,
  PRIMARY KEY (obj_kind, obj_id, obj_name)
) ${table_options};
CREATE INDEX g_extras_parent ON g_extras (parent_id);
