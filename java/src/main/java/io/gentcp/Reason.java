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

    /** {@code e2big}: argument list too long. */
    E2BIG,
    /** {@code eacces}: permission denied. */
    EACCES,
    /** {@code eaddrinuse}: address already in use. */
    EADDRINUSE,
    /** {@code eaddrnotavail}: cannot assign requested address. */
    EADDRNOTAVAIL,
    /** {@code eafnosupport}: address family not supported by protocol. */
    EAFNOSUPPORT,
    /** {@code eagain}: resource temporarily unavailable. */
    EAGAIN,
    /** {@code ealready}: operation already in progress. */
    EALREADY,
    /** {@code ebadf}: bad file descriptor. */
    EBADF,
    /** {@code ebadmsg}: bad message. */
    EBADMSG,
    /** {@code ebusy}: device or resource busy. */
    EBUSY,
    /** {@code echild}: no child processes. */
    ECHILD,
    /** {@code econnaborted}: software caused connection abort. */
    ECONNABORTED,
    /** {@code econnrefused}: connection refused. */
    ECONNREFUSED,
    /** {@code econnreset}: connection reset by peer. */
    ECONNRESET,
    /** {@code edeadlk}: resource deadlock avoided. */
    EDEADLK,
    /** {@code edestaddrreq}: destination address required. */
    EDESTADDRREQ,
    /** {@code edom}: numerical argument out of domain. */
    EDOM,
    /** {@code edquot}: disk quota exceeded. */
    EDQUOT,
    /** {@code eexist}: file exists. */
    EEXIST,
    /** {@code efault}: bad address. */
    EFAULT,
    /** {@code efbig}: file too large. */
    EFBIG,
    /** {@code ehostdown}: host is down. */
    EHOSTDOWN,
    /** {@code ehostunreach}: no route to host. */
    EHOSTUNREACH,
    /** {@code eidrm}: identifier removed. */
    EIDRM,
    /** {@code eilseq}: invalid or incomplete multibyte or wide character. */
    EILSEQ,
    /** {@code einprogress}: operation now in progress. */
    EINPROGRESS,
    /** {@code eintr}: interrupted system call. */
    EINTR,
    /** {@code einval}: invalid argument. */
    EINVAL,
    /** {@code eio}: input/output error. */
    EIO,
    /** {@code eisconn}: transport endpoint is already connected. */
    EISCONN,
    /** {@code eisdir}: is a directory. */
    EISDIR,
    /** {@code eloop}: too many levels of symbolic links. */
    ELOOP,
    /** {@code emfile}: too many open files. */
    EMFILE,
    /** {@code emlink}: too many links. */
    EMLINK,
    /** {@code emsgsize}: message too long. */
    EMSGSIZE,
    /** {@code enametoolong}: file name too long. */
    ENAMETOOLONG,
    /** {@code enetdown}: network is down. */
    ENETDOWN,
    /** {@code enetreset}: network dropped connection on reset. */
    ENETRESET,
    /** {@code enetunreach}: network is unreachable. */
    ENETUNREACH,
    /** {@code enfile}: too many open files in system. */
    ENFILE,
    /** {@code enobufs}: no buffer space available. */
    ENOBUFS,
    /** {@code enodev}: no such device. */
    ENODEV,
    /** {@code enoent}: no such file or directory. */
    ENOENT,
    /** {@code enoexec}: exec format error. */
    ENOEXEC,
    /** {@code enolck}: no locks available. */
    ENOLCK,
    /** {@code enomem}: cannot allocate memory. */
    ENOMEM,
    /** {@code enoprotoopt}: protocol not available. */
    ENOPROTOOPT,
    /** {@code enospc}: no space left on device. */
    ENOSPC,
    /** {@code enosys}: function not implemented. */
    ENOSYS,
    /** {@code enotblk}: block device required. */
    ENOTBLK,
    /** {@code enotconn}: transport endpoint is not connected. */
    ENOTCONN,
    /** {@code enotdir}: not a directory. */
    ENOTDIR,
    /** {@code enotempty}: directory not empty. */
    ENOTEMPTY,
    /** {@code enotsock}: socket operation on non-socket. */
    ENOTSOCK,
    /** {@code enotsup}: operation not supported. */
    ENOTSUP,
    /** {@code enotty}: inappropriate ioctl for device. */
    ENOTTY,
    /** {@code enxio}: no such device or address. */
    ENXIO,
    /** {@code eopnotsupp}: operation not supported. */
    EOPNOTSUPP,
    /** {@code eoverflow}: value too large for defined data type. */
    EOVERFLOW,
    /** {@code eperm}: operation not permitted. */
    EPERM,
    /** {@code epfnosupport}: protocol family not supported. */
    EPFNOSUPPORT,
    /** {@code epipe}: broken pipe. */
    EPIPE,
    /** {@code eproto}: protocol error. */
    EPROTO,
    /** {@code eprotonosupport}: protocol not supported. */
    EPROTONOSUPPORT,
    /** {@code eprototype}: protocol wrong type for socket. */
    EPROTOTYPE,
    /** {@code erange}: numerical result out of range. */
    ERANGE,
    /** {@code erofs}: read-only file system. */
    EROFS,
    /** {@code eshutdown}: cannot send after transport endpoint shutdown. */
    ESHUTDOWN,
    /** {@code esocktnosupport}: socket type not supported. */
    ESOCKTNOSUPPORT,
    /** {@code espipe}: illegal seek. */
    ESPIPE,
    /** {@code esrch}: no such process. */
    ESRCH,
    /** {@code estale}: stale file handle. */
    ESTALE,
    /** {@code etimedout}: connection timed out. */
    ETIMEDOUT,
    /** {@code etoomanyrefs}: too many references: cannot splice. */
    ETOOMANYREFS,
    /** {@code etxtbsy}: text file busy. */
    ETXTBSY,
    /** {@code eusers}: too many users. */
    EUSERS,
    /** {@code ewouldblock}: resource temporarily unavailable. */
    EWOULDBLOCK,
    /** {@code exdev}: invalid cross-device link. */
    EXDEV;

    private final String atom = name().toLowerCase(Locale.ROOT);

    /**
     * The Erlang atom: {@code closed}, {@code econnrefused} ...
     *
     * @return the atom's text
     */
    public String atom()
    {
        return atom;
    }

    /**
     * Whether this reason is a POSIX errno name.
     *
     * @return true for a POSIX reason
     */
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
