package io.gentcp.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.kenai.jffi.Library;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * Finds libgentcp and binds it. The first of these that exists is loaded:
 * <ol>
 * <li>the file named by {@code -Dgentcp.library.path};
 * <li>the jar's {@code META-INF/native/<platform>/libgentcp.so}, copied out (below);
 * <li>{@code System.mapLibraryName("gentcp")} in a directory of {@code java.library.path}.
 * </ol>
 *
 * <p>The jar's library is copied for each JVM into a new directory with a random name and
 * owner-only permissions under {@code gentcp.extract.dir} (default {@code java.io.tmpdir}),
 * loaded, and deleted at once: the JVM keeps its mapping, and no file is left behind. Nothing is
 * ever reused, so no file another user could have planted or changed is loaded. (Reusing a copy
 * after checking its hash would not do: dlopen opens the file again by name after the check.)
 * The directory under which the copy is made, and each folder above it, must be one where no
 * other user can rename or replace entries: owned by the current user or root, and not
 * writable by group or others unless it has the sticky bit, as /tmp does. Otherwise another
 * user could swap the new directory for one of theirs between the write and the dlopen. The
 * cost is one write of the library (about 100 KB) per JVM start.
 *
 * <p>A failure names what was tried and the fix: dlopen's own message for a file that does not
 * load, {@code -Dgentcp.extract.dir} when the copy cannot be written or run there (a read-only or
 * {@code noexec} file system).
 */
final class NativeLoader
{
    static final String LIBRARY_PATH_PROPERTY = "gentcp.library.path";
    static final String EXTRACT_DIR_PROPERTY = "gentcp.extract.dir";

    private static final String LIBRARY_FILE = "libgentcp.so";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_ATTRIBUTE =
        PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    private static final int WRITABLE_BY_GROUP_OR_OTHERS = 0022;
    private static final int STICKY = 01000;

    private NativeLoader()
    {
    }

    static LibGentcp load()
    {
        final String platform = platform();
        final String override = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (override != null && !override.isEmpty())
        {
            return bind(Paths.get(override).toAbsolutePath(), "-D" + LIBRARY_PATH_PROPERTY + "=" + override, "");
        }
        final String resource = resourceName(platform);
        final byte[] bytes = jarLibrary(resource);
        if (bytes == null)
        {
            final String libraryPath = System.getProperty("java.library.path", "");
            final Path found = onLibraryPath(libraryPath);
            if (found == null)
            {
                throw new UnsatisfiedLinkError("gentcp: no libgentcp for platform " + platform + ": the jar has no " +
                    resource + " (gentcp was not built for this platform) and no directory of java.library.path (" +
                    libraryPath + ") has " + System.mapLibraryName("gentcp"));
            }
            return bind(found,
                found + " (found on java.library.path: the jar has none for platform " + platform + ")", "");
        }
        return bindCopy(bytes, resource);
    }

    /** Writes the jar's library into a new private directory, loads it, then deletes it. */
    private static LibGentcp bindCopy(final byte[] bytes, final String resource)
    {
        final String extractDir = System.getProperty(EXTRACT_DIR_PROPERTY);
        final Path base = Paths.get(extractDir != null && !extractDir.isEmpty()
            ? extractDir
            : System.getProperty("java.io.tmpdir"));
        final Path dir = privateDirectory(base);
        final Path file = dir.resolve(LIBRARY_FILE);
        try
        {
            write(file, bytes, base);
            return bind(file, "the copy of the jar's " + resource + " extracted to " + file,
                "; if " + base + " is on a file system mounted noexec, set -D" + EXTRACT_DIR_PROPERTY +
                    " to a directory of your own where code may run");
        }
        finally
        {
            deleteQuietly(file);
            deleteQuietly(dir);
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

    private static String resourceName(final String platform)
    {
        return "/META-INF/native/" + platform + "/" + LIBRARY_FILE;
    }

    /** The first directory of a java.library.path value that holds the library, or null. */
    private static Path onLibraryPath(final String libraryPath)
    {
        for (final String entry : libraryPath.split(File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                final Path candidate = Paths.get(entry, System.mapLibraryName("gentcp"));
                if (Files.isRegularFile(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * A new directory with a random name and owner-only permissions in {@code base} (made, owner
     * only, if missing), once neither {@code base} nor a folder above it lets another user swap
     * that directory for one of theirs.
     */
    static Path privateDirectory(final Path base)
    {
        final Path dir;
        final String refusal;
        try
        {
            final Path real = Files.createDirectories(base, OWNER_ONLY_ATTRIBUTE).toRealPath();
            dir = Files.createTempDirectory(real, "gentcp-", OWNER_ONLY_ATTRIBUTE);
            Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask cannot have left more, but may have left less
            refusal = refusal(real, (Integer)Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        }
        catch (final IOException | RuntimeException e)
        {
            throw extractFailure(base, "cannot make a directory in it (" + e + ")");
        }
        if (refusal != null)
        {
            deleteQuietly(dir);
            throw extractFailure(base, refusal);
        }
        return dir;
    }

    /**
     * Why another user could rename or replace entries of {@code folder} (a real path), itself
     * or through a folder above it, or null when none can: each must belong to this user or
     * root, and others may not write to it unless it is sticky.
     */
    private static String refusal(final Path folder, final int self) throws IOException
    {
        for (Path p = folder; p != null; p = p.getParent())
        {
            final Map<String, Object> attributes = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            final int owner = (Integer)attributes.get("uid");
            final int mode = (Integer)attributes.get("mode");
            final String which = p.equals(folder) ? "it" : p + " (a folder above it)";
            if (owner != self && owner != 0)
            {
                return which + " belongs to another user (uid " + owner + ")";
            }
            if ((mode & WRITABLE_BY_GROUP_OR_OTHERS) != 0 && (mode & STICKY) == 0)
            {
                return "others may write to " + which + " and it is not sticky (mode " +
                    Integer.toOctalString(mode & 07777) + "), so they could replace what is extracted there";
            }
        }
        return null;
    }

    private static void write(final Path file, final byte[] bytes, final Path base)
    {
        // A FileOutputStream, not a channel: a channel copies heap bytes through a temporary
        // direct buffer of their size, which a JVM with little -XX:MaxDirectMemorySize refuses.
        try (OutputStream out = new FileOutputStream(Files.createFile(file, OWNER_ONLY_ATTRIBUTE).toFile()))
        {
            out.write(bytes);
        }
        catch (final IOException e)
        {
            throw extractFailure(base, "cannot write the library there (" + e + ")");
        }
    }

    private static UnsatisfiedLinkError extractFailure(final Path base, final String why)
    {
        return new UnsatisfiedLinkError("gentcp: cannot extract libgentcp into " + base + ": " + why + "; set -D" +
            EXTRACT_DIR_PROPERTY +
            " to a directory of your own that others cannot write to, on a file system where code may run");
    }

    /**
     * dlopen first through jffi, which keeps dlerror's words (jnr-ffi, on failure, retries the
     * name as lib&lt;name&gt;.so on its search path and reports that attempt instead); then jnr-ffi
     * binds the interface to the library now open.
     */
    private static LibGentcp bind(final Path path, final String what, final String hint)
    {
        final Library handle = Library.openLibrary(path.toString(), Library.LAZY | Library.GLOBAL);
        if (handle == null)
        {
            throw new UnsatisfiedLinkError("gentcp: cannot load " + what + " (platform " + platform() + "): " +
                Library.getLastError() + hint);
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
            throw new UnsatisfiedLinkError("gentcp: cannot bind " + what + " (platform " + platform() + "): " +
                e.getMessage());
        }
        finally
        {
            Reference.reachabilityFence(handle); // open until jnr-ffi holds its own
        }
    }

    /** The library's bytes from the jar, or null when the jar has none for this platform. */
    private static byte[] jarLibrary(final String resource)
    {
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource))
        {
            return in == null ? null : in.readAllBytes();
        }
        catch (final IOException e)
        {
            throw new UnsatisfiedLinkError("gentcp: cannot read " + resource + " from the jar: " + e);
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException e)
        {
            // Left behind, in a directory only this user can enter: harmless, and nothing reuses it.
        }
    }
}
