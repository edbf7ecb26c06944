package dev.mortar.metastore.glue;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The local file system under the scheme {@code blocking:}, whose {@code open} of a file named {@code block*}
 * waits until the test releases it: a crawl can be held between two files, deterministically. Found by Hadoop
 * through {@code META-INF/services/org.apache.hadoop.fs.FileSystem} on the test class path.
 */
public final class BlockingFileSystem extends RawLocalFileSystem {
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    static void reset() {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    @Override
    public String getScheme() {
        return "blocking";
    }

    @Override
    public URI getUri() {
        return URI.create("blocking:///");
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (f.getName().startsWith("block")) {
            CountDownLatch gate = release;
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while held");
            }
        }
        return super.open(f, bufferSize);
    }
}
