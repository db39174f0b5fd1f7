/*
 * adopt_fd.c - OTP's {fd, Fd}: a socket opened elsewhere (by other code in the process, or
 * inherited from a parent) becomes a gentcp socket. From a successful adoption on, gentcp owns
 * the descriptor and closes it with the handle; until then, and when adoption fails, the
 * caller keeps it. Its protocol ({protocol, tcp | mptcp}) is its own, read from it, never
 * changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "platform.h"

/* Makes "nobody owns this fd yet" and "now a slot owns it" one step: two threads adopting the
 * same descriptor at once must not both succeed, or it would be closed twice. */
static pthread_mutex_t adopt_lock = PTHREAD_MUTEX_INITIALIZER;

static int int_opt(int fd, int name, int *v)
{
    socklen_t len = sizeof(*v);

    return getsockopt(fd, SOL_SOCKET, name, v, &len) < 0 ? -errno : 0;
}

/* Connected sockets block and listen sockets do not: the modes the rest of the core assumes
 * (see tcp.c). A fresh socket is left as gt_connect and gt_listen expect it (blocking).
 * *OLD_FL and *OLD_FD receive the flags it had, for undoing this if the adoption fails. */
static int set_mode(int fd, int listening, int *old_fl, int *old_fd)
{
    int flags;

    *old_fl = fcntl(fd, F_GETFL);
    *old_fd = fcntl(fd, F_GETFD);
    if (*old_fl < 0 || *old_fd < 0)
        return -errno;
    flags = listening ? (*old_fl | O_NONBLOCK) : (*old_fl & ~O_NONBLOCK);
    if (fcntl(fd, F_SETFL, flags) < 0 || fcntl(fd, F_SETFD, *old_fd | FD_CLOEXEC) < 0) {
        int err = errno;

        fcntl(fd, F_SETFL, *old_fl);
        fcntl(fd, F_SETFD, *old_fd);
        return -err;
    }
    return 0;
}

int64_t gt_socket_fd_protocol(int64_t fd64, int32_t protocol)
{
    struct sockaddr_storage name, peer;
    socklen_t name_len = sizeof(name), len = sizeof(peer);
    struct gt_sock *s;
    int fd = (int)fd64, type, family, listening, kind, rc, old_fl, old_fd, own;
    int64_t h;

    if (protocol != GT_PROTOCOL_OWN && protocol != GT_PROTOCOL_TCP && protocol != GT_PROTOCOL_MPTCP)
        return -EINVAL;
    if (fd64 < 0 || fd64 > INT32_MAX)
        return -EBADF;
    if (fcntl(fd, F_GETFD) < 0)
        return -errno; /* EBADF: nothing open there */
    rc = int_opt(fd, SO_TYPE, &type);
    if (rc < 0)
        return rc; /* ENOTSOCK: a file, a pipe ... */
    if (type != SOCK_STREAM)
        return -ESOCKTNOSUPPORT;
    /* The family from the socket's own address (SO_DOMAIN is Linux-only); an unbound socket
     * has one too, with only the family filled in. */
    memset(&name, 0, sizeof(name));
    rc = getsockname(fd, (struct sockaddr *)&name, &name_len) < 0 ? -errno : 0;
    family = name.ss_family;
    if (rc == 0 && family != AF_INET && family != AF_INET6 && family != AF_UNIX)
        rc = -EAFNOSUPPORT;
    if (rc == 0)
        rc = int_opt(fd, SO_ACCEPTCONN, &listening);
    if (rc < 0)
        return rc;
    own = gt__own_protocol(fd); /* SCTP: EPROTONOSUPPORT */
    if (own < 0)
        return own;
    if (protocol != GT_PROTOCOL_OWN && protocol != own)
        return -EINVAL; /* not what the caller takes it for: it stays the caller's */
    if (listening)
        kind = GT_KIND_LISTEN;
    else if (getpeername(fd, (struct sockaddr *)&peer, &len) == 0)
        kind = GT_KIND_STREAM;
    else if (errno == ENOTCONN)
        kind = GT_KIND_FRESH;
    else
        return -errno;
    pthread_mutex_lock(&adopt_lock);
    /* Two owners would close it twice, the second time perhaps someone else's new socket. */
    if (gt__fd_owned(fd)) {
        pthread_mutex_unlock(&adopt_lock);
        return -EBUSY;
    }
    h = gt__nosigpipe(fd); /* left set if the adoption fails: it only turns SIGPIPE into EPIPE */
    if (h == 0)
        h = set_mode(fd, listening, &old_fl, &old_fd);
    if (h == 0) {
        h = gt__sock_new(fd, family, &s);
        if (h >= 0) {
            s->kind = kind;
            gt__opts_protocol(s, own, 1);
            gt__tstamp_adopted(s); /* gentcp's default: off */
        } else {                   /* refused: the caller keeps the descriptor as it was */
            fcntl(fd, F_SETFL, old_fl);
            fcntl(fd, F_SETFD, old_fd);
        }
    }
    pthread_mutex_unlock(&adopt_lock);
    return h;
}

int64_t gt_socket_fd(int64_t fd)
{
    return gt_socket_fd_protocol(fd, GT_PROTOCOL_OWN);
}
