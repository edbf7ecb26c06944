package dev.mortar.catalog.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Listings kept while their folders are unchanged, and only folders that had settled when they were listed. */
class FolderListingsTest {
    private static final Predicate<Path> VISIBLE = relative -> !relative.getFileName().toString().startsWith(".");

    @TempDir
    Path root;

    /** Puts every folder's and file's modification time a minute back, as for data written a while ago. */
    private void settle() throws IOException {
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                Files.setLastModifiedTime(p, past);
            }
        }
    }

    private Path write(String relative) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, relative);
    }

    @Test
    void aSettledListingIsKeptUntilAFolderOfItChanges() throws IOException {
        Path a = write("a.parquet");
        Path b = write("sub/b.parquet");
        write(".hidden");
        settle();
        FolderListings listings = FolderListings.kept();
        assertThat(listings.kept(root)).isEmpty();
        assertThat(listings.list(root, VISIBLE)).containsExactly(a, b);
        assertThat(listings.kept(root)).contains(List.of(a, b));

        // a file added in a subfolder changes that folder's time: listed again, and not kept while the change is recent
        Path c = write("sub/c.parquet");
        assertThat(listings.kept(root)).isEmpty();
        assertThat(listings.list(root, VISIBLE)).containsExactly(a, b, c);
        assertThat(listings.kept(root)).isEmpty();

        settle();
        assertThat(listings.list(root, VISIBLE)).containsExactly(a, b, c);
        assertThat(listings.kept(root)).contains(List.of(a, b, c));

        // a file deleted, or the folder gone
        Files.delete(a);
        assertThat(listings.kept(root)).isEmpty();
        assertThat(listings.list(root, VISIBLE)).containsExactly(b, c);
        settle();
        listings.list(root, VISIBLE);
        assertThat(listings.kept(root)).isPresent();
        Files.delete(b);
        Files.delete(c);
        Files.delete(root.resolve("sub"));
        assertThat(listings.kept(root)).isEmpty();
    }

    @Test
    void aFolderChangedInTheSettlingTimeIsNotKept() throws IOException {
        Path a = write("a.parquet");
        FolderListings listings = FolderListings.kept();
        assertThat(listings.list(root, VISIBLE)).containsExactly(a);
        assertThat(listings.kept(root)).isEmpty();
        // settled but for one subfolder
        write("sub/b.parquet");
        settle();
        Files.setLastModifiedTime(root.resolve("sub"), FileTime.fromMillis(System.currentTimeMillis() - FolderListings.SETTLED.toMillis() / 2));
        listings.list(root, VISIBLE);
        assertThat(listings.kept(root)).isEmpty();
    }

    @Test
    void noneKeepsNothing() throws IOException {
        Path a = write("a.parquet");
        settle();
        FolderListings listings = FolderListings.none();
        assertThat(listings.list(root, VISIBLE)).containsExactly(a);
        assertThat(listings.kept(root)).isEmpty();
        assertThat(listings.keeps()).isFalse();
    }
}
