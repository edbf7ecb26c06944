package dev.mortar.crawler.classify;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.Lz4Codec;
import org.apache.hadoop.io.compress.SnappyCodec;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import org.apache.hadoop.util.ReflectionUtils;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Whole-file compression of text files, recognised by the content's first bytes (never the file name) and read
 * transparently. {@link #tableValue()} is what the catalog records as the table's {@code compressionType}.
 *
 * <p>Snappy comes in two layouts: the framing format ({@link #SNAPPY}, with its stream identifier, as snappy-java's
 * framed stream, python-snappy and Go write it) and Hadoop's block stream ({@link #HADOOP_SNAPPY}, as Hadoop's
 * {@code SnappyCodec} writes {@code .snappy} files for Hive and Spark). The block stream has no magic bytes; it is
 * recognised by its structure: a plausible block header followed by a chunk that snappy-java validates. LZ4 likewise:
 * LZ4 frames ({@link #LZ4}, as the {@code lz4} tool writes them) by their magic, and Hadoop's block stream
 * ({@link #HADOOP_LZ4}, {@code Lz4Codec}'s {@code .lz4} files) by a first chunk that lz4-java decompresses.
 */
public enum Compression {
    NONE("none"),
    GZIP("gzip"),
    BZIP2("bzip2"),
    SNAPPY("snappy"),
    HADOOP_SNAPPY("snappy"),
    LZ4("lz4"),
    HADOOP_LZ4("lz4"),
    ZSTD("zstd"),
    ZIP("zip");

    /** The most of a file's head read to recognise a compression: the first chunk of a Hadoop Snappy block (256 KiB buffers by default). */
    static final int HEAD_BYTES = 320 << 10;
    private static final byte[] SNAPPY_FRAME = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};
    private static final byte[] LZ4_FRAME = {0x04, 0x22, 0x4d, 0x18};
    private static final byte[] ZSTD_FRAME = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] ZIP_ENTRY = {'P', 'K', 0x03, 0x04};

    private final String tableValue;

    Compression(String tableValue) {
        this.tableValue = tableValue;
    }

    /** The table parameter {@code compressionType}: {@code none}, {@code gzip}, {@code bzip2}, {@code snappy}, {@code lz4}, {@code zstd} or {@code zip}. */
    public String tableValue() {
        return tableValue;
    }

    /** The compression whose signature starts {@code head} (the file's first bytes), {@link #NONE} when there is none. */
    public static Compression detect(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9') {
            return BZIP2;
        }
        if (startsWith(head, SNAPPY_FRAME)) {
            return SNAPPY;
        }
        if (startsWith(head, LZ4_FRAME)) {
            return LZ4;
        }
        if (startsWith(head, ZSTD_FRAME)) {
            return ZSTD;
        }
        if (startsWith(head, ZIP_ENTRY)) {
            return ZIP;
        }
        if (hadoopSnappyBlock(head)) {
            return HADOOP_SNAPPY;
        }
        if (hadoopLz4Block(head)) {
            return HADOOP_LZ4;
        }
        return NONE;
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * Hadoop's block stream: a big-endian uncompressed block length, then chunks of a big-endian compressed length
     * and raw Snappy bytes. Text never passes: its first four bytes read as a length beyond any block size.
     */
    private static boolean hadoopSnappyBlock(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(head);
        int blockLength = buffer.getInt();
        int chunkLength = buffer.getInt();
        if (blockLength <= 0 || blockLength > 64 << 20 || chunkLength <= 0 || chunkLength > head.length - 8) {
            return false;
        }
        try {
            return Snappy.isValidCompressedBuffer(head, 8, chunkLength) && Snappy.uncompressedLength(head, 8, chunkLength) <= blockLength;
        } catch (IOException | RuntimeException e) {
            return false; // not Snappy data
        }
    }

    /** Hadoop's block stream around LZ4 blocks ({@code Lz4Codec}): the same framing, a first chunk that lz4-java decompresses. */
    private static boolean hadoopLz4Block(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(head);
        int blockLength = buffer.getInt();
        int chunkLength = buffer.getInt();
        if (blockLength <= 0 || blockLength > 64 << 20 || chunkLength <= 0 || chunkLength > head.length - 8) {
            return false;
        }
        try {
            byte[] out = new byte[Math.min(blockLength, 4 << 20)];
            return LZ4Factory.fastestJavaInstance().safeDecompressor().decompress(head, 8, chunkLength, out, 0, out.length) > 0;
        } catch (LZ4Exception | IllegalArgumentException e) {
            return false; // not LZ4 data
        }
    }

    /**
     * How many of the file's first bytes {@link #detect} needs to validate a Hadoop Snappy or LZ4 block: its header and first
     * chunk, when {@code head} starts like one (else its own length).
     */
    static int hadoopBlockProbe(byte[] head) {
        if (head.length < 8) {
            return head.length;
        }
        ByteBuffer buffer = ByteBuffer.wrap(head);
        int blockLength = buffer.getInt();
        int chunkLength = buffer.getInt();
        if (blockLength <= 0 || blockLength > 64 << 20 || chunkLength <= 0 || chunkLength > HEAD_BYTES - 8) {
            return head.length;
        }
        return 8 + chunkLength;
    }

    /** The uncompressed content of {@code raw}, which is positioned at the file's start. */
    public InputStream decompress(InputStream raw, Configuration conf) throws IOException {
        return switch (this) {
            case NONE -> raw;
            case GZIP -> new GZIPInputStream(raw, 64 << 10);
            case BZIP2 -> new BZip2CompressorInputStream(raw, true /* decompressConcatenated */);
            case SNAPPY -> new FramedSnappyCompressorInputStream(raw);
            case HADOOP_SNAPPY -> ReflectionUtils.newInstance(SnappyCodec.class, conf).createInputStream(raw);
            case HADOOP_LZ4 -> ReflectionUtils.newInstance(Lz4Codec.class, conf).createInputStream(raw);
            case LZ4 -> new FramedLZ4CompressorInputStream(raw, true /* decompressConcatenated */);
            case ZSTD -> new ZstdCompressorInputStream(raw);
            case ZIP -> {
                ZipInputStream zip = new ZipInputStream(raw);
                ZipEntry entry = zip.getNextEntry();
                while (entry != null && entry.isDirectory()) {
                    entry = zip.getNextEntry();
                }
                if (entry == null) {
                    throw new IOException("ZIP archive has no file entry");
                }
                yield zip; // as the service, the archive's first file is read
            }
        };
    }
}
