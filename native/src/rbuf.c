/*
 * rbuf.c - a socket's receive buffer: room for reads, framing with the socket's options, and
 * handing out what it holds. Shared by the passive receive (recv.c) and the active delivery to
 * a mailbox (active.c); the caller holds the socket's recv_busy flag, which owns the buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "internal.h"

/*
 * A buffer larger than GT_KEEP_RBUF held a big packet (one of more than GT_KEEP_RBUF / 4
 * bytes): once what is left in it would fit a small one, the memory goes back, so a socket
 * between packets keeps at most about GT_KEEP_RBUF. Except in a stream of big packets: giving
 * the buffer back after each and growing it again for the next costs a realloc each way, a
 * copy and fresh pages per packet. So from the GT_BIG_RUN-th big packet in a row on, a buffer
 * of up to GT_KEEP_STREAM_RBUF is kept, until a small packet is taken (or the socket closes).
 * One or two big packets still give their memory back at once.
 */
#define GT_KEEP_RBUF (256 * 1024)
#define GT_KEEP_STREAM_RBUF (1024 * 1024 + GT_MIN_READ)
#define GT_BIG_RUN 3

void *(*gt__rbuf_realloc)(void *ptr, size_t size) = realloc;

size_t gt__rbuf_buffered(const struct gt_sock *s)
{
    return s->rend - s->rstart;
}

/* Give a big buffer's memory back, keeping the LEFT bytes still buffered (at most
 * GT_KEEP_RBUF / 4): freed when empty, else moved to a buffer of LEFT plus one read. Should
 * the smaller allocation fail, the big buffer stays: nothing is lost. */
static void shrink(struct gt_sock *s, size_t left)
{
    size_t want = left + GT_MIN_READ;
    uint8_t *nb;

    if (s->rbuf_lent)
        return;
    if (left == 0) {
        gt__rbuf_free(s);
        return;
    }
    memmove(s->rbuf, s->rbuf + s->rstart, left);
    s->rstart = 0;
    s->rend = left;
    nb = gt__rbuf_realloc(s->rbuf, want);
    if (nb == NULL)
        return;
    gt__mem_account(GT_MEM_RBUF, s->rcap, want);
    s->rbuf = nb;
    s->rcap = want;
}

/* The packet being assembled has been taken or dropped: its charge goes back. */
static void uncharge(struct gt_sock *s)
{
    if (s->rcharge == 0)
        return;
    gt__budget_release(s->rcharge);
    s->rcharge = 0;
}

/* The packet being assembled needs NEED bytes in all: charge the receive budget what it needs
 * past the socket's first 'buffer' bytes, if that is more than it was charged so far. */
static int charge(struct gt_sock *s, size_t need)
{
    const int64_t buffer = atomic_load_explicit(&s->opts.buffer, memory_order_relaxed);
    const size_t owed = (int64_t)need > buffer ? need - (size_t)buffer : 0;

    if (owed <= s->rcharge)
        return 0;
    if (gt__budget_charge(owed - s->rcharge) < 0)
        return -EMSGSIZE;
    s->rcharge = owed;
    return 0;
}

void gt__rbuf_free(struct gt_sock *s)
{
    uncharge(s);
    if (s->rbuf_lent)
        s->rbuf_lent = 0; /* the lender's */
    else
        gt__mem_free(GT_MEM_RBUF, s->rbuf, s->rcap);
    s->rbuf = NULL;
    s->rstart = s->rend = s->rcap = 0;
}

void gt__rbuf_ended(struct gt_sock *s, int64_t r)
{
    s->eof = 1;
    s->reset |= r == -ECONNRESET || atomic_load(&s->write_reset);
}

void gt__rbuf_consume(struct gt_sock *s, size_t n)
{
    uncharge(s); /* the packet is taken; the next one is charged as it grows */
    s->rstart += n;
    if (s->rstart == s->rend)
        s->rstart = s->rend = 0;
    if (n <= GT_KEEP_RBUF / 4)
        s->big_run = 0;
    else if (s->big_run < GT_BIG_RUN)
        s->big_run++;
    if (s->rcap <= GT_KEEP_RBUF || gt__rbuf_buffered(s) > GT_KEEP_RBUF / 4)
        return;
    if (s->big_run < GT_BIG_RUN || s->rcap > GT_KEEP_STREAM_RBUF)
        shrink(s, gt__rbuf_buffered(s));
}

/* Make room for a packet of NEED bytes at the front of the buffer, and for a read. Bytes of
 * a partial packet slide to the front once per packet, so large packets cost no quadratic
 * copying, and the buffer never grows past the packet being assembled plus one read. The
 * packet is charged to the receive budget first: past it, the buffer does not grow. */
int gt__rbuf_reserve(struct gt_sock *s, size_t need)
{
    size_t want;
    uint8_t *nb;
    int rc = charge(s, need);

    if (rc < 0)
        return rc;

    if (s->rstart > 0) {
        memmove(s->rbuf, s->rbuf + s->rstart, gt__rbuf_buffered(s));
        s->rend -= s->rstart;
        s->rstart = 0;
    }
    if (s->rcap >= need && s->rcap - s->rend >= GT_MIN_READ / 16)
        return 0;
    want = s->rend + GT_MIN_READ;
    if (want < need)
        want = need;
    if (s->rbuf_lent) { /* outgrown: the bytes move to a buffer of its own */
        nb = gt__rbuf_realloc(NULL, want);
        if (nb == NULL)
            return -ENOMEM;
        memcpy(nb, s->rbuf, s->rend);
        s->rbuf_lent = 0;
        gt__mem_account(GT_MEM_RBUF, 0, want);
    } else {
        nb = gt__rbuf_realloc(s->rbuf, want);
        if (nb == NULL)
            return -ENOMEM;
        gt__mem_account(GT_MEM_RBUF, s->rbuf != NULL ? s->rcap : 0, want);
    }
    s->rbuf = nb;
    s->rcap = want;
    return 0;
}

void gt__rbuf_lend(struct gt_sock *s, uint8_t *buf, size_t cap)
{
    if (s->rbuf != NULL)
        return;
    s->rbuf = buf;
    s->rcap = cap;
    s->rstart = s->rend = 0;
    s->rbuf_lent = 1;
}

int gt__rbuf_return(struct gt_sock *s)
{
    const size_t left = gt__rbuf_buffered(s);
    uint8_t *own;

    if (!s->rbuf_lent)
        return 0;
    s->rbuf_lent = 0;
    if (left == 0) {
        s->rbuf = NULL;
        s->rstart = s->rend = s->rcap = 0;
        return 0;
    }
    own = gt__rbuf_realloc(NULL, left);
    if (own == NULL) { /* the socket keeps the lent buffer, and it is counted as its own */
        gt__mem_account(GT_MEM_RBUF, 0, s->rcap);
        return -ENOMEM;
    }
    memcpy(own, s->rbuf + s->rstart, left);
    gt__mem_account(GT_MEM_RBUF, 0, left);
    s->rbuf = own;
    s->rstart = 0;
    s->rend = s->rcap = left;
    return 0;
}

/* The HTTP state the next packet of type PACKET is framed in. A setopts({packet, _}) since the
 * last look starts it over (see http_restart). */
static int http_state_for(struct gt_sock *s, int packet)
{
    if (atomic_load_explicit(&s->http_restart, memory_order_relaxed) &&
        atomic_exchange_explicit(&s->http_restart, 0, memory_order_relaxed))
        s->http_state = 0;
    /* httph and httph_bin read header lines only; http and http_bin follow OTP's state. */
    return packet == GT_PACKET_HTTPH || packet == GT_PACKET_HTTPH_BIN ? 1 : s->http_state;
}

int gt__rbuf_frame(struct gt_sock *s, struct gt_frame *f)
{
    size_t avail = gt__rbuf_buffered(s);
    const int packet = s->opts.packet; /* one load: setopts may change it meanwhile */
    /* On a socket, lines longer than 'buffer' come in pieces of that size (OTP's trunc_len),
     * and 'buffer' bounds HTTP lines when packet_size is 0. */
    const struct gt_packet_limits lim = {
        .packet_size = (uint64_t)s->opts.packet_size,
        .trunc_len = (uint64_t)s->opts.buffer,
        .delimiter = s->opts.delimiter,
        .http_state = http_state_for(s, packet),
    };

    int rc = gt__packet_frame(packet, avail > 0 ? s->rbuf + s->rstart : NULL, avail, &lim, f);

    f->type = packet;
    f->http_state = lim.http_state;
    if (rc < 0)
        return -EMSGSIZE;
    /* A body no receiver can take, known from its header: enomem now, not gigabytes later. */
    if (f->body_len > GT_MAX_PACKET_LENGTH)
        return -ENOMEM;
    return rc;
}

/*
 * Writes the HTTP packet F (framed at the front of the buffer) to DST, parsed as it was framed:
 * the IO block that gt_decode fills (the term's fields, strings as offsets into the packet)
 * followed by the packet's bytes, GT_HTTP_OUT_BYTES(F->total) in all; DST need not be aligned.
 * Keeps OTP's state: a request or response line first, then headers until http_eoh. Consumes
 * the packet.
 */
size_t gt__rbuf_put_http(struct gt_sock *s, const struct gt_frame *f, uint8_t *dst)
{
    int64_t io[GT_HTTP_IO_BYTES / sizeof(int64_t)];
    const uint8_t *packet = s->rbuf + s->rstart;
    const size_t total = f->total;
    const int type = f->type;
    int kind;

    memset(io, 0, sizeof(io));
    kind = gt__http_export(packet, total, f->http_state, io);
    if (kind == GT_HTTP_REQUEST || kind == GT_HTTP_RESPONSE)
        s->http_state = 1;
    else if (kind == GT_HTTP_EOH && (type == GT_PACKET_HTTP || type == GT_PACKET_HTTP_BIN))
        s->http_state = 0;
    io[GT_DECODE_STATUS] = GT_DECODE_OK;
    io[GT_DECODE_TOTAL] = (int64_t)total;
    memcpy(dst, io, GT_HTTP_IO_BYTES);
    memcpy(dst + GT_HTTP_IO_BYTES, packet, total);
    gt__rbuf_consume(s, total);
    gt__stat_packet_in(s, total);
    return GT_HTTP_OUT_BYTES(total);
}

/*
 * The form (GT_FORM_*) of a packet of LEN delivered bytes framed as TYPE, with the mode and
 * header the socket has now. Decided as the packet is taken, and told with it (gt_recv's
 * answer, a GT_MSG_TCP message's reason): the receiver never looks at the options again to
 * read it, so a setopts meanwhile changes how the next packet is framed and presented, never
 * this one.
 */
int64_t gt__rbuf_form(struct gt_sock *s, int type, size_t len)
{
    int64_t header;

    if (gt__packet_is_http(type))
        return type == GT_PACKET_HTTP_BIN || type == GT_PACKET_HTTPH_BIN ? GT_FORM_HTTP_BIN
                                                                         : GT_FORM_HTTP;
    if (s->opts.mode != GT_MODE_BINARY)
        return GT_FORM_LIST;
    header = s->opts.header;
    /* fewer bytes than {header, N} asks for: the whole packet is a list, as OTP gives it */
    return (uint64_t)header > len ? GT_FORM_LIST : GT_FORM_BINARY + header;
}

/* How many bytes the next read may take: all the room there is, or with {read_ahead, false}
 * (OTP 27.1) none past the packet being taken (NEED bytes buffered complete it; LENGTH is a
 * passive recv's, 0 in active mode): what it still needs when its length is known
 * ({packet, 1 | 2 | 4} once its header is in, {packet, raw} with a length), the rest of the
 * header of {packet, 1 | 2 | 4}, else one byte at a time (a line, an HTTP packet, the other
 * types' headers), so that what follows stays in the kernel. */
size_t gt__rbuf_read_room(const struct gt_sock *s, int64_t length, size_t need)
{
    const size_t room = s->rcap - s->rend;
    const size_t buffered = gt__rbuf_buffered(s);
    const int packet = s->opts.packet;
    size_t left;

    if (s->opts.read_ahead || (packet == GT_PACKET_RAW && length == 0) || need <= buffered)
        return room;
    left = need - buffered;
    if ((packet == GT_PACKET_1 || packet == GT_PACKET_2 || packet == GT_PACKET_4) &&
        buffered < (size_t)packet)
        left = (size_t)packet - buffered; /* the header: its value is its length */
    return left < room ? left : room;
}
