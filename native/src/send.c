/*
 * send.c - gt_send: one packet, written on the caller's thread.
 *
 * With {packet, 1|2|4} the length header and the body go out in one sendmsg(2), so a small
 * packet costs one syscall and never reaches the peer as two segments. A header too short
 * for the body is refused with emsgsize before anything is written; OTP instead wraps the
 * length silently, which corrupts the stream (a deliberate, documented difference).
 *
 * The descriptor is blocking, so the call returns once the kernel holds every byte. The
 * background queue with watermarks that OTP's inet driver has comes with the send-path work;
 * until then a send that the kernel cannot take at once waits here.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "internal.h"

/* What send answers once the connection has ended: 'closed' once, then enotconn (OTP). */
static int64_t closed_result(struct gt_sock *s)
{
    if (atomic_load(&s->dead) == GT_ALIVE)
        atomic_store(&s->dead, GT_DEAD_EOF);
    if (s->send_closed_told)
        return -ENOTCONN;
    s->send_closed_told = 1;
    return -GT_ECLOSED;
}

static int64_t write_all(struct gt_sock *s, struct iovec *iov, int iovcnt)
{
    struct msghdr msg;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)iovcnt;
    while (msg.msg_iovlen > 0) {
        /* MSG_NOSIGNAL: a peer that has gone away is an EPIPE result, not a SIGPIPE. */
        n = sendmsg(s->fd, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        while (msg.msg_iovlen > 0 && (size_t)n >= msg.msg_iov->iov_len) {
            n -= (ssize_t)msg.msg_iov->iov_len;
            msg.msg_iov++;
            msg.msg_iovlen--;
        }
        if (msg.msg_iovlen > 0) {
            msg.msg_iov->iov_base = (uint8_t *)msg.msg_iov->iov_base + n;
            msg.msg_iov->iov_len -= (size_t)n;
        }
    }
    return 0;
}

static int64_t send_locked(struct gt_sock *s, const uint8_t *data, size_t len)
{
    uint8_t header[4];
    struct iovec iov[2];
    int hlen = gt__packet_header_len(s->opts.packet);
    int i, n = 0;
    int64_t r;

    if (hlen > 0) {
        if (hlen < 4 && len >> (8 * hlen) != 0)
            return -EMSGSIZE;
        if (len > (size_t)INT32_MAX - 4)
            return -EMSGSIZE;
        for (i = hlen - 1; i >= 0; i--)
            header[hlen - 1 - i] = (uint8_t)(len >> (8 * i));
        iov[n].iov_base = header;
        iov[n++].iov_len = (size_t)hlen;
    } else if (len == 0) {
        return 0; /* raw: nothing to send */
    }
    if (len > 0) {
        iov[n].iov_base = (void *)data;
        iov[n++].iov_len = len;
    }
    r = write_all(s, iov, n);
    if (r == 0)
        gt__stat_packet_out(s, (size_t)hlen + len);
    if (gt__is_closed(s))
        return -GT_ECLOSED;
    /* EPIPE after our own shutdown(write) is 'closed'; otherwise the peer reset us, which
     * show_econnreset reports as such (OTP maps EPIPE to ECONNRESET there too). */
    if ((r == -ECONNRESET || (r == -EPIPE && !s->shut_wr)) && s->opts.show_econnreset) {
        s->reset = 1;
        atomic_store(&s->dead, GT_DEAD_EOF);
        if (s->send_closed_told)
            return -ENOTCONN;
        s->send_closed_told = 1;
        return -ECONNRESET;
    }
    if (r == -EPIPE || r == -ECONNRESET)
        return closed_result(s);
    return r;
}

int64_t gt_send(int64_t handle, int64_t addr, int64_t len)
{
    struct gt_sock *s = gt__acquire(handle);
    int dead;
    int64_t r;

    if (s == NULL)
        return -GT_ECLOSED;
    dead = atomic_load(&s->dead);
    if (s->kind != GT_KIND_STREAM)
        r = -ENOTCONN;
    else if (len < 0 || (len > 0 && addr == 0))
        r = -EINVAL;
    else if (atomic_load(&s->terminated))
        r = -GT_ECLOSED; /* OTP's port exited with the tcp_closed it sent */
    else if (dead == GT_DEAD_ERROR)
        r = -ENOTCONN;
    else if (dead == GT_DEAD_EOF) {
        pthread_mutex_lock(&s->send_lock);
        r = closed_result(s);
        pthread_mutex_unlock(&s->send_lock);
    } else {
        pthread_mutex_lock(&s->send_lock);
        r = send_locked(s, (const uint8_t *)(intptr_t)addr, (size_t)len);
        pthread_mutex_unlock(&s->send_lock);
    }
    gt__release(s);
    return r;
}
