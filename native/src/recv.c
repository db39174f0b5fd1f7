/*
 * recv.c - passive receive: gt_recv, on the caller's thread.
 *
 * Each socket has a receive buffer in C. A call first looks there for a complete packet; if
 * there is none it reads (waiting as the idle strategy says) and looks again. Raw reads
 * with nothing buffered go straight into the caller's buffer, saving a copy.
 *
 * OTP's rules, measured on OTP 25 (reference section 2.2):
 *  - a timed-out recv keeps what it has buffered;
 *  - after the peer closes, complete packets are delivered first; a partial packet or short
 *    raw read is dropped and the call answers 'closed' (ending.c says what later calls answer);
 *  - a packet over packet_size answers emsgsize and closes the connection; one that no memory
 *    can be had for answers enomem and closes it too (gt__rbuf_frame, gt__socket_fail).
 *    Not OTP's: a packet that would take the process-wide receive budget past its bound
 *    answers emsgsize too (gt__rbuf_reserve).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bytes.h"
#include "internal.h"

/* What a caller takes a packet as. */
enum gt_recv_as {
    GT_AS_PACKET, /* gt_recv: any packet type; the result tells its form (GT_FORM_*) */
    GT_AS_BYTES,  /* gt_recv_bytes, gt_recv_batch: bytes only; an HTTP packet is EINVAL */
};

/* The result for a packet framed as TYPE of which LEN bytes go to the caller's buffer: told
 * before the packet is consumed, so that nothing its consumption does can change it. */
static int64_t taken(struct gt_sock *s, int as, int type, size_t len)
{
    if (as == GT_AS_BYTES)
        return (int64_t)len;
    return (int64_t)len | gt__rbuf_form(s, type, len) << GT_RECV_FORM_SHIFT;
}

/* Deliver LEN bytes at rstart+OFF of a packet framed as TYPE into DST, consuming TOTAL bytes. */
static int64_t deliver(struct gt_sock *s, int as, int type, size_t off, size_t len, size_t total,
                       uint8_t *dst, int64_t cap)
{
    int64_t r;

    if ((int64_t)len > cap)
        return (int64_t)len; /* tell the caller how big a buffer it needs */
    r = taken(s, as, type, len);
    if (len > 0)
        memcpy(dst, s->rbuf + s->rstart + off, len);
    gt__rbuf_consume(s, total);
    gt__stat_packet_in(s, total);
    return r;
}

/* An HTTP packet goes out parsed (see gt__rbuf_put_http), to a caller that takes packets. */
static int64_t deliver_http(struct gt_sock *s, int as, const struct gt_frame *f, uint8_t *dst,
                            int64_t cap)
{
    int64_t r;

    if (as == GT_AS_BYTES)
        return -EINVAL; /* the type became HTTP since the call began: nothing is taken */
    if ((int64_t)GT_HTTP_OUT_BYTES(f->total) > cap)
        return (int64_t)GT_HTTP_OUT_BYTES(f->total);
    r = taken(s, as, f->type, GT_HTTP_OUT_BYTES(f->total));
    gt__rbuf_put_http(s, f, dst);
    return r;
}

/* What recv answers once the stream has ended without a complete packet (ending.c). */
static int64_t closed_result(struct gt_sock *s)
{
    gt__rbuf_free(s); /* a partial packet is dropped, as OTP does; its memory goes back */
    return gt__end_met_by_recv(s);
}

/* The next packet cannot be taken (-REASON): a packet over packet_size (-EMSGSIZE, as OTP) or
 * one the receive budget has no room for (-EMSGSIZE too, see gt_set_receive_budget), or no
 * memory for it (-ENOMEM: its header claims more than any receiver can hold, or its
 * buffer could not be allocated). Its bytes cannot be skipped, so the stream's position is
 * lost: the connection is closed, the peer sees 'closed' and later calls here see enotconn. */
static int64_t fail(struct gt_sock *s, int64_t reason)
{
    gt__socket_fail(s);
    return reason;
}

/* Try to take a packet from the buffer: > 0 or 0-length result delivered, or 1 with
 * *done = 0 when more bytes are needed (*need = bytes the packet needs in all, if known). */
static int64_t take_packet(struct gt_sock *s, int as, int64_t length, uint8_t *dst, int64_t cap,
                           size_t *need, int *done)
{
    size_t avail = gt__rbuf_buffered(s);
    struct gt_frame f;
    int rc;

    *done = 1;
    if (s->opts.packet == GT_PACKET_RAW) {
        const size_t some = avail < (size_t)cap ? avail : (size_t)cap;

        if (length == 0 && avail > 0 && cap == 0)
            return (int64_t)avail; /* a size query (gt_recv): all of it fits a buffer this big */
        if (length == 0 && avail > 0)
            return deliver(s, as, GT_PACKET_RAW, 0, some, some, dst, cap);
        if (length > 0 && avail >= (size_t)length)
            return deliver(s, as, GT_PACKET_RAW, 0, (size_t)length, (size_t)length, dst, cap);
        *need = length > 0 ? (size_t)length : 1;
        *done = 0;
        return 0;
    }
    rc = gt__rbuf_frame(s, &f); /* f.type: the type it was framed as, which delivery follows */
    if (rc < 0)
        return fail(s, rc);
    if (rc > 0 && gt__packet_is_http(f.type))
        return deliver_http(s, as, &f, dst, cap);
    if (rc > 0)
        return deliver(s, as, f.type, f.body_off, f.body_len, f.total, dst, cap);
    /* The packet's length if its header told it, else at least one byte more. */
    *need = f.total > avail ? f.total : avail + 1;
    *done = 0;
    return 0;
}

static int64_t recv_locked(struct gt_sock *s, int as, int64_t length, int64_t deadline,
                           uint8_t *dst, int64_t cap)
{
    size_t need = 0;
    int64_t r;
    int done;

    for (;;) {
        r = take_packet(s, as, length, dst, cap, &need, &done);
        if (done)
            return r;
        if (s->eof)
            return closed_result(s);
        if (s->opts.packet == GT_PACKET_RAW && length == 0 && gt__rbuf_buffered(s) == 0 &&
            cap > 0) {
            /* Nothing buffered and any amount will do: read into the caller's buffer. */
            r = gt__read(s, dst, (size_t)cap, deadline);
            if (r > 0) {
                gt__stat_read(s, (size_t)r);
                gt__stat_packet_in(s, (size_t)r);
                return taken(s, as, GT_PACKET_RAW, (size_t)r);
            }
        } else {
            r = gt__rbuf_reserve(s, need);
            if (r < 0)
                return fail(s, r); /* no memory, or past the receive budget (emsgsize) */
            r = gt__read(s, s->rbuf + s->rend, gt__rbuf_read_room(s, length, need), deadline);
            if (r > 0) {
                s->rend += (size_t)r;
                gt__stat_read(s, (size_t)r);
                continue;
            }
        }
        if (r == 0 || r == -ECONNRESET) {
            gt__rbuf_ended(s, r);
            continue;
        }
        if (r > -GT_ERRNO_LIMIT && r != -EAGAIN && r != -EINTR && r != -ENOMEM && r != -ENOBUFS) {
            /* The kernel ended the connection (etimedout from keepalive or user_timeout,
             * ehostunreach...): this recv answers it, and the connection is given up with
             * nothing owed, so recv and send answer enotconn from then on, as OTP 25's do. */
            atomic_store(&s->dead, GT_DEAD_ERROR);
        }
        return r;
    }
}

/* The checks gt_recv and gt_recv_batch share: 0, or -code. */
static int64_t recv_allowed(struct gt_sock *s)
{
    if (s->kind != GT_KIND_STREAM)
        return -ENOTCONN;
    if (atomic_load(&s->terminated))
        return -GT_ECLOSED; /* OTP's port exited with the tcp_closed it sent */
    if (atomic_load(&s->active) != GT_ACTIVE_FALSE)
        return -EINVAL; /* an active socket delivers messages instead */
    if (atomic_load(&s->dead) == GT_DEAD_ERROR)
        return -ENOTCONN;
    return 0;
}

/* Whether a complete, valid packet of no more than ROOM delivered bytes is buffered. */
static int next_packet_fits(struct gt_sock *s, int64_t room)
{
    struct gt_frame f;

    if (gt__rbuf_buffered(s) == 0 || room < 0)
        return 0;
    if (gt__rbuf_frame(s, &f) != 1)
        return 0; /* incomplete, or invalid: the next call reports it after this batch */
    return (int64_t)f.body_len <= room;
}

/*
 * The first packet as gt_recv gets it (waiting for it if need be), then every complete packet
 * already buffered, without another read: one call and one syscall for a burst of small
 * packets. Each goes to DST as a GT_BATCH_LENGTH_BYTES big-endian length and its bytes.
 */
static int64_t recv_batch_locked(struct gt_sock *s, int64_t deadline, uint8_t *dst, int64_t cap,
                                 int64_t max_packets)
{
    const int64_t prefix = GT_BATCH_LENGTH_BYTES; /* each packet's length */
    int64_t r, written, count = 1;
    size_t need;
    int done;

    r = recv_locked(s, GT_AS_BYTES, 0, deadline, dst + prefix, cap - prefix);
    if (r < 0)
        return r;
    if (r > cap - prefix)
        return r + prefix;
    gt__put_be(dst, (uint64_t)r, prefix);
    written = prefix + r;
    while (count < max_packets && s->opts.packet != GT_PACKET_RAW &&
           next_packet_fits(s, cap - written - prefix)) {
        r = take_packet(s, GT_AS_BYTES, 0, dst + written + prefix, cap - written - prefix, &need,
                        &done);
        if (!done || r < 0)
            break;
        gt__put_be(dst + written, (uint64_t)r, prefix);
        written += prefix + r;
        count++;
    }
    return written;
}

/* What a receive call asks: a packet taken AS the caller takes it, LENGTH as gt_recv's
 * (gt_recv, gt_recv_bytes), or a BATCH of at most MAX_PACKETS (gt_recv_batch); into DST, CAP
 * bytes. */
struct recv_call {
    int as, batch;
    int64_t length, dst, cap, max_packets;
};

/* The checks of the call's arguments, once the socket may receive: 0, or -code. */
static int64_t recv_args(struct gt_sock *s, const struct recv_call *c)
{
    const int type = s->opts.packet;

    if (c->batch)
        return c->cap < 5 || c->dst == 0 || c->max_packets < 1 || gt__packet_is_http(type) ? -EINVAL
                                                                                           : 0;
    if (c->length < 0 || c->cap < 0 || (c->length > 0 && type != GT_PACKET_RAW))
        return -EINVAL;
    if (c->as == GT_AS_BYTES && gt__packet_is_http(type))
        return -EINVAL; /* at once; a type that becomes HTTP while the call waits: take_packet */
    if (c->length > GT_MAX_RECV_LENGTH)
        return -ENOMEM;
    if (c->cap == 0 && c->dst == 0)
        return 0; /* a size query: wait for the next packet, tell its size, take nothing */
    if (c->length > c->cap || (c->cap > 0 && c->dst == 0) || (type == GT_PACKET_RAW && c->cap == 0))
        return -EINVAL;
    return 0;
}

/* gt_recv, gt_recv_bytes and gt_recv_batch: the call C on HANDLE's socket, its receive side
 * taken for the call (a parked receive's is held between its calls: see parking.c). */
static int64_t recv_call(int64_t handle, int64_t timeout_ms, const struct recv_call *c)
{
    struct gt_sock *s;
    int expected = timeout_ms == GT_TIMEOUT_PARKED ? GT_RECV_PARKED : 0;
    int64_t deadline, r;
    uint8_t *dst = (uint8_t *)(intptr_t)c->dst;

    gt__flush_gathered_here(); /* a receive may wait */
    s = gt__acquire(handle);
    deadline = gt__deadline(expected ? 0 : timeout_ms);
    if (s == NULL)
        return -GT_ECLOSED;
    r = recv_allowed(s);
    if (r == 0)
        r = recv_args(s, c);
    if (r == 0 && !atomic_compare_exchange_strong(&s->recv_busy, &expected, 1))
        r = -EALREADY; /* OTP: one recv at a time per socket */
    else if (r == 0) {
        r = c->batch ? recv_batch_locked(s, deadline, dst, c->cap, c->max_packets)
                     : recv_locked(s, c->as, c->length, deadline, dst, c->cap);
        atomic_store(&s->recv_busy, expected);
    }
    gt__release(s);
    return r;
}

int64_t gt_recv_batch(int64_t handle, int64_t timeout_ms, int64_t dst, int64_t cap,
                      int64_t max_packets)
{
    const struct recv_call c = {GT_AS_BYTES, 1, 0, dst, cap, max_packets};

    return recv_call(handle, timeout_ms, &c);
}

int64_t gt_recv(int64_t handle, int64_t length, int64_t timeout_ms, int64_t dst, int64_t cap)
{
    const struct recv_call c = {GT_AS_PACKET, 0, length, dst, cap, 0};

    return recv_call(handle, timeout_ms, &c);
}

int64_t gt_recv_bytes(int64_t handle, int64_t length, int64_t timeout_ms, int64_t dst, int64_t cap)
{
    const struct recv_call c = {GT_AS_BYTES, 0, length, dst, cap, 0};

    return recv_call(handle, timeout_ms, &c);
}

int64_t gt_recv_abandon(int64_t handle)
{
    struct gt_sock *s = gt__acquire(handle);
    int64_t r;
    int expected = 0;

    if (s == NULL)
        return -GT_ECLOSED;
    r = recv_allowed(s);
    if (r == 0 && !atomic_compare_exchange_strong(&s->recv_busy, &expected, 1))
        r = -EALREADY;
    else if (r == 0) {
        r = fail(s, -ENOMEM);
        atomic_store(&s->recv_busy, 0);
    }
    gt__release(s);
    return r;
}
