-- Partition names listed in code point order straight from the (tbl_id, part_name) index. MariaDB
-- (utf8mb4_bin) and H2 already keep that index in the order listings use; on PostgreSQL the column
-- takes the "C" collation, so that ORDER BY part_name COLLATE "C" reads the index in order instead
-- of sorting every partition of the table (the unique index is rebuilt in that order).
${partition_names_code_point_order}
