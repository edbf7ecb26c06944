package dev.mortar.catalog;

/** One column of a foreign key: the referenced (parent) column and the referencing (foreign) one. */
public record ForeignKeyColumn(String parentDatabase, String parentTable, String parentColumn,
                               String foreignDatabase, String foreignTable, String foreignColumn,
                               int keySeq, int updateRule, int deleteRule, String constraintName, String parentKeyName) {}
