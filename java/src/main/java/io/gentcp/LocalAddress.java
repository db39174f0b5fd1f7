package io.gentcp;

import io.gentcp.internal.Native;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The address of a {@code local} (AF_UNIX) socket, Erlang's {@code {local, Path}}: a filesystem
 * path, or on Linux an abstract name (its first byte NUL), which lives in the network namespace
 * rather than on disk and disappears with its socket. The bytes are the name exactly; an
 * unnamed socket (a client that did not bind) has none.
 */
public record LocalAddress(byte[] name)
{
    /** The longest name: the kernel's sun_path (a path also needs room for its terminating NUL). */
    private static final int SUN_PATH = Native.SUN_PATH_MAX;

    /**
     * Checks and copies the name.
     *
     * @param name the name's bytes: a path, a NUL then an abstract name, or none
     */
    public LocalAddress
    {
        Args.notNull(name, "local");
        name = name.clone();
        if (name.length > 0 && name[0] != 0)
        {
            for (final byte b : name)
            {
                if (b == 0)
                {
                    throw new IllegalArgumentException("local: a path may not contain NUL");
                }
            }
        }
        if (name.length > (name.length > 0 && name[0] == 0 ? SUN_PATH : SUN_PATH - 1))
        {
            throw new IllegalArgumentException("local: name longer than the kernel takes (" + name.length + " bytes)");
        }
    }

    /**
     * A filesystem path (UTF-8), at most 107 bytes on Linux (103 on BSD and macOS).
     *
     * @param path the path
     * @return the address
     */
    public static LocalAddress path(final String path)
    {
        Args.notNull(path, "local");
        if (path.isEmpty())
        {
            throw new IllegalArgumentException("local: empty path");
        }
        return new LocalAddress(path.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Linux abstract name: NAME (UTF-8) after a leading NUL, at most 107 bytes of it.
     *
     * @param name the name, without its leading NUL
     * @return the address
     */
    public static LocalAddress abstractName(final String name)
    {
        final byte[] bytes = Args.notNull(name, "local").getBytes(StandardCharsets.UTF_8);
        final byte[] withNul = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNul, 1, bytes.length);
        return new LocalAddress(withNul);
    }

    /**
     * The name's bytes (a copy).
     *
     * @return a copy of the bytes
     */
    @Override
    public byte[] name()
    {
        return name.clone();
    }

    /**
     * Whether this is an abstract name (first byte NUL).
     *
     * @return true for an abstract name
     */
    public boolean isAbstract()
    {
        return name.length > 0 && name[0] == 0;
    }

    /**
     * Whether the socket had no name (an unbound client).
     *
     * @return true for an unnamed socket
     */
    public boolean isUnnamed()
    {
        return name.length == 0;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof LocalAddress other && Arrays.equals(other.name, name);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(name);
    }

    /** The Erlang term, {@code {local,<<"/tmp/s">>}}. */
    @Override
    public String toString()
    {
        return "{local," + ErlangTerms.binary(name) + "}";
    }
}
