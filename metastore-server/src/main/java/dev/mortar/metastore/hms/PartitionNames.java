package dev.mortar.metastore.hms;

import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.utils.FileUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Partition names as the Hive Metastore writes them: {@code key=value/key2=value2}, keys
 * lower-case, both escaped with Hive's path escaping. (Hive's own {@code Warehouse} helpers need
 * HDFS classes at load time; the escaping itself is Hive's {@link FileUtils}.)
 */
public final class PartitionNames {
    private PartitionNames() {}

    public static String make(List<FieldSchema> keys, List<String> values) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                name.append('/');
            }
            name.append(FileUtils.escapePathName(keys.get(i).getName().toLowerCase(Locale.ROOT)))
                    .append('=')
                    .append(FileUtils.escapePathName(values.get(i)));
        }
        return name.toString();
    }

    public static LinkedHashMap<String, String> spec(String name) throws MetaException {
        LinkedHashMap<String, String> spec = new LinkedHashMap<>();
        if (name == null || name.isEmpty()) {
            return spec;
        }
        for (String component : name.split("/")) {
            int eq = component.indexOf('=');
            if (eq <= 0) {
                throw new MetaException("Invalid partition name " + name + ": '" + component + "' is not key=value");
            }
            spec.put(FileUtils.unescapePathName(component.substring(0, eq)), FileUtils.unescapePathName(component.substring(eq + 1)));
        }
        return spec;
    }

    public static List<String> values(String name) throws MetaException {
        return new ArrayList<>(spec(name).values());
    }

    public static Map<String, String> spec(List<FieldSchema> keys, List<String> values) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 0; i < keys.size() && i < values.size(); i++) {
            spec.put(keys.get(i).getName(), values.get(i));
        }
        return spec;
    }
}
