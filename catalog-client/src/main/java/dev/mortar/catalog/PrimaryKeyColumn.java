package dev.mortar.catalog;

/** One column of a table's primary key. */
public record PrimaryKeyColumn(String database, String table, String column, int keySeq, String constraintName) {}
