package io.gentcp;

/**
 * Argument checks of the public calls: a bad argument is an {@link IllegalArgumentException}
 * whose message starts with the argument's name, thrown before anything reaches C.
 */
final class Args
{
    private Args()
    {
    }

    /** VALUE, or an IllegalArgumentException "NAME: null". */
    static <T> T notNull(final T value, final String name)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(name + ": null");
        }
        return value;
    }

    /** PORT, or an IllegalArgumentException when it is not a TCP port (0..65535). */
    static void checkPort(final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port: must be 0..65535, was " + port);
        }
    }

    /** A receive's LENGTH, or an IllegalArgumentException when it is negative. */
    static void checkLength(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length: must be >= 0, was " + length);
        }
    }
}
