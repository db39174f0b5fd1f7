package io.gentcp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import io.gentcp.Inet;

/**
 * The child JVM of {@link NativeLoaderChildTest}: a library binds once per JVM, so each way of
 * finding it is tried in a JVM of its own. Prints {@code loaded} or {@code failed: <why>}, then
 * what {@link Inet} says of it, then each mapping of libgentcp in /proc/self/maps as
 * {@code map: <path>}, followed by {@code executable: <path>} when the mapping is executable.
 */
public final class LoaderProbe
{
    private LoaderProbe()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try
        {
            System.out.println("loaded EINVAL=" + Native.lib().gt_constant("EINVAL"));
        }
        catch (final UnsatisfiedLinkError e)
        {
            System.out.println("failed: " + e.getMessage());
        }
        final Throwable cause = Inet.nativeUnavailabilityCause();
        System.out.println("available: " + Inet.isNativeAvailable() + ", cause: " +
            (cause == null ? null : cause.getMessage()));
        for (final String line : Files.readAllLines(Paths.get("/proc/self/maps")))
        {
            if (line.contains("libgentcp") && line.indexOf('/') >= 0)
            {
                System.out.println("map: " + line.substring(line.indexOf('/')));
                if (line.split(" ")[1].contains("x"))
                {
                    System.out.println("executable: " + line.substring(line.indexOf('/')));
                }
            }
        }
    }
}
