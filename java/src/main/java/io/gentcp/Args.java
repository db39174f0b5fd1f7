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
}
