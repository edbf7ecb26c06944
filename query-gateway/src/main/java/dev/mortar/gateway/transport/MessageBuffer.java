package dev.mortar.gateway.transport;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer being written before its length is sent: kept in 64 KiB pieces, so that a message of any size is
 * copied once on its way out (a {@code ByteArrayOutputStream} copies a growing message again at every doubling,
 * and once more for {@code toByteArray}). After {@link #drainTo}, up to {@code keptPieces} pieces stay for the next
 * message.
 */
final class MessageBuffer extends OutputStream {
    static final int PIECE = 64 * 1024;

    /** Where a message goes. */
    @FunctionalInterface
    interface Sink<E extends Exception> {
        void write(byte[] bytes, int offset, int length) throws E;
    }

    private final int keptPieces;
    private final List<byte[]> pieces = new ArrayList<>();
    /** The piece being written into, and how far. */
    private int piece;
    private int position;

    MessageBuffer(int keptPieces) {
        this.keptPieces = keptPieces;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (piece == pieces.size()) {
                pieces.add(new byte[PIECE]);
            }
            byte[] target = pieces.get(piece);
            int n = Math.min(length, PIECE - position);
            System.arraycopy(bytes, offset, target, position, n);
            position += n;
            offset += n;
            length -= n;
            if (position == PIECE) {
                piece++;
                position = 0;
            }
        }
    }

    /** Bytes written since the last {@link #drainTo}. */
    long length() {
        return (long) piece * PIECE + position;
    }

    /** Hands what was written to {@code sink}, in order, and empties the buffer (also when the sink fails). */
    <E extends Exception> void drainTo(Sink<E> sink) throws E {
        try {
            for (int i = 0; i < piece; i++) {
                sink.write(pieces.get(i), 0, PIECE);
            }
            if (position > 0) {
                sink.write(pieces.get(piece), 0, position);
            }
        } finally {
            piece = 0;
            position = 0;
            while (pieces.size() > keptPieces) {
                pieces.removeLast();
            }
        }
    }
}
