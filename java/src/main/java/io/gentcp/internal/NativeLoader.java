package io.gentcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * Finds libgentcp and binds it.
 *
 * <p>The library travels inside the jar as {@code META-INF/native/<platform>/libgentcp.so}.
 * It is extracted once per content (the folder name carries a hash of the bytes, so two
 * versions never overwrite each other and a second JVM reuses the first one's copy) under
 * {@code gentcp.extract.dir} (default {@code java.io.tmpdir}). The system property
 * {@code gentcp.library.path} names a library file to load instead.
 */
final class NativeLoader
{
    static final String LIBRARY_PATH_PROPERTY = "gentcp.library.path";
    static final String EXTRACT_DIR_PROPERTY = "gentcp.extract.dir";

    private NativeLoader()
    {
    }

    static LibGentcp load()
    {
        final String platform = platform();
        final Path path;
        try
        {
            path = locate(platform);
        }
        catch (final IOException | RuntimeException e)
        {
            throw new UnsatisfiedLinkError("gentcp: cannot find libgentcp for platform " + platform + ": " + e.getMessage());
        }
        try
        {
            return LibraryLoader.create(LibGentcp.class)
                .option(LibraryOption.IgnoreError, true)
                .option(LibraryOption.LoadNow, true)
                .failImmediately()
                .load(path.toString());
        }
        catch (final LinkageError | RuntimeException e)
        {
            throw new UnsatisfiedLinkError("gentcp: cannot load " + path + " (platform " + platform + "): " + e.getMessage());
        }
    }

    /** The jar's folder name for this machine: linux-x86_64, linux-aarch64, darwin-aarch64... */
    static String platform()
    {
        return platform(System.getProperty("os.name", "unknown"), System.getProperty("os.arch", "unknown"));
    }

    /**
     * The folder name for a JVM's {@code os.name} and {@code os.arch}, the same name CMake gives
     * the folder it builds ({@code <system>-<processor>}, lower case): "Mac OS X" is darwin,
     * "FreeBSD" freebsd; amd64 is x86_64 and arm64 aarch64.
     */
    static String platform(final String osName, final String osArch)
    {
        final String os = osName.toLowerCase(Locale.ROOT);
        final String arch = osArch.toLowerCase(Locale.ROOT);
        final String system = os.startsWith("mac") ? "darwin" : os.replaceAll("[^a-z0-9]", "");
        final String archName = switch (arch)
        {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return system + "-" + archName;
    }

    private static Path locate(final String platform) throws IOException
    {
        final String override = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (override != null && !override.isEmpty())
        {
            final Path path = Paths.get(override);
            if (!Files.isReadable(path))
            {
                throw new IOException(LIBRARY_PATH_PROPERTY + "=" + override + " is not a readable file");
            }
            return path;
        }
        final String resource = "/META-INF/native/" + platform + "/libgentcp.so";
        final byte[] bytes;
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IOException("the jar has no " + resource + " (gentcp was not built for this platform)");
            }
            bytes = in.readAllBytes();
        }
        final Path dir = Paths.get(System.getProperty(EXTRACT_DIR_PROPERTY, System.getProperty("java.io.tmpdir")))
            .resolve("gentcp-" + sha256(bytes).substring(0, 16));
        final Path target = dir.resolve("libgentcp.so");
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length)
        {
            return target;
        }
        Files.createDirectories(dir);
        // Write beside the target and rename, so a JVM loading concurrently never sees half a file.
        final Path tmp = Files.createTempFile(dir, "libgentcp", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            final StringBuilder hex = new StringBuilder();
            for (final byte b : MessageDigest.getInstance("SHA-256").digest(bytes))
            {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
