package dev.mortar.metastore.hms;

import org.apache.hadoop.hive.metastore.api.GetProjectionsSpec;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.thrift.TBase;
import org.apache.thrift.TFieldIdEnum;
import org.apache.thrift.meta_data.FieldMetaData;
import org.apache.thrift.meta_data.FieldValueMetaData;
import org.apache.thrift.meta_data.StructMetaData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The projection of {@code get_table_objects_by_name_req}, as the Hive Metastore applies it: the
 * listed fields (Thrift field names, dotted into nested structs: {@code sd.location}) and the
 * table's create time, last access time and retention are set, nothing else. A field inside a
 * list, set or map (a "multi-valued" field, such as {@code sd.cols.name} or {@code parameters})
 * makes the answer whole tables, and an unknown field or an include/exclude pattern is a MetaException.
 */
final class TableProjection {
    private final List<List<Step>> paths;

    private record Step(TFieldIdEnum field, FieldValueMetaData type) {}

    private TableProjection(List<List<Step>> paths) {
        this.paths = paths;
    }

    /** Empty when the tables go out whole. */
    static java.util.Optional<TableProjection> of(GetProjectionsSpec spec) throws MetaException {
        if (spec == null) {
            return java.util.Optional.empty();
        }
        if ((spec.isSetIncludeParamKeyPattern() && !spec.getIncludeParamKeyPattern().isEmpty())
                || (spec.isSetExcludeParamKeyPattern() && !spec.getExcludeParamKeyPattern().isEmpty())) {
            throw new MetaException("Include and exclude patterns are not supported in table projections");
        }
        if (spec.getFieldList() == null || spec.getFieldList().isEmpty()) {
            return java.util.Optional.empty();
        }
        List<List<Step>> paths = new ArrayList<>();
        boolean multiValued = false;
        for (String name : spec.getFieldList()) {
            List<Step> path = resolve(name);
            multiValued |= path.stream().anyMatch(s -> s.type().isContainer());
            paths.add(path);
        }
        return multiValued ? java.util.Optional.empty() : java.util.Optional.of(new TableProjection(paths));
    }

    private static List<Step> resolve(String name) throws MetaException {
        if (name == null || name.isEmpty()) {
            throw new MetaException("Invalid field name " + name);
        }
        List<Step> path = new ArrayList<>();
        Class<? extends TBase> struct = Table.class;
        String[] parts = name.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (struct == null) {
                throw new MetaException("Invalid field name " + name);
            }
            Step step = field(struct, parts[i]);
            if (step == null) {
                throw new MetaException("Invalid field name " + name);
            }
            path.add(step);
            struct = structOf(step.type());
        }
        return path;
    }

    /** The struct a field holds, directly or as the elements of a list or set; null for other values. */
    private static Class<? extends TBase> structOf(FieldValueMetaData type) {
        if (type instanceof StructMetaData s) {
            return s.structClass;
        }
        if (type instanceof org.apache.thrift.meta_data.ListMetaData l) {
            return structOf(l.elemMetaData);
        }
        if (type instanceof org.apache.thrift.meta_data.SetMetaData s) {
            return structOf(s.elemMetaData);
        }
        return null;
    }

    private static Step field(Class<? extends TBase> struct, String name) {
        Map<? extends TFieldIdEnum, FieldMetaData> fields = FieldMetaData.getStructMetaDataMap(struct);
        for (Map.Entry<? extends TFieldIdEnum, FieldMetaData> e : fields.entrySet()) {
            if (e.getKey().getFieldName().equals(name)) {
                return new Step(e.getKey(), e.getValue().valueMetaData);
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Table apply(Table full) {
        Table result = new Table();
        result.setCreateTime(full.getCreateTime());
        result.setLastAccessTime(full.getLastAccessTime());
        result.setRetention(full.getRetention());
        for (List<Step> path : paths) {
            TBase from = full;
            TBase to = result;
            for (int i = 0; i < path.size() && from != null; i++) {
                Step step = path.get(i);
                if (!from.isSet(step.field())) {
                    break;
                }
                Object value = from.getFieldValue(step.field());
                if (i == path.size() - 1) {
                    to.setFieldValue(step.field(), value instanceof TBase<?, ?> b ? b.deepCopy() : value);
                } else {
                    if (!to.isSet(step.field())) {
                        try {
                            to.setFieldValue(step.field(), ((StructMetaData) step.type()).structClass.getDeclaredConstructor().newInstance());
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    from = (TBase) value;
                    to = (TBase) to.getFieldValue(step.field());
                }
            }
        }
        return result;
    }
}
