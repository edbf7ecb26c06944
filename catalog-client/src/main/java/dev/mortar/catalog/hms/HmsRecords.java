package dev.mortar.catalog.hms;

import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.StorageFormat;
import dev.mortar.catalog.TableName;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalog-client's records from and to Hive's Thrift objects. */
final class HmsRecords {
    private HmsRecords() {}

    static CatalogTable toTable(Table t) {
        StorageDescriptor sd = t.getSd();
        String viewText = t.getViewExpandedText() != null && !t.getViewExpandedText().isBlank() ? t.getViewExpandedText() : t.getViewOriginalText();
        return new CatalogTable(
                new TableName(t.getDbName(), t.getTableName()),
                t.getTableType(),
                sd == null ? List.of() : columns(sd.getCols()),
                columns(t.getPartitionKeys()),
                Optional.ofNullable(sd).map(StorageDescriptor::getLocation),
                format(sd),
                withoutNulls(t.getParameters()),
                Optional.ofNullable(viewText));
    }

    static CatalogPartition toPartition(Partition p) {
        StorageDescriptor sd = p.getSd();
        return new CatalogPartition(p.getValues(), Optional.ofNullable(sd).map(StorageDescriptor::getLocation),
                sd == null || sd.getCols() == null ? Optional.empty() : Optional.of(columns(sd.getCols())));
    }

    static StorageFormat format(StorageDescriptor sd) {
        if (sd == null) {
            return StorageFormat.NONE;
        }
        SerDeInfo serde = sd.getSerdeInfo();
        return StorageFormat.of(serde == null ? null : serde.getSerializationLib(), serde == null ? Map.of() : withoutNulls(serde.getParameters()),
                sd.getInputFormat(), sd.getOutputFormat());
    }

    static List<Column> columns(List<FieldSchema> fields) {
        return fields == null ? List.of() : fields.stream().map(f -> new Column(f.getName(), f.getType(), Optional.ofNullable(f.getComment()))).toList();
    }

    static List<FieldSchema> fieldSchemas(List<Column> columns) {
        return columns.stream().map(c -> new FieldSchema(c.name(), c.type(), c.comment().orElse(null))).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** A storage descriptor of {@code table}'s format with these columns at this location. */
    static StorageDescriptor storageDescriptor(CatalogTable table, String location, List<Column> columns) {
        StorageFormat format = table.format();
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(fieldSchemas(columns));
        sd.setLocation(location);
        sd.setInputFormat(format.inputFormat().orElse(null));
        sd.setOutputFormat(format.outputFormat().orElse(null));
        // any compression the crawl found, as the Glue service marks it
        sd.setCompressed(!table.parameters().getOrDefault("compressionType", "none").equals("none"));
        sd.setNumBuckets(-1);
        sd.setSerdeInfo(new SerDeInfo(null, format.serializationLibrary().orElse(null), new HashMap<>(format.serdeParameters())));
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());
        sd.setParameters(new HashMap<>());
        return sd;
    }

    static Map<String, String> withoutNulls(Map<String, String> map) {
        Map<String, String> copy = new HashMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
        }
        return copy;
    }
}
