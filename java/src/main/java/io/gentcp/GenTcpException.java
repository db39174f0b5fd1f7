package io.gentcp;

/**
 * A gen_tcp call answered {@code {error, Reason}}.
 *
 * <p>The outcomes a busy socket meets in normal work ({@code closed}, {@code timeout},
 * {@code enotconn}, {@code ealready}, {@code econnreset}, {@code emsgsize}) are thrown as shared
 * instances without a stack trace, so handling them costs no allocation; the others carry the
 * stack trace of the call that failed.
 */
public final class GenTcpException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    GenTcpException(final Reason reason, final String message, final boolean stackTrace)
    {
        super(message, null, false, stackTrace);
        this.reason = reason;
    }

    /** The Erlang reason. */
    public Reason reason()
    {
        return reason;
    }
}
