/*
 * tcp.c - creating sockets: socket, bind, listen, accept, connect (inet and local alike, the
 * address made in addr.c); shutdown, sockname and peername.
 *
 * Descriptors of connected sockets stay in blocking mode, so that a passive recv with no
 * time limit is one blocking recv(2) (see wait.c); every call that must not block says so
 * with MSG_DONTWAIT. Listen sockets are non-blocking instead: several threads may accept at
 * once, each with its own time limit, and one that loses the race for a connection must go
 * back to waiting rather than sleep in accept(2) past its deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "internal.h"
#include "platform.h"

static int set_nonblocking(int fd, int on)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -errno;
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (fcntl(fd, F_SETFL, flags) < 0)
        return -errno;
    return 0;
}

/* The end of a call that makes S a socket of KIND (a listener, a connected stream): if all
 * went well (RC 0), its descriptor becomes NONBLOCKING or not, and S becomes KIND. Releases S;
 * returns RC, or fcntl's -errno. */
static int become(struct gt_sock *s, int rc, int nonblocking, int kind)
{
    if (rc == 0)
        rc = set_nonblocking(s->fd, nonblocking);
    if (rc == 0)
        s->kind = kind;
    if (rc == 0 && kind == GT_KIND_STREAM)
        gt__tstamp_connected(s); /* transmit timestamps count from the connection on */
    gt__release(s);
    return rc;
}

int64_t gt__sock_made(int fd, int family, int32_t protocol, int fixed)
{
    struct gt_sock *s;
    int64_t h = gt__sock_new(fd, family, &s);

    if (h < 0)
        close(fd);
    else
        gt__opts_protocol(s, protocol, fixed);
    return h;
}

int64_t gt_socket_protocol(int32_t family, int32_t protocol)
{
    int fd;

    if (family != AF_INET && family != AF_INET6 && family != AF_UNIX)
        return -EAFNOSUPPORT;
    if (protocol != GT_PROTOCOL_TCP && protocol != GT_PROTOCOL_MPTCP)
        return -EINVAL;
    /* Made so at once: one socket(2), where making it again (gt_setopt) costs a second and a
     * dup3. */
    fd = gt__protocol_socket(family, protocol);
    return fd < 0 ? fd : gt__sock_made(fd, family, protocol, 0);
}

int64_t gt_socket(int32_t family)
{
    return gt_socket_protocol(family, GT_PROTOCOL_TCP);
}

/* The inet address HI, LO, PORT (gt__addr_inet) in the family of HANDLE's socket. */
static int inet_sockaddr(int64_t handle, int64_t hi, int64_t lo, int64_t port,
                         struct sockaddr_storage *ss, socklen_t *len)
{
    struct gt_sock *s = gt__acquire(handle);
    int rc;

    if (s == NULL)
        return -GT_ECLOSED;
    rc = gt__addr_inet(s->family, hi, lo, port, ss, len);
    gt__release(s);
    return rc;
}

static int bind_sockaddr(int64_t handle, const struct sockaddr_storage *ss, socklen_t len)
{
    struct gt_sock *s = gt__acquire(handle);
    int rc = 0;

    if (s == NULL)
        return -GT_ECLOSED;
    if (ss->ss_family != s->family)
        rc = -EAFNOSUPPORT;
    else if (bind(s->fd, (const struct sockaddr *)ss, len) < 0)
        rc = -errno;
    gt__release(s);
    return rc;
}

int32_t gt_bind(int64_t handle, int64_t addr_hi, int64_t addr_lo, int64_t port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int rc = inet_sockaddr(handle, addr_hi, addr_lo, port, &ss, &len);

    return rc < 0 ? rc : bind_sockaddr(handle, &ss, len);
}

int32_t gt_bind_local(int64_t handle, int64_t name, int64_t len)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int rc = gt__addr_local(name, len, &ss, &sslen);

    return rc < 0 ? rc : bind_sockaddr(handle, &ss, sslen);
}

int32_t gt_listen(int64_t handle, int32_t backlog)
{
    struct gt_sock *s = gt__acquire(handle);
    int rc = 0;

    if (s == NULL)
        return -GT_ECLOSED;
    if ((s->kind != GT_KIND_FRESH && s->kind != GT_KIND_LISTEN) || backlog < 0)
        rc = -EINVAL;
    if (rc == 0 && listen(s->fd, backlog) < 0)
        rc = -errno;
    return become(s, rc, 1, GT_KIND_LISTEN);
}

static int64_t adopt_accepted(struct gt_sock *ls, int fd)
{
    struct gt_sock *c;
    int64_t h = gt__sock_new(fd, ls->family, &c);

    if (h < 0) {
        close(fd);
        return h;
    }
    c->kind = GT_KIND_STREAM;
    gt__opts_inherit(c, ls);
    return h;
}

int64_t gt_accept(int64_t listen_handle, int64_t timeout_ms)
{
    struct gt_sock *s = gt__acquire(listen_handle);
    int64_t deadline = gt__deadline(timeout_ms);
    int64_t rc;
    int fd;

    gt__flush_gathered_here(); /* an accept may wait */
    if (s == NULL)
        return -GT_ECLOSED;
    if (s->kind != GT_KIND_LISTEN) {
        gt__release(s);
        return -EINVAL;
    }
    for (;;) {
        fd = gt__accept_cloexec(s->fd); /* the new fd is blocking */
        if (fd >= 0) {
            rc = adopt_accepted(s, fd);
            break;
        }
        if (gt__is_closed(s)) {
            rc = -GT_ECLOSED;
            break;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            rc = -errno;
            break;
        }
        rc = gt__wait_fd(s, s->fd, POLLIN, deadline);
        if (rc < 0)
            break;
    }
    gt__release(s);
    return rc;
}

/* The error a finished non-blocking connect left on S (0: connected), or -errno. */
static int connect_result(struct gt_sock *s)
{
    socklen_t errlen = sizeof(int);
    int err = 0;

    return getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0 ? -errno : -err;
}

/*
 * A connect that never waits, tried again until it is done (GT_TIMEOUT_PARKED, parking.c):
 * the first call starts it (and may finish it at once); while the kernel is still at it each
 * call answers GT_ETIMEOUT, having looked (poll, no time) whether it has finished. One
 * thread at a time: the socket is not visible to the application before connect returns.
 */
static int connect_parked(struct gt_sock *s, const struct sockaddr_storage *ss, socklen_t len)
{
    struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};
    const struct timespec now = {0, 0};
    int rc;

    if (!s->connecting) {
        rc = set_nonblocking(s->fd, 1);
        if (rc == 0 && connect(s->fd, (const struct sockaddr *)ss, len) < 0) {
            rc = -errno;
            if (rc == -EINPROGRESS || rc == -EINTR) {
                s->connecting = 1;
                rc = -GT_ETIMEOUT;
            }
        }
        return rc;
    }
    rc = gt__poll_fds(&pfd, 1, &now);
    if (rc < 0)
        return errno == EINTR ? -GT_ETIMEOUT : -errno;
    if (rc == 0)
        return -GT_ETIMEOUT;
    s->connecting = 0;
    return gt__is_closed(s) ? -GT_ECLOSED : connect_result(s);
}

static int connect_sockaddr(int64_t handle, const struct sockaddr_storage *ss, socklen_t len,
                            int64_t timeout_ms)
{
    struct gt_sock *s = gt__acquire(handle);
    int64_t deadline = gt__deadline(timeout_ms);
    int rc = 0;

    gt__flush_gathered_here(); /* a connect may wait (gt_connect's and gt_connect_local's) */
    if (s == NULL)
        return -GT_ECLOSED;
    if (s->kind != GT_KIND_FRESH) {
        gt__release(s);
        return -EISCONN;
    }
    if (ss->ss_family != s->family)
        rc = -EAFNOSUPPORT;
    else if (timeout_ms == GT_TIMEOUT_PARKED)
        rc = connect_parked(s, ss, len);
    else if (s->connecting)
        rc = -EALREADY; /* a parked connect was begun: only that form goes on with it */
    /* Connect without blocking and wait in poll, so the time limit holds. */
    else if ((rc = set_nonblocking(s->fd, 1)) == 0 &&
             connect(s->fd, (const struct sockaddr *)ss, len) < 0) {
        rc = -errno;
        if (rc == -EINPROGRESS || rc == -EINTR) {
            rc = gt__wait_fd(s, s->fd, POLLOUT, deadline);
            if (rc > 0)
                rc = connect_result(s);
        }
    }
    return become(s, rc, 0, GT_KIND_STREAM); /* connected: its descriptor blocks again */
}

int32_t gt_connect(int64_t handle, int64_t addr_hi, int64_t addr_lo, int64_t port,
                   int64_t timeout_ms)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int rc = inet_sockaddr(handle, addr_hi, addr_lo, port, &ss, &len);

    return rc < 0 ? rc : connect_sockaddr(handle, &ss, len, timeout_ms);
}

int32_t gt_connect_local(int64_t handle, int64_t name, int64_t len, int64_t timeout_ms)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int rc = gt__addr_local(name, len, &ss, &sslen);

    return rc < 0 ? rc : connect_sockaddr(handle, &ss, sslen, timeout_ms);
}

/*
 * shutdown(write) with data queued returns at once and happens once the queue has drained
 * (sendq.c does it after the last byte), as OTP's; the reading side, if asked, shuts now.
 */
static int shutdown_now_or_later(struct gt_sock *s, int how)
{
    int rc = 0;

    if (how == SHUT_RD)
        return shutdown(s->fd, how) < 0 ? -errno : 0;
    if (s->opts.socket_backend) {
        /* No queue to wait for, and a sender blocked in its send holds send_lock for as long
         * as it waits: shut down at once, as OTP's socket backend does (the sender then fails
         * with EPIPE, which shut_wr marks as ours). */
        __atomic_store_n(&s->shut_wr, 1, __ATOMIC_RELEASE);
        return shutdown(s->fd, how) < 0 ? -errno : 0;
    }
    pthread_mutex_lock(&s->send_lock);
    /* What the kernel takes now need not wait: a delay_send queue gathering packets is
     * written at once, and the shutdown then too. (Not under a sender waiting for its low
     * mark: that one writes the queue itself, see gt__sendq_wait.) */
    if (gt__sendq_len(s) > 0 && s->send_waiters == 0)
        (void)gt__sendq_flush(s, SIZE_MAX); /* an error waits in send_err for the next send */
    if (gt__sendq_len(s) > 0) {
        if (how == SHUT_RDWR && shutdown(s->fd, SHUT_RD) < 0)
            rc = -errno;
        if (rc == 0)
            s->shut_pending = 1;
    } else if (shutdown(s->fd, how) < 0) {
        rc = -errno;
    }
    if (rc == 0)
        s->shut_wr = 1;
    pthread_mutex_unlock(&s->send_lock);
    return rc;
}

int32_t gt_shutdown(int64_t handle, int32_t how)
{
    struct gt_sock *s = gt__acquire(handle);
    int rc = 0;

    if (s == NULL)
        return -GT_ECLOSED;
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        rc = -EINVAL;
    else if (s->kind != GT_KIND_STREAM)
        rc = -ENOTCONN; /* OTP: shutdown of a listen socket is enotconn */
    else if (atomic_load(&s->terminated))
        rc = -GT_ECLOSED; /* OTP's port has exited */
    else if (atomic_load(&s->dead) != GT_ALIVE)
        rc = -ENOTCONN; /* the connection was given up (ending.c) */
    else
        rc = shutdown_now_or_later(s, how);
    gt__release(s);
    return rc;
}

static int32_t name_of(int64_t handle, int64_t dst, int32_t cap, int peer)
{
    struct gt_sock *s = gt__acquire(handle);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int rc;

    /* OTP answers einval for a closed socket here, and once its port has exited. A connection
     * merely given up (ending.c) has lost its descriptor there: ebadf for our name, enotconn
     * for the peer's. */
    if (s == NULL)
        return -EINVAL;
    if (atomic_load(&s->terminated))
        rc = -EINVAL;
    else if (atomic_load(&s->dead) != GT_ALIVE)
        rc = peer ? -ENOTCONN : -EBADF;
    else if (peer ? getpeername(s->fd, (struct sockaddr *)&ss, &len)
                  : getsockname(s->fd, (struct sockaddr *)&ss, &len))
        rc = -errno;
    else
        rc = gt__addr_write(&ss, len, dst, cap);
    gt__release(s);
    return rc;
}

int32_t gt_sockname(int64_t handle, int64_t dst, int32_t cap)
{
    return name_of(handle, dst, cap, 0);
}

int32_t gt_peername(int64_t handle, int64_t dst, int32_t cap)
{
    return name_of(handle, dst, cap, 1);
}
