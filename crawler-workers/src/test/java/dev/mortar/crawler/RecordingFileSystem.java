package dev.mortar.crawler;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local file system, recording every folder listed and every file opened, so that a test can prove what a
 * crawl did not touch. Installed with {@link #configuration()} for the {@code file:} scheme, uncached.
 */
public final class RecordingFileSystem extends LocalFileSystem {
    static final List<String> LISTED = new CopyOnWriteArrayList<>();
    static final List<String> OPENED = new CopyOnWriteArrayList<>();

    static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", RecordingFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    static void reset() {
        LISTED.clear();
        OPENED.clear();
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        LISTED.add(makeQualified(f).toString());
        return super.listStatus(f);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        OPENED.add(makeQualified(f).toString());
        return super.open(f, bufferSize);
    }
}
