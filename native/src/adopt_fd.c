/*
 * adopt_fd.c - OTP's {fd, Fd}: a socket opened elsewhere (by other code in the process, or
 * inherited from a parent) becomes a gentcp socket. From a successful adoption on, gentcp owns
 * the descriptor and closes it with the handle; until then, and when adoption fails, the
 * caller keeps it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>

#include "internal.h"

static int int_opt(int fd, int name, int *v)
{
    socklen_t len = sizeof(*v);

    return getsockopt(fd, SOL_SOCKET, name, v, &len) < 0 ? -errno : 0;
}

/* Connected sockets block and listen sockets do not: the modes the rest of the core assumes
 * (see tcp.c). A fresh socket is left as gt_connect and gt_listen expect it (blocking). */
static int set_mode(int fd, int listening)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -errno;
    flags = listening ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (fcntl(fd, F_SETFL, flags) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        return -errno;
    return 0;
}

int64_t gt_socket_fd(int64_t fd64)
{
    struct sockaddr_storage peer;
    socklen_t len = sizeof(peer);
    struct gt_sock *s;
    int fd = (int)fd64, type, family, listening, kind, rc;
    int64_t h;

    if (fd64 < 0 || fd64 > INT32_MAX)
        return -EBADF;
    if (fcntl(fd, F_GETFD) < 0)
        return -errno; /* EBADF: nothing open there */
    rc = int_opt(fd, SO_TYPE, &type);
    if (rc < 0)
        return rc; /* ENOTSOCK: a file, a pipe ... */
    if (type != SOCK_STREAM)
        return -ESOCKTNOSUPPORT;
    rc = int_opt(fd, SO_DOMAIN, &family);
    if (rc == 0 && family != AF_INET && family != AF_INET6 && family != AF_UNIX)
        rc = -EAFNOSUPPORT;
    if (rc == 0)
        rc = int_opt(fd, SO_ACCEPTCONN, &listening);
    if (rc < 0)
        return rc;
    /* Two owners would close it twice, the second time perhaps someone else's new socket. */
    if (gt__fd_owned(fd))
        return -EBUSY;
    if (listening)
        kind = GT_KIND_LISTEN;
    else if (getpeername(fd, (struct sockaddr *)&peer, &len) == 0)
        kind = GT_KIND_STREAM;
    else if (errno == ENOTCONN)
        kind = GT_KIND_FRESH;
    else
        return -errno;
    rc = set_mode(fd, listening);
    if (rc < 0)
        return rc;
    h = gt__slot_alloc(fd, family, &s);
    if (h >= 0)
        s->kind = kind;
    return h;
}
