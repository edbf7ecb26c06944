package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.TypeDescription;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** ORC files (magic {@code ORC}): the columns come from the footer's schema, nested types included. */
public final class OrcClassifier implements Classifier {
    public static final String SERDE = "org.apache.hadoop.hive.ql.io.orc.OrcSerde";
    public static final String INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat";

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] magic = file.rawHead(3);
        if (magic.length < 3 || magic[0] != 'O' || magic[1] != 'R' || magic[2] != 'C') {
            return Optional.empty();
        }
        TypeDescription schema;
        String codec;
        long rows;
        try (Reader reader = OrcFile.createReader(file.path(), OrcFile.readerOptions(file.configuration()).filesystem(file.fileSystem()))) {
            schema = reader.getSchema();
            codec = reader.getCompressionKind().name();
            rows = reader.getNumberOfRows();
        }
        if (schema.getCategory() != TypeDescription.Category.STRUCT) {
            return Optional.empty(); // Hive reads ORC files whose root is a struct
        }
        List<Column> columns = new ArrayList<>();
        List<String> names = schema.getFieldNames();
        for (int i = 0; i < names.size(); i++) {
            columns.add(new Column(names.get(i).toLowerCase(Locale.ROOT), hiveType(schema.getChildren().get(i))));
        }
        String explanation = "orc: the file starts with the ORC magic 'ORC'; columns from the footer's schema (" + columns.size() + " columns, "
                + rows + " rows, stripe compression " + codec + ")";
        return Optional.of(new Classification("orc", columns, SERDE, Map.of("serialization.format", "1"), INPUT_FORMAT, OUTPUT_FORMAT,
                Map.of("classification", "orc", "typeOfData", "file", "compressionType", "none"), explanation));
    }

    static String hiveType(TypeDescription type) {
        return switch (type.getCategory()) {
            case BOOLEAN -> "boolean";
            case BYTE -> "tinyint";
            case SHORT -> "smallint";
            case INT -> "int";
            case LONG -> "bigint";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case STRING -> "string";
            case DATE -> "date";
            case TIMESTAMP, TIMESTAMP_INSTANT -> "timestamp";
            case BINARY -> "binary";
            case DECIMAL -> "decimal(" + type.getPrecision() + "," + type.getScale() + ")";
            case VARCHAR -> "varchar(" + type.getMaxLength() + ")";
            case CHAR -> "char(" + type.getMaxLength() + ")";
            case LIST -> "array<" + hiveType(type.getChildren().get(0)) + ">";
            case MAP -> "map<" + hiveType(type.getChildren().get(0)) + "," + hiveType(type.getChildren().get(1)) + ">";
            case STRUCT -> {
                List<Column> fields = new ArrayList<>();
                for (int i = 0; i < type.getFieldNames().size(); i++) {
                    fields.add(new Column(type.getFieldNames().get(i).toLowerCase(Locale.ROOT), hiveType(type.getChildren().get(i))));
                }
                yield HiveTypes.struct(fields);
            }
            case UNION -> "uniontype<" + String.join(",", type.getChildren().stream().map(OrcClassifier::hiveType).toList()) + ">";
        };
    }
}
