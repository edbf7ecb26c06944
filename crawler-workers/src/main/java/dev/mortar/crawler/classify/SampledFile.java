package dev.mortar.crawler.classify;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One file to classify, read through the Hadoop FileSystem API. Text classifiers see a bounded sample of
 * the content, decompressed when the file is compressed (recognised by its first bytes, not its name; see
 * {@link Compression}).
 */
public final class SampledFile {
    /** As the service: text formats are sampled from the first megabyte (JSON up to ten). */
    public static final int TEXT_SAMPLE_BYTES = 1 << 20;
    public static final int JSON_SAMPLE_BYTES = 10 << 20;

    private final FileSystem fs;
    private final Path path;
    private final Configuration conf;
    private byte[] head;
    private int headLimit;
    /** Enough for every magic number and a Hadoop Snappy block header. */
    private static final int MAGIC_BYTES = 64;

    private byte[] rawHead;
    private boolean rawHeadComplete;
    private Compression compression;

    public SampledFile(FileSystem fs, Path path, Configuration conf) {
        this.fs = fs;
        this.path = path;
        this.conf = conf;
    }

    public Path path() {
        return path;
    }

    public FileSystem fileSystem() {
        return fs;
    }

    public Configuration configuration() {
        return conf;
    }

    /** Up to {@code limit} of the file's first bytes as stored (compressed or not); only what is asked for is read. */
    public byte[] rawHead(int limit) throws IOException {
        if (rawHead == null || rawHead.length < limit && !rawHeadComplete) {
            try (InputStream in = fs.open(path)) {
                rawHead = in.readNBytes(Math.max(limit, MAGIC_BYTES));
            }
            rawHeadComplete = rawHead.length < Math.max(limit, MAGIC_BYTES);
        }
        return rawHead.length > limit ? java.util.Arrays.copyOf(rawHead, limit) : rawHead;
    }

    /** The whole-file compression, recognised by the first bytes. */
    public Compression compression() throws IOException {
        if (compression == null) {
            byte[] magic = rawHead(MAGIC_BYTES);
            compression = Compression.detect(magic);
            int needed = Compression.hadoopBlockProbe(magic);
            if (compression == Compression.NONE && needed > magic.length) {
                compression = Compression.detect(rawHead(needed)); // a Hadoop block stream's first chunk is validated whole
            }
        }
        return compression;
    }

    public boolean gzip() throws IOException {
        return compression() == Compression.GZIP;
    }

    /** Up to {@code limit} bytes of the (uncompressed) content. */
    public byte[] content(int limit) throws IOException {
        if (head == null || limit > headLimit) {
            try (InputStream in = compression().decompress(new BufferedInputStream(fs.open(path)), conf)) {
                head = readUpTo(in, limit);
                headLimit = limit;
            }
        }
        return head.length > limit ? java.util.Arrays.copyOf(head, limit) : head;
    }

    /** Reads up to {@code limit} bytes; a compressed stream cut short (a truncated file) ends the sample. */
    private static byte[] readUpTo(InputStream in, int limit) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        try {
            while (out.size() < limit) {
                int n = in.read(buffer, 0, Math.min(buffer.length, limit - out.size()));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (java.io.EOFException e) {
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }
}
