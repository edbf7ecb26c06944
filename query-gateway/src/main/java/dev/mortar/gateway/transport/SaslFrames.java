package dev.mortar.gateway.transport;

import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TLayeredTransport;

/**
 * The messages of a SASL connection once it is authenticated without a security layer (the "auth"
 * quality of protection, the only one PLAIN has): each message is a frame of its length (4 bytes,
 * big-endian) and its bytes, in both directions, exactly as libthrift's {@code TSaslServerTransport}
 * reads and writes them after the handshake.
 *
 * <p>What differs is the buffering. libthrift's transport keeps a 1 KiB buffer for what is written,
 * grows it by doubling for each larger message and drops it again after the message: a result batch of
 * 4 MiB is copied about 8 MiB on its way out, and each incoming frame is a new array. Here a message is
 * written into a {@link MessageBuffer} whose pieces are kept for the next message (up to
 * {@link #KEPT_PIECES}), so a message of any size is copied once, and one read buffer is kept for incoming
 * frames up to {@link #KEPT_READ_BUFFER}; a frame longer than the largest message accepted is refused before
 * anything of it is read.
 */
final class SaslFrames extends TLayeredTransport {
    /** Pieces of {@link MessageBuffer} kept between messages (1 MiB); a larger message's extra pieces are let go after it. */
    static final int KEPT_PIECES = 16;
    /** The largest read buffer kept between frames. */
    static final int KEPT_READ_BUFFER = 1024 * 1024;

    private final int maxFrame;
    private final byte[] header = new byte[4];

    private final MessageBuffer message = new MessageBuffer(KEPT_PIECES);

    private byte[] frame = new byte[4096];
    private int frameLength;
    private int frameRead;

    SaslFrames(TTransport authenticated, int maxFrame) throws TTransportException {
        super(authenticated);
        this.maxFrame = maxFrame;
    }

    @Override
    public boolean isOpen() {
        return getInnerTransport().isOpen();
    }

    @Override
    public void open() throws TTransportException {
        getInnerTransport().open();
    }

    @Override
    public void close() {
        getInnerTransport().close();
    }

    // ---- reading

    @Override
    public int read(byte[] buf, int off, int len) throws TTransportException {
        if (frameRead == frameLength) {
            readFrame();
        }
        int n = Math.min(len, frameLength - frameRead);
        System.arraycopy(frame, frameRead, buf, off, n);
        frameRead += n;
        return n;
    }

    private void readFrame() throws TTransportException {
        getInnerTransport().readAll(header, 0, 4);
        int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (length < 0 || length > maxFrame) {
            close();
            throw new TTransportException(TTransportException.CORRUPTED_DATA,
                    "Frame size (" + length + ") is not between 0 and the largest message accepted (" + maxFrame + ")");
        }
        if (length > frame.length || (frame.length > KEPT_READ_BUFFER && length <= KEPT_READ_BUFFER)) {
            frame = new byte[Math.max(length, 4096)];
        }
        getInnerTransport().readAll(frame, 0, length);
        frameLength = length;
        frameRead = 0;
    }

    @Override
    public byte[] getBuffer() {
        return frame;
    }

    @Override
    public int getBufferPosition() {
        return frameRead;
    }

    @Override
    public int getBytesRemainingInBuffer() {
        return frameLength - frameRead;
    }

    @Override
    public void consumeBuffer(int len) {
        frameRead += len;
    }

    // ---- writing

    @Override
    public void write(byte[] buf, int off, int len) {
        message.write(buf, off, len);
    }

    /** Sends the message written since the last flush as one frame. */
    @Override
    public void flush() throws TTransportException {
        long length = message.length();
        if (length > Integer.MAX_VALUE) {
            message.drainTo((bytes, offset, n) -> { });
            throw new TTransportException(TTransportException.UNKNOWN, "A message of " + length + " bytes does not fit a frame");
        }
        header[0] = (byte) (length >>> 24);
        header[1] = (byte) (length >>> 16);
        header[2] = (byte) (length >>> 8);
        header[3] = (byte) length;
        TTransport out = getInnerTransport();
        out.write(header, 0, 4);
        message.drainTo(out::write);
        out.flush();
    }
}
