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

    /** Where local directories being deleted wait, renamed, for the background deleter (under a local root). */
    static final String PURGE_DIR = ".mortar-purge";
    /** Directories with no more files than this (and no folders) are deleted in place, not moved aside. */
    private static final int FEW_FILES = 16;

    private final Path root;
    private final Path externalRoot;
    private final Configuration conf;
    private final java.nio.file.Path purgeDir;
    /** One thread: deleting trees is disk-bound, and the calls it follows have returned already. */
    private final java.util.concurrent.ExecutorService purger = new java.util.concurrent.ThreadPoolExecutor(0, 1, 30, java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("mortar-purge").factory());

    public Warehouse(String root, String externalRoot, Configuration conf) {
        this.conf = conf;
        this.root = qualifiedPath(new Path(root));
        this.externalRoot = externalRoot == null || externalRoot.isBlank() ? this.root : qualifiedPath(new Path(externalRoot));
        this.purgeDir = isLocal(this.root) ? java.nio.file.Path.of(this.root.toUri()).resolve(PURGE_DIR) : null;
        purgeLeftovers();
    }

    /** Deletes what a previous run moved aside but did not delete before it stopped. */
    private void purgeLeftovers() {
        if (purgeDir == null || !java.nio.file.Files.isDirectory(purgeDir)) {
            return;
        }
        try (var leftovers = java.nio.file.Files.list(purgeDir)) {
            leftovers.forEach(this::purgeInBackground);
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", purgeDir, e.getMessage());
        }
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

    /**
     * Whether this server's user may write in the folder by its permissions (owner, group, others), as Hive's storage
     * check ({@code metastore.authorization.storage.checks}) reads them, with no exception for root. A folder that is not
     * there counts as writable, as one on a file system this server has no client for (it never deletes data there).
     */
    public boolean isWritable(Path folder) {
        if (folder == null || !hasFileSystem(folder)) {
            return true;
        }
        try {
            folder.getFileSystem(conf).access(folder, org.apache.hadoop.fs.permission.FsAction.WRITE);
            return true;
        } catch (java.io.FileNotFoundException e) {
            return true;
        } catch (org.apache.hadoop.security.AccessControlException e) {
            return false;
        } catch (IOException e) {
            LOG.debug("Cannot check whether {} is writable", folder, e);
            return false;
        }
    }

    /** The user this server acts as on its file systems, for messages. */
    public static String user() {
        try {
            return UserGroupInformation.getCurrentUser().getShortUserName();
        } catch (IOException e) {
            return System.getProperty("user.name");
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
     * Moves a directory that must exist to a path that must not, creating the target's parent; any
     * failure is a MetaException. A location on a file system without a client is left as it is.
     */
    public void move(String from, String to) throws MetaException {
        Path source = new Path(from);
        Path target = new Path(to);
        if (!hasFileSystem(source)) {
            return;
        }
        try {
            FileSystem fs = source.getFileSystem(conf);
            if (!fs.exists(source)) {
                throw new MetaException("Cannot move " + from + " to " + to + ": " + from + " does not exist");
            }
            if (fs.exists(target)) {
                throw new MetaException("Cannot move " + from + " to " + to + ": the target already exists");
            }
            if (!fs.mkdirs(target.getParent()) || !fs.rename(source, target)) {
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
        boolean trash = !purge && conf.getLong("fs.trash.interval", 0) > 0;
        if (!hasFileSystem(path)) {
            LOG.warn("Not deleting {}: no file system client for its scheme", location);
            return;
        }
        try {
            if (isLocal(path) && !trash) {
                deleteLocal(java.nio.file.Path.of(path.toUri()));
                return;
            }
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                return;
            }
            if (trash) {
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
                deleteLocal(java.nio.file.Path.of(path.toUri()));
            } else {
                fs.delete(path, true);
                LOG.info("Deleted {}", location);
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The catalog change is committed already; data left behind is reported, not fatal.
            LOG.warn("Could not delete {}: {}", location, e.getMessage());
        }
    }

    /**
     * Deletes a local file or directory for good. A directory with folders or more than a few files
     * is renamed into the purge folder, which takes one system call whatever its size, and deleted
     * from there in the background: the location is empty when this returns, also for a table of
     * 10,000 partition folders. The rename is atomic, so a crash leaves the tree either in place or in
     * the purge folder, whose leftovers the next start deletes. A small directory (a partition's,
     * typically) takes fewer calls to delete in place than to rename and walk again later; so does a
     * directory on another file system than the warehouse root, where a rename is not possible.
     * Deletions are logged at debug level only: a log line is a tenth of a drop_partition call.
     */
    private void deleteLocal(java.nio.file.Path target) throws IOException {
        if (!java.nio.file.Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (java.nio.file.Files.deleteIfExists(target)) {
                LOG.debug("Deleted {}", target);
            }
            return;
        }
        if (!holdsFewFiles(target) && purgeDir != null && !purgeDir.startsWith(target) && moveAside(target)) {
            LOG.debug("Deleted {} (its files go in the background)", target);
            return;
        }
        deleteLocalTree(target);
        LOG.debug("Deleted {}", target);
    }

    /** Whether a directory holds no folders and at most {@link #FEW_FILES} files. */
    private static boolean holdsFewFiles(java.nio.file.Path dir) throws IOException {
        try (var entries = java.nio.file.Files.newDirectoryStream(dir)) {
            int count = 0;
            for (java.nio.file.Path entry : entries) {
                if (++count > FEW_FILES || java.nio.file.Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
            }
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    /** Renames a directory into the purge folder and has it deleted there; false if it cannot be renamed. */
    private boolean moveAside(java.nio.file.Path target) {
        java.nio.file.Path aside = purgeDir.resolve(java.util.UUID.randomUUID().toString());
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                java.nio.file.Files.move(target, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                purgeInBackground(aside);
                return true;
            } catch (java.nio.file.NoSuchFileException e) {
                if (!java.nio.file.Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
                // The purge folder does not exist yet: made once, then the move is tried again.
                try {
                    java.nio.file.Files.createDirectories(purgeDir);
                } catch (IOException cannot) {
                    return false;
                }
            } catch (IOException e) {
                LOG.debug("Cannot move {} aside ({}); deleting it in place", target, e.getMessage());
                return false;
            }
        }
        return false;
    }

    private void purgeInBackground(java.nio.file.Path aside) {
        purger.execute(() -> {
            try {
                deleteLocalTree(aside);
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", aside, e.getMessage());
            }
        });
    }

    /** Waits until the directories moved aside so far are deleted (for an orderly stop, and tests). */
    public void awaitPurges() throws InterruptedException {
        try {
            purger.submit(() -> {}).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Hadoop's local delete tries each non-empty folder before its contents and checks every entry
     * twice: the JDK's walk removes a 10,000-partition table's folders with a third of the system calls.
     * Entries that vanish meanwhile (another server deleting the same leftovers) are no error.
     */
    private static void deleteLocalTree(java.nio.file.Path root) throws IOException {
        java.nio.file.Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(java.nio.file.Path file, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                java.nio.file.Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(java.nio.file.Path file, IOException failure) throws IOException {
                if (failure instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(java.nio.file.Path dir, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof java.nio.file.NoSuchFileException)) {
                    throw failure;
                }
                java.nio.file.Files.deleteIfExists(dir);
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
