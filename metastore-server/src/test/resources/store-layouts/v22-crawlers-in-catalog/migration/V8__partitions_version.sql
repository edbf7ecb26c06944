-- The version of a table's partitions: set to a new unique number by every transaction that
-- changes them, so that a server can tell whether partitions it read before are still current.
ALTER TABLE m_tbls ADD part_version BIGINT DEFAULT 0 NOT NULL;
