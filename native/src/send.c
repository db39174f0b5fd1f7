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
 *
 * gt_send_parked is the same send for a caller that must not sleep in C (a Java virtual
 * thread): where gt_send would wait it answers so, keeping its place (a waiter of the queue,
 * or the socket backend's claim of the sending side), and the caller, woken by the parking
 * poller (parking.c), looks again with gt_send_resume or its next gt_send_parked.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "bytes.h"
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
    int reset = gt__write_was_reset(s, r);

    if (gt__is_closed(s))
        return -GT_ECLOSED;
    /* EPIPE after our own shutdown(write) is 'closed'; otherwise the peer reset us, which
     * show_econnreset reports as such (OTP maps EPIPE to ECONNRESET there too). */
    if (reset)
        atomic_store(&s->write_reset, 1); /* for the reader, which will see only an EOF */
    /* Only a shortage of memory leaves the connection as it was. Any other failure (a reset,
     * ETIMEDOUT from user_timeout or keepalive, EHOSTUNREACH ...) ends it as OTP's does. */
    if (r == -ENOMEM || r == -ENOBUFS || r <= -GT_ERRNO_LIMIT)
        return r;
    return gt__end_met_by_send(s, reset);
}

/* The answer of a wait for the low mark that ended with R (gt__sendq_wait's). */
static int64_t low_reached(struct gt_sock *s, int r)
{
    if (r == -GT_ETIMEOUT && s->opts.send_timeout_close) {
        /* The peer sees a reset: unlike a FIN it cannot mistake the cut stream for a whole
         * one. Later calls answer enotconn, as OTP's. */
        gt__sendq_reset(s);
        atomic_store(&s->dead, GT_DEAD_ERROR);
    }
    if (r < 0 && r != -GT_ETIMEOUT && r != -GT_ECLOSED)
        return send_error(s, r);
    return r;
}

/* getstat's counters of the waits for the low mark (send_lock held): single writer, relaxed
 * atomics, as stats.c's. */
#define STAT_LOAD(v) atomic_load_explicit(&(v), memory_order_relaxed)
#define STAT_ADD(v, n) atomic_store_explicit(&(v), STAT_LOAD(v) + (n), memory_order_relaxed)

/* A send begins to wait for the low mark: counted, with the bytes queued. Returns its start. */
static int64_t wait_counted(struct gt_sock *s)
{
    STAT_ADD(s->stats.send_waits, 1);
    atomic_store_explicit(&s->stats.send_wait_queued, gt__sendq_len(s), memory_order_relaxed);
    return gt__now_ns();
}

/* A parked wait for the low mark has ended: its end is added, and once no parked sender waits
 * the sum of their waits (ends minus starts) goes to the counter. */
static void parked_wait_over(struct gt_sock *s)
{
    s->stats.parked_wait_ns += (uint64_t)gt__now_ns();
    if (s->send_parked == 0) {
        STAT_ADD(s->stats.send_wait_ns, s->stats.parked_wait_ns);
        s->stats.parked_wait_ns = 0;
    }
}

/*
 * One look of a parked sender at the low mark (see gt__sendq_wait_parked): -GT_EWOULDPARK
 * while it must still wait; otherwise what wait_low answers. GT_SEND_GIVE_UP: the time limit
 * passed, with send_timeout_close's reset as a sleeping sender's; GT_SEND_CANCEL (the thread
 * was interrupted): timeout, but nothing is dropped.
 */
static int64_t look_low(struct gt_sock *s, int how)
{
    int r = gt__sendq_wait_parked(s, (size_t)s->opts.low_watermark, how != GT_SEND_TRY);

    if (r == 1)
        return -GT_EWOULDPARK;
    parked_wait_over(s);
    if (r == -GT_ETIMEOUT && how == GT_SEND_CANCEL)
        return r;
    return low_reached(s, r);
}

/* After a send that left the queue at or over the high mark: wait for the low mark; PARKED,
 * a caller that must not sleep here: it becomes a parked waiter and has one look. */
static int64_t wait_low(struct gt_sock *s, int parked)
{
    int64_t began = wait_counted(s);
    int r;

    if (parked) {
        gt__sendq_park(s);
        s->stats.parked_wait_ns -= (uint64_t)began;
        return look_low(s, GT_SEND_TRY);
    }
    r = gt__sendq_wait(s, (size_t)s->opts.low_watermark, gt__send_deadline(s));
    STAT_ADD(s->stats.send_wait_ns, (uint64_t)(gt__now_ns() - began));
    return low_reached(s, r);
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
 * how many bytes were not sent. A packet a parked sender is part way through goes first.
 */
static int64_t send_blocking(struct gt_sock *s, struct iovec *iov, int cnt, size_t total)
{
    struct msghdr msg;
    int64_t r;

    while (s->send_claimed) {
        if (gt__is_closed(s))
            return -GT_ECLOSED;
        pthread_cond_wait(&s->send_cond, &s->send_lock);
    }
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)cnt;
    r = write_waiting(s, &msg, total, gt__send_deadline(s));
    if (r == 0)
        gt__stat_packet_out(s, total);
    return r < 0 ? socket_backend_error(s, r) : r; /* r > 0: {timeout, RestData} */
}

/* A parked sender lets the sending side go (send_lock held): a blocking sender waiting for it
 * goes on, and a parked one (told EBUSY) is kicked to try again. */
static void unclaim(struct gt_sock *s)
{
    s->send_claimed = 0;
    pthread_cond_broadcast(&s->send_cond);
    gt__park_kick(s);
}

/*
 * send_blocking for a caller that must not block (gt_send_parked): what the kernel takes now
 * of the UNSENT last bytes of the packet (< 0: all of it, a new packet). 0 once all are sent;
 * N > 0 bytes still unsent, the sending side then claimed until a call ends the packet; or
 * the -code of the write, as send_blocking's. -EBUSY: another sender's packet is under way.
 */
static int64_t send_socket_parked(struct gt_sock *s, struct iovec *iov, int cnt, size_t total,
                                  int64_t unsent)
{
    struct msghdr msg;
    size_t left;
    ssize_t n;

    if (unsent < 0 && s->send_claimed)
        return -EBUSY;
    if (unsent >= 0 && (!s->send_claimed || (uint64_t)unsent > total))
        return -EINVAL;
    left = unsent < 0 ? total : (size_t)unsent;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = iov;
    msg.msg_iovlen = (size_t)cnt;
    msg_advance(&msg, total - left);
    do
        n = gt__sendmsg(s->fd, &msg, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        n = -errno;
        if (s->send_claimed)
            unclaim(s);
        return socket_backend_error(s, n);
    }
    left -= n < 0 ? 0 : (size_t)n;
    if (left > 0) {
        s->send_claimed = 1;
        return (int64_t)left;
    }
    if (s->send_claimed)
        unclaim(s);
    gt__stat_packet_out(s, total);
    return 0;
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
    if (gt__send_deadline(s) < deadline)
        deadline = gt__send_deadline(s);
    r = write_waiting(s, &msg, total - n, deadline);
    if (r == 0) {
        gt__stat_packet_out(s, total);
        return 0;
    }
    if (r < 0)
        return send_error(s, r);
    gt__sendq_reset(s); /* the rest could not be written in time */
    atomic_store(&s->dead, GT_DEAD_ERROR);
    return -ENOMEM;
}

/* As OTP's tcp_sendv: a send onto an empty queue returns at once, however much of it stayed
 * queued; one that found QUEUED_BEFORE bytes queued and brought them to the high mark waits. */
static int64_t wait_if_high(struct gt_sock *s, size_t queued_before, int parked)
{
    if (queued_before > 0 && gt__sendq_len(s) >= (size_t)s->opts.high_watermark)
        return wait_low(s, parked);
    return 0;
}

/* With delay_send, the queue length at which the sender writes it itself. */
static size_t delay_batch(const struct gt_sock *s)
{
    size_t high = (size_t)s->opts.high_watermark;

    return high < GT_DELAY_SEND_BATCH ? high : GT_DELAY_SEND_BATCH;
}

/* A delayed queue (send_lock held) is written by the mailbox GATHER, whose receive runs on the
 * caller's thread, when that receive is over (gt_mailbox_flush); without one, or once the I/O
 * thread has the socket already, by the I/O thread's ticks. */
static int delay(struct gt_sock *s, int64_t gather)
{
    if (gather == 0 || s->io_watched || s->delay_listed)
        return gt__io_delay(s);
    if (s->gathered_by == gather)
        return 0;
    if (gt__mailbox_gather(gather, gt__handle_of(s)) < 0)
        return gt__io_delay(s);
    s->gathered_by = gather;
    return 0;
}

/* The length header S's packet type puts before a packet of LEN bytes, written to HEADER (room
 * for 4): its length, 0 for a type without one, or -EMSGSIZE when LEN does not fit it. */
static int packet_header(const struct gt_sock *s, size_t len, uint8_t *header)
{
    int hlen = gt__packet_header_len(s->opts.packet);

    if (hlen == 0)
        return 0;
    if ((hlen < 4 && len >> (8 * hlen) != 0) || len > (size_t)INT32_MAX - 4)
        return -EMSGSIZE;
    gt__put_be(header, len, hlen);
    return hlen;
}

/* A send of LEN bytes at DATA, send_lock held. PARKED: the caller must not sleep (see
 * gt_send_parked; UNSENT is its argument): where a send would wait, answer so instead.
 * GATHER: the mailbox that writes a delayed queue (delay), or 0. */
static int64_t send_locked(struct gt_sock *s, const uint8_t *data, size_t len, int parked,
                           int64_t unsent, int64_t gather)
{
    uint8_t header[4];
    struct iovec iov[2];
    size_t total, queued_before = gt__sendq_len(s);
    ssize_t n;
    int hlen, cnt = 0, r, gathering = 0;

    if (gt__is_closed(s)) /* closing: its drain is done or under way, queue nothing more */
        return -GT_ECLOSED;
    if (s->send_err != 0)
        return send_error(s, s->send_err);
    if (s->shut_wr) /* our own shutdown(write), done or pending */
        return s->opts.socket_backend ? socket_backend_error(s, -EPIPE) : send_error(s, -EPIPE);
    hlen = packet_header(s, len, header);
    if (hlen < 0)
        return hlen;
    if (hlen > 0) {
        iov[cnt].iov_base = header;
        iov[cnt++].iov_len = (size_t)hlen;
    } else if (len == 0) {
        /* raw: nothing to send, but like any send it writes queued data (unless delayed) and
         * times out while the queue is at the high mark (OTP's send_timeout_resume polls so) */
        if (gt__sendq_len(s) == 0)
            return 0;
        if (!s->opts.delay_send && !gt__sendq_waited_on(s) && gt__sendq_flush(s, SIZE_MAX) < 0)
            return send_error(s, s->send_err);
        if (gt__sendq_len(s) > 0 && gt__sendq_len(s) >= (size_t)s->opts.high_watermark)
            return wait_low(s, parked);
        return 0;
    }
    if (len > 0) {
        iov[cnt].iov_base = (void *)data;
        iov[cnt++].iov_len = len;
    }
    total = (size_t)hlen + len;
    if (s->opts.socket_backend)
        return parked ? send_socket_parked(s, iov, cnt, total, unsent)
                      : send_blocking(s, iov, cnt, total);

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
        if (!gathering && !gt__sendq_waited_on(s) && gt__sendq_flush(s, SIZE_MAX) < 0)
            return send_error(s, s->send_err);
    }
    gt__stat_packet_out(s, total);
    if (gt__sendq_len(s) == 0)
        return 0;
    if (gt__sendq_waited_on(s))
        return wait_if_high(s, queued_before, parked); /* the waiter writes it, see waited_on */
    /* Bytes left by a write are the kernel's to make room for: the I/O thread writes them
     * once it has. */
    r = gathering ? delay(s, gather) : gt__io_watch(s);
    if (r < 0) {
        /* No I/O thread (it could not start): write it all here, as a blocking send would.
         * A parked caller too: with no thread to write its queue, it has no other way. */
        r = gt__sendq_wait(s, 0, GT_NO_DEADLINE);
        return r < 0 && r != -GT_ECLOSED ? send_error(s, r) : r;
    }
    return wait_if_high(s, queued_before, parked);
}

/* gt_send, and gt_send_parked's first call (PARKED, socket backend's UNSENT < 0); GATHER as
 * send_locked's. */
static int64_t send_packet(struct gt_sock *s, int64_t addr, int64_t len, int parked, int64_t gather)
{
    int dead;
    int64_t r;

    dead = atomic_load(&s->dead);
    if (s->kind != GT_KIND_STREAM)
        r = -ENOTCONN;
    else if (len < 0 || (len > 0 && addr == 0))
        r = -EINVAL;
    else if (atomic_load(&s->terminated))
        r = -GT_ECLOSED; /* OTP's port exited with the tcp_closed it sent */
    else if (dead == GT_DEAD_ERROR)
        r = -ENOTCONN;
    else if (dead == GT_DEAD_EOF)
        r = gt__end_owed(s, 0); /* given up: 'closed' once if owed (ending.c), then enotconn */
    else if (!parked) {
        pthread_mutex_lock(&s->send_lock);
        r = send_locked(s, (const uint8_t *)(intptr_t)addr, (size_t)len, 0, -1, gather);
        pthread_mutex_unlock(&s->send_lock);
    } else if (s->opts.socket_backend && pthread_mutex_trylock(&s->send_lock) != 0) {
        /* Its only long holder is a blocking send of the socket backend, which a thread
         * that must not block does not wait for: it waits for room, and tries again. */
        r = -EBUSY;
    } else {
        if (!s->opts.socket_backend)
            pthread_mutex_lock(&s->send_lock); /* held for moments only */
        r = send_locked(s, (const uint8_t *)(intptr_t)addr, (size_t)len, 1, -1, 0);
        pthread_mutex_unlock(&s->send_lock);
    }
    return r;
}

int64_t gt_send(int64_t handle, int64_t addr, int64_t len)
{
    struct gt_sock *s = gt__acquire(handle);
    int64_t r;

    if (s == NULL)
        return -GT_ECLOSED;
    r = send_packet(s, addr, len, 0, 0);
    gt__release(s);
    return r;
}

int32_t gt_send_rest_header(int64_t handle, int64_t len, int64_t unsent, int64_t dst, int32_t cap)
{
    struct gt_sock *s;
    uint8_t header[4];
    int64_t n = unsent - len;
    int hlen;

    if (len < 0 || unsent <= 0)
        return -EINVAL;
    if (n <= 0)
        return 0;
    if (dst == 0 || n > cap)
        return -EINVAL;
    s = gt__acquire(handle);
    if (s == NULL)
        return -GT_ECLOSED;
    hlen = packet_header(s, (size_t)len, header);
    gt__release(s);
    if (hlen < 0)
        return hlen;
    if (n > hlen)
        return -EINVAL;
    memcpy((void *)(intptr_t)dst, header + hlen - n, (size_t)n);
    return (int32_t)n;
}

int64_t gt_send_gathered(int64_t handle, int64_t addr, int64_t len, int64_t mailbox)
{
    struct gt_sock *s = gt__acquire(handle);
    int64_t r;

    if (s == NULL)
        return -GT_ECLOSED;
    r = send_packet(s, addr, len, 0,
                    mailbox != 0 && atomic_load(&s->owner) == mailbox ? mailbox : 0);
    gt__release(s);
    return r;
}

/* Whether the parked send of S that answered R goes on waiting: it then keeps its reference
 * and its OUT wish (a wait's, as between gt_park_begin and gt_park_end). */
static int still_parked(struct gt_sock *s, int64_t r)
{
    return r == -GT_EWOULDPARK || (r > 0 && s->opts.socket_backend);
}

/* The end of a parked wait of S: its OUT wish and its reference go. */
static void park_over(struct gt_sock *s)
{
    gt__park_want(s, GT_PARK_OUT, -1);
    gt__release(s);
}

int64_t gt_send_parked(int64_t handle, int64_t addr, int64_t len, int64_t unsent)
{
    struct gt_sock *s;
    int64_t r;

    if (unsent < 0) {
        s = gt__acquire(handle);
        if (s == NULL)
            return -GT_ECLOSED;
        r = send_packet(s, addr, len, 1, 0);
        if (still_parked(s, r)) /* a wait: this call's reference holds the socket for it */
            gt__park_want(s, GT_PARK_OUT, 1);
        else
            gt__release(s);
        return r;
    }
    /* The socket backend's packet under way: the wait's reference holds the socket. */
    s = gt__held(handle);
    if (s == NULL || !s->opts.socket_backend || len < 0 || (len > 0 && addr == 0))
        return -EINVAL;
    pthread_mutex_lock(&s->send_lock);
    if (!s->send_claimed) {
        pthread_mutex_unlock(&s->send_lock);
        return -EINVAL; /* no packet under way: not a wait of the caller's */
    }
    r = gt__is_closed(s)
            ? -GT_ECLOSED
            : send_locked(s, (const uint8_t *)(intptr_t)addr, (size_t)len, 1, unsent, 0);
    if (r <= 0 && s->send_claimed) /* ended, also by a check before the write */
        unclaim(s);
    pthread_mutex_unlock(&s->send_lock);
    if (!still_parked(s, r))
        park_over(s);
    return r;
}

int64_t gt_send_resume(int64_t handle, int32_t how)
{
    struct gt_sock *s = gt__held(handle);
    int64_t r;

    if (s == NULL || how < GT_SEND_TRY || how > GT_SEND_CANCEL)
        return -EINVAL;
    pthread_mutex_lock(&s->send_lock);
    if (s->opts.socket_backend) {
        /* Giving up a packet under way: the caller has its unsent count. */
        if (!s->send_claimed || how == GT_SEND_TRY) {
            pthread_mutex_unlock(&s->send_lock);
            return -EINVAL;
        }
        unclaim(s);
        r = -GT_ETIMEOUT;
    } else if (s->send_parked == 0) {
        pthread_mutex_unlock(&s->send_lock);
        return -EINVAL;
    } else {
        r = look_low(s, how);
    }
    pthread_mutex_unlock(&s->send_lock);
    if (!still_parked(s, r))
        park_over(s);
    return r;
}
