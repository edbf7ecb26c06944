package dev.mortar.etl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A data file as a job bookmark remembers it: its full location as the catalog's resolution of a table gives it, its
 * size and its last-modified time. A file counts as read before only when all three are the same, so a file rewritten
 * in place (another size or time) is read again.
 */
public record FileMark(String path, long size, long modifiedMillis) {
    public FileMark {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("A file mark needs the file's location");
        }
        if (size < 0) {
            throw new IllegalArgumentException("File " + path + " cannot have a negative size: " + size);
        }
    }

    /** The mark of a local file as it is now. */
    public static FileMark of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileMark(file.toString(), attributes.size(), attributes.lastModifiedTime().toMillis());
    }
}
