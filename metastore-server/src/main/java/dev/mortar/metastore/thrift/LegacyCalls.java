package dev.mortar.metastore.thrift;

import dev.mortar.metastore.hms.HmsContext;
import dev.mortar.metastore.hms.TableHandler;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.UnknownDBException;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls of the Hive 3-and-older Thrift interface that the Hive 4 interface dropped, but that
 * older clients (Spark's built-in Hive 2.3 client) still make. Their argument and result structs
 * are read and written here field by field, with the ids of the older IDL.
 */
final class LegacyCalls {
    static final Set<String> METHODS = Set.of("get_table", "get_table_objects_by_name");

    private final TableHandler tables;

    LegacyCalls(TableHandler tables) {
        this.tables = tables;
    }

    /** Reads the arguments, runs the call and writes the reply. */
    void process(TMessage message, TProtocol in, TProtocol out) throws TException {
        Map<Short, Object> args = readArgs(in);
        in.readMessageEnd();
        String db = (String) args.get((short) 1);
        TBase<?, ?> success = null;
        List<Table> successList = null;
        TException error = null;
        short errorField = 0;
        try {
            HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
            if (message.name.equals("get_table")) {
                success = tables.getTable(qn.catalog(), qn.name(), (String) args.get((short) 2));
            } else {
                @SuppressWarnings("unchecked")
                List<String> names = (List<String>) args.get((short) 2);
                successList = tables.getTablesByName(qn.catalog(), qn.name(), names == null ? List.of() : names, null);
            }
        } catch (MetaException e) {
            error = e;
            errorField = 1;
        } catch (NoSuchObjectException e) {
            error = e;
            errorField = 2;
        } catch (InvalidOperationException e) {
            error = e;
            errorField = 2;
        } catch (UnknownDBException e) {
            error = e;
            errorField = 3;
        } catch (TException e) {
            error = new MetaException(e.getMessage());
            errorField = 1;
        }
        if (message.name.equals("get_table") && error instanceof InvalidOperationException) {
            error = new MetaException(error.getMessage());
            errorField = 1;
        }
        out.writeMessageBegin(new TMessage(message.name, TMessageType.REPLY, message.seqid));
        out.writeStructBegin(new TStruct(message.name + "_result"));
        if (error != null) {
            out.writeFieldBegin(new TField("o" + errorField, TType.STRUCT, errorField));
            ((TBase<?, ?>) error).write(out);
            out.writeFieldEnd();
        } else if (success != null) {
            out.writeFieldBegin(new TField("success", TType.STRUCT, (short) 0));
            success.write(out);
            out.writeFieldEnd();
        } else {
            out.writeFieldBegin(new TField("success", TType.LIST, (short) 0));
            out.writeListBegin(new TList(TType.STRUCT, successList.size()));
            for (Table t : successList) {
                t.write(out);
            }
            out.writeListEnd();
            out.writeFieldEnd();
        }
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeMessageEnd();
        out.getTransport().flush();
    }

    /** Strings and lists of strings by field id; anything else is skipped. */
    private static Map<Short, Object> readArgs(TProtocol in) throws TException {
        Map<Short, Object> args = new LinkedHashMap<>();
        in.readStructBegin();
        while (true) {
            TField field = in.readFieldBegin();
            if (field.type == TType.STOP) {
                break;
            }
            if (field.type == TType.STRING) {
                args.put(field.id, in.readString());
            } else if (field.type == TType.LIST) {
                TList list = in.readListBegin();
                List<String> values = new ArrayList<>();
                for (int i = 0; i < list.size; i++) {
                    if (list.elemType == TType.STRING) {
                        values.add(in.readString());
                    } else {
                        TProtocolUtil.skip(in, list.elemType);
                    }
                }
                in.readListEnd();
                args.put(field.id, values);
            } else {
                TProtocolUtil.skip(in, field.type);
            }
            in.readFieldEnd();
        }
        in.readStructEnd();
        return args;
    }
}
