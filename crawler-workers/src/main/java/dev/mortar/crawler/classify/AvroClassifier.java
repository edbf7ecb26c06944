package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Avro object container files (magic {@code Obj\u0001}): the columns are the fields of the writer schema in the file
 * header, mapped to Hive types as Hive's AvroSerDe maps them. The table keeps the schema as {@code avro.schema.literal},
 * as the service does.
 */
public final class AvroClassifier implements Classifier {
    public static final String SERDE = "org.apache.hadoop.hive.serde2.avro.AvroSerDe";
    public static final String INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat";

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] magic = file.rawHead(4);
        if (magic.length < 4 || magic[0] != 'O' || magic[1] != 'b' || magic[2] != 'j' || magic[3] != 1) {
            return Optional.empty();
        }
        Schema schema;
        String codec;
        try (InputStream in = file.fileSystem().open(file.path());
             DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
            schema = stream.getSchema();
            codec = stream.getMetaString("avro.codec");
        }
        if (schema.getType() != Schema.Type.RECORD) {
            return Optional.empty(); // Hive reads records only
        }
        List<Column> columns = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            columns.add(new Column(field.name().toLowerCase(Locale.ROOT), hiveType(field.schema(), new HashSet<>())));
        }
        String literal = schema.toString();
        String explanation = "avro: the file starts with the Avro container magic 'Obj\\u0001'; columns from the writer schema of record "
                + schema.getFullName() + " (" + columns.size() + " fields, block codec " + (codec == null ? "null" : codec) + ")";
        return Optional.of(new Classification("avro", columns, SERDE, Map.of(Classification.AVRO_SCHEMA, literal), INPUT_FORMAT, OUTPUT_FORMAT,
                Map.of("classification", "avro", "typeOfData", "file", "compressionType", "none", Classification.AVRO_SCHEMA, literal), explanation));
    }

    /** The Hive type of an Avro schema; {@code seen} stops recursive records, which Hive cannot represent. */
    static String hiveType(Schema schema, Set<String> seen) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        if (logical != null) {
            switch (logical.getName()) {
                case "date" -> {
                    return "date";
                }
                case "timestamp-millis" -> {
                    return "timestamp";
                }
                // Hive's AvroSerDe reads the other timestamps (micros, nanos, local-*), time-*, uuid and duration as
                // their underlying type; the columns say what it reads.
                default -> { }
            }
        }
        return switch (schema.getType()) {
            case NULL -> "void";
            case BOOLEAN -> "boolean";
            case INT -> "int";
            case LONG -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BYTES, FIXED -> "binary";
            case STRING, ENUM -> "string";
            case ARRAY -> "array<" + hiveType(schema.getElementType(), seen) + ">";
            case MAP -> "map<string," + hiveType(schema.getValueType(), seen) + ">";
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    throw new IllegalArgumentException("Avro record " + schema.getFullName() + " is recursive; Hive types cannot represent it");
                }
                List<Column> fields = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    fields.add(new Column(field.name().toLowerCase(Locale.ROOT), hiveType(field.schema(), seen)));
                }
                seen.remove(schema.getFullName());
                yield HiveTypes.struct(fields);
            }
            case UNION -> {
                // A union with null is a nullable value of its other branch; other unions are Hive uniontypes.
                List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
                if (branches.isEmpty()) {
                    yield "void";
                }
                if (branches.size() == 1) {
                    yield hiveType(branches.get(0), seen);
                }
                List<String> types = new ArrayList<>();
                for (Schema branch : branches) {
                    types.add(hiveType(branch, seen));
                }
                yield "uniontype<" + String.join(",", types) + ">";
            }
        };
    }
}
