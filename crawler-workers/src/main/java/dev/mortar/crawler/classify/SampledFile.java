package dev.mortar.crawler.classify;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * One file to classify, read through the Hadoop FileSystem API. Text classifiers see a bounded sample of
 * the content, gunzipped when the file is gzip (recognised by its magic bytes, not its name).
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
    private Boolean gzip;

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

    public boolean gzip() throws IOException {
        if (gzip == null) {
            try (InputStream in = fs.open(path)) {
                byte[] magic = in.readNBytes(2);
                gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            }
        }
        return gzip;
    }

    /** Up to {@code limit} bytes of the (uncompressed) content. */
    public byte[] content(int limit) throws IOException {
        if (head == null || limit > headLimit) {
            try (InputStream raw = new BufferedInputStream(fs.open(path));
                 InputStream in = gzip() ? new GZIPInputStream(raw) : raw) {
                head = in.readNBytes(limit);
                headLimit = limit;
            }
        }
        return head.length > limit ? java.util.Arrays.copyOf(head, limit) : head;
    }
}
