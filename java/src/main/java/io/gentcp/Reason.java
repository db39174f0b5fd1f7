package io.gentcp;

import java.util.Locale;

/**
 * Why a gen_tcp call failed: the Erlang reason atom, as a value to switch on.
 *
 * <p>{@link #atom()} is the atom itself ({@code closed}, {@code timeout}, {@code econnrefused}
 * ...). The POSIX reasons are those of {@code inet:posix()}; their numbers are asked of the C
 * library at start-up, so they are right on every platform.
 */
public enum Reason
{
    /** The socket is closed, or the peer closed the connection. */
    CLOSED,
    /** The caller's time limit ran out. */
    TIMEOUT,
    /** No free socket slot is left. */
    SYSTEM_LIMIT,
    /** A host name that does not resolve. */
    NXDOMAIN,
    /** The calling thread does not own the socket. */
    NOT_OWNER,
    /** A bad argument detected by the library rather than the kernel. */
    BADARG,
    /** An errno value this table does not name. */
    UNKNOWN,

    E2BIG, EACCES, EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, EBADMSG,
    EBUSY, ECHILD, ECONNABORTED, ECONNREFUSED, ECONNRESET, EDEADLK, EDESTADDRREQ, EDOM, EDQUOT,
    EEXIST, EFAULT, EFBIG, EHOSTDOWN, EHOSTUNREACH, EIDRM, EILSEQ, EINPROGRESS, EINTR, EINVAL,
    EIO, EISCONN, EISDIR, ELOOP, EMFILE, EMLINK, EMSGSIZE, ENAMETOOLONG, ENETDOWN, ENETRESET,
    ENETUNREACH, ENFILE, ENOBUFS, ENODEV, ENOENT, ENOEXEC, ENOLCK, ENOMEM, ENOPROTOOPT, ENOSPC,
    ENOSYS, ENOTBLK, ENOTCONN, ENOTDIR, ENOTEMPTY, ENOTSOCK, ENOTSUP, ENOTTY, ENXIO, EOPNOTSUPP,
    EOVERFLOW, EPERM, EPFNOSUPPORT, EPIPE, EPROTO, EPROTONOSUPPORT, EPROTOTYPE, ERANGE, EROFS,
    ESHUTDOWN, ESOCKTNOSUPPORT, ESPIPE, ESRCH, ESTALE, ETIMEDOUT, ETOOMANYREFS, ETXTBSY, EUSERS,
    EWOULDBLOCK, EXDEV;

    private final String atom = name().toLowerCase(Locale.ROOT);

    /** The Erlang atom: {@code closed}, {@code econnrefused} ... */
    public String atom()
    {
        return atom;
    }

    /** Whether this reason is a POSIX errno name. */
    public boolean isPosix()
    {
        return ordinal() >= E2BIG.ordinal();
    }

    @Override
    public String toString()
    {
        return atom;
    }
}
