/*
 * active.c - delivering an active socket's data to its mailbox as messages, OTP's way:
 * {tcp, S, Data} (or the http form) per packet, counting down {active, once} and
 * {active, N} (tcp_passive when N runs out), {tcp_closed, S} once the stream ends (complete
 * packets first), and {tcp_error, S, emsgsize} then {tcp_closed, S} for a packet that breaks
 * the framing rules; {tcp_error, S, enomem} then {tcp_closed, S} for one that no memory can be
 * had for (its header claims more than GT_MAX_PACKET_LENGTH, or its buffer could not be
 * allocated); emsgsize too for a packet the receive budget has no room for (gentcp.h). Those
 * close the connection, as passive recv's emsgsize and enomem do.
 *
 * A message is written in the mailbox's format (message.h: a GT_MSG_HEADER-byte header, then
 * the payload padded to GT_MSG_ALIGN). The caller holds the socket's recv_busy flag.
 *
 * Room: a message is written only together with the control messages its delivery makes due
 * at once, or not at all: a packet with its timestamp message before it (when the socket has
 * receive timestamps on) and the tcp_passive that spending the last of {active, N}
 * sends, a read error with the tcp_closed (and tcp_error econnreset) that follow it, emsgsize
 * or enomem with its tcp_closed. What is left out waits in the socket's state (its buffer, eof
 * and read_error, its count) for the next pass, never in a local of one pass: a read error,
 * which the kernel reports once, is recorded before room is looked for. So nothing can be lost
 * between passes. A message that does not fit in an empty destination answers the room it
 * needs with them, and the caller comes back with that much.
 */
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* One message of the socket's count spent: once turns passive; N counts down to tcp_passive. */
static int spend_one(struct gt_sock *s, int *passive)
{
    int32_t old = atomic_load(&s->active), next;

    do {
        if (old == GT_ACTIVE_FALSE)
            return 0;
        if (old == GT_ACTIVE_TRUE)
            return 1;
        next = old == GT_ACTIVE_ONCE || old <= 1 ? GT_ACTIVE_FALSE : old - 1;
    } while (!atomic_compare_exchange_weak(&s->active, &old, next));
    *passive = old != GT_ACTIVE_ONCE && next == GT_ACTIVE_FALSE;
    return 1;
}

/* The most the end of the stream writes (closed, below): tcp_error for a failed read,
 * tcp_error econnreset, tcp_closed. */
#define GT_CLOSED_ROOM (3 * GT_MSG_HEADER)

/*
 * The end of the stream: the tcp_error of a failed read, if one ended it; then tcp_closed,
 * once (after tcp_error econnreset for a reset with show_econnreset). With exit_on_close the
 * socket is done; without it (half-close) it stays open for sends and stays active, as in
 * OTP (ending.c). The caller left GT_CLOSED_ROOM.
 */
static size_t closed(struct gt_sock *s, int64_t self, uint8_t *dst)
{
    int reset = (s->reset || atomic_load(&s->write_reset)) && s->opts.show_econnreset;
    size_t n = 0;

    gt__rbuf_free(s); /* a partial packet is dropped, as OTP does; its memory goes back */
    if (s->read_error != 0) {
        n = gt__msg_put(dst, GT_MSG_TCP_ERROR, s->read_error, self, NULL, 0);
        s->read_error = 0;
    }
    if (atomic_exchange(&s->closed_told_active, 1))
        return n;
    gt__end_met_by_owner(s, reset);
    if (reset)
        n += gt__msg_put(dst + n, GT_MSG_TCP_ERROR, ECONNRESET, self, NULL, 0);
    return n + gt__msg_put(dst + n, GT_MSG_TCP_CLOSED, 0, self, NULL, 0);
}

/* The socket fails (REASON): the connection is closed, tcp_error and tcp_closed are written to
 * DST (2 * GT_MSG_HEADER bytes, returned), and the owner has met the end (with exit_on_close
 * the socket is done). The caller holds recv_busy; the owner has not heard tcp_closed yet. */
static int64_t fail_now(struct gt_sock *s, int64_t self, uint8_t *dst, int reason)
{
    size_t n;

    gt__socket_fail(s);
    n = gt__msg_put(dst, GT_MSG_TCP_ERROR, reason, self, NULL, 0);
    atomic_store(&s->closed_told_active, 1);
    gt__end_met_by_owner(s, 0);
    return (int64_t)(n + gt__msg_put(dst + n, GT_MSG_TCP_CLOSED, 0, self, NULL, 0));
}

/*
 * The next packet cannot be taken (REASON: EMSGSIZE or ENOMEM, see gt__rbuf_frame): tcp_error,
 * then tcp_closed, and the connection is closed (gt__socket_fail); with exit_on_close, OTP's
 * port exits here too. Written WRITTEN bytes into DST of CAP so far: returns the new total, or,
 * without room for both messages, leaves all as it is for the next pass (which meets the same
 * packet) and sets *PENDING.
 */
static int64_t fail(struct gt_sock *s, int64_t self, uint8_t *dst, int64_t written, int64_t cap,
                    int reason, int *pending)
{
    if (written + 2 * GT_MSG_HEADER > cap) {
        *pending = 1;
        return written > 0 ? written : 2 * GT_MSG_HEADER;
    }
    return written + fail_now(s, self, dst + written, reason);
}

/* The GT_MSG_TIMESTAMP message of S's last read to DST: its size. */
static size_t put_stamp(struct gt_sock *s, int64_t self, uint8_t *dst)
{
    int64_t ns[GT_RX_COUNT];
    int i;

    for (i = 0; i < GT_RX_COUNT; i++)
        ns[i] = atomic_load_explicit(&s->rx_stamp[i], memory_order_relaxed);
    return gt__msg_put(dst, GT_MSG_TIMESTAMP, 0, self, ns, sizeof(ns));
}

ssize_t (*gt__active_recv)(int fd, void *buf, size_t len, int flags) = recv;

/* Read once into the room gt__rbuf_reserve made, without waiting (STAMPED: keeping the
 * receive stamps): > 0 bytes, 0 at the end of
 * the stream, -EAGAIN, or -errno. */
static int64_t read_some(struct gt_sock *s, size_t need, int stamped)
{
    const size_t room = gt__rbuf_read_room(s, 0, need);
    ssize_t n;

    do
        n = stamped ? gt__tstamp_recv(s, s->rbuf + s->rend, room, MSG_DONTWAIT)
                    : gt__active_recv(s->fd, s->rbuf + s->rend, room, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    s->rend += (size_t)n;
    gt__stat_read(s, (size_t)n);
    return n;
}

/*
 * A server serving thousands of connections finds each socket's memory cold, and each line is
 * a wait of its own when the socket's turn comes. These are the lines serve (mailbox_receive.c)
 * and the delivery below touch before their read: its state and kind, the active-delivery
 * fields, the receive buffer's bounds, the framing options, the receive counters.
 */
void gt__active_prefetch(int64_t handle)
{
    struct gt_sock *s = gt__slot_peek(handle);

    if (s == NULL)
        return;
    __builtin_prefetch(&s->state, 1);
    __builtin_prefetch(&s->owner);
    __builtin_prefetch(&s->moving);
    __builtin_prefetch(&s->recv_busy, 1);
    __builtin_prefetch(&s->rcap, 1);
    __builtin_prefetch(&s->opts.packet);
    __builtin_prefetch(&s->opts.buffer);
    __builtin_prefetch(&s->stats.recv_oct, 1);
    __builtin_prefetch(&s->stats.recv_dvi, 1);
    __builtin_prefetch(&s->msg_pins, 1);
}

int64_t gt__active_deliver(struct gt_sock *s, uint8_t *dst, int64_t cap, int *pending)
{
    const int64_t self = gt__handle_of(s);
    const int port = s->opts.deliver ? GT_MSG_PORT : 0;
    /* {timestamping, rx}: each packet's message follows a GT_MSG_TIMESTAMP of the same socket */
    const int stamped = (atomic_load_explicit(&s->opts.timestamping, memory_order_relaxed) &
                         (GT_TIMESTAMPING_RX_SOFTWARE | GT_TIMESTAMPING_RX_HARDWARE)) != 0;
    const size_t stamp = stamped ? GT_MSG_SIZE(GT_RX_COUNT * sizeof(int64_t)) : 0;
    uint8_t *at;
    int64_t written = 0, r;
    int reads = 0, passive = 0, rc;
    int64_t messages = 0;
    struct gt_frame f;
    size_t size, avail, need;

    *pending = 0;
    for (;;) {
        if (atomic_load(&s->active) == GT_ACTIVE_FALSE)
            break;
        avail = gt__rbuf_buffered(s);
        if (s->opts.packet == GT_PACKET_RAW) {
            rc = avail > 0 ? 1 : 0;
            f.total = f.body_len = avail;
            f.body_off = 0;
            f.type = GT_PACKET_RAW;
        } else {
            rc = gt__rbuf_frame(s, &f);
        }
        if (rc < 0)
            return fail(s, self, dst, written, cap, -rc, pending);
        if (rc > 0) {
            int http = gt__packet_is_http(f.type); /* as it was framed */

            /* high_msgq_watermark: the owner takes no more of this socket's messages until it
             * has dealt with these; the rest waits in the buffer and the kernel (backpressure
             * on the peer), never in an unbounded queue. */
            if (messages >= s->opts.high_msgq) {
                *pending = 1;
                break;
            }
            messages++;
            size =
                stamp + (http ? GT_MSG_SIZE(GT_HTTP_OUT_BYTES(f.total)) : GT_MSG_SIZE(f.body_len));
            /* with room for the tcp_passive it may make due: whether it does is known only
             * once its count is spent, and then the packet is gone from the buffer */
            if (written + (int64_t)size + GT_MSG_HEADER > cap) {
                *pending = 1;
                return written > 0 ? written : (int64_t)size + GT_MSG_HEADER;
            }
            if (!spend_one(s, &passive))
                break;
            at = dst + written;
            if (stamped)
                at += put_stamp(s, self, at);
            if (http) {
                int bin = f.type == GT_PACKET_HTTP_BIN || f.type == GT_PACKET_HTTPH_BIN;
                size_t n = gt__rbuf_put_http(s, &f, at + GT_MSG_HEADER);

                gt__msg_put(at, GT_MSG_HTTP, bin, self, NULL, 0);
                gt__msg_set_length(at, (int64_t)n);
            } else {
                /* its form, as gt_recv tells it (below 2^31: the reason holds it, unsigned) */
                const uint32_t form = (uint32_t)gt__rbuf_form(s, f.type, f.body_len);
                const int32_t reason = (int32_t)(form << GT_MSG_FORM_SHIFT | (uint32_t)port);

                gt__msg_put(at, GT_MSG_TCP, reason, self, s->rbuf + s->rstart + f.body_off,
                            f.body_len);
                gt__rbuf_consume(s, f.total);
                gt__stat_packet_in(s, f.total);
            }
            written += (int64_t)size;
            if (passive) { /* its room was kept above */
                written +=
                    (int64_t)gt__msg_put(dst + written, GT_MSG_TCP_PASSIVE, 0, self, NULL, 0);
                break;
            }
            continue;
        }
        /* No complete packet buffered: the end of the stream, or read once more. */
        if (s->eof) {
            if (written + GT_CLOSED_ROOM > cap) {
                *pending = 1;
                return written > 0 ? written : GT_CLOSED_ROOM;
            }
            written += (int64_t)closed(s, self, dst + written);
            break;
        }
        /* No memory for the packet's buffer, or no room in the receive budget for it: the
         * packet is lost, and so is the connection (tcp_error enomem, emsgsize). Known as soon
         * as the packet's header is in, before the turn ends, not at the next read. */
        need = f.total > avail ? f.total : avail + 1;
        rc = gt__rbuf_reserve(s, need);
        if (rc < 0)
            return fail(s, self, dst, written, cap, -rc, pending);
        if (reads++ > 0) /* one read per turn: the other sockets get theirs */
            break;
        r = read_some(s, need, stamped);
        if (r == 0 || r == -ECONNRESET) {
            gt__rbuf_ended(s, r);
            continue;
        }
        if (r == -EAGAIN)
            break;
        if (r < 0) { /* the kernel's error (even enomem): the end of the stream, told as
                      * tcp_error then tcp_closed; the connection stays as the kernel left it */
            s->read_error = (int)-r;
            s->eof = 1;
            continue;
        }
    }
    /* Still active with a whole packet buffered (the read brought several): come back soon. */
    if (atomic_load(&s->active) != GT_ACTIVE_FALSE && gt__rbuf_buffered(s) > 0 &&
        gt__rbuf_frame(s, &f) != 0)
        *pending = 1;
    return written;
}

int64_t gt__active_fail_owned(int64_t h, int64_t mailbox, uint8_t *dst, int64_t cap, int reason)
{
    struct gt_sock *s = gt__acquire(h);
    int expected = 0;
    int64_t written = 0;

    if (s == NULL)
        return 0;
    if (cap < GT_MSG_MIN_CAP) {
        written = -reason;
    } else if (s->kind == GT_KIND_STREAM && atomic_load(&s->owner) == mailbox &&
               atomic_compare_exchange_strong(&s->recv_busy, &expected, 1)) {
        if (!atomic_load(&s->closed_told_active)) {
            gt__pin(s); /* the caller keeps it until its owner has read these messages */
            written = fail_now(s, h, dst, reason);
        }
        atomic_store(&s->recv_busy, 0);
    }
    gt__release(s);
    return written;
}
