/*
 * internal.h - the socket layer and the calls: declarations shared by the files of the C core
 * above the slot table. Nothing here is exported. It includes the headers of the layers below
 * (and close.h), so that a file of these layers, or a test, includes it alone.
 *
 * The layers, bottom up:
 *   base     knows no socket: the system (platform.c), counted memory, the pollers, framing
 *            and HTTP, addresses, the mailbox's message format. Headers: platform.h, memory.h,
 *            poller.h, http.h, packet.h, addr.h, bytes.h (big-endian numbers, inline),
 *            message.h (inline).
 *   slots    the slot table (handle.c): slots, handles, references, generations, pins; the
 *            socket itself is data (sock.h). Header: handle.h.
 *   socket   a socket's parts, each owning some of its fields, and its owner, the mailbox
 *            (its parts' shared header: mailbox.h).
 *   calls    where gentcp.h's socket calls start: options, connect and accept, receive, send.
 *   closing  close.c: closing and socket failure (close.h).
 *
 * Which file may call which: a file calls only the files listed before it below, never one
 * listed after it; a "+" joins two that call each other (the send queue and the I/O thread
 * that writes it hand the queue back and forth). The one exception is close.c, which calls up
 * into every part a socket's end reaches (as libuv's uv_close), and which every file may call
 * (gt__release ends every call). A file's calls are the gt_ symbols its object leaves
 * undefined (nm -A); header-inline helpers belong to their header's layer.
 *   base:    platform.c memory.c epoll.c kqueue.c http.c packet.c decode.c addr.c
 *   slots:   handle.c
 *   socket:  tstamp.c wait.c ending.c sock.c sendq.c+iothread.c stats.c rbuf.c active.c
 *            mailbox_queue.c mailbox_gather.c mailbox_poll.c mailbox_receive.c mailbox.c
 *            parking.c
 *   calls:   options.c pktoptions.c constants.c recv.c send.c tcp.c adopt_fd.c netns.c
 *            tcp_info.c timestamping.c
 *   closing: close.c
 */
#ifndef GENTCP_INTERNAL_H
#define GENTCP_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "close.h"
#include "gentcp.h"
#include "handle.h"
#include "memory.h"
#include "message.h"
#include "packet.h"
#include "sock.h"

/* tstamp.c: the kernel's timestamps (GT_OPT_TIMESTAMPING). */
/* Whether this platform and poller have them (else the option is absent: ENOTSUP). */
int gt__tstamp_supported(void);
/* Set the option's FLAGS on S's descriptor (opts_lock held, or S not yet shared): the transmit
 * bits only once S is connected (gt__tstamp_connected then), with its ring. 0 or -code. */
int gt__tstamp_set(struct gt_sock *s, int64_t flags);
/* The transmit bits set before S connected take effect: S has just become connected. */
void gt__tstamp_connected(struct gt_sock *s);
/* S was adopted ({fd, Fd}): the kernel's stamps are turned off, as gentcp's option starts. */
void gt__tstamp_adopted(struct gt_sock *s);
/* recv(2) as recvmsg(2), keeping the read's receive stamps in s->rx_stamp. */
ssize_t gt__tstamp_recv(struct gt_sock *s, void *buf, size_t len, int flags);
/* A wait on S was woken with an error: move its error queue's stamps to the ring. The records
 * taken (0: the error is the socket's own, its next call reports it). */
int gt__tstamp_drain(struct gt_sock *s);
int gt__tstamp_drain_handle(int64_t handle);
/* Take up to MAX records (GT_TX_RECORD int64s each) out of S's ring into DST. */
int gt__tstamp_take(struct gt_sock *s, int64_t *dst, size_t max);
/* S's descriptor is going: its ring is freed, its stamps forgotten. */
void gt__tstamp_free(struct gt_sock *s);

/* A read of S's descriptor: recv(2), or with receive stamps on, recvmsg(2) keeping them. */
static inline ssize_t gt__sock_recv(struct gt_sock *s, void *buf, size_t len, int flags)
{
    const int32_t ts = atomic_load_explicit(&s->opts.timestamping, memory_order_relaxed);

    if (ts & (GT_TIMESTAMPING_RX_SOFTWARE | GT_TIMESTAMPING_RX_HARDWARE))
        return gt__tstamp_recv(s, buf, len, flags);
    return recv(s->fd, buf, len, flags);
}

/* wait.c: reading and waiting under an idle strategy. */
int64_t gt__now_ns(void);
int64_t gt__deadline(int64_t timeout_ms);
int64_t gt__read(struct gt_sock *s, void *buf, size_t len, int64_t deadline_ns);
int gt__wait_fd(struct gt_sock *s, int fd, short events, int64_t deadline_ns);
/* As gt__wait_fd, and also ends (1) once WAKE_FD (-1: none) is readable. S NULL: the closed
 * mark is not looked at (the closer's own linger wait, on a socket it has marked closed). */
int gt__wait_fd_or_wake(struct gt_sock *s, int fd, short events, int wake_fd, int64_t deadline_ns);
#define GT_NO_DEADLINE INT64_MAX

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

/* sock.c: a new socket (FD -1 and FAMILY 0 for a mailbox): its handle, or -errno (the caller
 * keeps FD then). */
int64_t gt__sock_new(int fd, int family, struct gt_sock **out);

/* sendq.c: the send queue; every function is called with send_lock held. */
size_t gt__sendq_len(const struct gt_sock *s);
size_t gt__sendq_pending(struct gt_sock *s); /* getstat's send_pend (waits out a write) */
int gt__sendq_append(struct gt_sock *s, const struct iovec *iov, int iovcnt, size_t skip);
int gt__sendq_flush(struct gt_sock *s, size_t max);
/* gt__sendq_flush for the I/O thread: the same results, but send_lock is released during the
 * send(2) itself (see io_writing). */
int gt__sendq_write_out(struct gt_sock *s, size_t max);
int gt__sendq_wait(struct gt_sock *s, size_t level, int64_t deadline_ns);
void gt__sendq_reset(struct gt_sock *s);
/*
 * The queue at close (close.c), as OTP's prim_inet: the closing thread waits while the queue
 * drains, as the linger option says, or without LINGER drops it with a reset at once. Each
 * takes send_lock itself. gt__sendq_close_begin wakes the senders asleep on the queue and
 * answers whether the closer must linger (1), within limits it sets in s->linger_*, or is done
 * (0); then gt__sendq_linger waits it out. A closer that must not block makes looks instead,
 * gt__sendq_linger_step: 0 once the linger is over (the queue drained, failed, or given up on at
 * the limit or at GIVE_UP, then dropped with a reset), else the nanoseconds left until the
 * limit (wait for OUT that long at most).
 */
int gt__sendq_close_begin(struct gt_sock *s, int linger);
void gt__sendq_linger(struct gt_sock *s);
int64_t gt__sendq_linger_step(struct gt_sock *s, int give_up);
/* The queue's memory and registration when the slot is finalized (no lock: last one out). */
void gt__sendq_free(struct gt_sock *s);
/* Write the queue MAILBOX gathered for S (gt_send_gathered), if S is still on its list (takes
 * send_lock itself). */
void gt__sendq_flush_gathered(struct gt_sock *s, int64_t mailbox);
/* The deadline send_timeout sets for a send that starts now. */
int64_t gt__send_deadline(const struct gt_sock *s);
/*
 * Whether a sender waits for its low mark. It alone writes the queue meanwhile (the I/O thread
 * keeps off, see gt__sendq_wait), and so must every other sender: a flush here could drain the
 * queue under the waiter while the kernel fills up again, and then no POLLOUT would come to
 * tell the waiter that its level was reached.
 */
static inline int gt__sendq_waited_on(const struct gt_sock *s)
{
    return s->send_waiters > 0;
}

/* Whether the -errno R of a write says the peer reset the connection: ECONNRESET, or EPIPE
 * unless our own shutdown(write) explains it (OTP reports that EPIPE as econnreset too). */
static inline int gt__write_was_reset(const struct gt_sock *s, int64_t r)
{
    return r == -ECONNRESET || (r == -EPIPE && !s->shut_wr);
}

/* send.c / sendq.c: parked sends and closes (gentcp.h's gt_send_parked, gt_close_parked). */
void gt__sendq_park(struct gt_sock *s);
int gt__sendq_wait_parked(struct gt_sock *s, size_t level, int give_up);

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
#define GT_HTTP_IO_BYTES (GT_DECODE_SLOTS * sizeof(int64_t) + GT_DECODE_NAME_MAX)
#define GT_HTTP_OUT_BYTES(total) (GT_HTTP_IO_BYTES + (size_t)(total))
size_t gt__rbuf_buffered(const struct gt_sock *s);
/* The bytes the next read may take toward a packet that NEED bytes buffered complete (LENGTH:
 * a passive recv's, 0 in active mode): the room there is, or less with {read_ahead, false}. */
size_t gt__rbuf_read_room(const struct gt_sock *s, int64_t length, size_t need);
void gt__rbuf_consume(struct gt_sock *s, size_t n);
/* A read met the end of the stream: R 0 (the peer's FIN) or -ECONNRESET. The stream has ended
 * (eof); a reset reads as a close, as OTP does unless show_econnreset, and one that a write
 * found first (write_reset: it consumed the kernel's error) is a reset too. */
void gt__rbuf_ended(struct gt_sock *s, int64_t r);
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

/* The mailbox (mailbox.h lists its files) and active delivery (active.c). */
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

/* parking.c: the parking poller. recv_busy while a receive is parked; leaving the poller. */
#define GT_RECV_PARKED 2
void gt__park_forget(struct gt_sock *s, int fd);
/* A parked wait of S wants (DELTA 1) or no longer wants (-1) EVENTS (GT_PARK_IN/OUT). */
void gt__park_want(struct gt_sock *s, int events, int delta);
/* Have gt_park_wait report S now, whatever it is armed for, if a parked wait of it wants OUT:
 * that waiter must look again though its fd may not become ready (a close that lingers, a
 * send that let the sending side go). */
void gt__park_kick(struct gt_sock *s);

/*
 * The calls that read an IP socket's kernel state into COUNT int64s (gt_pktoptions,
 * gt_tcp_info): HANDLE's socket, einval when it is closed or a mailbox or DST/CAP cannot take
 * them, eafnosupport on a local socket (no IP under it); else READ fills OUT (filled with the
 * caller's defaults), copied to DST when it answers 0.
 */
static inline int32_t gt__read_ip_state(int64_t handle, int64_t dst, int32_t cap, int64_t *out,
                                        size_t count, int (*read)(struct gt_sock *, int64_t *))
{
    struct gt_sock *s = gt__acquire(handle);
    int rc;

    if (s == NULL || gt__port_gone(s) || s->kind == GT_KIND_MAILBOX) {
        if (s != NULL)
            gt__release(s);
        return -EINVAL; /* as getstat and every option call on a closed socket */
    }
    if (dst == 0 || cap < 0 || (size_t)cap < count * sizeof(int64_t))
        rc = -EINVAL;
    else if (s->family == AF_UNIX)
        rc = -EAFNOSUPPORT;
    else
        rc = read(s, out);
    if (rc == 0)
        memcpy((void *)(intptr_t)dst, out, count * sizeof(int64_t));
    gt__release(s);
    return rc;
}

/* options.c */
void gt__opts_inherit(struct gt_sock *child, struct gt_sock *parent);
/* For gt_constant: "GT_OPT_<NAME>" is option NAME's id, "GT_OPT_<NAME>_MIN" and "_MAX" the
 * range gt_setopt takes (not for active), "GT_OPTS_ABSENT" the bit (1 << id) of each kernel
 * option this platform lacks; INT64_MIN for any other name. */
int64_t gt__opts_constant(const char *name);
/* A new close-on-exec stream descriptor of FAMILY made with PROTOCOL (GT_PROTOCOL_TCP or
 * _MPTCP), or -errno: MPTCP's EINVAL (a kernel before 5.6) is EPROTONOSUPPORT; ENOTSUP where
 * there is no MPTCP. */
int gt__protocol_socket(int family, int32_t protocol);
/* FD's protocol as GT_PROTOCOL_*, or -code: where there is MPTCP (Linux) the kernel's answer
 * (SO_PROTOCOL; a local socket's 0 is TCP, a stream socket of another protocol, such as SCTP,
 * EPROTONOSUPPORT); elsewhere a stream socket is TCP. */
int gt__own_protocol(int fd);
/* Records on S, a slot not yet handed out, the PROTOCOL its descriptor was made with; FIXED:
 * no gt_setopt changes it (the descriptor's own, gt_socket_fd; or made in another namespace,
 * gt_socket_netns, where a socket made again on the caller's thread would not be). */
void gt__opts_protocol(struct gt_sock *s, int32_t protocol, int fixed);

/* tcp.c */
/* The handle of a new socket on FD (FAMILY, made with PROTOCOL; FIXED as gt__opts_protocol
 * takes it), or -code, FD then closed. */
int64_t gt__sock_made(int fd, int family, int32_t protocol, int fixed);

#endif /* GENTCP_INTERNAL_H */
