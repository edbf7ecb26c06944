package dev.mortar.gateway.catalog;

public record ForeignKeyColumn(String parentDatabase, String parentTable, String parentColumn,
                               String foreignDatabase, String foreignTable, String foreignColumn,
                               int keySeq, int updateRule, int deleteRule, String constraintName, String parentKeyName) {}
