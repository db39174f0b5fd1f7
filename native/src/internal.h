/*
 * internal.h - declarations shared by the files of the C core. Nothing here is exported.
 */
#ifndef GENTCP_INTERNAL_H
#define GENTCP_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "gentcp.h"

/* What a slot currently holds. */
enum gt_kind {
    GT_KIND_FRESH = 0,  /* created, neither listening nor connected */
    GT_KIND_LISTEN = 1, /* a listen socket */
    GT_KIND_STREAM = 2, /* a connected socket */
    GT_KIND_MAILBOX = 3, /* a mailbox: an owner of sockets (mailbox.c); fd is -1 */
};

/*
 * Whether a connected socket's connection has been given up (OTP's inet driver closes its
 * socket then; gentcp's recv still reads what the kernel holds first). See ending.c for what
 * each call answers once it has, and who is owed a one-time 'closed'.
 */
enum gt_dead {
    GT_ALIVE = 0,
    GT_DEAD_EOF = 1,   /* given up at its end: a recv met the peer's close (exit_on_close), or a send failed */
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
    _Atomic int32_t mode;      /* 0 list, 1 binary */
    _Atomic int32_t packet;    /* enum gt_packet */
    _Atomic int32_t delimiter; /* {line_delimiter, Char}: 0..255 */
    _Atomic int32_t exit_on_close;
    _Atomic int32_t show_econnreset;
    _Atomic int64_t header;
    _Atomic int32_t deliver;
    _Atomic int64_t high_msgq;
    _Atomic int64_t low_msgq;
    _Atomic int64_t linger;      /* on << 32 | seconds, as set (the kernel keeps no seconds when off) */
    _Atomic int64_t packet_size; /* 0 = unlimited */
    _Atomic int64_t buffer;      /* OTP 'buffer' */
    _Atomic int32_t idle;        /* enum gt_idle */
    _Atomic int64_t spin_ns;
    _Atomic int32_t nodelay;
    _Atomic int32_t reuseaddr;
    _Atomic int64_t recbuf;
    _Atomic int64_t sndbuf;
    _Atomic int64_t send_timeout; /* ms, or GT_SEND_TIMEOUT_INFINITY */
    _Atomic int32_t send_timeout_close;
    _Atomic int32_t delay_send;
    _Atomic int64_t high_watermark; /* bytes queued in C at which a send blocks */
    _Atomic int64_t low_watermark;  /* ... and the level it waits for */
    _Atomic int32_t socket_backend; /* {inet_backend, socket}: send blocks, no queue */
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
    int rbuf_lent;         /* rbuf is a reader's, lent for one delivery (gt__rbuf_lend) */
    int big_run;           /* big packets taken in a row, up to GT_BIG_RUN (rbuf.c) */
    size_t rcharge;        /* bytes charged to the receive budget for the packet being
                            * assembled (rbuf.c), given back when it is taken or dropped */
    int eof;               /* the peer's FIN (or a reset) has been read */
    int reset;             /* ... and it was a reset (ECONNRESET) not reported yet */
    int read_error;        /* ... or a read failed with this errno: active mode's tcp_error, due
                            * before its tcp_closed (the kernel reports an error only once) */
    int shut_wr;           /* we shut our writing side down: EPIPE is ours, not a reset */
    int http_state;        /* {packet, http*}: 0 = request/response line next, 1 = headers */
    /* setopts({packet, _}) starts the HTTP state over: options.c sets this, and the receive
     * side, which alone touches http_state, clears both before it frames the next packet. */
    atomic_int http_restart;

    /* The send side, all under send_lock (send.c, sendq.c, iothread.c), which also keeps
     * concurrent packets from interleaving. The queue holds whole packets, or the tail of one
     * whose head the kernel took: bytes never reorder and a packet is never split by another. */
    pthread_mutex_t send_lock;
    uint8_t *qbuf;     /* bytes the kernel has not taken yet: qbuf[qstart .. qend) */
    size_t qstart, qend, qcap;
    int send_err;      /* -errno of a failed background write: the next call reports it */
    int shut_pending;  /* shutdown(write) waits for the queue to drain */
    int io_watched;    /* registered in the I/O thread's poller */
    int send_waiters;  /* threads in gt__sendq_wait: while any, they write the queue, not the I/O thread */
    /* A sender asleep in gt__sendq_wait while gt_close lingers on the same descriptor is
     * woken through wake_rd (made by the first sender that sleeps there, closed when the
     * last one leaves, or at finalize once the socket is closed; -1: none): the linger wait
     * is the closer's alone. */
    int wake_rd, wake_wr;
    /* The mailbox whose gathered list holds it (gt_send_gathered; mailbox.c writes its queue
     * at gt_mailbox_flush), 0 = none. */
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

    atomic_int dead; /* enum gt_dead */
    atomic_int terminated; /* OTP's port is gone: the owner heard tcp_closed with exit_on_close */
    /* The one-time answer each side still owes once the connection is given up (ending.c). */
    atomic_int recv_owed;  /* recv answers the end once more before enotconn */
    atomic_int send_owed;  /* send answers the end once more before enotconn */
    atomic_int end_reset;  /* those answers are econnreset: a send reported a reset */
    atomic_int owner_owed; /* the owner hears tcp_closed once the socket is active: a receive
                            * gave the connection up (emsgsize, enomem) while passive */

    /* Active delivery (active.c, mailbox.c). */
    _Atomic int32_t active;    /* GT_ACTIVE_FALSE, _TRUE, _ONCE, or a count 1..32767 */
    _Atomic int64_t owner;     /* the owning mailbox's handle, 0 = none */
    _Atomic int64_t registered_in; /* the mailbox whose poller holds the fd (set under its lock) */
    atomic_int armed;              /* registered for reading (set under that mailbox's lock) */
    atomic_int closed_told_active; /* tcp_closed was delivered */
    atomic_int passive_owed;   /* tcp_passive due before the socket had an owner */
    atomic_int moving;         /* between the phases of controlling_process: deliver nothing */

    struct gt_mailbox *mb;     /* GT_KIND_MAILBOX only */

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
    /* A parked close lingering (sendq.c, send_lock): its limits, as gt__sendq_close's; and
     * whether one does (set and cleared by its closer alone, read by gt_close_resume). */
    int linger_on;
    int64_t linger_total_ns, linger_stall_ns;
    atomic_int linger_parked;
    int connecting; /* a parked connect (tcp.c) was started and has not finished */

    /* Messages naming this handle that a mailbox may still deliver (mailbox.c): control
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
    } stats;
};

#define GT_STATE_COUNT_MASK ((uint64_t)0x7fffffff)
#define GT_STATE_CLOSED ((uint64_t)1 << 31)
#define GT_STATE_GEN_SHIFT 32

/* handle.c: the slot table. */
/* A slot for a new socket of descriptor FD (-1: a mailbox): its handle, or -errno. *OUT is its
 * socket, *FIRST whether the slot is new (zeroed, its locks not made yet); a reused slot holds
 * what its last socket left. Only sock.c calls it (gt__sock_new). */
int64_t gt__slot_alloc(int fd, struct gt_sock **out, int *first);
int64_t gt__handle_of(const struct gt_sock *s);
struct gt_sock *gt__acquire(int64_t handle);
/* The socket of HANDLE, closed or not, for a caller that holds a reference to it already
 * (gt_park_begin's): NULL only if HANDLE is not a live handle. */
struct gt_sock *gt__held(int64_t handle);
/* The slot HANDLE names, or NULL, without a reference and without reading the socket: its
 * socket may be another by now. For prefetching only (gt__active_prefetch). */
struct gt_sock *gt__slot_peek(int64_t handle);
int gt__is_closed(const struct gt_sock *s);
int gt__fd_owned(int fd); /* whether a socket of the table (open or closing) holds FD */
/* A message naming S (acquired by the caller) may still be delivered; and, by its handle, it
 * no longer can. A slot is reused only once every pin is gone. */
void gt__pin(struct gt_sock *s);
void gt__unpin(int64_t handle);
/* Mark HANDLE's socket closed and take a reference to it in one step: NULL if HANDLE is not a
 * live handle or was closed already. No call can acquire it from then on. */
struct gt_sock *gt__slot_close(int64_t handle);
/* How many references are held on S (the calls inside it, the closer's). */
uint32_t gt__slot_refs(const struct gt_sock *s);
/* Drop a reference to S: 1 when it was the last one of a closed socket, whose caller must then
 * give back what it holds and gt__slot_recycle it (close.c's gt__release does both). Inline:
 * every call ends with it. */
static inline int gt__slot_unref(struct gt_sock *s)
{
    uint64_t prev = atomic_fetch_sub(&s->state, 1);

    return ((prev - 1) & (GT_STATE_CLOSED | GT_STATE_COUNT_MASK)) == GT_STATE_CLOSED;
}
/* S, closed and left by everyone, takes its next generation (its handles go stale), and its
 * slot is reused once no message names it (pins). */
void gt__slot_recycle(struct gt_sock *s);

/* sock.c: a new socket (FD -1 and FAMILY 0 for a mailbox): its handle, or -errno (the caller
 * keeps FD then). */
int64_t gt__sock_new(int fd, int family, struct gt_sock **out);

/* close.c: closing and socket failure, the one place that calls up (see its top). */
/* Drop the reference gt__acquire gave; the last one out of a closed socket finalizes it. */
void gt__release(struct gt_sock *s);
/* gt_close; LINGER 0: no waiting for queued data (a mailbox closing the sockets it owns). */
int32_t gt__close(int64_t handle, int linger);
/* The socket cannot take its next packet (emsgsize, enomem): the connection is given up. */
void gt__socket_fail(struct gt_sock *s);

/* tcp.c: bind and connect to an address already made (local.c makes AF_UNIX ones). */
struct sockaddr_storage;
int gt__bind_sockaddr(int64_t handle, const struct sockaddr_storage *ss, unsigned len);
int gt__connect_sockaddr(int64_t handle, const struct sockaddr_storage *ss, unsigned len,
                         int64_t timeout_ms);

/* local.c: an AF_UNIX address as gt_sockname writes it (see GT_SOCKADDR_MAX). */
int gt__write_local_name(const struct sockaddr_storage *ss, unsigned len, uint8_t *out,
                         int32_t cap);

/* options.c */
void gt__opts_default(struct gt_opts *o);
void gt__opts_inherit(struct gt_sock *child, struct gt_sock *parent);
/* Bit (1 << GT_OPT_x) for each kernel option this platform lacks (it answers enotsup). */
int64_t gt__opts_absent(void);

/* packet.c: framing. See the contract there. */
struct gt_frame {
    size_t total;    /* frame length including its header */
    size_t body_off; /* where the delivered bytes start */
    size_t body_len; /* how many bytes are delivered */
    /* Set by gt__rbuf_frame: the packet type and HTTP state the packet was framed with, which
     * its delivery follows (a setopts meanwhile changes the next packet, not this one). */
    int type;
    int http_state;
};
struct gt_packet_limits {
    uint64_t packet_size; /* 0 = none */
    uint64_t trunc_len;   /* lines longer than this come in pieces; 0 = none */
    int delimiter;        /* the line delimiter, 0..255 */
    int http_state;       /* HTTP: 0 = a request/response line is next, 1 = header lines */
};
int gt__packet_frame(int type, const uint8_t *buf, size_t n, const struct gt_packet_limits *lim,
                     struct gt_frame *f);
int gt__packet_header_len(int type);
int gt__packet_is_http(int type);

/* mailbox.c and active.c */
struct gt_mailbox;
void gt__mailbox_free(struct gt_mailbox *mb);
void gt__mailbox_closing(struct gt_sock *mbs);
void gt__mailbox_forget(struct gt_sock *s);
/* What a parked receive of mailbox M arms in the parking poller: its poller's descriptor,
 * opened now if it has none (-errno if it cannot be). */
int gt__mailbox_park_fd(struct gt_sock *m);
/* The descriptor of MB's poller, or -1 while it has none. */
int gt__mailbox_poller_fd(struct gt_mailbox *mb);
void gt__active_changed(struct gt_sock *s, int emit_passive);
/* Put socket SELF on MAILBOX's gathered list (gt_send_gathered): 0, or -errno (not an open
 * mailbox, no memory) when it cannot, and the I/O thread's ticks must write the queue. */
int gt__mailbox_gather(int64_t mailbox, int64_t self);
/* Before a call that may wait (a receive, accept, connect, close): write what this thread
 * gathered and has not flushed yet, so that a handler that sends a request and then waits for
 * its answer does not wait on its own unsent bytes. Nothing to do costs one thread-local load. */
void gt__flush_gathered_here(void);
/* Start loading the cache lines a delivery of HANDLE's socket reads first (a hint: nothing is
 * read or written), so that the next socket's are on their way while one is served. */
void gt__active_prefetch(int64_t handle);
int64_t gt__active_deliver(struct gt_sock *s, uint8_t *dst, int64_t cap, int *pending);
/* Socket H, owned by MAILBOX, cannot deliver its next message (REASON: no memory for it):
 * fail it as active delivery fails a packet (active.c) and write tcp_error REASON, tcp_closed
 * to DST; with exit_on_close the socket is then done. Returns the
 * bytes written (0 if the socket is gone or busy), or -REASON when CAP is too small for both.
 * Messages written leave H pinned (gt__pin) for the caller to keep until they are read. */
int64_t gt__active_fail_owned(int64_t h, int64_t mailbox, uint8_t *dst, int64_t cap, int reason);
size_t gt__msg_put(uint8_t *dst, int32_t kind, int32_t reason, int64_t handle, const void *data,
                   size_t len);
#define GT_MSG_HEADER 24
#define GT_MSG_SIZE(len) (GT_MSG_HEADER + (((size_t)(len) + 7) & ~(size_t)7))
/* The smallest buffer into which gt_mailbox_receive writes messages rather than the room they
 * need: a GT_MSG_HELD header, or the two messages of a socket that failed to hold one. */
#define GT_MSG_MIN_CAP (2 * GT_MSG_HEADER)
/* The largest block a message may be held in (gt_mailbox_release): what Java can view as one
 * ByteBuffer, whose capacity is an int. */
#define GT_MSG_HELD_MAX ((int64_t)0x7ffffff8)

/* sendq.c: the send queue; every function is called with send_lock held. */
size_t gt__sendq_len(const struct gt_sock *s);
size_t gt__sendq_pending(struct gt_sock *s); /* getstat's send_pend (waits out a write) */
int gt__sendq_append(struct gt_sock *s, const struct iovec *iov, int iovcnt, size_t skip);
int gt__sendq_flush(struct gt_sock *s, size_t max);
/* gt__sendq_flush for the I/O thread: the same results, but send_lock is released during the
 * send(2) itself (see io_writing). */
int gt__sendq_write_out(struct gt_sock *s, size_t max);
void gt__sendq_discard(struct gt_sock *s);
int gt__sendq_wait(struct gt_sock *s, size_t level, int64_t deadline_ns);
void gt__sendq_reset(struct gt_sock *s);
/* The queue at close, as the linger option says, or dropped with a reset without LINGER
 * (takes send_lock itself). */
void gt__sendq_close(struct gt_sock *s, int linger);
/* The queue's memory and registration when the slot is finalized (no lock: last one out). */
void gt__sendq_free(struct gt_sock *s);

/* Whether the -errno R of a write says the peer reset the connection: ECONNRESET, or EPIPE
 * unless our own shutdown(write) explains it (OTP reports that EPIPE as econnreset too). */
static inline int gt__write_was_reset(const struct gt_sock *s, int64_t r)
{
    return r == -ECONNRESET || (r == -EPIPE && !s->shut_wr);
}

/* iothread.c: the background I/O thread that flushes queues (send_lock held). */
int gt__io_watch(struct gt_sock *s);
void gt__io_unwatch(struct gt_sock *s);
int gt__io_delay(struct gt_sock *s);
/* One look of the I/O thread at a socket on its delayed list (send_lock held). A sender that
 * keeps adding to its queue without ever filling a batch (a packet every few microseconds)
 * would keep it from the thread for good: after GT_DELAY_SEND_MAX_LOOKS looks at a queue that
 * was not empty it is written anyway (60 us with 20 us ticks). */
void gt__io_delay_look(struct gt_sock *s);
#define GT_DELAY_SEND_MAX_LOOKS 3

/* memory.c: the counted allocations of one pool (gt_memory_stats). gt__mem_account tells a
 * block of a pool that went from WAS to NOW bytes (0: no block), for a block another allocator
 * made (a test's stand-in); the others allocate, resize and free counting. */
enum gt_mem_pool { GT_MEM_RBUF, GT_MEM_SENDQ, GT_MEM_MAILBOX, GT_MEM_POOLS };
void gt__mem_account(int pool, size_t was, size_t now);
void *gt__mem_alloc(int pool, size_t size);
void *gt__mem_zalloc(int pool, size_t size);
void *gt__mem_realloc(int pool, void *p, size_t was, size_t now);
void gt__mem_free(int pool, void *p, size_t size);
/* How many times any counted block was made or grown so far: tests check that steady traffic
 * leaves it where it was. */
int64_t gt__mem_growths(void);
/* The receive budget (gentcp.h, gt_set_receive_budget): charge BYTES more (0, or -EMSGSIZE
 * when that would pass the budget: nothing is charged), or give BYTES back. */
int gt__budget_charge(size_t bytes);
void gt__budget_release(size_t bytes);

/* stats.c: getstat counters (recv ones under recv_busy, send ones under send_lock). */
void gt__stat_read(struct gt_sock *s, size_t bytes);
void gt__stat_packet_in(struct gt_sock *s, size_t bytes);
void gt__stat_packet_out(struct gt_sock *s, size_t bytes);

/* rbuf.c: the receive buffer; the caller holds recv_busy. */
#define GT_HTTP_IO_BYTES (GT_DECODE_SLOTS * 8 + GT_DECODE_NAME_MAX)
#define GT_HTTP_OUT_BYTES(total) (GT_HTTP_IO_BYTES + (size_t)(total))
size_t gt__rbuf_buffered(const struct gt_sock *s);
void gt__rbuf_consume(struct gt_sock *s, size_t n);
/* 0, -ENOMEM, or -EMSGSIZE when the packet would take the receive budget past its bound. */
int gt__rbuf_reserve(struct gt_sock *s, size_t need);
/* Drop what the buffer holds and give its memory and the packet's charge back: a partial
 * packet at the end of the stream, all of it when the socket fails, or when it is finalized.
 * A socket that reads no more keeps no buffer: otherwise a peer could grow one to the budget,
 * end the connection (the charge comes back) and do it again on the next, while the owner has
 * not closed the first. */
void gt__rbuf_free(struct gt_sock *s);
/* Reads ask the kernel for at least this much, so that a burst of small packets costs one
 * syscall, however small 'buffer' is; the buffer a mailbox lends is this big. */
#define GT_MIN_READ (64 * 1024)
/* A socket without a buffer of its own reads into BUF (CAP bytes, the caller's) until
 * gt__rbuf_return; one with a buffer keeps it. Returning copies what is left into a buffer of
 * the socket's own, or, with no memory for that, gives the socket BUF itself and answers
 * -ENOMEM (the lender must forget it, and count it no more); otherwise 0. */
void gt__rbuf_lend(struct gt_sock *s, uint8_t *buf, size_t cap);
int gt__rbuf_return(struct gt_sock *s);
/* The allocator of receive buffers: realloc, or a test's stand-in that fails (test_socket.c). */
extern void *(*gt__rbuf_realloc)(void *ptr, size_t size);
/* The read of active delivery: recv, or a test's stand-in that fails (test_mailbox.c). */
extern ssize_t (*gt__active_recv)(int fd, void *buf, size_t len, int flags);
/* Called by gt__end_met_by_recv where a failing send can race it: NULL, or a test's stand-in
 * (test_socket.c). */
extern void (*gt__end_recv_race)(struct gt_sock *s);
/* The allocator of a mailbox's held blocks: malloc, or a test's stand-in that fails. */
extern void *(*gt__held_malloc)(size_t size);
/* As gt__packet_frame, invalid being -EMSGSIZE, and -ENOMEM for a header claiming more than
 * GT_MAX_PACKET_LENGTH: either way the packet cannot be taken (gt__socket_fail). */
int gt__rbuf_frame(struct gt_sock *s, struct gt_frame *f);
size_t gt__rbuf_put_http(struct gt_sock *s, const struct gt_frame *f, uint8_t *dst);
int64_t gt__rbuf_form(struct gt_sock *s, int type, size_t len);

/* decode.c: describe the HTTP packet PACKET[0..LEN) in IO's GT_DECODE_HTTP_* slots (and its
 * name area); returns its kind (enum gt_http_kind). */
int gt__http_export(const uint8_t *packet, size_t len, int state, int64_t *io);

/* ending.c: what the calls of a connected socket are told once its connection ends. */
void gt__end_init(struct gt_sock *s);
/* Whether S is gone as a terminated OTP port is: its owner heard tcp_closed (after tcp_error
 * emsgsize too) with exit_on_close. Options and names then answer einval, I/O 'closed'. A
 * connection that was merely given up (a passive recv met the peer's close or a framing
 * error, a send failed) is not gone: options still answer, and setopts({active, once}) still
 * delivers its tcp_closed, as OTP's does. */
int gt__port_gone(struct gt_sock *s);
int64_t gt__end_met_by_recv(struct gt_sock *s);
int64_t gt__end_met_by_send(struct gt_sock *s, int reset);
void gt__end_met_by_owner(struct gt_sock *s, int reset);
int64_t gt__end_owed(struct gt_sock *s, int recv);

/* parking.c: the parking poller. recv_busy while a receive is parked; leaving the poller. */
#define GT_RECV_PARKED 2
void gt__park_forget(struct gt_sock *s, int fd);
/* A parked wait of S wants (DELTA 1) or no longer wants (-1) EVENTS (GT_PARK_IN/OUT). */
void gt__park_want(struct gt_sock *s, int events, int delta);
/* Have gt_park_wait report S now, whatever it is armed for, if a parked wait of it wants OUT:
 * that waiter must look again though its fd may not become ready (a close that lingers, a
 * send that let the sending side go). */
void gt__park_kick(struct gt_sock *s);

/* send.c: write the queue MAILBOX gathered for S, if S is still on its list. */
void gt__send_flush_gathered(struct gt_sock *s, int64_t mailbox);
/* send.c / sendq.c: parked sends and closes (gentcp.h's gt_send_parked, gt_close_parked). */
void gt__sendq_park(struct gt_sock *s);
int gt__sendq_wait_parked(struct gt_sock *s, size_t level, int give_up);
int gt__sendq_close_begin(struct gt_sock *s, int linger);
int64_t gt__sendq_linger_step(struct gt_sock *s, int give_up);

/* wait.c: reading and waiting under an idle strategy. */
int64_t gt__now_ns(void);
int64_t gt__deadline(int64_t timeout_ms);
int64_t gt__read(struct gt_sock *s, void *buf, size_t len, int64_t deadline_ns);
int gt__wait_fd(struct gt_sock *s, int fd, short events, int64_t deadline_ns);
/* As gt__wait_fd, and also ends (1) once WAKE_FD (-1: none) is readable. S NULL: the closed
 * mark is not looked at (the closer's own linger wait, on a socket it has marked closed). */
int gt__wait_fd_or_wake(struct gt_sock *s, int fd, short events, int wake_fd, int64_t deadline_ns);

#define GT_NO_DEADLINE INT64_MAX

/* Retry a syscall expression while it fails with EINTR. */
#define GT_RETRY(expr)                                                                             \
    ({                                                                                             \
        long gt_r_;                                                                                \
        do {                                                                                       \
            gt_r_ = (long)(expr);                                                                  \
        } while (gt_r_ == -1 && errno == EINTR);                                                   \
        gt_r_;                                                                                     \
    })

#endif /* GENTCP_INTERNAL_H */
