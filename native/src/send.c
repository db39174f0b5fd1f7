/*
 * send.c - gt_send: one packet, written on the caller's thread, the rest queued.
 *
 * With {packet, 1|2|4} the length header and the body go out in one system call (joined in a
 * buffer on the stack when small, as two iovecs of one sendmsg(2) otherwise), so a packet
 * costs one syscall and a small one never reaches the peer as two segments. A header too short
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

/* A packet this long or shorter, header included, is joined into one buffer on the stack and
 * sent with send(2): copying a few KiB costs less than the kernel's import of a second iovec
 * through sendmsg(2) (measured with 1 KiB {packet,4} messages over loopback: ~3% more
 * messages a second). A longer one goes out as header and body iovecs, uncopied. */
#define GT_SEND_JOIN_MAX 2048

/* The longest a send waits, holding send_lock, to finish a packet the queue had no memory for:
 * the 5 s OTP's close allows without progress. */
#define GT_FINISH_MAX_NS (5 * 1000000000LL)

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

/* Drop the first N bytes (at most all of them) from the iovecs of MSG. */
static void msg_advance(struct msghdr *msg, size_t n)
{
    while (msg->msg_iovlen > 0 && n >= msg->msg_iov->iov_len) {
        n -= msg->msg_iov->iov_len;
        msg->msg_iov++;
        msg->msg_iovlen--;
    }
    if (msg->msg_iovlen > 0) {
        msg->msg_iov->iov_base = (uint8_t *)msg->msg_iov->iov_base + n;
        msg->msg_iov->iov_len -= n;
    }
}

/* The deadline send_timeout sets for a send that starts now. */
static int64_t send_deadline(const struct gt_sock *s)
{
    int64_t t = s->opts.send_timeout;

    return t == GT_SEND_TIMEOUT_INFINITY ? GT_NO_DEADLINE : gt__deadline(t);
}

/*
 * Write the LEFT bytes of MSG, waiting for room (in ppoll, so that a close or DEADLINE ends the
 * wait) as long as the kernel is full. 0 when all is written; the bytes not written at the
 * deadline; or -errno of the write or of the wait.
 */
static int64_t write_waiting(struct gt_sock *s, struct msghdr *msg, size_t left, int64_t deadline)
{
    ssize_t n;
    int r;

    for (;;) {
        n = gt__sendmsg(s->fd, msg, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return -errno;
            n = 0;
        }
        left -= (size_t)n;
        if (left == 0)
            return 0;
        msg_advance(msg, (size_t)n);
        r = gt__wait_fd(s, s->fd, POLLOUT, deadline);
        if (r == -GT_ETIMEOUT)
            return (int64_t)left;
        if (r < 0)
            return r;
    }
}

/* A write error, now or of queued data, as send reports it. */
static int64_t send_error(struct gt_sock *s, int64_t r)
{
    if (gt__is_closed(s))
        return -GT_ECLOSED;
    /* EPIPE after our own shutdown(write) is 'closed'; otherwise the peer reset us, which
     * show_econnreset reports as such (OTP maps EPIPE to ECONNRESET there too). */
    if (gt__write_was_reset(s, r))
        atomic_store(&s->write_reset, 1); /* for the reader, which will see only an EOF */
    if (gt__write_was_reset(s, r) && s->opts.show_econnreset) {
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
    int r = gt__sendq_wait(s, (size_t)s->opts.low_watermark, send_deadline(s));

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
    int reset = gt__write_was_reset(s, r);

    if (gt__is_closed(s))
        return -GT_ECLOSED;
    if (reset)
        atomic_store(&s->write_reset, 1);
    if (reset && s->opts.show_econnreset)
        return -ECONNRESET;
    return r == -EPIPE || r == -ECONNRESET ? -GT_ECLOSED : r;
}

/*
 * {inet_backend, socket}: no queue; block until the kernel holds every byte. A timeout answers
 * how many bytes were not sent.
 */
static int64_t send_blocking(struct gt_sock *s, struct iovec *iov, int cnt, size_t total)
{
    struct msghdr msg;
    int64_t r;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)cnt;
    r = write_waiting(s, &msg, total, send_deadline(s));
    if (r == 0)
        gt__stat_packet_out(s, total);
    return r < 0 ? socket_backend_error(s, r) : r; /* r > 0: {timeout, RestData} */
}

/*
 * One packet straight to the kernel, without blocking: how many of its TOTAL bytes the kernel
 * took (maybe none), or -errno.
 */
static ssize_t write_now(struct gt_sock *s, struct iovec *iov, int cnt, size_t total)
{
    uint8_t joined[GT_SEND_JOIN_MAX];
    struct msghdr msg;
    ssize_t n;

    do {
        if (cnt == 1) {
            n = gt__send(s->fd, iov[0].iov_base, total, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        } else if (total <= sizeof(joined)) {
            memcpy(joined, iov[0].iov_base, iov[0].iov_len);
            memcpy(joined + iov[0].iov_len, iov[1].iov_base, iov[1].iov_len);
            n = gt__send(s->fd, joined, total, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        } else {
            memset(&msg, 0, sizeof(msg));
            msg.msg_iov = iov;
            msg.msg_iovlen = (size_t)cnt;
            n = gt__sendmsg(s->fd, &msg, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        }
    } while (n < 0 && errno == EINTR);
    if (n >= 0)
        return n;
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
}

/*
 * The kernel took the first N bytes of a packet, and the queue has no memory for the rest. The
 * rest must still go out before anything else: write it here, waiting for room with send_lock
 * held, at most send_timeout or GT_FINISH_MAX_NS (a close waits behind it, as behind a
 * lingering one). Should that fail, the packet is cut: the connection is reset, so that the
 * peer cannot take the stream for a whole one, and the send answers enomem.
 */
static int64_t finish_without_queue(struct gt_sock *s, struct iovec *iov, int cnt, size_t total,
                                    size_t n)
{
    struct msghdr msg;
    int64_t r, deadline;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)cnt;
    msg_advance(&msg, n);
    deadline = gt__now_ns() + GT_FINISH_MAX_NS;
    if (send_deadline(s) < deadline)
        deadline = send_deadline(s);
    r = write_waiting(s, &msg, total - n, deadline);
    if (r == 0) {
        gt__stat_packet_out(s, total);
        return 0;
    }
    if (r < 0)
        return send_error(s, r);
    gt__sendq_reset(s); /* the rest could not be written in time */
    atomic_store(&s->dead, GT_DEAD_ERROR);
    s->send_closed_told = 1;
    return -ENOMEM;
}

/*
 * Whether a sender waits for its low mark. It alone writes the queue meanwhile (the I/O thread
 * keeps off, see gt__sendq_wait), and so must every other sender: a flush here could drain the
 * queue under the waiter while the kernel fills up again, and then no POLLOUT would come to
 * tell the waiter that its level was reached.
 */
static int waited_on(const struct gt_sock *s)
{
    return s->send_waiters > 0;
}

/* As OTP's tcp_sendv: a send onto an empty queue returns at once, however much of it stayed
 * queued; one that found QUEUED_BEFORE bytes queued and brought them to the high mark waits. */
static int64_t wait_if_high(struct gt_sock *s, size_t queued_before)
{
    if (queued_before > 0 && gt__sendq_len(s) >= (size_t)s->opts.high_watermark)
        return wait_low(s);
    return 0;
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
        if (!s->opts.delay_send && !waited_on(s) && gt__sendq_flush(s, SIZE_MAX) < 0)
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
        /* The hot path: one non-blocking write, which usually takes everything. */
        n = write_now(s, iov, cnt, total);
        if ((size_t)n == total) {
            gt__stat_packet_out(s, total);
            return 0;
        }
        if (n < 0)
            return send_error(s, n);
        if (gt__sendq_append(s, iov, cnt, (size_t)n) < 0)
            return n == 0 ? -ENOMEM : finish_without_queue(s, iov, cnt, total, (size_t)n);
    } else {
        /* Bytes are queued already (or delay_send): this packet goes behind them, whole. */
        if (gt__sendq_append(s, iov, cnt, 0) < 0)
            return -ENOMEM;
        /* A non-delayed send writes the queue, this packet included, in one syscall; so does
         * a delayed one once a batch has gathered (a large write's worth, or the high mark,
         * where it would wait anyway). A smaller delayed queue waits for more packets, and
         * for the I/O thread to write it should its sender pause (iothread.c). */
        gathering = s->opts.delay_send && gt__sendq_len(s) < delay_batch(s);
        if (!gathering && !waited_on(s) && gt__sendq_flush(s, SIZE_MAX) < 0)
            return send_error(s, s->send_err);
    }
    gt__stat_packet_out(s, total);
    if (gt__sendq_len(s) == 0)
        return 0;
    if (waited_on(s))
        return wait_if_high(s, queued_before); /* the waiter writes it, see waited_on */
    /* Bytes left by a write are the kernel's to make room for: the I/O thread writes them
     * once it has. */
    r = gathering ? gt__io_delay(s) : gt__io_watch(s);
    if (r < 0) {
        /* No I/O thread (it could not start): write it all here, as a blocking send would. */
        r = gt__sendq_wait(s, 0, GT_NO_DEADLINE);
        return r < 0 && r != -GT_ECLOSED ? send_error(s, r) : r;
    }
    return wait_if_high(s, queued_before);
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
