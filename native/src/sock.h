/*
 * sock.h - the socket: struct gt_sock, one per slot of the table, and the option values it
 * carries. Data only; each part of the core owns some of its fields, as their comments say.
 * Made by sock.c, given back by close.c.
 */
#ifndef GENTCP_SOCK_H
#define GENTCP_SOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "gentcp.h"

/* What a slot currently holds. */
enum gt_kind {
    GT_KIND_FRESH = 0,   /* created, neither listening nor connected */
    GT_KIND_LISTEN = 1,  /* a listen socket */
    GT_KIND_STREAM = 2,  /* a connected socket */
    GT_KIND_MAILBOX = 3, /* a mailbox: an owner of sockets (mailbox.c); fd is -1 */
};

/*
 * Whether a connected socket's connection has been given up (OTP's inet driver closes its
 * socket then; gentcp's recv still reads what the kernel holds first). See ending.c for what
 * each call answers once it has, and who is owed a one-time 'closed'.
 */
enum gt_dead {
    GT_ALIVE = 0,
    GT_DEAD_EOF =
        1, /* given up at its end: a recv met the peer's close (exit_on_close), or a send failed */
    GT_DEAD_ERROR = 2, /* ended by gentcp (a framing error, a cut packet): enotconn from then on */
};

/*
 * Option values, changed by gt_setopt on any thread while others send, receive and deliver.
 *
 * opts_lock (struct gt_sock) serializes the writers: gt_setopt holds it from checking a value
 * to storing it, so that the kernel's value and the mirror here agree, coupled options (the
 * two pairs of watermarks, recbuf raising buffer) move together, and no bit of set_mask is
 * lost. It also guards set_mask and kernel[], which only options.c reads (under the lock), and
 * the parent's options while an accepted socket copies them. It is a leaf lock, held across
 * a few setsockopt(2) calls at most: nothing else is locked or called while it is held.
 *
 * The readers take no lock: every other field is _Atomic, stored once per change and read by
 * the send, receive and delivery paths, with whatever locks they hold, as one atomic load each.
 * A value publishes no other memory, so a relaxed load would do; the plain expressions used
 * (s->opts.packet) are sequentially consistent loads, which cost the same plain mov on x86-64
 * (an ldar on aarch64) and keep the readers in other files unchanged. A change made while a call is
 * under way takes effect with that call or the next; a call that loads an option twice may see
 * both values, so what a call must see as one (linger's two halves, a frame's packet type) it
 * loads once into a local.
 */
struct gt_opts {
    _Atomic int32_t mode;      /* GT_MODE_LIST or GT_MODE_BINARY */
    _Atomic int32_t packet;    /* enum gt_packet */
    _Atomic int32_t delimiter; /* {line_delimiter, Char}: 0..255 */
    _Atomic int32_t exit_on_close;
    _Atomic int32_t show_econnreset;
    _Atomic int64_t header;
    _Atomic int32_t deliver;
    _Atomic int64_t high_msgq;
    _Atomic int64_t low_msgq;
    _Atomic int64_t linger;      /* GT_LINGER(on, seconds), as set (the kernel keeps no seconds
                                  * when off) */
    _Atomic int64_t packet_size; /* 0 = unlimited */
    _Atomic int64_t buffer;      /* OTP 'buffer' */
    _Atomic int32_t idle;        /* enum gt_idle */
    _Atomic int64_t spin_ns;
    _Atomic int64_t send_timeout; /* ms, or GT_SEND_TIMEOUT_INFINITY */
    _Atomic int32_t send_timeout_close;
    _Atomic int32_t delay_send;
    _Atomic int64_t high_watermark;   /* bytes queued in C at which a send blocks */
    _Atomic int64_t low_watermark;    /* ... and the level it waits for */
    _Atomic int32_t socket_backend;   /* {inet_backend, socket}: send blocks, no queue */
    _Atomic int32_t read_ahead;       /* 0: no read takes a byte past the packet being taken */
    _Atomic int32_t exclusiveaddruse; /* Windows' option: kept and read back, no effect here */
    _Atomic int32_t protocol;         /* GT_PROTOCOL_TCP or _MPTCP, chosen before bind/connect */
    _Atomic int32_t timestamping;     /* GT_TIMESTAMPING_* bits (tstamp.c) */
    uint64_t set_mask;  /* opts_lock: bit (1 << opt) for every option set explicitly */
    int32_t kernel[64]; /* opts_lock: the kernel options set explicitly, for accept */
};

/*
 * One socket. Slots are allocated once and reused, never freed, so a stale handle always
 * points at valid memory and fails only on its generation.
 *
 * state packs what every call checks, so that acquiring a socket is one CAS:
 *   bits 32..62 generation, bit 31 closed, bits 0..30 calls in flight.
 */
struct gt_sock {
    _Atomic uint64_t state;
    uint32_t slot; /* index in the table, fixed for the slot's life */
    int fd;
    int family;
    /* enum gt_kind: set by listen, connect and accept while other threads may be in calls that
     * look at it (setopts, send, recv); atomic, each look one load. */
    _Atomic int kind;
    pthread_mutex_t opts_lock; /* gt_setopt's: see struct gt_opts */
    struct gt_opts opts;

    /* The receive side; owned by the one thread that holds recv_busy: 1 while a call is in it,
     * GT_RECV_PARKED while a receive waits parked in Java (parking.c) between its calls. */
    atomic_int recv_busy;
    uint8_t *rbuf;
    size_t rstart, rend, rcap;
    int rbuf_lent;  /* rbuf is a reader's, lent for one delivery (gt__rbuf_lend) */
    int big_run;    /* big packets taken in a row, up to GT_BIG_RUN (rbuf.c) */
    size_t rcharge; /* bytes charged to the receive budget for the packet being
                            * assembled (rbuf.c), given back when it is taken or dropped */
    int eof;        /* the peer's FIN (or a reset) has been read */
    int reset;      /* ... and it was a reset (ECONNRESET) not reported yet */
    int read_error; /* ... or a read failed with this errno: active mode's tcp_error, due
                            * before its tcp_closed (the kernel reports an error only once) */
    int shut_wr;    /* we shut our writing side down: EPIPE is ours, not a reset */
    int http_state; /* {packet, http*}: 0 = request/response line next, 1 = headers */
    /* setopts({packet, _}) starts the HTTP state over: options.c sets this, and the receive
     * side, which alone touches http_state, clears both before it frames the next packet. */
    atomic_int http_restart;

    /* The send side, all under send_lock (send.c, sendq.c, iothread.c), which also keeps
     * concurrent packets from interleaving. The queue holds whole packets, or the tail of one
     * whose head the kernel took: bytes never reorder and a packet is never split by another. */
    pthread_mutex_t send_lock;
    uint8_t *qbuf; /* bytes the kernel has not taken yet: qbuf[qstart .. qend) */
    size_t qstart, qend, qcap;
    int send_err;     /* -errno of a failed background write: the next call reports it */
    int shut_pending; /* shutdown(write) waits for the queue to drain */
    int io_watched;   /* registered in the I/O thread's poller */
    int send_waiters; /* threads in gt__sendq_wait: while any, they write the queue, not the I/O thread */
    /* A sender asleep in gt__sendq_wait while gt_close lingers on the same descriptor is
     * woken through wake_rd (made by the first sender that sleeps there, closed when the
     * last one leaves, or at finalize once the socket is closed; -1: none): the linger wait
     * is the closer's alone. */
    int wake_rd, wake_wr;
    /* The mailbox whose gathered list holds it (gt_send_gathered; mailbox_gather.c writes its
     * queue at gt_mailbox_flush), 0 = none. */
    int64_t gathered_by;
    /* delay_send (iothread.c): the socket is on the I/O thread's delayed list, whose ticks
     * write a queue once its sender has paused; delay_active says a send added to the queue
     * since the last tick looked, that is, the sender has not paused yet. */
    int delay_listed;
    int delay_active;
    int delay_looks; /* looks the queue stayed non-empty through while its sender kept at it */
    /* The I/O thread is writing qbuf[qstart ..) without the lock (sendq.c, gt__sendq_write_out),
     * so that senders keep appending meanwhile. While set, nobody else writes the queue, moves
     * its bytes in place, drops them or frees that buffer: an append that needs room moves the
     * queue to a new buffer and leaves the old one in qretired, which the writer frees. */
    int io_writing;
    uint8_t *qretired;
    size_t qretired_cap;
    /* A write found the connection reset. The write consumed the kernel's error, so the
     * reader then sees a plain end of stream: this tells it that it was a reset (tcp_error
     * econnreset for an active socket's owner; the answer to recv after a background write,
     * which no send has reported yet). Written under send_lock, read by the receive side. */
    atomic_int write_reset;

    atomic_int dead;       /* enum gt_dead */
    atomic_int terminated; /* OTP's port is gone: the owner heard tcp_closed with exit_on_close */
    /* The one-time answer each side still owes once the connection is given up (ending.c). */
    atomic_int recv_owed;  /* recv answers the end once more before enotconn */
    atomic_int send_owed;  /* send answers the end once more before enotconn */
    atomic_int end_reset;  /* those answers are econnreset: a send reported a reset */
    atomic_int owner_owed; /* the owner hears tcp_closed once the socket is active: a receive
                            * gave the connection up (emsgsize, enomem) while passive */

    /* Active delivery (active.c, mailbox.c). */
    _Atomic int32_t active;        /* GT_ACTIVE_FALSE, _TRUE, _ONCE, or a count 1..32767 */
    _Atomic int64_t owner;         /* the owning mailbox's handle, 0 = none */
    _Atomic int64_t registered_in; /* the mailbox whose poller holds the fd (set under its lock) */
    atomic_int armed;              /* registered for reading (set under that mailbox's lock) */
    atomic_int closed_told_active; /* tcp_closed was delivered */
    atomic_int passive_owed;       /* tcp_passive due before the socket had an owner */
    atomic_int moving;             /* between the phases of controlling_process: deliver nothing */

    struct gt_mailbox *mb; /* GT_KIND_MAILBOX only */

    /* The parking poller (parking.c). park_registered: the fd is registered there (removed by
     * finalize). Under park_lock: how many parked waits want each direction (declared by
     * gt__park_want for the life of a wait); each arm asks for all of them. */
    atomic_int park_registered;
    pthread_mutex_t park_lock;
    int park_in, park_out;
    /* {inet_backend, socket}: a parked send (send.c) has written part of its packet and holds
     * the sending side between its calls, so that no other packet cuts into it (send_lock);
     * a blocking send waits on send_cond until it is let go. */
    int send_claimed;
    pthread_cond_t send_cond;
    int send_parked; /* inet backend: parked waiters among send_waiters (send_lock) */
    /* A close lingering (sendq.c, send_lock): its limits (gt__sendq_close_begin); and
     * whether one does (set and cleared by its closer alone, read by gt_close_resume). */
    int linger_on;
    int64_t linger_total_ns, linger_stall_ns;
    atomic_int linger_parked;
    int connecting; /* a parked connect (tcp.c) was started and has not finished */

    /* Messages naming this handle that a mailbox may still deliver (mailbox.h): control
     * messages queued, and the messages of a receive whose batch its owner thread is reading.
     * While any are left, a finalized slot is not reused, so that Java's table still maps the
     * handle to the application's own object (handle.c). */
    atomic_int msg_pins;
    atomic_int reuse_owed; /* finalized, slot not yet freed: see free_if_owed (handle.c) */

    /* getstat's counters (stats.c): each written by one thread at a time (the receive ones
     * under recv_busy, the send ones under send_lock) and read by gt_getstat without either,
     * hence atomics, read and written relaxed (single writers: no read-modify-write). */
    struct {
        _Atomic uint64_t recv_oct, recv_cnt, recv_max, send_oct, send_cnt, send_max;
        _Atomic int64_t recv_avg, recv_dvi, send_avg;
        /* The waits for the low watermark (send.c, under send_lock): the sends that waited,
         * the nanoseconds they waited in all, the bytes queued when the last one began. */
        _Atomic uint64_t send_waits, send_wait_ns, send_wait_queued;
        /* Parked waits (send.c, send_lock): the sum of their ends minus their starts, moved
         * to send_wait_ns once no parked sender waits (a look does not say whose wait ends). */
        uint64_t parked_wait_ns; /* unsigned: the starts' and ends' wraps cancel */
    } stats;

    /* Kernel timestamps (tstamp.c), last: no line the hot paths use moves for them. rx_stamp:
     * the receive stamps of the last read, written by the receive side, read by
     * gt_rx_timestamp on any thread (relaxed). tx_ring: the transmit stamps taken off the error
     * queue, made when a transmit bit is first set on a connected socket and freed with the
     * slot's descriptor (finalize); NULL until then. */
    _Atomic int64_t rx_stamp[GT_RX_COUNT];
    struct gt_tx_ring *_Atomic tx_ring;
};

/* The linger option's value (gentcp.h's GT_OPT_LINGER): on << 32 | seconds, and its halves. */
#define GT_LINGER(on, secs) ((int64_t)(on) << 32 | (int64_t)(secs))
#define GT_LINGER_ON(linger) ((int)((linger) >> 32))
#define GT_LINGER_SECS(linger) ((int)((linger)&0x7fffffff))

#endif /* GENTCP_SOCK_H */
