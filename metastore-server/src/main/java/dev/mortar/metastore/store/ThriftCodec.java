package dev.mortar.metastore.store;

import org.apache.thrift.TBase;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;

import java.util.function.Supplier;

/** Stores catalog objects as their Thrift structs in compact encoding. */
public final class ThriftCodec {
    private ThriftCodec() {}

    public static byte[] encode(TBase<?, ?> value) {
        try {
            return new TSerializer(new TCompactProtocol.Factory()).serialize(value);
        } catch (TException e) {
            throw new IllegalStateException("Cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T extends TBase<?, ?>> T decode(byte[] bytes, Supplier<T> factory) {
        T value = factory.get();
        try {
            new TDeserializer(new TCompactProtocol.Factory()).deserialize(value, bytes);
        } catch (TException e) {
            throw new IllegalStateException("Cannot decode stored " + value.getClass().getSimpleName(), e);
        }
        return value;
    }
}
