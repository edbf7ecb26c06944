package dev.mortar.gateway.transport;

import org.apache.hive.service.rpc.thrift.TStringColumn;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The frames of an authenticated SASL connection without a security layer: a 4-byte big-endian length, then the message. */
class SaslFramesTest {
    private static final int MAX = 16 * 1024 * 1024;

    @Test
    void eachFlushIsOneFrameOfItsLengthAndBytes() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SaslFrames frames = new SaslFrames(new TIOStreamTransport(new TConfiguration(), new ByteArrayInputStream(new byte[0]), wire), MAX);
        Random random = new Random(7);
        // empty, small, exactly one piece, one byte over, several pieces (more than are kept), then small again
        int[] sizes = {0, 9, MessageBuffer.PIECE, MessageBuffer.PIECE + 1, 20 * MessageBuffer.PIECE + 123, 5};
        List<byte[]> messages = new ArrayList<>();
        for (int size : sizes) {
            byte[] message = new byte[size];
            random.nextBytes(message);
            messages.add(message);
            // written in uneven slices, as a protocol writes field by field
            for (int off = 0; off < size; ) {
                int n = Math.min(size - off, 1 + random.nextInt(70_000));
                frames.write(message, off, n);
                off += n;
            }
            frames.flush();
        }
        ByteBuffer sent = ByteBuffer.wrap(wire.toByteArray());
        for (byte[] message : messages) {
            assertThat(sent.getInt()).isEqualTo(message.length);
            byte[] body = new byte[message.length];
            sent.get(body);
            assertThat(body).isEqualTo(message);
        }
        assertThat(sent.remaining()).isZero();
    }

    @Test
    void readsThriftMessagesFromFrames() throws Exception {
        List<TStringColumn> columns = List.of(
                new TStringColumn(List.of("a", "bb", ""), ByteBuffer.wrap(new byte[] {0})),
                new TStringColumn(List.of("x".repeat(3 * SaslFrames.KEPT_READ_BUFFER)), ByteBuffer.wrap(new byte[] {0})),
                new TStringColumn(List.of("after a large frame"), ByteBuffer.wrap(new byte[] {0})));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SaslFrames writer = new SaslFrames(new TIOStreamTransport(new TConfiguration(), new ByteArrayInputStream(new byte[0]), wire), MAX);
        TBinaryProtocol out = new TBinaryProtocol(writer);
        for (TStringColumn column : columns) {
            column.write(out);
            writer.flush();
        }
        SaslFrames reader = new SaslFrames(new TIOStreamTransport(new TConfiguration(), new ByteArrayInputStream(wire.toByteArray()), new ByteArrayOutputStream()), MAX);
        TBinaryProtocol in = new TBinaryProtocol(reader);
        for (TStringColumn column : columns) {
            TStringColumn read = new TStringColumn();
            read.read(in);
            assertThat(read).isEqualTo(column);
            assertThat(reader.getBytesRemainingInBuffer()).isZero();
        }
    }

    @Test
    void refusesFramesLargerThanTheLimitOrNegative() throws Exception {
        for (int length : new int[] {1025, -1}) {
            byte[] wire = ByteBuffer.allocate(8).putInt(length).putInt(0).array();
            SaslFrames reader = new SaslFrames(new TIOStreamTransport(new TConfiguration(), new ByteArrayInputStream(wire), new ByteArrayOutputStream()), 1024);
            assertThatThrownBy(() -> reader.read(new byte[4], 0, 4))
                    .isInstanceOfSatisfying(TTransportException.class, e -> assertThat(e.getType()).isEqualTo(TTransportException.CORRUPTED_DATA))
                    .hasMessageContaining("Frame size (" + length + ")");
        }
    }

    @Test
    void aFrameCutShortIsTheEndOfTheStream() throws Exception {
        byte[] wire = Arrays.copyOf(ByteBuffer.allocate(4).putInt(10).array(), 7);
        SaslFrames reader = new SaslFrames(new TIOStreamTransport(new TConfiguration(), new ByteArrayInputStream(wire), new ByteArrayOutputStream()), 1024);
        assertThatThrownBy(() -> reader.read(new byte[10], 0, 10))
                .isInstanceOfSatisfying(TTransportException.class, e -> assertThat(e.getType()).isEqualTo(TTransportException.END_OF_FILE));
    }
}
