package dev.mortar.metastore.warehouse;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.Trash;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.PrivilegedExceptionAction;

/**
 * The warehouse directories of databases, managed tables and partitions, on any Hadoop
 * FileSystem. Dropped managed data goes to the owner's Hadoop trash unless purged.
 */
public final class Warehouse {
    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

    private final Path root;
    private final Path externalRoot;
    private final Configuration conf;

    public Warehouse(String root, String externalRoot, Configuration conf) {
        this.conf = conf;
        this.root = qualifiedPath(new Path(root));
        this.externalRoot = externalRoot == null || externalRoot.isBlank() ? this.root : qualifiedPath(new Path(externalRoot));
    }

    public Configuration conf() {
        return conf;
    }

    public Path root() {
        return root;
    }

    public Path externalRoot() {
        return externalRoot;
    }

    private Path qualifiedPath(Path path) {
        try {
            return path.getFileSystem(conf).makeQualified(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot use warehouse location " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The location with scheme and authority filled in. A location on a file system this server
     * has no client for (say s3:// without hadoop-aws) is kept as given: engines read and write
     * the data themselves, and Glue clients expect the catalog not to touch storage.
     */
    public String qualify(String location) throws MetaException {
        Path path = new Path(location);
        if (!hasFileSystem(path)) {
            return location;
        }
        try {
            return qualifiedPath(path).toString();
        } catch (IllegalArgumentException e) {
            throw new MetaException(e.getMessage());
        }
    }

    /** Whether this server can reach the location's file system at all. */
    public boolean hasFileSystem(Path path) {
        String scheme = path.toUri().getScheme();
        if (scheme == null) {
            return true;
        }
        try {
            FileSystem.getFileSystemClass(scheme, conf);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path databasePath(String catalogRoot, String dbName) {
        Path base = catalogRoot == null ? root : new Path(catalogRoot);
        return "default".equals(dbName) ? base : new Path(base, dbName + ".db");
    }

    public Path externalDatabasePath(String dbName) {
        return "default".equals(dbName) ? externalRoot : new Path(externalRoot, dbName + ".db");
    }

    public boolean exists(String location) throws MetaException {
        Path path = new Path(location);
        if (!hasFileSystem(path)) {
            return false;
        }
        try {
            return path.getFileSystem(conf).exists(path);
        } catch (IOException e) {
            throw new MetaException("Cannot check " + location + ": " + e.getMessage());
        }
    }

    public void mkdirs(String location) throws MetaException {
        Path path = new Path(location);
        try {
            if (isLocal(path)) {
                // Hadoop's local file system sets permissions by running chmod once per directory
                // when its native library is absent; the JDK creates the same directories without it.
                java.nio.file.Files.createDirectories(java.nio.file.Path.of(path.toUri()));
                return;
            }
            if (!hasFileSystem(path)) {
                LOG.debug("Not creating {}: no file system client for its scheme", location);
                return;
            }
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path) && !fs.mkdirs(path)) {
                throw new MetaException("Unable to create path " + location);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new MetaException("Unable to create path " + location + ": " + e.getMessage());
        }
    }

    /** Creates many directories (a batch of partitions), in parallel on remote file systems. */
    public void mkdirsAll(java.util.List<String> locations) throws MetaException {
        if (locations.size() < 8 || locations.stream().allMatch(l -> isLocal(new Path(l)))) {
            for (String location : locations) {
                mkdirs(location);
            }
            return;
        }
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(16);
            java.util.List<java.util.concurrent.Future<Void>> results = new java.util.ArrayList<>();
            for (String location : locations) {
                results.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        mkdirs(location);
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (var result : results) {
                result.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof MetaException m ? m : new MetaException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaException("Interrupted while creating partition directories");
        }
    }

    private static boolean isLocal(Path path) {
        String scheme = path.toUri().getScheme();
        return "file".equals(scheme) && path.toUri().getPath() != null && path.isAbsolute();
    }

    /** Moves a directory, creating the target's parent; fails if the target exists. */
    public void rename(String from, String to) throws MetaException {
        Path source = new Path(from);
        Path target = new Path(to);
        if (!hasFileSystem(source)) {
            return;
        }
        try {
            FileSystem fs = source.getFileSystem(conf);
            if (!fs.exists(source)) {
                return;
            }
            if (fs.exists(target)) {
                throw new MetaException("Cannot move " + from + " to " + to + ": the target already exists");
            }
            fs.mkdirs(target.getParent());
            if (!fs.rename(source, target)) {
                throw new MetaException("Cannot move " + from + " to " + to);
            }
            LOG.info("Moved {} to {}", from, to);
        } catch (IOException e) {
            throw new MetaException("Cannot move " + from + " to " + to + ": " + e.getMessage());
        }
    }

    /**
     * Deletes a directory's data: into the trash of {@code owner} when the file system has trash
     * enabled ({@code fs.trash.interval} &gt; 0) and {@code purge} is false, otherwise for good.
     */
    public void deleteData(String location, boolean purge, String owner) {
        Path path = new Path(location);
        if (!hasFileSystem(path)) {
            LOG.warn("Not deleting {}: no file system client for its scheme", location);
            return;
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                return;
            }
            if (!purge && conf.getLong("fs.trash.interval", 0) > 0) {
                UserGroupInformation ugi = owner == null || owner.isBlank()
                        ? UserGroupInformation.getCurrentUser()
                        : UserGroupInformation.createRemoteUser(owner);
                boolean moved = ugi.doAs((PrivilegedExceptionAction<Boolean>) () -> Trash.moveToAppropriateTrash(path.getFileSystem(conf), path, conf));
                if (moved) {
                    LOG.info("Moved {} to the trash of {}", location, ugi.getShortUserName());
                    return;
                }
            }
            if (isLocal(path)) {
                // Hadoop's local delete tries each non-empty folder before its contents and checks every entry twice:
                // the JDK's walk removes a 10,000-partition table's folders with a third of the system calls.
                deleteLocalTree(java.nio.file.Path.of(path.toUri()));
            } else {
                fs.delete(path, true);
            }
            LOG.info("Deleted {}", location);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The catalog change is committed already; data left behind is reported, not fatal.
            LOG.warn("Could not delete {}: {}", location, e.getMessage());
        }
    }

    private static void deleteLocalTree(java.nio.file.Path root) throws IOException {
        java.nio.file.Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(java.nio.file.Path file, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                java.nio.file.Files.delete(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(java.nio.file.Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                java.nio.file.Files.delete(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    public boolean isSubdirectory(String parent, String child) {
        if (parent == null || child == null) {
            return false;
        }
        String p = parent.endsWith("/") ? parent : parent + "/";
        return child.startsWith(p);
    }
}
