package io.gentcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader under attack and on unfriendly file systems. A library binds once per JVM, so each
 * case runs {@link LoaderProbe} in a JVM of its own and reads what it printed.
 */
class NativeLoaderChildTest
{
    private static final String LIBRARY = "libgentcp.so";

    @Test
    void aSameSizeFilePlantedWhereTheLibraryUsedToBeExtractedIsNeverLoaded(@TempDir final Path tmp) throws Exception
    {
        final byte[] jarLibrary = jarLibrary();
        final Path planted = oldExtractDir(tmp, jarLibrary);
        Files.createDirectories(planted);
        final byte[] zeros = new byte[jarLibrary.length];
        Files.write(planted.resolve(LIBRARY), zeros);

        final String out = child(List.of("-Djava.io.tmpdir=" + tmp), classPath());

        assertLoadedFromAFreshCopyNowDeleted(out, tmp);
        assertArrayEquals(zeros, Files.readAllBytes(planted.resolve(LIBRARY)), "the planted file is left as it was");
    }

    @Test
    void aDirectoryOfAnotherUserPlantedWhereTheLibraryUsedToBeExtractedIsNeverUsed(@TempDir final Path tmp)
        throws Exception
    {
        final Path planted = oldExtractDir(tmp, jarLibrary());
        Files.createDirectories(planted);
        final byte[] notALibrary = "not a library\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(planted.resolve(LIBRARY), notALibrary);
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (isRoot(tmp))
        {
            Files.setOwner(planted.resolve(LIBRARY), nobody(tmp));
            Files.setOwner(planted, nobody(tmp));
        }

        final String out = child(List.of("-Djava.io.tmpdir=" + tmp), classPath());

        assertLoadedFromAFreshCopyNowDeleted(out, tmp);
        assertArrayEquals(notALibrary, Files.readAllBytes(planted.resolve(LIBRARY)),
            "the planted file is left as it was");
        try (Stream<Path> entries = Files.list(planted))
        {
            assertEquals(1, entries.count(), "nothing is written into the planted directory");
        }
    }

    @Test
    void anExtractDirOwnedByAnotherUserIsRefused(@TempDir final Path tmp) throws Exception
    {
        assumeRoot(tmp, "anExtractDirOwnedByAnotherUserIsRefused", "giving a directory to another user");
        final Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setOwner(theirs, nobody(tmp));

        final String out = childExtractingTo(theirs);

        assertRefused(out, theirs, "belongs to");
    }

    @Test
    void anExtractDirThatOthersMayWriteToIsRefused(@TempDir final Path tmp) throws Exception
    {
        final Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        final String out = childExtractingTo(shared);

        assertRefused(out, shared, "not sticky");
    }

    @Test
    void anExtractDirUnderAFolderThatOthersMayWriteToIsRefused(@TempDir final Path tmp) throws Exception
    {
        final Path shared = Files.createDirectory(tmp.resolve("shared"));
        final Path mine = Files.createDirectory(shared.resolve("mine"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        final String out = childExtractingTo(mine);

        assertRefused(out, mine, shared + " (a folder above it) and it is not sticky");
    }

    @Test
    void aStickyExtractDirThatOthersMayWriteToIsUsedAsTmpIs(@TempDir final Path tmp) throws Exception
    {
        final Path sticky = Files.createDirectory(tmp.resolve("sticky"));
        run("chmod", "1777", sticky.toString());

        final String out = childExtractingTo(sticky);

        assertLoadedFromAFreshCopyNowDeleted(out, sticky);
    }

    @Test
    void aReadOnlyExtractDirGivesAnErrorNamingTheProperty(@TempDir final Path tmp) throws Exception
    {
        final Path readOnly = Files.createDirectory(tmp.resolve("ro"));
        // Root writes through a mode of r-x; a read-only mount stops it.
        final boolean mounted = isRoot(tmp) && mount("ro", readOnly);
        if (!mounted)
        {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
            assumeTrue(!isRoot(tmp), "root could not mount a read-only tmpfs and writes through r-x");
        }
        try
        {
            final String out = childExtractingTo(readOnly);

            assertFailed(out);
            assertTrue(out.contains(readOnly.toString()), out);
            assertTrue(out.contains("-Dgentcp.extract.dir"), out);
            assertFalse(out.contains("map: "), out);
        }
        finally
        {
            if (mounted)
            {
                run("umount", readOnly.toString());
            }
        }
    }

    @Test
    void aNoexecExtractDirGivesAnErrorNamingTheProperty(@TempDir final Path tmp) throws Exception
    {
        assumeRoot(tmp, "aNoexecExtractDirGivesAnErrorNamingTheProperty", "mounting a noexec tmpfs");
        final Path noexec = Files.createDirectory(tmp.resolve("noexec"));
        assumeTrue(mount("noexec", noexec), "could not mount a noexec tmpfs");
        try
        {
            final String out = childExtractingTo(noexec);

            assertFailed(out);
            assertTrue(out.contains("failed to map segment"), "dlopen's own words: " + out);
            assertTrue(out.contains("noexec"), out);
            assertTrue(out.contains("-Dgentcp.extract.dir"), out);
            // glibc may leave the read-only mapping of the first segment: no code of it runs.
            assertFalse(out.contains("executable: "), out);
            try (Stream<Path> entries = Files.list(noexec))
            {
                assertEquals(0, entries.count(), "the copy that could not load is deleted");
            }
        }
        finally
        {
            run("umount", noexec.toString());
        }
    }

    @Test
    void withoutALibraryInTheJarTheOneOnJavaLibraryPathIsLoaded(@TempDir final Path tmp) throws Exception
    {
        final Path libDir = Files.createDirectory(tmp.resolve("lib"));
        Files.write(libDir.resolve(System.mapLibraryName("gentcp")), jarLibrary());

        final String out = child(List.of("-Djava.library.path=" + tmp.resolve("empty") + File.pathSeparator + libDir),
            classPathWithoutNativeResources(tmp));

        assertTrue(out.contains("loaded EINVAL=22"), out);
        final List<String> maps = maps(out);
        assertFalse(maps.isEmpty(), out);
        for (final String map : maps)
        {
            assertEquals(libDir.resolve(System.mapLibraryName("gentcp")).toString(), map, out);
        }
    }

    @Test
    void withoutALibraryInTheJarNorOnJavaLibraryPathTheErrorNamesBoth(@TempDir final Path tmp) throws Exception
    {
        final Path empty = Files.createDirectory(tmp.resolve("empty"));

        final String out = child(List.of("-Djava.library.path=" + empty), classPathWithoutNativeResources(tmp));

        assertFailed(out);
        assertTrue(out.contains("/META-INF/native/" + NativeLoader.platform() + "/" + LIBRARY), out);
        assertTrue(out.contains("java.library.path"), out);
        assertTrue(out.contains(empty.toString()), out);
        assertFalse(out.contains("map: "), out);
    }

    /** Where the loader before issue 13 put the library: a name anyone could work out. */
    private static Path oldExtractDir(final Path tmp, final byte[] library) throws Exception
    {
        final StringBuilder hex = new StringBuilder();
        for (final byte b : MessageDigest.getInstance("SHA-256").digest(library))
        {
            hex.append(String.format("%02x", b));
        }
        return tmp.resolve("gentcp-" + hex.substring(0, 16));
    }

    private static void assertLoadedFromAFreshCopyNowDeleted(final String out, final Path extractDir) throws IOException
    {
        assertTrue(out.contains("loaded EINVAL=22"), out);
        assertTrue(out.contains("available: true, cause: null"), out);
        assertTrue(out.contains("executable: "), out);
        final List<String> maps = maps(out);
        assertFalse(maps.isEmpty(), out);
        final List<Path> left = new ArrayList<>();
        try (Stream<Path> entries = Files.list(extractDir))
        {
            entries.forEach(left::add);
        }
        for (final String map : maps)
        {
            assertTrue(map.startsWith(extractDir.toRealPath() + "/gentcp-"), out);
            assertTrue(map.endsWith(" (deleted)"), "the copy is deleted once loaded: " + out);
            final Path dir = Paths.get(map.substring(0, map.length() - " (deleted)".length())).getParent();
            assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "its directory too: " + out);
        }
    }

    private static void assertRefused(final String out, final Path dir, final String why) throws IOException
    {
        assertFailed(out);
        assertTrue(out.contains(dir.toString()), out);
        assertTrue(out.contains("-Dgentcp.extract.dir"), out);
        assertTrue(out.contains(why), out);
        assertFalse(out.contains("map: "), out);
        try (Stream<Path> entries = Files.list(dir))
        {
            assertEquals(0, entries.count(), "nothing is left in a refused directory");
        }
    }

    /** The load failed, and Inet's answers say so with the same words. */
    private static void assertFailed(final String out)
    {
        final String failure = out.lines().filter(l -> l.startsWith("failed: ")).findFirst()
            .orElseThrow(() -> new AssertionError(out));
        assertTrue(out.contains("available: false, cause: " + failure.substring("failed: ".length())), out);
    }

    private static List<String> maps(final String out)
    {
        return out.lines().filter(l -> l.startsWith("map: ")).map(l -> l.substring("map: ".length()))
            .collect(Collectors.toList());
    }

    private static byte[] jarLibrary() throws IOException
    {
        try (InputStream in = NativeLoader.class.getResourceAsStream(
            "/META-INF/native/" + NativeLoader.platform() + "/" + LIBRARY))
        {
            assertTrue(in != null, "the build put the library into target/classes");
            return in.readAllBytes();
        }
    }

    private static String classPath()
    {
        return System.getProperty("java.class.path");
    }

    /** The test class path with target/classes replaced by a copy that lacks META-INF/native. */
    private static String classPathWithoutNativeResources(final Path tmp) throws Exception
    {
        final Path classes = Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path copy = tmp.resolve("classes");
        try (Stream<Path> files = Files.walk(classes))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path relative = classes.relativize(file);
                if (relative.startsWith(Paths.get("META-INF", "native")))
                {
                    continue;
                }
                final Path target = copy.resolve(relative.toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        final List<String> entries = new ArrayList<>();
        boolean replaced = false;
        for (final String entry : classPath().split(File.pathSeparator))
        {
            if (!entry.isEmpty() &&
                Paths.get(entry).toAbsolutePath().normalize().equals(classes.toAbsolutePath().normalize()))
            {
                entries.add(copy.toString());
                replaced = true;
            }
            else
            {
                entries.add(entry);
            }
        }
        assertTrue(replaced, "target/classes is on the test class path: " + classPath());
        return String.join(File.pathSeparator, entries);
    }

    /** The probe's output in a child JVM on the test class path, told to extract into DIR. */
    private static String childExtractingTo(final Path dir) throws Exception
    {
        return child(List.of("-Dgentcp.extract.dir=" + dir), classPath());
    }

    private static String child(final List<String> properties, final String classPath) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(properties);
        command.add("-cp");
        command.add(classPath);
        command.add(LoaderProbe.class.getName());
        return run(command.toArray(new String[0]));
    }

    private static String run(final String... command) throws Exception
    {
        final Path output = Files.createTempFile("gentcp-loader-test", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 60 s: " +
                    Files.readString(output));
            }
            final String out = Files.readString(output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + out);
            return out;
        }
        finally
        {
            Files.delete(output);
        }
    }

    private static boolean mount(final String options, final Path dir) throws Exception
    {
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options + ",size=8m", "tmpfs",
            dir.toString()).redirectErrorStream(true).start();
        final boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended)
        {
            process.destroyForcibly();
        }
        final boolean ok = ended && process.exitValue() == 0;
        if (!ok)
        {
            System.out.println("mount -o " + options + " " + dir + " failed: " +
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** Skips TEST, saying so, unless it runs as root (who owns TMP): WHAT needs root. */
    private static void assumeRoot(final Path tmp, final String test, final String what) throws IOException
    {
        if (!isRoot(tmp))
        {
            System.out.println(test + " skipped: " + what + " needs root");
            assumeTrue(false);
        }
    }

    private static boolean isRoot(final Path tmp) throws IOException
    {
        return Integer.valueOf(0).equals(Files.getAttribute(tmp, "unix:uid"));
    }

    private static UserPrincipal nobody(final Path tmp) throws IOException
    {
        return tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }
}
