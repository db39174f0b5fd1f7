/*
 * send.c - gt_send: one packet, written on the caller's thread, the rest queued.
 *
 * With {packet, 1|2|4} the length header and the body go out in one sendmsg(2), so a small
 * packet costs one syscall and never reaches the peer as two segments. A header too short
 * for the body is refused with emsgsize before anything is written; OTP instead wraps the
 * length silently, which corrupts the stream (a deliberate, documented difference).
 *
 * As OTP's inet driver: the send writes directly, without blocking (MSG_DONTWAIT), and what
 * the kernel does not take goes to the socket's queue (sendq.c), which the background I/O
 * thread writes once the kernel has room; the call returns at once. Only a send that brings
 * the queue to high_watermark waits, on its own thread, until the queue is down to
 * low_watermark (at most send_timeout). With delay_send every packet is queued and the I/O
 * thread writes whatever has gathered in one syscall. A write error of queued data is
 * reported by the next send.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "internal.h"
#include "platform.h"

/* With delay_send, the sender writes the queue itself once this much has gathered (or the
 * high mark, if lower). */
#define GT_DELAY_SEND_BATCH (64 * 1024)

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

/* The blocking write of the old days, kept for one case: the queue could not grow (ENOMEM)
 * after the kernel took part of a packet, which must then be finished before anything else. */
static int64_t write_all(struct gt_sock *s, struct iovec *iov, int iovcnt)
{
    struct msghdr msg;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)iovcnt;
    while (msg.msg_iovlen > 0) {
        /* GT_MSG_NOSIGNAL: a peer that has gone away is an EPIPE result, not a SIGPIPE. */
        n = sendmsg(s->fd, &msg, GT_MSG_NOSIGNAL);
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

/* A write error, now or of queued data, as send reports it. */
static int64_t send_error(struct gt_sock *s, int64_t r)
{
    if (gt__is_closed(s))
        return -GT_ECLOSED;
    /* EPIPE after our own shutdown(write) is 'closed'; otherwise the peer reset us, which
     * show_econnreset reports as such (OTP maps EPIPE to ECONNRESET there too). */
    if (r == -ECONNRESET || (r == -EPIPE && !s->shut_wr))
        atomic_store(&s->write_reset, 1); /* for the reader, which will see only an EOF */
    if ((r == -ECONNRESET || (r == -EPIPE && !s->shut_wr)) && s->opts.show_econnreset) {
        atomic_store(&s->dead, GT_DEAD_EOF);
        if (s->send_closed_told)
            return -ENOTCONN;
        s->send_closed_told = 1;
        return -ECONNRESET;
    }
    /* Any other failure of the connection (ETIMEDOUT from user_timeout or keepalive,
     * EHOSTUNREACH ...) ends it as OTP's does: 'closed', then enotconn. Only a shortage of
     * memory leaves the connection as it was. */
    if (r == -ENOMEM || r == -ENOBUFS || r <= -GT_ERRNO_LIMIT)
        return r;
    return closed_result(s);
}

/* After a send that left the queue at or over the high mark: wait for the low mark. */
static int64_t wait_low(struct gt_sock *s)
{
    int64_t timeout = s->opts.send_timeout;
    int64_t deadline = timeout == GT_SEND_TIMEOUT_INFINITY ? GT_NO_DEADLINE : gt__deadline(timeout);
    int r = gt__sendq_wait(s, (size_t)s->opts.low_watermark, deadline);

    if (r == -GT_ETIMEOUT && s->opts.send_timeout_close) {
        /* The peer sees a reset: unlike a FIN it cannot mistake the cut stream for a whole
         * one. Later calls answer enotconn, as OTP's. */
        gt__sendq_reset(s);
        atomic_store(&s->dead, GT_DEAD_ERROR);
        s->send_closed_told = 1;
    }
    if (r < 0 && r != -GT_ETIMEOUT && r != -GT_ECLOSED)
        return send_error(s, r);
    return r;
}

/* The socket backend's answer to a write error: the error each time, the socket left open so
 * that a reader can still drain what the kernel holds (the manual's list of differences). */
static int64_t socket_backend_error(struct gt_sock *s, int64_t r)
{
    int reset = r == -ECONNRESET || (r == -EPIPE && !s->shut_wr);

    if (gt__is_closed(s))
        return -GT_ECLOSED;
    if (reset)
        atomic_store(&s->write_reset, 1);
    if (reset && s->opts.show_econnreset)
        return -ECONNRESET;
    return r == -EPIPE || r == -ECONNRESET ? -GT_ECLOSED : r;
}

/*
 * {inet_backend, socket}: no queue; block (in ppoll, so that close and send_timeout end the
 * wait) until the kernel holds every byte. A timeout answers how many bytes were not sent.
 */
static int64_t send_blocking(struct gt_sock *s, struct iovec *iov, int cnt, size_t total)
{
    int64_t t = s->opts.send_timeout;
    int64_t deadline = t == GT_SEND_TIMEOUT_INFINITY ? GT_NO_DEADLINE : gt__deadline(t);
    size_t left = total;
    struct msghdr msg;
    ssize_t n;
    int r;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)cnt;
    for (;;) {
        n = sendmsg(s->fd, &msg, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return socket_backend_error(s, -errno);
            n = 0;
        }
        left -= (size_t)n;
        if (left == 0) {
            gt__stat_packet_out(s, total);
            return 0;
        }
        while (msg.msg_iovlen > 0 && (size_t)n >= msg.msg_iov->iov_len) {
            n -= (ssize_t)msg.msg_iov->iov_len;
            msg.msg_iov++;
            msg.msg_iovlen--;
        }
        msg.msg_iov->iov_base = (uint8_t *)msg.msg_iov->iov_base + n;
        msg.msg_iov->iov_len -= (size_t)n;
        r = gt__wait_fd(s, s->fd, POLLOUT, deadline);
        if (r == -GT_ETIMEOUT)
            return (int64_t)left; /* {timeout, RestData}: the caller knows which bytes */
        if (r < 0)
            return r;
    }
}

/* With delay_send, the queue length at which the sender writes it itself. */
static size_t delay_batch(const struct gt_sock *s)
{
    size_t high = (size_t)s->opts.high_watermark;

    return high < GT_DELAY_SEND_BATCH ? high : GT_DELAY_SEND_BATCH;
}

static int64_t send_locked(struct gt_sock *s, const uint8_t *data, size_t len)
{
    uint8_t header[4];
    struct iovec iov[2];
    struct msghdr msg;
    int hlen = gt__packet_header_len(s->opts.packet);
    size_t total, queued_before = gt__sendq_len(s);
    ssize_t n;
    int i, cnt = 0, r, gathering = 0;

    if (gt__is_closed(s)) /* closing: its drain is done or under way, queue nothing more */
        return -GT_ECLOSED;
    if (s->send_err != 0)
        return send_error(s, s->send_err);
    if (s->shut_wr) /* our own shutdown(write), done or pending */
        return s->opts.socket_backend ? socket_backend_error(s, -EPIPE) : send_error(s, -EPIPE);
    if (hlen > 0) {
        if (hlen < 4 && len >> (8 * hlen) != 0)
            return -EMSGSIZE;
        if (len > (size_t)INT32_MAX - 4)
            return -EMSGSIZE;
        for (i = hlen - 1; i >= 0; i--)
            header[hlen - 1 - i] = (uint8_t)(len >> (8 * i));
        iov[cnt].iov_base = header;
        iov[cnt++].iov_len = (size_t)hlen;
    } else if (len == 0) {
        /* raw: nothing to send, but like any send it writes queued data (unless delayed) and
         * times out while the queue is at the high mark (OTP's send_timeout_resume polls so) */
        if (gt__sendq_len(s) == 0)
            return 0;
        if (!s->opts.delay_send && gt__sendq_flush(s, SIZE_MAX) < 0)
            return send_error(s, s->send_err);
        if (gt__sendq_len(s) > 0 && gt__sendq_len(s) >= (size_t)s->opts.high_watermark)
            return wait_low(s);
        return 0;
    }
    if (len > 0) {
        iov[cnt].iov_base = (void *)data;
        iov[cnt++].iov_len = len;
    }
    total = (size_t)hlen + len;
    if (s->opts.socket_backend)
        return send_blocking(s, iov, cnt, total);

    if (gt__sendq_len(s) == 0 && !s->opts.delay_send) {
        /* The hot path: one non-blocking sendmsg, which usually takes everything. */
        memset(&msg, 0, sizeof(msg));
        msg.msg_iov = iov;
        msg.msg_iovlen = (size_t)cnt;
        do {
            n = sendmsg(s->fd, &msg, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        if ((size_t)n == total) {
            gt__stat_packet_out(s, total);
            return 0;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return send_error(s, -errno);
            n = 0;
        }
        if (gt__sendq_append(s, iov, cnt, (size_t)n) < 0) {
            /* No memory for the rest: finish this packet here (blocking) if it began. */
            int64_t w;

            if (n == 0)
                return -ENOMEM;
            for (i = 0; i < cnt && (size_t)n >= iov[i].iov_len; i++)
                n -= (ssize_t)iov[i].iov_len;
            iov[i].iov_base = (uint8_t *)iov[i].iov_base + n;
            iov[i].iov_len -= (size_t)n;
            w = write_all(s, iov + i, cnt - i);
            if (w < 0)
                return send_error(s, w);
            gt__stat_packet_out(s, total);
            return 0;
        }
    } else {
        /* Bytes are queued already (or delay_send): this packet goes behind them, whole. */
        if (gt__sendq_append(s, iov, cnt, 0) < 0)
            return -ENOMEM;
        /* A non-delayed send writes the queue, this packet included, in one syscall; so does
         * a delayed one once a batch has gathered (a large write's worth, or the high mark,
         * where it would wait anyway). A smaller delayed queue waits for more packets, and
         * for the I/O thread to write it should its sender pause (iothread.c). */
        gathering = s->opts.delay_send && gt__sendq_len(s) < delay_batch(s);
        if (!gathering && gt__sendq_flush(s, SIZE_MAX) < 0)
            return send_error(s, s->send_err);
    }
    gt__stat_packet_out(s, total);
    if (gt__sendq_len(s) == 0)
        return 0;
    /* Bytes left by a write are the kernel's to make room for: the I/O thread writes them
     * once it has. */
    r = gathering ? gt__io_delay(s) : gt__io_watch(s);
    if (r < 0) {
        /* No I/O thread (it could not start): write it all here, as a blocking send would. */
        r = gt__sendq_wait(s, 0, GT_NO_DEADLINE);
        return r < 0 && r != -GT_ECLOSED ? send_error(s, r) : r;
    }
    /* As OTP's tcp_sendv: a send onto an empty queue returns at once, however much of it
     * stayed queued; one that finds bytes queued and brings them to the high mark waits. */
    if (queued_before > 0 && gt__sendq_len(s) >= (size_t)s->opts.high_watermark)
        return wait_low(s);
    return 0;
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
