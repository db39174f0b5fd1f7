package io.gentcp;

/**
 * A gen_tcp call answered {@code {error, Reason}}.
 *
 * <p>The outcomes a busy socket meets in normal work ({@code closed}, {@code timeout},
 * {@code enotconn}, {@code ealready}, {@code econnreset}, {@code emsgsize}) are thrown as shared
 * instances without a stack trace, so handling them costs no allocation; the others carry the
 * stack trace of the call that failed.
 *
 * <p>A socket that gentcp closed because its owner thread ended (see {@link Mailbox}) says so
 * in the message of every later error on it: {@code closed} then reads
 * "closed: owner thread worker-7 (#1234) ended" (a thread without a name is "#1234"), still
 * with the reason {@code closed}; any other reason's message ends with the same words.
 */
public final class GenTcpException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The Erlang reason. */
    private final Reason reason;
    private final transient byte[] rest;

    GenTcpException(final Reason reason, final String message, final boolean stackTrace)
    {
        this(reason, message, stackTrace, null);
    }

    GenTcpException(final Reason reason, final String message, final boolean stackTrace, final byte[] rest)
    {
        super(message, null, false, stackTrace);
        this.reason = reason;
        this.rest = rest;
    }

    /**
     * For a send on an {@code {inet_backend, socket}} socket that timed out, Erlang's
     * {@code {error, {timeout, RestData}}}: the bytes of the packet (its length header included)
     * that were not sent, in order. Null for every other error.
     *
     * @return the unsent bytes, or null
     */
    public byte[] rest()
    {
        return rest == null ? null : rest.clone();
    }

    /**
     * The Erlang reason.
     *
     * @return the reason
     */
    public Reason reason()
    {
        return reason;
    }
}
