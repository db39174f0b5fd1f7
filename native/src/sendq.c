/*
 * sendq.c - a socket's send queue: the bytes a send handed to gentcp that the kernel has not
 * taken yet, written later by the background I/O thread (iothread.c) or by a sender that
 * waits. One contiguous buffer, appended at the end and written from the front: every write
 * is one send(2) of everything queued, so many small queued packets leave in one syscall.
 *
 * A waiter that must not sleep (gt_send_parked, gt_close_parked) waits in looks instead, each
 * a turn of the sleeping waiter's loop without the sleep, between which it parks in Java.
 *
 * Everything here runs with the socket's send_lock held, except the close's calls (which take
 * it: gt__sendq_close_begin, gt__sendq_linger, gt__sendq_linger_step), gt__sendq_flush_gathered
 * (which takes it too) and gt__sendq_free (the last one out, alone with the socket). One write
 * is made without the lock: the I/O thread's (gt__sendq_write_out), so that a sender never
 * waits for a copy into the kernel to append its packet. While it runs (io_writing) the bytes
 * it writes stay where they are: an append that needs room moves the queue to a new buffer,
 * and whoever would write, drop or free the queue first waits for it to end (one non-blocking
 * send(2)).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "platform.h"

/* A queue that grew past this is given back to the allocator once it is empty again, so that
 * one burst does not pin megabytes per idle socket. */
#define GT_SENDQ_KEEP (256 * 1024)

/* OTP's prim_inet close: give up when 5 s pass without progress, or after 180 s in all. */
#define GT_CLOSE_STALL_NS (5 * 1000000000LL)
#define GT_CLOSE_MAX_NS (180 * 1000000000LL)

size_t gt__sendq_len(const struct gt_sock *s)
{
    return s->qend - s->qstart;
}

/* Wait (send_lock held, released meanwhile) until the I/O thread's write outside the lock has
 * ended. It is one non-blocking send(2), so this is short; a condition variable would cost
 * the writer a syscall per write to spare this rare wait a few yields. */
static void wait_write_out(struct gt_sock *s)
{
    while (s->io_writing) {
        pthread_mutex_unlock(&s->send_lock);
        sched_yield();
        pthread_mutex_lock(&s->send_lock);
    }
}

/* What getstat reports as send_pend: the queue once a write of the I/O thread in progress has
 * ended, so that bytes a reader may already have received are never counted as pending. */
size_t gt__sendq_pending(struct gt_sock *s)
{
    wait_write_out(s);
    return gt__sendq_len(s);
}

/* Append the bytes of IOV after its first SKIP bytes. -ENOMEM leaves the queue unchanged. */
int gt__sendq_append(struct gt_sock *s, const struct iovec *iov, int iovcnt, size_t skip)
{
    size_t total = 0, len, need, cap;
    uint8_t *p;
    int i;

    for (i = 0; i < iovcnt; i++)
        total += iov[i].iov_len;
    if (skip >= total)
        return 0;
    total -= skip;
    if (s->qcap - s->qend < total) {
        len = gt__sendq_len(s);
        need = len + total;
        if (need < len)
            return -ENOMEM;
        /* Sliding the live bytes to the front pays off only when the room it frees (qstart)
         * is at least what it copies (len); otherwise a large queue draining slowly would be
         * copied whole for each small append. Then the buffer grows instead, to twice what
         * is needed, so that copies stay proportional to the bytes appended. */
        if (need > s->qcap || s->io_writing || s->qstart < len) {
            size_t want = s->qstart < len && need <= SIZE_MAX / 2 ? need * 2 : need;

            /* (While the I/O thread writes from the buffer, its bytes must not move: the
             * queue moves to a new one instead, and the old one is retired, not freed.) */
            cap = s->qcap < 4096 ? 4096 : s->qcap;
            while (cap < want)
                cap = cap * 2 > cap ? cap * 2 : want;
            /* Compact while moving: only the live bytes are copied. */
            p = gt__mem_alloc(GT_MEM_SENDQ, cap);
            if (p == NULL)
                return -ENOMEM;
            if (len > 0)
                memcpy(p, s->qbuf + s->qstart, len);
            if (s->io_writing && s->qretired == NULL) {
                s->qretired = s->qbuf; /* the one being written; a later one is not */
                s->qretired_cap = s->qcap;
            } else {
                gt__mem_free(GT_MEM_SENDQ, s->qbuf, s->qcap);
            }
            s->qbuf = p;
            s->qcap = cap;
        } else {
            memmove(s->qbuf, s->qbuf + s->qstart, len);
        }
        s->qstart = 0;
        s->qend = len;
    }
    for (i = 0; i < iovcnt; i++) {
        len = iov[i].iov_len;
        if (skip >= len) {
            skip -= len;
            continue;
        }
        memcpy(s->qbuf + s->qend, (const uint8_t *)iov[i].iov_base + skip, len - skip);
        s->qend += len - skip;
        skip = 0;
    }
    return 0;
}

/* Empty the queue (dropping what it holds) and leave the I/O thread's poller. */
static void discard(struct gt_sock *s)
{
    wait_write_out(s);
    s->qstart = s->qend = 0;
    s->delay_looks = 0; /* an empty queue has no age */
    if (s->qcap > GT_SENDQ_KEEP) {
        gt__mem_free(GT_MEM_SENDQ, s->qbuf, s->qcap);
        s->qbuf = NULL;
        s->qcap = 0;
    }
    gt__io_unwatch(s);
}

/*
 * Give the kernel what it takes of the queue, at most MAX bytes, without blocking. Returns 0
 * when the queue is
 * empty now (a postponed shutdown(write) has then been done), 1 when bytes remain, or -errno
 * when the write failed: the queue is then dropped, and the error kept in send_err for the
 * next call to report (errors of data queued earlier cannot be a result of the call that
 * queued it, which has returned).
 */
/* A write of queued data failed with ERR: drop the queue, keep the error for the next call. */
static int write_failed(struct gt_sock *s, int err)
{
    s->send_err = -err;
    if (gt__write_was_reset(s, -err))
        atomic_store(&s->write_reset, 1);
    s->shut_pending = 0;
    discard(s);
    return s->send_err;
}

/* The queue has been written to the end: let it go, and do the postponed shutdown(write). */
static int written_out(struct gt_sock *s)
{
    discard(s);
    if (s->shut_pending) {
        s->shut_pending = 0;
        shutdown(s->fd, SHUT_WR);
    }
    return 0;
}

int gt__sendq_flush(struct gt_sock *s, size_t max)
{
    size_t len;
    ssize_t n;

    if (s->io_writing)
        return 1; /* the I/O thread is at it; it (or its next turn) writes the rest */
    while (gt__sendq_len(s) > 0) {
        len = gt__sendq_len(s) < max ? gt__sendq_len(s) : max;
        n = gt__send(s->fd, s->qbuf + s->qstart, len, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 1;
            return write_failed(s, errno);
        }
        s->qstart += (size_t)n;
        if (gt__sendq_len(s) > 0)
            return 1; /* the kernel is full (another try would be EAGAIN), or MAX is written */
    }
    return written_out(s);
}

int gt__sendq_write_out(struct gt_sock *s, size_t max)
{
    const uint8_t *from;
    size_t len;
    ssize_t n;
    int err;

    if (s->io_writing)
        return 1;
    if (gt__sendq_len(s) == 0)
        return written_out(s);
    len = gt__sendq_len(s) < max ? gt__sendq_len(s) : max;
    from = s->qbuf + s->qstart;
    s->io_writing = 1;
    pthread_mutex_unlock(&s->send_lock);
    /* Senders append behind these bytes meanwhile (moving the queue elsewhere if they need
     * room); nobody else writes, drops or frees them: the caller holds a reference, so the
     * descriptor stays open too. */
    do
        n = gt__send(s->fd, from, len, MSG_DONTWAIT | GT_MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    err = errno;
    pthread_mutex_lock(&s->send_lock);
    s->io_writing = 0;
    gt__mem_free(GT_MEM_SENDQ, s->qretired, s->qretired_cap);
    s->qretired = NULL;
    s->qretired_cap = 0;
    if (n < 0)
        return err == EAGAIN || err == EWOULDBLOCK ? 1 : write_failed(s, err);
    /* The written bytes are still the queue's first ones, wherever it lives now. */
    s->qstart += (size_t)n;
    return gt__sendq_len(s) > 0 ? 1 : written_out(s);
}

/*
 * Wait, flushing on this thread, until at most LEVEL bytes are queued. 0; -GT_ETIMEOUT at
 * DEADLINE_NS (the data stays queued); -GT_ECLOSED when the socket is closed meanwhile; or
 * the write error, which stays in send_err for the caller to report. CLOSER: the thread of
 * gt_close, lingering; any other waiter gives up with -GT_ECLOSED as soon as a close begins.
 */
static int wait_for_level(struct gt_sock *s, size_t level, int64_t deadline_ns, int closer)
{
    int r, wake;

    for (;;) {
        if (!closer && gt__is_closed(s))
            return -GT_ECLOSED;
        if (s->send_err != 0)
            return s->send_err;
        if (gt__sendq_len(s) <= level)
            return 0;
        if (s->io_writing) {
            wait_write_out(s); /* then write what it left, or see it is enough */
            continue;
        }
        /* Write first: the kernel usually has room, and a poll that says so is a syscall
         * spent for nothing. Only what it does not take is waited for. */
        if (gt__sendq_flush(s, SIZE_MAX) <= 0 || gt__sendq_len(s) <= level)
            continue;
        if (deadline_ns != GT_NO_DEADLINE && gt__now_ns() >= deadline_ns)
            return -GT_ETIMEOUT;
        /* The closer lingers on this very descriptor, which it cannot shut down before the
         * linger ends: it wakes the others through the wake fd instead (close_begin_locked),
         * made here, before the lock is let go, so that a close never finds none to signal.
         * Should it fail to open (no descriptors left), a close wakes this wait when its
         * linger ends, by shutting the descriptor down. */
        if (!closer && s->wake_rd < 0)
            (void)gt__wake_open(&s->wake_rd, &s->wake_wr);
        wake = closer ? -1 : s->wake_rd;
        /* Let others append (whole packets) and the I/O thread flush while this one sleeps. */
        pthread_mutex_unlock(&s->send_lock);
        r = gt__wait_fd_or_wake(closer ? NULL : s, s->fd, POLLOUT, wake, deadline_ns);
        /* The closer's wait does not look at the socket (it is marked closed), so it does not
         * empty the error queue: the stamps of the bytes it writes would wake it over and
         * over. Its reference keeps the ring. */
        if (closer && r > 0)
            gt__tstamp_drain(s);
        pthread_mutex_lock(&s->send_lock);
        if (r < 0 && r != -GT_ETIMEOUT)
            return r;
    }
}

/* A waiter (not the closer) leaves: the last one hands the queue back to the I/O thread. */
static void waiter_leaves(struct gt_sock *s)
{
    if (--s->send_waiters > 0)
        return;
    /* The last waiter leaves: nobody sleeps on the wake fd, and a closer signals it only
     * under send_lock, held here, after marking the socket closed; so while the socket is
     * open it can go (10k back-pressured sockets would otherwise keep 10k more descriptors,
     * 20k for a pipe). Once closed, finalize closes it. */
    if (s->wake_rd >= 0 && !gt__is_closed(s)) {
        gt__wake_close(s->wake_rd, s->wake_wr);
        s->wake_rd = s->wake_wr = -1;
    }
    /* Once closed the queue is the closer's (it unwatched it; a parked closer is not counted
     * among the waiters), and the I/O thread could not acquire the socket to write it: a
     * watch would only report the writable fd to it again and again until the close ends. */
    if (gt__sendq_len(s) > 0 && s->send_err == 0 && !gt__is_closed(s) &&
        gt__io_watch(s) < 0)   /* the I/O thread writes what is left, as before */
        (void)gt__io_delay(s); /* or, the poller full, at its next look */
}

static int wait_as(struct gt_sock *s, size_t level, int64_t deadline_ns, int closer)
{
    int r;

    /* While this thread waits, the I/O thread leaves the queue to it (see io_main), so that
     * the queue cannot drain under it unseen. The closer keeps it: the I/O thread cannot
     * acquire a closed socket to write it. */
    s->send_waiters++;
    r = wait_for_level(s, level, deadline_ns, closer);
    if (closer)
        s->send_waiters--;
    else
        waiter_leaves(s);
    return r;
}

/*
 * A parked waiter (gt_send_parked): registered as a waiter as a sleeping one is, from its
 * first look until the look that ends its wait. Each look is one turn of wait_for_level without the sleep: 1 while the queue is
 * still above LEVEL (the caller arms for OUT and looks again once woken); otherwise the wait
 * is over, the waiter gone, and the answer is gt__sendq_wait's. GIVE_UP: the caller's time
 * limit has passed, so a look that does not reach LEVEL answers -GT_ETIMEOUT.
 */
void gt__sendq_park(struct gt_sock *s)
{
    s->send_waiters++;
    s->send_parked++;
}

int gt__sendq_wait_parked(struct gt_sock *s, size_t level, int give_up)
{
    int r;

    for (;;) {
        if (gt__is_closed(s)) {
            r = -GT_ECLOSED;
            break;
        }
        if (s->send_err != 0) {
            r = s->send_err;
            break;
        }
        if (gt__sendq_len(s) <= level) {
            r = 0;
            break;
        }
        if (s->io_writing) {
            wait_write_out(s);
            continue;
        }
        if (gt__sendq_flush(s, SIZE_MAX) <= 0 || gt__sendq_len(s) <= level)
            continue;
        if (give_up) {
            r = -GT_ETIMEOUT;
            break;
        }
        return 1;
    }
    s->send_parked--;
    waiter_leaves(s);
    return r;
}

int gt__sendq_wait(struct gt_sock *s, size_t level, int64_t deadline_ns)
{
    return wait_as(s, level, deadline_ns, 0);
}

/*
 * End the connection with a reset, now, keeping the descriptor: connect(AF_UNSPEC) makes a
 * TCP socket disconnect, which sends RST and wakes every thread blocked on it. Some kernels
 * (for a while in 2023) refuse with EBUSY while a thread sleeps in the socket: then
 * SO_LINGER {1, 0} makes the final close reset, shutdown(SHUT_RD) wakes the readers without
 * sending anything, and the disconnect is tried again a few times as they leave. Only if it is
 * still refused does shutdown(SHUT_RDWR) wake the rest, at the cost of a FIN before the reset.
 */
#define GT_DISCONNECT_TRIES 100

static int disconnect(int fd)
{
    struct sockaddr sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_family = AF_UNSPEC;
    return connect(fd, &sa, sizeof(sa));
}

void gt__sendq_reset(struct gt_sock *s)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    int i;

    discard(s);
    s->shut_pending = 0;
    /* A sender waiting on this queue must not take its dropped packet for a sent one. */
    s->send_err = -GT_ECLOSED;
    if (disconnect(s->fd) == 0)
        return;
    setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    shutdown(s->fd, SHUT_RD);
    for (i = 0; i < GT_DISCONNECT_TRIES; i++) {
        sched_yield(); /* let the woken readers leave the socket */
        if (disconnect(s->fd) == 0)
            return;
    }
    shutdown(s->fd, SHUT_RDWR);
}

/*
 * Close with data queued, as OTP's prim_inet does: the closing thread waits while the queue
 * drains. With the default {linger, {false, _}} it gives up after 5 s without progress (or
 * 180 s in all); {linger, {true, T}} waits at most T s; {linger, {true, 0}} drops the queue
 * at once (the kernel's SO_LINGER 0 then resets the connection). Giving up drops what is
 * still queued and resets the connection, so the peer cannot take a cut stream for a whole one.
 * Without LINGER (a mailbox closing its sockets) that happens at once.
 */
/* The start of the close of S (send_lock held): 0 when nothing is left to linger for, 1 when
 * the closer must wait for the queue within the limits it sets in s->linger_*. */
static int close_begin_locked(struct gt_sock *s, int linger)
{
    int64_t start = gt__now_ns();
    const int64_t set = s->opts.linger; /* one load: both halves of one setopts */
    int on = GT_LINGER_ON(set);
    int64_t secs = GT_LINGER_SECS(set);

    /* The socket is marked closed already (gt__close). The linger wait is the closer's
     * alone: a sender asleep waiting for its low mark wakes now and answers closed. */
    if (s->wake_rd >= 0)
        gt__wake_signal(s->wake_wr);
    if (gt__sendq_len(s) == 0 || (on && secs == 0)) {
        discard(s);
        return 0;
    }
    if (!linger) {
        gt__sendq_reset(s);
        return 0;
    }
    /* Readers asleep in recv wake too (the writing side is untouched), and the queue is this
     * thread's to write from now: the I/O thread cannot acquire a closed socket. */
    shutdown(s->fd, SHUT_RD);
    gt__io_unwatch(s);
    s->linger_on = on;
    s->linger_total_ns = start + (on ? secs * 1000000000LL : GT_CLOSE_MAX_NS);
    s->linger_stall_ns = on ? s->linger_total_ns : start + GT_CLOSE_STALL_NS;
    return 1;
}

/* The linger's current limit: the stall's or the total's, whichever comes first. */
static int64_t linger_deadline(const struct gt_sock *s)
{
    return s->linger_stall_ns < s->linger_total_ns ? s->linger_stall_ns : s->linger_total_ns;
}

int gt__sendq_close_begin(struct gt_sock *s, int linger)
{
    int r;

    pthread_mutex_lock(&s->send_lock);
    r = close_begin_locked(s, linger);
    pthread_mutex_unlock(&s->send_lock);
    return r;
}

void gt__sendq_linger(struct gt_sock *s)
{
    size_t before;
    int r;

    pthread_mutex_lock(&s->send_lock);
    while (gt__sendq_len(s) > 0 && s->send_err == 0) {
        before = gt__sendq_len(s);
        r = wait_as(s, before - 1, linger_deadline(s), 1);
        if (r < 0)
            break;
        if (!s->linger_on) /* progress was made */
            s->linger_stall_ns = gt__now_ns() + GT_CLOSE_STALL_NS;
    }
    if (gt__sendq_len(s) > 0)
        gt__sendq_reset(s);
    pthread_mutex_unlock(&s->send_lock);
}

/* As gt__sendq_linger, for a closer that must not block (gt_close_parked): one look, which
 * writes what the kernel takes without waiting, as gt__sendq_linger's loop does between its
 * sleeps. */

int64_t gt__sendq_linger_step(struct gt_sock *s, int give_up)
{
    int64_t left;
    size_t before;

    pthread_mutex_lock(&s->send_lock);
    while (gt__sendq_len(s) > 0 && s->send_err == 0) {
        wait_write_out(s);
        before = gt__sendq_len(s);
        if (gt__sendq_flush(s, SIZE_MAX) < 0)
            break; /* failed: dropped, the error kept */
        if (gt__sendq_len(s) < before) {
            if (!s->linger_on) /* progress was made */
                s->linger_stall_ns = gt__now_ns() + GT_CLOSE_STALL_NS;
            continue;
        }
        left = linger_deadline(s) - gt__now_ns();
        if (give_up || left <= 0)
            break;
        /* The parking poller cannot take a closed socket's stamps (tstamp.c): taken here,
         * or each would end the closer's parked wait at once, over and over. */
        gt__tstamp_drain(s);
        pthread_mutex_unlock(&s->send_lock);
        return left;
    }
    if (gt__sendq_len(s) > 0)
        gt__sendq_reset(s);
    pthread_mutex_unlock(&s->send_lock);
    return 0;
}

void gt__sendq_free(struct gt_sock *s)
{
    gt__io_unwatch(s);
    gt__mem_free(GT_MEM_SENDQ, s->qbuf, s->qcap);
    s->qbuf = NULL;
    s->qstart = s->qend = s->qcap = 0;
    s->send_err = 0;
    s->shut_pending = 0;
    atomic_store(&s->write_reset, 0);
    if (s->wake_rd >= 0)
        gt__wake_close(s->wake_rd, s->wake_wr);
    s->wake_rd = s->wake_wr = -1;
}

/* The deadline send_timeout sets for a send that starts now. */
int64_t gt__send_deadline(const struct gt_sock *s)
{
    int64_t t = s->opts.send_timeout;

    return t == GT_SEND_TIMEOUT_INFINITY ? GT_NO_DEADLINE : gt__deadline(t);
}

void gt__sendq_flush_gathered(struct gt_sock *s, int64_t mailbox)
{
    pthread_mutex_lock(&s->send_lock);
    if (s->gathered_by == mailbox) {
        s->gathered_by = 0;
        /* As a send that is not delayed: write it all; what the kernel does not take now is
         * the I/O thread's. A closing socket's closer drains it; a waiter writes its own. */
        if (gt__sendq_len(s) > 0 && !gt__is_closed(s) && !gt__sendq_waited_on(s) &&
            gt__sendq_flush(s, SIZE_MAX) >= 0 && gt__sendq_len(s) > 0 && gt__io_watch(s) < 0)
            (void)gt__sendq_wait(s, 0, gt__send_deadline(s)); /* no I/O thread: write it here */
    }
    pthread_mutex_unlock(&s->send_lock);
}
