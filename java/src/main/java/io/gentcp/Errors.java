package io.gentcp;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;

import io.gentcp.internal.Native;

/**
 * Turns the C library's {@code -code} results into {@link Reason}s and exceptions. The errno
 * numbers come from C at start-up; nothing here is platform-specific.
 */
final class Errors
{
    /** Reasons thrown as shared, stack-less exceptions: routine outcomes on a hot path. */
    private static final Set<Reason> ROUTINE = EnumSet.of(
        Reason.CLOSED, Reason.TIMEOUT, Reason.ENOTCONN, Reason.EALREADY, Reason.ECONNRESET, Reason.EMSGSIZE);

    private static final Reason[] BY_CODE = new Reason[Native.ERRNO_LIMIT + 16];
    private static final GenTcpException[] SHARED = new GenTcpException[Reason.values().length];

    static
    {
        for (final Reason reason : Reason.values())
        {
            if (reason.isPosix())
            {
                final long errno = Native.constantOrMissing(reason.name());
                // EAGAIN and EWOULDBLOCK share a number on Linux; the first name listed wins.
                if (errno > 0 && errno < Native.ERRNO_LIMIT && BY_CODE[(int)errno] == null)
                {
                    BY_CODE[(int)errno] = reason;
                }
            }
            if (ROUTINE.contains(reason))
            {
                SHARED[reason.ordinal()] = new GenTcpException(reason, reason.atom(), false);
            }
        }
        if (Native.isAvailable())
        {
            BY_CODE[Native.ECLOSED] = Reason.CLOSED;
            BY_CODE[Native.ETIMEOUT] = Reason.TIMEOUT;
            BY_CODE[Native.ESYSTEM_LIMIT] = Reason.SYSTEM_LIMIT;
            BY_CODE[Native.ENOT_OWNER] = Reason.NOT_OWNER;
            BY_CODE[Native.EBADARG] = Reason.BADARG;
        }
    }

    private Errors()
    {
    }

    /** The reason for a negative result of the C library. */
    static Reason reason(final long result)
    {
        final long code = -result;
        if (code > 0 && code < BY_CODE.length)
        {
            final Reason reason = BY_CODE[(int)code];
            if (reason != null)
            {
                return reason;
            }
        }
        return Reason.UNKNOWN;
    }

    /** The exception for a negative result of the C library. */
    static GenTcpException exception(final long result)
    {
        return exception(reason(result), null);
    }

    /** The exception for a reason; CONTEXT, if not null, is added to the message of non-routine ones. */
    static GenTcpException exception(final Reason reason, final String context)
    {
        final GenTcpException shared = SHARED[reason.ordinal()];
        if (shared != null)
        {
            return shared;
        }
        final String message = context == null ? reason.atom() : reason.atom() + ": " + context;
        if (Jfr.PRESENT)
        {
            GenTcpErrorEvent.of(reason, message); // JFR io.gentcp.Error, when enabled
        }
        return new GenTcpException(reason, message, true);
    }

    /**
     * The exception for a negative result of a call on the socket of HANDLE: as
     * {@link #exception(long)}, saying so when the socket was closed because its owner ended.
     */
    static GenTcpException exception(final long handle, final long result)
    {
        return about(handle, exception(result));
    }

    /**
     * E, an error of a call on the socket of HANDLE; or, when the reaper closed the socket
     * because its owner thread ended, the same reason with a message that says so:
     * {@code closed} becomes "closed: owner thread worker-7 (#1234) ended" (one stack-less
     * exception per dead owner), any other reason's message gains ": closed: owner thread ... ended".
     */
    static GenTcpException about(final long handle, final GenTcpException e)
    {
        final InetSocket socket = SocketTable.lookup(handle);
        final Mailbox owner = socket == null ? null : socket.owner;
        final GenTcpException ended = owner == null ? null : owner.ownerEnded;
        if (ended == null)
        {
            return e;
        }
        return e.reason() == Reason.CLOSED ? ended
            : new GenTcpException(e.reason(), e.getMessage() + ": " + ended.getMessage(), true);
    }

    /**
     * The exception for the negative result RC of OPERATION ("recv", "send", "accept"...) on
     * SOCKET. A routine reason is its shared instance, as ever; any other names the operation and
     * the socket, with a hint where the cause is a common misuse:
     * "einval: recv on #Port<3.1>, an active socket (its data comes to its owner's Mailbox.receive)".
     * Made on the failure path only.
     */
    static GenTcpException on(final String operation, final InetSocket socket, final long rc)
    {
        return on(operation, null, socket, rc);
    }

    /**
     * As {@link #on(String, InetSocket, long)}, the operation done with WHAT (an option): "setopts {nodelay,true} on
     * ...".
     */
    static GenTcpException on(final String operation, final Object what, final InetSocket socket, final long rc)
    {
        final Reason reason = reason(rc);
        if (SHARED[reason.ordinal()] != null)
        {
            return about(socket.handle, SHARED[reason.ordinal()]);
        }
        return about(socket.handle, exception(reason,
            operation + (what == null ? "" : " " + what) + " on " + socket + hint(operation, socket, reason)));
    }

    /** What probably caused REASON for OPERATION on SOCKET, when a common misuse did: ", ..." or "". */
    private static String hint(final String operation, final InetSocket socket, final Reason reason)
    {
        if (reason == Reason.EINVAL && operation.startsWith("recv") && socket instanceof Socket)
        {
            final long active = Native.lib().gt_getopt(socket.handle, Native.OPT_ACTIVE);
            if (active >= 0 && active != Native.ACTIVE_FALSE)
            {
                return ", an active socket (its data comes to its owner's Mailbox.receive)";
            }
        }
        return "";
    }

    /** Whether RC's reason is a routine one: its shared instance is thrown, whatever the call. */
    static boolean isRoutine(final long rc)
    {
        return SHARED[reason(rc).ordinal()] != null;
    }

    /**
     * The exception for RC, the negative result of VERB done to TARGET by a call that has no
     * socket of the application's yet (listen, connect): a routine reason's shared instance,
     * else one whose message is "reason: verb target" ("econnrefused: connect 127.0.0.1:5678").
     * TARGET's text is made only then.
     */
    static GenTcpException failed(final long rc, final String verb, final Object target)
    {
        final Reason reason = reason(rc);
        return SHARED[reason.ordinal()] != null ? SHARED[reason.ordinal()] : exception(reason, verb + " " + target);
    }

    /** As {@link #failed(long, String, Object)}, the target being IP:PORT ("[::1]:80"). */
    static GenTcpException failed(final long rc, final String verb, final InetAddress ip, final int port)
    {
        final Reason reason = reason(rc);
        return SHARED[reason.ordinal()] != null ? SHARED[reason.ordinal()]
            : exception(reason, verb + " " + Addresses.text(ip, port));
    }

    /**
     * Throws for a negative result of a call on the socket of HANDLE, as {@link #exception(long, long)}; returns it
     * otherwise.
     */
    static long check(final long handle, final long result)
    {
        if (result < 0)
        {
            throw exception(handle, result);
        }
        return result;
    }

    /** Throws for a negative result; returns it otherwise. */
    static long check(final long result)
    {
        if (result < 0)
        {
            throw exception(result);
        }
        return result;
    }
}
