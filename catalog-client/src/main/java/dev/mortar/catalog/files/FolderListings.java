package dev.mortar.catalog.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The data files under folders, listed recursively in path order, with the listings kept between calls. A kept
 * listing is used again only while every folder it walked has the modification time it had then, which a file
 * created, deleted or renamed in that folder changes; and only if, when it was listed, no such folder had changed in
 * the {@link #SETTLED} before, so that two changes within a file system's timestamp resolution (a second on some)
 * cannot hide behind one time. Checking a kept listing costs one {@code stat} per folder instead of reading each
 * folder and each file's attributes. What a listing holds is names; files rewritten in place are read as they are
 * by whoever opens them.
 */
public final class FolderListings {
    /** How long a folder must have been unchanged when it was listed for its listing to be kept (as DuckDB does for its own file cache). */
    static final Duration SETTLED = Duration.ofSeconds(10);
    /** The most listings kept; past it, all are dropped and kept again as they are listed. */
    static final int MAX_KEPT = 50_000;

    private static final FolderListings NONE = new FolderListings(false);

    private final boolean keep;
    private final Map<Path, Listing> kept = new ConcurrentHashMap<>();

    private FolderListings(boolean keep) {
        this.keep = keep;
    }

    /** Listings kept between calls. */
    public static FolderListings kept() {
        return new FolderListings(true);
    }

    /** Every call lists again. */
    public static FolderListings none() {
        return NONE;
    }

    /** Whether listings are kept. */
    public boolean keeps() {
        return keep;
    }

    /** The folders a listing walked, with their modification times, and the files it found. */
    private record Listing(List<Path> folders, List<FileTime> times, List<Path> files) {}

    /** The kept listing of {@code root}, when there is one and its folders are as they were. */
    Optional<List<Path>> kept(Path root) {
        if (!keep) {
            return Optional.empty();
        }
        Listing listing = kept.get(root);
        return listing != null && unchanged(listing) ? Optional.of(listing.files()) : Optional.empty();
    }

    /**
     * Lists the regular files under {@code root} (a folder) whose path relative to it {@code visible} accepts, in path
     * order, and keeps the listing when its folders had settled.
     */
    List<Path> list(Path root, Predicate<Path> visible) throws IOException {
        long started = System.currentTimeMillis();
        List<Path> folders = new ArrayList<>();
        List<FileTime> times = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        // the walk's own attributes, rather than another stat per file
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                folders.add(dir);
                times.add(attributes.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && visible.test(root.relativize(file))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e;
            }
        });
        files.sort(null);
        List<Path> result = List.copyOf(files);
        if (keep) {
            long settledBefore = started - SETTLED.toMillis();
            if (times.stream().allMatch(t -> t.toMillis() < settledBefore)) {
                if (kept.size() >= MAX_KEPT) {
                    kept.clear();
                }
                kept.put(root, new Listing(List.copyOf(folders), List.copyOf(times), result));
            } else {
                kept.remove(root);
            }
        }
        return result;
    }

    private static boolean unchanged(Listing listing) {
        for (int i = 0; i < listing.folders().size(); i++) {
            Optional<FileTime> now = lastModified(listing.folders().get(i));
            if (now.isEmpty() || !now.get().equals(listing.times().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<FileTime> lastModified(Path folder) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(folder, BasicFileAttributes.class);
            return attributes.isDirectory() ? Optional.of(attributes.lastModifiedTime()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
