/*
 * constants.c - gt_constant: every number Java needs, looked up by name at start-up, so the
 * Java side hard-codes none (errno values and address families differ between systems).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

struct gt_named {
    const char *name;
    int64_t value;
};

#define C(x) {#x, (int64_t)(x)}

static const struct gt_named constants[] = {
    /* gentcp's reasons and limits */
    C(GT_ERRNO_LIMIT), C(GT_ECLOSED), C(GT_ETIMEOUT), C(GT_ESYSTEM_LIMIT),
    C(GT_SOCKADDR_SIZE), C(GT_MAX_RECV_LENGTH),
    /* options and their values */
    C(GT_OPT_MODE), C(GT_OPT_PACKET), C(GT_OPT_PACKET_SIZE), C(GT_OPT_BUFFER),
    C(GT_OPT_ACTIVE), C(GT_OPT_NODELAY), C(GT_OPT_REUSEADDR), C(GT_OPT_RECBUF),
    C(GT_OPT_SNDBUF), C(GT_OPT_IDLE), C(GT_OPT_SPIN_NS),
    C(GT_PACKET_RAW), C(GT_PACKET_1), C(GT_PACKET_2), C(GT_PACKET_4),
    C(GT_ACTIVE_FALSE), C(GT_ACTIVE_TRUE), C(GT_ACTIVE_ONCE),
    C(GT_IDLE_BLOCK), C(GT_IDLE_SPIN), C(GT_IDLE_BUSY),
    /* the system's */
    C(AF_INET), C(AF_INET6), C(SHUT_RD), C(SHUT_WR), C(SHUT_RDWR),
    /* errno values that inet:posix() names */
    C(E2BIG), C(EACCES), C(EADDRINUSE), C(EADDRNOTAVAIL), C(EAFNOSUPPORT), C(EAGAIN),
    C(EALREADY), C(EBADF), C(EBADMSG), C(EBUSY), C(ECHILD), C(ECONNABORTED),
    C(ECONNREFUSED), C(ECONNRESET), C(EDEADLK), C(EDESTADDRREQ), C(EDOM), C(EDQUOT),
    C(EEXIST), C(EFAULT), C(EFBIG), C(EHOSTDOWN), C(EHOSTUNREACH), C(EIDRM), C(EILSEQ),
    C(EINPROGRESS), C(EINTR), C(EINVAL), C(EIO), C(EISCONN), C(EISDIR), C(ELOOP),
    C(EMFILE), C(EMLINK), C(EMSGSIZE), C(ENAMETOOLONG), C(ENETDOWN), C(ENETRESET),
    C(ENETUNREACH), C(ENFILE), C(ENOBUFS), C(ENODEV), C(ENOENT), C(ENOEXEC), C(ENOLCK),
    C(ENOMEM), C(ENOPROTOOPT), C(ENOSPC), C(ENOSYS), C(ENOTBLK), C(ENOTCONN), C(ENOTDIR),
    C(ENOTEMPTY), C(ENOTSOCK), C(ENOTSUP), C(ENOTTY), C(ENXIO), C(EOPNOTSUPP),
    C(EOVERFLOW), C(EPERM), C(EPFNOSUPPORT), C(EPIPE), C(EPROTO), C(EPROTONOSUPPORT),
    C(EPROTOTYPE), C(ERANGE), C(EROFS), C(ESHUTDOWN), C(ESOCKTNOSUPPORT), C(ESPIPE),
    C(ESRCH), C(ESTALE), C(ETIMEDOUT), C(ETOOMANYREFS), C(ETXTBSY), C(EUSERS),
    C(EWOULDBLOCK), C(EXDEV),
};

int64_t gt_constant(const char *name)
{
    size_t i;

    if (name == NULL)
        return INT64_MIN;
    for (i = 0; i < sizeof(constants) / sizeof(constants[0]); i++)
        if (strcmp(constants[i].name, name) == 0)
            return constants[i].value;
    return INT64_MIN;
}
