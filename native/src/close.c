/*
 * close.c - closing and socket failure: gt_close and its parked halves, the last one out of a
 * closed socket (gt__release), and a socket given up on (gt__socket_fail).
 *
 * This is the one file of the core that calls up. Every other file calls only files listed
 * before it in internal.h's layers; closing cannot, because a socket's end reaches every
 * part that holds something of it: its owner mailbox's lists and poller, the send queue and
 * its registration with the I/O thread, the parking poller, the receive buffer, and, for a
 * mailbox, the sockets it owns. So that reach is written here, once, as libuv writes it in
 * uv_close (core.c), which alone knows every handle type; the slot table (handle.c) knows only
 * slots and references and tells the caller when it is the last one out.
 *
 * Any file may call into this one, and gt__release in particular is every call's last step;
 * a release that finalizes re-enters the mailbox (to leave its owner's lists) and the send
 * queue from here, never from the caller's own file.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

/*
 * {linger, {true, T}} makes close(2) wait up to T s for the kernel to send what it holds. That
 * wait is the closer's: its gt_close returns when it ends. When another thread is the last one
 * out (a call that was inside the socket, or the I/O thread serving an event), the closer has
 * returned already and the wait would only stall that thread (the I/O thread: every socket's
 * background sends): the kernel then sends the rest after close(2) returns, as without linger.
 * {linger, {true, 0}} (a reset) is kept.
 */
static void drop_linger_wait(struct gt_sock *s, int fd)
{
    struct linger off = {.l_onoff = 0, .l_linger = 0};
    const int64_t linger = s->opts.linger; /* one load: both halves of one setopts */

    if (GT_LINGER_ON(linger) != 0 && GT_LINGER_SECS(linger) > 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
}

/* The last one out: release the descriptor and the receive buffer, recycle the slot. CLOSER:
 * whether this is the thread of gt_close. */
static void finalize(struct gt_sock *s, int closer)
{
    if (s->kind == GT_KIND_MAILBOX) {
        gt__park_forget(s, gt__mailbox_poller_fd(s->mb)); /* before its poller closes */
        gt__mailbox_free(s->mb);
        s->mb = NULL;
    } else {
        int fd = s->fd;

        gt__mailbox_forget(s); /* leave the owner's lists; closing the fd leaves its poller */
        if (gt__sendq_len(s) > 0) {
            /* Queued by a send that raced the close past its drain: this data will never be
             * sent, so the peer must see a reset, not a FIN that makes a cut stream look whole. */
            struct linger cut = {.l_onoff = 1, .l_linger = 0};

            setsockopt(fd, SOL_SOCKET, SO_LINGER, &cut, sizeof(cut));
        } else if (!closer) {
            drop_linger_wait(s, fd);
        }
        gt__sendq_free(s);      /* and the I/O thread's poller, before the fd closes */
        gt__park_forget(s, fd); /* and the parking poller's */
        /* Unmarked before the close, so gt__fd_owned never claims a number the kernel has
         * already handed to someone else. */
        __atomic_store_n(&s->fd, -1, __ATOMIC_RELEASE);
        close(fd);
        gt__tstamp_free(s); /* no wait reads its error queue now */
    }
    s->fd = -1;
    gt__rbuf_free(s);
    gt__slot_recycle(s);
}

static void release(struct gt_sock *s, int closer)
{
    if (gt__slot_unref(s))
        finalize(s, closer);
}

void gt__release(struct gt_sock *s)
{
    release(s, 0);
}

/* Mark HANDLE closed (NULL if it was already), holding a reference of the closer's own. */
static struct gt_sock *close_mark(int64_t handle)
{
    struct gt_sock *s = gt__slot_close(handle);

    /* No message comes after a close: leave the owner's poller now, not when the last call
     * leaves the socket (a poller that kept reporting it would spin its owner meanwhile). */
    if (s != NULL && s->kind != GT_KIND_MAILBOX)
        gt__mailbox_forget(s);
    return s;
}

/* End the close of S marked by close_mark: wake the others, drop the closer's reference. */
static void close_end(struct gt_sock *s, int linger)
{
    if (s->kind == GT_KIND_MAILBOX) {
        /* An owner that goes away takes its sockets with it, as an exiting Erlang process. */
        gt__mailbox_closing(s);
        release(s, linger);
        return;
    }
    if (gt__slot_refs(s) > 1) {
        /* Other calls are inside the socket, perhaps asleep in recv, accept, send or poll.
         * shutdown() wakes all of them at once and they see the closed mark on their way
         * out. It also ends the connection, which close() is about to do anyway. With
         * {linger, {true, 0}} a shutdown would show the peer a FIN before the reset, so the
         * connection is reset instead (connect(AF_UNSPEC), which wakes them just as well). */
        struct sockaddr unspec = {.sa_family = AF_UNSPEC};

        if (s->kind != GT_KIND_STREAM || s->opts.linger != GT_LINGER(1, 0) ||
            connect(s->fd, &unspec, sizeof(unspec)) < 0)
            shutdown(s->fd, SHUT_RDWR);
    }
    release(s, linger); /* without LINGER, not even the kernel's close(2) waits */
}

int32_t gt_close(int64_t handle)
{
    gt__flush_gathered_here(); /* a close may linger */
    return gt__close(handle, 1);
}

/* Whether S's close must linger for its queue (gt__sendq_close_begin, which wakes a sender
 * asleep on it, or drops the queue when there is nothing to wait for). Only a connected
 * socket of the inet backend has a queue: the socket backend's blocked sender holds
 * send_lock. */
static int close_lingers(struct gt_sock *s, int linger)
{
    if (s->kind != GT_KIND_STREAM || s->opts.socket_backend || !gt__sendq_close_begin(s, linger))
        return 0;
    /* A parked sender is not woken by what the start did (it waits for OUT), nor later: tell
     * it now. (Otherwise the close shuts the connection down or resets it, which reports it.) */
    gt__park_kick(s);
    return 1;
}

/* LINGER 0 (a mailbox closing the sockets it owns, as an exiting Erlang process does): no
 * waiting for queued data, which is dropped with a reset (gt__sendq_close_begin). */
int32_t gt__close(int64_t handle, int linger)
{
    struct gt_sock *s = close_mark(handle);

    if (s == NULL)
        return 0; /* already closed: OTP's close is idempotent */
    /* Data still queued: wait for it as the linger option says (OTP); that wait is this
     * thread's alone, the others blocked in the socket wake at once. */
    if (close_lingers(s, linger))
        gt__sendq_linger(s);
    close_end(s, linger);
    return 0;
}

/* gt__close in two halves, for a closer that lingers parked (gt__sendq_linger_step in place of
 * gt__sendq_linger): the closer's reference holds the socket between them. */
int64_t gt_close_parked(int64_t handle)
{
    struct gt_sock *s = close_mark(handle);
    int64_t left;

    if (s == NULL)
        return 0; /* already closed */
    if (close_lingers(s, 1)) {
        left = gt__sendq_linger_step(s, 0);
        if (left > 0) {
            gt__park_want(s, GT_PARK_OUT, 1); /* the closer's reference holds the socket */
            atomic_store(&s->linger_parked, 1);
            return left;
        }
    }
    close_end(s, 1);
    return 0;
}

int64_t gt_close_resume(int64_t handle, int32_t give_up)
{
    struct gt_sock *s = gt__held(handle);
    int64_t left;

    if (s == NULL || !atomic_load(&s->linger_parked))
        return -EINVAL;
    left = gt__sendq_linger_step(s, give_up != 0);
    if (left > 0)
        return left;
    atomic_store(&s->linger_parked, 0);
    gt__park_want(s, GT_PARK_OUT, -1);
    close_end(s, 1);
    return 0;
}

/* The next packet cannot be taken: it broke the framing rules (emsgsize), or no memory could
 * be had for it (enomem). OTP closes the connection for the first; both lose the stream's
 * position. The peer sees 'closed' and later calls see enotconn (nothing is owed to them, see
 * ending.c); the stream has ended for this side, so the owner, should the socket be or turn
 * active, hears tcp_closed once, as OTP's does. What is buffered is dropped. */
void gt__socket_fail(struct gt_sock *s)
{
    gt__rbuf_free(s);
    s->eof = 1;
    s->reset = 0; /* the end is this side's, told as the error */
    atomic_store(&s->dead, GT_DEAD_ERROR);
    atomic_store(&s->owner_owed, 1);
    shutdown(s->fd, SHUT_RDWR);
}
