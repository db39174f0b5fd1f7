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

/* Why a connected socket stopped working, with exit_on_close semantics (OTP terminates the
 * port): recv and send then answer as OTP does. */
enum gt_dead {
    GT_ALIVE = 0,
    GT_DEAD_EOF = 1,   /* the peer closed: each direction reports 'closed' once, then enotconn */
    GT_DEAD_ERROR = 2, /* a framing error (emsgsize) closed it: enotconn from then on */
};

/* Option values. Kernel options are mirrored here only for inheritance on accept. */
struct gt_opts {
    int32_t mode;        /* 0 list, 1 binary */
    int32_t packet;      /* enum gt_packet */
    int32_t delimiter;   /* {line_delimiter, Char}: 0..255 */
    int32_t exit_on_close;
    int32_t show_econnreset;
    int64_t header;
    int32_t deliver;
    int64_t high_msgq;
    int64_t low_msgq;
    int64_t linger; /* on << 32 | seconds, as set (the kernel keeps no seconds when off) */
    int64_t packet_size; /* 0 = unlimited */
    int64_t buffer;      /* OTP 'buffer' */
    int32_t idle;        /* enum gt_idle */
    int64_t spin_ns;
    int32_t nodelay;
    int32_t reuseaddr;
    int64_t recbuf;
    int64_t sndbuf;
    int64_t send_timeout; /* ms, or GT_SEND_TIMEOUT_INFINITY */
    int32_t send_timeout_close;
    int32_t delay_send;
    int64_t high_watermark; /* bytes queued in C at which a send blocks */
    int64_t low_watermark;  /* ... and the level it waits for */
    int32_t socket_backend; /* {inet_backend, socket}: send blocks, no queue */
    uint64_t set_mask; /* bit (1 << opt) for every option set explicitly */
    int32_t kernel[64]; /* the values of the kernel options set explicitly, for accept */
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
    int kind; /* enum gt_kind */
    struct gt_opts opts;

    /* The receive side; owned by the one thread that holds recv_busy. */
    atomic_int recv_busy;
    uint8_t *rbuf;
    size_t rstart, rend, rcap;
    int eof;               /* the peer's FIN (or a reset) has been read */
    int reset;             /* ... and it was a reset (ECONNRESET) */
    int shut_wr;           /* we shut our writing side down: EPIPE is ours, not a reset */
    int http_state;        /* {packet, http*}: 0 = request/response line next, 1 = headers */
    int recv_closed_told;  /* 'closed' was reported by recv */

    /* The send side, all under send_lock (send.c, sendq.c, iothread.c), which also keeps
     * concurrent packets from interleaving. The queue holds whole packets, or the tail of one
     * whose head the kernel took: bytes never reorder and a packet is never split by another. */
    pthread_mutex_t send_lock;
    int send_closed_told;
    uint8_t *qbuf;     /* bytes the kernel has not taken yet: qbuf[qstart .. qend) */
    size_t qstart, qend, qcap;
    int send_err;      /* -errno of a failed background write: the next call reports it */
    int shut_pending;  /* shutdown(write) waits for the queue to drain */
    int io_watched;    /* registered in the I/O thread's poller */
    int send_waiters;  /* threads in gt__sendq_wait: while any, they write the queue, not the I/O thread */
    /* A sender asleep in gt__sendq_wait while gt_close lingers on the same descriptor is
     * woken through wake_rd (made by the first sender that sleeps there, kept until the slot
     * is finalized; -1: none yet): the linger wait is the closer's alone. */
    int wake_rd, wake_wr;
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
    /* A write found the connection reset. The write consumed the kernel's error, so the
     * reader then sees a plain end of stream: this tells it that it was a reset (OTP's
     * TCP_ADDF_DELAYED_ECONNRESET). Written under send_lock, read by the receive side. */
    atomic_int write_reset;

    atomic_int dead; /* enum gt_dead */
    atomic_int terminated; /* OTP's port is gone: the owner heard tcp_closed with exit_on_close */

    /* Active delivery (active.c, mailbox.c). */
    _Atomic int32_t active;    /* GT_ACTIVE_FALSE, _TRUE, _ONCE, or a count 1..32767 */
    _Atomic int64_t owner;     /* the owning mailbox's handle, 0 = none */
    _Atomic int64_t registered_in; /* the mailbox whose poller holds the fd (set under its lock) */
    atomic_int armed;              /* registered for reading (set under that mailbox's lock) */
    atomic_int closed_told_active; /* tcp_closed was delivered */
    atomic_int passive_owed;   /* tcp_passive due before the socket had an owner */
    atomic_int moving;         /* between the phases of controlling_process: deliver nothing */

    struct gt_mailbox *mb;     /* GT_KIND_MAILBOX only */

    /* Messages naming this handle that a mailbox may still deliver (mailbox.c): control
     * messages queued, and the messages of a receive whose batch its owner thread is reading.
     * While any are left, a finalized slot is not reused, so that Java's table still maps the
     * handle to the application's own object (handle.c). */
    atomic_int msg_pins;
    int reuse_owed; /* finalized while pinned: the last unpin frees the slot (table_lock) */

    struct {
        uint64_t recv_oct, recv_cnt, recv_max, send_oct, send_cnt, send_max;
        int64_t recv_avg, recv_dvi, send_avg;
    } stats;
};

#define GT_STATE_COUNT_MASK ((uint64_t)0x7fffffff)
#define GT_STATE_CLOSED ((uint64_t)1 << 31)
#define GT_STATE_GEN_SHIFT 32

/* handle.c: the slot table. */
int64_t gt__slot_alloc(int fd, int family, struct gt_sock **out);
int64_t gt__handle_of(const struct gt_sock *s);
struct gt_sock *gt__acquire(int64_t handle);
void gt__release(struct gt_sock *s);
int gt__is_closed(const struct gt_sock *s);
/* Whether S is gone as a terminated OTP port is: its owner heard tcp_closed with
 * exit_on_close, or a framing error ended it. Options and names then answer einval, I/O
 * 'closed'. A stream that merely ended (a passive recv or a send saw the peer's close) is not
 * gone: setopts({active, once}) still delivers its tcp_closed, as OTP's does. */
int gt__port_gone(struct gt_sock *s);
int gt__fd_owned(int fd); /* whether a socket of the table (open or closing) holds FD */
/* A message naming S (acquired by the caller) may still be delivered; and, by its handle, it
 * no longer can. A slot is reused only once every pin is gone. */
void gt__pin(struct gt_sock *s);
void gt__unpin(int64_t handle);

/* tcp.c: bind and connect to an address already made (local.c makes AF_UNIX ones). */
struct sockaddr_storage;
int gt__bind_sockaddr(int64_t handle, const struct sockaddr_storage *ss, unsigned len);
int gt__connect_sockaddr(int64_t handle, const struct sockaddr_storage *ss, unsigned len,
                         int64_t timeout_ms);

/* local.c: an AF_UNIX address as gt_sockname writes it (see GT_SOCKADDR_MAX). */
int gt__write_local_name(const struct sockaddr_storage *ss, unsigned len, uint8_t *out,
                         int32_t cap);
int32_t gt__close(int64_t handle, int linger);

/* options.c */
void gt__opts_default(struct gt_opts *o);
void gt__opts_inherit(struct gt_sock *child, const struct gt_sock *parent);
/* Bit (1 << GT_OPT_x) for each kernel option this platform lacks (it answers enotsup). */
int64_t gt__opts_absent(void);

/* packet.c: framing. See the contract there. */
struct gt_frame {
    size_t total;    /* frame length including its header */
    size_t body_off; /* where the delivered bytes start */
    size_t body_len; /* how many bytes are delivered */
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
void gt__active_changed(struct gt_sock *s, int emit_passive);
int64_t gt__active_deliver(struct gt_sock *s, uint8_t *dst, int64_t cap, int *pending);
size_t gt__msg_put(uint8_t *dst, int32_t kind, int32_t reason, int64_t handle, const void *data,
                   size_t len);
#define GT_MSG_HEADER 24
#define GT_MSG_SIZE(len) (GT_MSG_HEADER + (((size_t)(len) + 7) & ~(size_t)7))

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

/* stats.c: getstat counters (recv ones under recv_busy, send ones under send_lock). */
void gt__stat_read(struct gt_sock *s, size_t bytes);
void gt__stat_packet_in(struct gt_sock *s, size_t bytes);
void gt__stat_packet_out(struct gt_sock *s, size_t bytes);

/* rbuf.c: the receive buffer; the caller holds recv_busy. */
#define GT_HTTP_IO_BYTES (GT_DECODE_SLOTS * 8 + GT_DECODE_NAME_MAX)
#define GT_HTTP_OUT_BYTES(total) (GT_HTTP_IO_BYTES + (size_t)(total))
size_t gt__rbuf_buffered(const struct gt_sock *s);
void gt__rbuf_consume(struct gt_sock *s, size_t n);
int gt__rbuf_reserve(struct gt_sock *s, size_t need);
int gt__rbuf_frame(const struct gt_sock *s, struct gt_frame *f);
size_t gt__rbuf_put_http(struct gt_sock *s, size_t total, uint8_t *dst);
int gt__http_state(const struct gt_sock *s);
void gt__socket_fail(struct gt_sock *s);

/* decode.c: describe the HTTP packet PACKET[0..LEN) in IO's GT_DECODE_HTTP_* slots (and its
 * name area); returns its kind (enum gt_http_kind). */
int gt__http_export(const uint8_t *packet, size_t len, int state, int64_t *io);

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
