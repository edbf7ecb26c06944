package dev.mortar.benchmarks;

import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TMemoryBuffer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The driver's floor: a server inside the driver that answers every call at once with one canned
 * reply (the answer a real server gave, encoded in advance), so that calling it measures what the
 * driver itself spends on a call: sending the request, receiving the answer through the socket and
 * decoding it. No server can answer the same call in less.
 */
final class ReplayServer
        implements AutoCloseable
{
    private final ServerSocket socket;
    private final byte[] reply;
    private final int seqidOffset;
    private final Thread acceptor;

    /** A server answering every call with {@code result} as the reply to {@code method}. */
    ReplayServer(String method, TBase<?, ?> result)
            throws IOException, TException
    {
        TMemoryBuffer buffer = new TMemoryBuffer(1 << 16);
        TBinaryProtocol protocol = new TBinaryProtocol(buffer);
        protocol.writeMessageBegin(new TMessage(method, TMessageType.REPLY, 0));
        result.write(protocol);
        protocol.writeMessageEnd();
        this.reply = Arrays.copyOf(buffer.getArray(), buffer.length());
        // strict binary protocol: version and type (4 bytes), name length (4), name, then the sequence id
        this.seqidOffset = 8 + method.getBytes(StandardCharsets.UTF_8).length;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("replay-accept").start(this::accept);
    }

    int port()
    {
        return socket.getLocalPort();
    }

    /** Bytes of one reply. */
    int replyBytes()
    {
        return reply.length;
    }

    private void accept()
    {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread.ofPlatform().daemon().name("replay").start(() -> serve(connection));
            }
            catch (IOException e) {
                return;  // closed
            }
        }
    }

    private void serve(Socket connection)
    {
        try (connection) {
            // as a Thrift server's accepted sockets (and the driver's TSocket): no Nagle delay on the last segment
            connection.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(connection.getInputStream(), 1 << 16));
            OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 1 << 16);
            TBinaryProtocol arguments = new TBinaryProtocol(new TIOStreamTransport(in));
            byte[] answer = reply.clone();
            while (true) {
                in.readInt();                    // version and message type
                in.skipNBytes(in.readInt());     // method name
                int seqid = in.readInt();
                TProtocolUtil.skip(arguments, TType.STRUCT);
                answer[seqidOffset] = (byte) (seqid >>> 24);
                answer[seqidOffset + 1] = (byte) (seqid >>> 16);
                answer[seqidOffset + 2] = (byte) (seqid >>> 8);
                answer[seqidOffset + 3] = (byte) seqid;
                out.write(answer);
                out.flush();
            }
        }
        catch (EOFException | SocketException e) {
            // the driver closed the connection
        }
        catch (IOException | TException e) {
            System.err.println("[bench] replay server: " + e);
        }
    }

    @Override
    public void close()
            throws IOException
    {
        socket.close();
        try {
            acceptor.join(1_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
