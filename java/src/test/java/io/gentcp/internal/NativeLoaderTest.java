package io.gentcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest
{
    /** The load's failure with gentcp.library.path set to PATH (the property as it was again after). */
    private static UnsatisfiedLinkError loadFailureWith(final String path)
    {
        final String old = System.getProperty(NativeLoader.LIBRARY_PATH_PROPERTY);
        System.setProperty(NativeLoader.LIBRARY_PATH_PROPERTY, path);
        try
        {
            return assertThrows(UnsatisfiedLinkError.class, NativeLoader::load);
        }
        finally
        {
            if (old == null)
            {
                System.clearProperty(NativeLoader.LIBRARY_PATH_PROPERTY);
            }
            else
            {
                System.setProperty(NativeLoader.LIBRARY_PATH_PROPERTY, old);
            }
        }
    }

    @Test
    void theLibraryLoadsFromTheJarResources()
    {
        assertTrue(Native.isAvailable());
        assertEquals(22L, Native.lib().gt_constant("EINVAL"), "EINVAL is 22 on Linux");
        assertEquals(Long.MIN_VALUE, Native.lib().gt_constant("NO_SUCH_CONSTANT"));
    }

    @Test
    void aMissingOverrideSaysWhichPlatformAndWhy()
    {
        final UnsatisfiedLinkError e = loadFailureWith("/nonexistent/libgentcp.so");
        assertTrue(e.getMessage().contains(NativeLoader.platform()), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/libgentcp.so"), e.getMessage());
    }

    @Test
    void aLibraryPathThatIsNotALibraryGivesDlopensOwnMessage()
    {
        // What dlopen itself says of the file, asked the same way the loader asks.
        assertNull(com.kenai.jffi.Library.openLibrary("/etc/hostname", com.kenai.jffi.Library.LAZY));
        final String dlerror = com.kenai.jffi.Library.getLastError();
        final UnsatisfiedLinkError e = loadFailureWith("/etc/hostname");
        assertTrue(e.getMessage().contains(dlerror), "dlopen said \"" + dlerror + "\"; the loader: " + e.getMessage());
        assertTrue(e.getMessage().contains("gentcp.library.path=/etc/hostname"), e.getMessage());
        assertFalse(e.getMessage().contains("lib/etc/hostname.so"), e.getMessage());
    }

    @Test
    void eachExtractionGetsANewDirectoryOnlyItsOwnerCanEnter(@TempDir final Path base) throws Exception
    {
        final Path first = NativeLoader.privateDirectory(base);
        final Path second = NativeLoader.privateDirectory(base);
        assertNotEquals(first, second);
        for (final Path dir : new Path[] {first, second})
        {
            assertEquals(base.toRealPath(), dir.getParent());
            assertEquals(PosixFilePermissions.fromString("rwx------"),
                Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
            assertEquals(Files.getOwner(base), Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void aMissingExtractDirIsMadeOwnerOnly(@TempDir final Path base) throws Exception
    {
        final Path missing = base.resolve("a").resolve("b");
        final Path dir = NativeLoader.privateDirectory(missing);
        assertEquals(missing.toRealPath(), dir.getParent());
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(missing));
    }

    @Test
    void inetSaysTheLibraryLoadedAndHasNoCause()
    {
        assertTrue(io.gentcp.Inet.isNativeAvailable());
        assertNull(io.gentcp.Inet.nativeUnavailabilityCause());
    }

    @Test
    void platformNamesOfTheKqueueSystems()
    {
        // os.name and os.arch as the JDK reports them there.
        assertEquals("darwin-x86_64", NativeLoader.platform("Mac OS X", "x86_64"));
        assertEquals("darwin-aarch64", NativeLoader.platform("Mac OS X", "aarch64"));
        assertEquals("freebsd-x86_64", NativeLoader.platform("FreeBSD", "amd64"));
        assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
        assertEquals("linux-aarch64", NativeLoader.platform("Linux", "aarch64"));
    }

    @Test
    void platformNamesMatchTheJarFolders()
    {
        final String arch = System.getProperty("os.arch");
        if (System.getProperty("os.name").equals("Linux") && arch.equals("amd64"))
        {
            assertEquals("linux-x86_64", NativeLoader.platform());
        }
        assertTrue(NativeLoader.platform().matches("[a-z0-9]+-[a-z0-9_]+"), NativeLoader.platform());
        assertTrue(
            NativeLoader.class.getResource("/META-INF/native/" + NativeLoader.platform() + "/libgentcp.so") != null,
            "the jar carries the library for " + NativeLoader.platform());
    }
}
