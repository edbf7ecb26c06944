package dev.mortar.metastore.cli;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;

/**
 * The local file system under the scheme {@code gated:}, whose {@code open} of a file named {@code block*} marks
 * {@code .<file>.entered} and waits until {@code .<file>.release} exists: a crawl in another process can be held
 * between two files and let go from the test. Found by Hadoop through {@code META-INF/services} on the class path.
 */
public final class GatedFileSystem extends RawLocalFileSystem {
    @Override
    public String getScheme() {
        return "gated";
    }

    @Override
    public URI getUri() {
        return URI.create("gated:///");
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (f.getName().startsWith("block")) {
            java.nio.file.Path file = pathToFile(f).toPath();
            // hidden names, which crawls skip
            java.nio.file.Path entered = file.resolveSibling("." + file.getFileName() + ".entered");
            java.nio.file.Path release = file.resolveSibling("." + file.getFileName() + ".release");
            Files.writeString(entered, String.valueOf(ProcessHandle.current().pid()));
            while (!Files.exists(release)) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while held");
                }
            }
        }
        return super.open(f, bufferSize);
    }
}
