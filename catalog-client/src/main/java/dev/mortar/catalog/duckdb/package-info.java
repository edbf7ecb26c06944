/**
 * A catalog table as DuckDB reads it, for every engine of Mortar that embeds DuckDB (the gateway, jobs): the SQL that
 * scans a table resolved by {@link dev.mortar.catalog.files.TableFiles} in its format ({@link TableScan}), Hive types
 * in DuckDB's terms ({@link DuckDbTypes}), and the table references and partition predicates of a query parsed by
 * DuckDB ({@link QueryAnalysis}). Only SQL text and parse trees: the engines own their DuckDB connections.
 */
package dev.mortar.catalog.duckdb;
