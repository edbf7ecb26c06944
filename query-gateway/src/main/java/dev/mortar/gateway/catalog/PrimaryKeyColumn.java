package dev.mortar.gateway.catalog;

public record PrimaryKeyColumn(String database, String table, String column, int keySeq, String constraintName) {}
