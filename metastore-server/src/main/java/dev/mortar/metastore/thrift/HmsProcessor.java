package dev.mortar.metastore.thrift;

import dev.mortar.metastore.server.Metrics;
import dev.mortar.metastore.store.EncodedNames;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.ProcessFunction;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Serves the Hive 4 interface for the methods Mortar implements, plus the legacy calls of older
 * clients, on one port. Anything else is answered as a server without that method answers.
 */
public final class HmsProcessor implements TProcessor {
    private final ThriftHiveMetastore.Iface iface;
    private final Map<String, ProcessFunction<ThriftHiveMetastore.Iface, ? extends TBase>> functions = new HashMap<>();
    private final LegacyCalls legacy;
    private final Metrics metrics;

    HmsProcessor(HmsDispatcher dispatcher, LegacyCalls legacy, Metrics metrics) {
        this.iface = dispatcher.wireIface();
        this.legacy = legacy;
        this.metrics = metrics;
        Set<String> implemented = dispatcher.implementedMethods();
        new ThriftHiveMetastore.Processor<>(iface).getProcessMapView().forEach((name, fn) -> {
            if (implemented.contains(name)) {
                functions.put(name, fn);
            }
        });
        if (functions.containsKey("get_partition_names")) {
            functions.put("get_partition_names", new PartitionNames());
        }
    }

    /** {@code get_partition_names}, whose answer, when it is a cached list of names, goes out as encoded before. */
    private static final class PartitionNames extends ThriftHiveMetastore.Processor.get_partition_names<ThriftHiveMetastore.Iface> {
        @Override
        public ThriftHiveMetastore.get_partition_names_result getResult(ThriftHiveMetastore.Iface iface, ThriftHiveMetastore.get_partition_names_args args) throws TException {
            ThriftHiveMetastore.get_partition_names_result result = super.getResult(iface, args);
            return result.getSuccess() instanceof EncodedNames ? new EncodedNamesResult(result) : result;
        }
    }

    private static final class EncodedNamesResult extends ThriftHiveMetastore.get_partition_names_result {
        private static final TStruct STRUCT = new TStruct("get_partition_names_result");
        private static final TField SUCCESS = new TField("success", TType.LIST, (short) 0);

        EncodedNamesResult(ThriftHiveMetastore.get_partition_names_result result) {
            setSuccess(result.getSuccess());
        }

        @Override
        public void write(TProtocol out) throws TException {
            if (out.getClass() != TBinaryProtocol.class) {
                super.write(out);
                return;
            }
            // As the generated writer lays the struct out, with the list's bytes as kept.
            out.writeStructBegin(STRUCT);
            out.writeFieldBegin(SUCCESS);
            out.getTransport().write(((EncodedNames) getSuccess()).binary());
            out.writeFieldEnd();
            out.writeFieldStop();
            out.writeStructEnd();
        }
    }

    public Set<String> methods() {
        return functions.keySet();
    }

    @Override
    public void process(TProtocol in, TProtocol out) throws TException {
        TMessage message = in.readMessageBegin();
        long start = System.nanoTime();
        boolean failed = false;
        try {
            ProcessFunction<ThriftHiveMetastore.Iface, ? extends TBase> fn = functions.get(message.name);
            if (fn != null) {
                fn.process(message.seqid, in, out, iface);
            } else if (LegacyCalls.METHODS.contains(message.name)) {
                legacy.process(message, in, out);
            } else {
                failed = true;
                TProtocolUtil.skip(in, TType.STRUCT);
                in.readMessageEnd();
                TApplicationException x = new TApplicationException(TApplicationException.UNKNOWN_METHOD, "Invalid method name: '" + message.name + "'");
                out.writeMessageBegin(new TMessage(message.name, TMessageType.EXCEPTION, message.seqid));
                x.write(out);
                out.writeMessageEnd();
                out.getTransport().flush();
            }
        } catch (TException | RuntimeException | Error e) {
            failed = true;
            throw e;
        } finally {
            metrics.recordCall(message.name, System.nanoTime() - start, failed);
        }
    }
}
