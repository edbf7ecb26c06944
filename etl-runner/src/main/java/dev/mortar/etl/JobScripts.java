package dev.mortar.etl;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * A job's script, from its {@code ScriptLocation}: a local path, a {@code file:} URI, or any URI Hadoop's
 * {@link FileSystem} reads with the given configuration ({@code s3://} and {@code s3a://} through the S3A connector,
 * with the server's S3 settings). Also decides how a job's command runs here ({@link #kind}).
 */
public final class JobScripts {
    /** Scripts are text; a location that holds more than this is not one. */
    public static final long MAX_SCRIPT_BYTES = 16L * 1024 * 1024;

    private static final String ENGINES = "this server runs glueetl jobs written in SQL (.sql) on its DuckDB engine, "
            + "and Python scripts (.py) as pythonshell jobs";

    private final Configuration hadoop;

    public JobScripts(Configuration hadoop) {
        this.hadoop = new Configuration(hadoop);
    }

    /** The script's text (UTF-8). */
    public String read(String location) {
        return new String(bytes(location), StandardCharsets.UTF_8);
    }

    /**
     * Copies the script into {@code directory}, under its own base name ({@code s3://bucket/jobs/etl.py} is
     * {@code etl.py}), and returns the copy: a Python shell job runs that file, which is its {@code sys.argv[0]}.
     */
    public Path copyTo(String location, Path directory) {
        String name = baseName(location);
        byte[] content = bytes(location);
        Path target = directory.resolve(name);
        try {
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, "." + name, ".part");
            Files.write(partial, content);
            return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JobException("Cannot copy script " + location + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** The file name a location ends with. */
    public static String baseName(String location) {
        String path = Location.of(location).path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new JobException("Script location " + location + " names a folder, not a script");
        }
        return name;
    }

    /**
     * How a job with this command ({@code Command.Name}) and script runs here: {@code glueetl} with a {@code .sql}
     * script on the DuckDB engine, {@code pythonshell} with a {@code .py} script as a Python shell job. Anything else
     * is a {@link JobException} saying what runs here.
     */
    public static JobKind kind(String command, String location) {
        String name = baseName(location);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')).toLowerCase(Locale.ROOT) : "";
        String commandName = command == null ? "" : command.strip();
        return switch (commandName.toLowerCase(Locale.ROOT)) {
            case "glueetl" -> switch (extension) {
                case ".sql" -> JobKind.SQL;
                case ".py" -> throw new JobException("Script " + location + " of a glueetl job is a PySpark script; " + ENGINES
                        + ". Rewrite it in SQL, or run it as a pythonshell job if it does not need Spark");
                case ".scala" -> throw new JobException("Script " + location + " of a glueetl job is a Scala Spark script; " + ENGINES);
                default -> throw new JobException("Script " + location + " of a glueetl job is neither SQL (.sql) nor Python (.py); " + ENGINES);
            };
            case "pythonshell" -> switch (extension) {
                case ".py" -> JobKind.PYTHON_SHELL;
                default -> throw new JobException("Script " + location + " of a pythonshell job is not a Python script (.py); " + ENGINES);
            };
            case "gluestreaming" -> throw new JobException("Streaming jobs (gluestreaming) are not supported; " + ENGINES);
            case "glueray" -> throw new JobException("Ray jobs (glueray) are not supported; " + ENGINES);
            case "" -> throw new JobException("The job's command has no name; " + ENGINES);
            default -> throw new JobException("Unknown job command " + commandName + " (the job API's are glueetl, pythonshell, "
                    + "gluestreaming and glueray); " + ENGINES);
        };
    }

    private byte[] bytes(String location) {
        Location where = Location.of(location);
        try {
            return where.local().isPresent() ? readLocal(location, where.local().get()) : readHadoop(location, where.uri().orElseThrow());
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new JobException("Script " + location + " does not exist", e);
        } catch (IOException e) {
            throw new JobException("Cannot read script " + location + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readLocal(String location, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new JobException("Script location " + location + " is a folder, not a script");
        }
        checkSize(location, Files.size(file));
        return Files.readAllBytes(file);
    }

    private byte[] readHadoop(String location, URI uri) throws IOException {
        URI through = uri;
        if ("s3".equalsIgnoreCase(uri.getScheme()) && hadoop.get("fs.s3.impl") == null) {
            // s3:// as the managed service writes it, read through S3A when the configuration does not map it itself
            through = URI.create("s3a" + uri.toString().substring(2));
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(through);
        // a file system of its own, closed after the read: the cached one would keep the first configuration it saw
        try (FileSystem fs = FileSystem.newInstance(through, hadoop)) {
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                throw new JobException("Script location " + location + " is a folder, not a script");
            }
            checkSize(location, status.getLen());
            try (FSDataInputStream in = fs.open(path)) {
                return readAtMost(location, in);
            }
        }
    }

    private static byte[] readAtMost(String location, InputStream in) throws IOException {
        byte[] content = in.readNBytes((int) MAX_SCRIPT_BYTES + 1);
        checkSize(location, content.length);
        return content;
    }

    private static void checkSize(String location, long size) {
        if (size > MAX_SCRIPT_BYTES) {
            throw new JobException("Script " + location + " is " + size + " bytes; a script is at most " + MAX_SCRIPT_BYTES + " bytes");
        }
    }

    /** A script location: a local file, or a URI for Hadoop. */
    private record Location(Optional<Path> local, Optional<URI> uri, String path) {
        static Location of(String location) {
            if (location == null || location.isBlank()) {
                throw new JobException("The job has no script location");
            }
            String text = location.strip();
            if (text.startsWith("/")) {
                return new Location(Optional.of(Path.of(text)), Optional.empty(), text);
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                if (!text.contains(":/")) {
                    return new Location(Optional.of(Path.of(text)), Optional.empty(), text); // a relative local path
                }
                throw new JobException("Script location " + location + " is not a valid URI: " + e.getMessage(), e);
            }
            if (uri.getScheme() == null) {
                return new Location(Optional.of(Path.of(text)), Optional.empty(), text);
            }
            if (uri.getScheme().equalsIgnoreCase("file")) {
                if (uri.getAuthority() != null && !uri.getAuthority().isEmpty() && !uri.getAuthority().equals("localhost")) {
                    throw new JobException("Script location " + location + " names another host; a file: location is on this machine");
                }
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw new JobException("Script location " + location + " has no path");
                }
                return new Location(Optional.of(Path.of(uri.getPath())), Optional.empty(), uri.getPath());
            }
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new JobException("Script location " + location + " has no path after its " + uri.getScheme() + "://" + Optional.ofNullable(uri.getAuthority()).orElse(""));
            }
            return new Location(Optional.empty(), Optional.of(uri), uri.getPath());
        }
    }
}
