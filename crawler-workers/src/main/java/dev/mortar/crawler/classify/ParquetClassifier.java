package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parquet files (magic {@code PAR1}): the columns come from the footer's schema, logical types included. */
public final class ParquetClassifier implements Classifier {
    public static final String SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    public static final String INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        try (InputStream in = file.fileSystem().open(file.path())) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'A' || magic[2] != 'R' || magic[3] != '1') {
                return Optional.empty();
            }
        }
        MessageType schema;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file.path(), file.configuration()))) {
            schema = reader.getFooter().getFileMetaData().getSchema();
        }
        List<Column> columns = columns(schema);
        return Optional.of(new Classification("parquet", columns, SERDE, Map.of("serialization.format", "1"),
                INPUT_FORMAT, OUTPUT_FORMAT, Map.of("classification", "parquet", "typeOfData", "file"),
                "parquet: the file starts with the Parquet magic 'PAR1'; columns from the footer's schema (" + columns.size() + " columns)"));
    }

    static List<Column> columns(GroupType group) {
        List<Column> columns = new ArrayList<>();
        for (Type field : group.getFields()) {
            columns.add(new Column(field.getName().toLowerCase(Locale.ROOT), hiveType(field)));
        }
        return columns;
    }

    static String hiveType(Type field) {
        String type = field.isPrimitive() ? primitive(field.asPrimitiveType()) : group(field.asGroupType());
        // A repeated field without a LIST wrapper is a list of its element (the legacy two-level layout).
        return field.isRepetition(Type.Repetition.REPEATED) ? "array<" + type + ">" : type;
    }

    private static String group(GroupType group) {
        LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && group.getFieldCount() == 1) {
            Type repeated = group.getType(0);
            // Three-level list: repeated group with a single element field; otherwise the repeated field is the element.
            Type element = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                    && repeated.getLogicalTypeAnnotation() == null ? repeated.asGroupType().getType(0) : repeated;
            String elementType = element == repeated
                    ? (repeated.isPrimitive() ? primitive(repeated.asPrimitiveType()) : group(repeated.asGroupType()))
                    : hiveType(element);
            return "array<" + elementType + ">";
        }
        if ((logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                && group.getFieldCount() == 1 && !group.getType(0).isPrimitive()) {
            GroupType entry = group.getType(0).asGroupType();
            return "map<" + hiveType(entry.getType(0)) + "," + (entry.getFieldCount() > 1 ? hiveType(entry.getType(1)) : "string") + ">";
        }
        return HiveTypes.struct(columns(group));
    }

    private static String primitive(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> "boolean";
            case INT32 -> {
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    yield "date";
                }
                if (logical instanceof IntLogicalTypeAnnotation i) {
                    yield switch (i.getBitWidth()) {
                        case 8 -> "tinyint";
                        case 16 -> "smallint";
                        default -> i.isSigned() ? "int" : "bigint";
                    };
                }
                yield "int";
            }
            case INT64 -> logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? "timestamp" : "bigint";
            case INT96 -> "timestamp";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BINARY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? "string" : "binary";
            case FIXED_LEN_BYTE_ARRAY -> "binary";
        };
    }
}
