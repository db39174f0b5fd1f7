package io.gentcp.bench;

/**
 * A bad command line: {@link Main} prints the message and the usage to stderr and exits with
 * status 2.
 */
public final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the flag or command at fault.
     */
    public UsageException(final String message)
    {
        super(message, null, false, false);
    }
}
