/*
 * iothread.c - the background I/O thread: one per process, started by the first socket that
 * has something queued. It does only what nobody waits for: it writes send queues once the
 * kernel has room (and, through gt__sendq_flush, the postponed shutdown(write) after the last
 * byte). A sender that must wait (a queue at its high watermark, a close that lingers) waits
 * and flushes on its own thread instead, so that no hand-off sits on the path of a caller.
 * Its send(2) runs without the socket's send_lock (gt__sendq_write_out): senders keep
 * appending meanwhile, and never wait for a copy into the kernel.
 *
 * Two ways bring a socket to the thread:
 *  - The kernel is full: the socket is in the thread's poller, for writability, exactly while
 *    its queue is non-empty (io_watched, under send_lock), and the thread writes as soon as
 *    the kernel has room. The poller reports it with its handle as the token, so an event for
 *    a socket closed meanwhile fails gt__acquire on its generation and is dropped: the thread
 *    can never write to a descriptor number the kernel has given to someone else.
 *  - delay_send: the kernel has room, but the sender gathers packets into one write. It
 *    writes a whole batch itself (send.c); what it leaves when it pauses is written here. Such
 *    a socket is on the delayed list (delay_listed), by handle as well, and every
 *    GT_DELAY_SEND_TICK_NS while the list is not empty the thread looks at each: a queue that
 *    no send added to since the previous look (delay_active) is written, and so is one that
 *    has not been empty for GT_DELAY_SEND_MAX_LOOKS looks. So a paused sender's last packets
 *    leave one to two ticks after its last send (later with thousands of
 *    sockets listed, see GT_DELAY_SEND_LOOK_SHARE), and a busy sender is never raced for its
 *    queue: each write made under it would be a small one and cost both threads a lock
 *    hand-over, which halved delay_send's throughput when the thread wrote at once.
 *    A sender wakes the thread only when the list goes from empty to not empty; its socket
 *    stays listed, without further wakes or system calls, for as long as it keeps sending.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "internal.h"
#include "platform.h"
#include "poller.h"

/* Events taken per wait; more are served by the next wait (level-triggered). */
#define GT_IO_BATCH 64

/* The most the thread writes per turn for one socket, so that one busy socket does not delay
 * the others long; the poller reports a socket with more queued again at once
 * (level-triggered). */
#define GT_IO_WRITE_MAX (256 * 1024)

/* How long a delay_send queue waits for more packets once its sender stops adding to it: the
 * time between two looks at the delayed list. Short enough to be lost in a network round
 * trip; long enough that a sender keeping up its pace fills a batch first, and that the
 * thread's ticks cost a busy sender little (50,000 wake-ups a second at most, and none once
 * the list is empty). */
#define GT_DELAY_SEND_TICK_NS (20 * 1000)

/* The time between two looks is at least this many times what the last look took: with
 * thousands of delay_send sockets listed, the thread spends at most a tenth of its time
 * looking, and a paused sender's packets wait correspondingly longer (10 ms for ~10,000). */
#define GT_DELAY_SEND_LOOK_SHARE 10

static pthread_once_t io_once = PTHREAD_ONCE_INIT;
static struct gt_poller *io_poller;
static int io_start_error; /* -errno when the thread could not start: senders then wait */

/* The delayed list, in two halves under delay_lock: senders add to delayed[delay_cur] while
 * the thread serves the other, so that it never holds delay_lock while taking a send_lock
 * (senders take delay_lock under their send_lock). */
struct handle_list {
    int64_t *handles;
    size_t len, cap;
};
static pthread_mutex_t delay_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handle_list delayed[2];
static int delay_cur;

/* Put HANDLE on the delayed list. Returns whether the list was empty before, or -ENOMEM. */
static int delay_list_push(int64_t handle)
{
    struct handle_list *l;
    int64_t *grown;
    size_t cap;
    int was_empty;

    pthread_mutex_lock(&delay_lock);
    l = &delayed[delay_cur];
    if (l->len == l->cap) {
        cap = l->cap == 0 ? 16 : l->cap * 2;
        grown = realloc(l->handles, cap * sizeof(*grown));
        if (grown == NULL) {
            pthread_mutex_unlock(&delay_lock);
            return -ENOMEM;
        }
        l->handles = grown;
        l->cap = cap;
    }
    was_empty = l->len == 0;
    l->handles[l->len++] = handle;
    pthread_mutex_unlock(&delay_lock);
    return was_empty;
}

/* Put S on the delayed list (send_lock held): as delay_list_push; S is listed unless -ENOMEM. */
static int delay_list_add(struct gt_sock *s)
{
    int rc = delay_list_push(gt__handle_of(s));

    if (rc >= 0)
        s->delay_listed = 1;
    return rc;
}

static int delay_list_empty(void)
{
    int empty;

    pthread_mutex_lock(&delay_lock);
    empty = delayed[delay_cur].len == 0;
    pthread_mutex_unlock(&delay_lock);
    return empty;
}

/* Have the poller report S once the kernel has room (send_lock held, bytes queued). Should
 * the registration fail (ENOMEM, or epoll's max_user_watches), list S instead: the next look
 * writes what the kernel takes and tries again. */
static void watch_or_list(struct gt_sock *s)
{
    if (gt__io_watch(s) < 0)
        (void)delay_list_add(s);
}

/* Stay listed (send_lock held): with no memory for that, have the queue written at once. */
static void stay_listed(struct gt_sock *s)
{
    if (delay_list_add(s) < 0 && gt__sendq_len(s) > 0)
        (void)gt__io_watch(s);
}

/* One look at a listed socket (send_lock held): write a queue whose sender has paused, or
 * whose oldest packets have waited GT_DELAY_SEND_MAX_LOOKS looks; keep watching one whose
 * sender is still adding to it. */
void gt__io_delay_look(struct gt_sock *s)
{
    int active = s->delay_active;

    s->delay_listed = 0;
    s->delay_active = 0;
    if (s->send_waiters > 0 || s->io_watched)
        /* A waiter writes the queue itself (and hands it back with gt__io_watch); a watched
         * one is written as soon as the kernel has room. */
        return;
    if (gt__sendq_len(s) == 0) {
        /* Written as a batch by its sender: a sender still at it stays listed, so that its
         * next packets cost no wake-up; a paused one leaves the list. */
        if (active)
            stay_listed(s);
        return;
    }
    if (active && ++s->delay_looks < GT_DELAY_SEND_MAX_LOOKS) {
        stay_listed(s);
        return;
    }
    /* Bytes left after the write: the kernel is full (or GT_IO_WRITE_MAX was reached), so
     * wait for room, unless a sender appended meanwhile and listed the socket again. An
     * error waits in send_err for the next call. */
    if (gt__sendq_write_out(s, GT_IO_WRITE_MAX) > 0 && !s->delay_listed)
        watch_or_list(s);
}

static void delay_serve(void)
{
    struct handle_list *l;
    struct gt_sock *s;
    size_t i;

    pthread_mutex_lock(&delay_lock);
    l = &delayed[delay_cur];
    delay_cur ^= 1;
    pthread_mutex_unlock(&delay_lock);
    for (i = 0; i < l->len; i++) {
        s = gt__acquire(l->handles[i]);
        if (s == NULL)
            continue; /* closed since; a socket reusing its slot starts unlisted */
        /* A send_lock held now is most likely its sender's, busy sending: look again at the
         * next tick rather than sleep on the lock and cost the sender a futex wake-up. */
        if (pthread_mutex_trylock(&s->send_lock) != 0) {
            if (delay_list_push(l->handles[i]) >= 0) { /* still listed, as delay_listed says */
                gt__release(s);
                continue;
            }
            pthread_mutex_lock(&s->send_lock); /* no memory to look later: look now */
        }
        gt__io_delay_look(s);
        pthread_mutex_unlock(&s->send_lock);
        gt__release(s);
    }
    l->len = 0;
}

/* Serve the poller's events: sockets whose kernel buffer has room again. */
static void serve_writable(const struct gt_poll_event *events, int n)
{
    struct gt_sock *s;
    int i;

    for (i = 0; i < n; i++) {
        s = gt__acquire((int64_t)events[i].token);
        if (s == NULL)
            continue; /* closed since: its finalize leaves the poller */
        if (events[i].events & GT_POLL_ERR)
            gt__tstamp_drain(s); /* kernel timestamps would wake every wait: see tstamp.c */
        pthread_mutex_lock(&s->send_lock);
        if (s->io_watched && s->send_waiters > 0)
            /* A sender waits for the low mark, polling for room itself: it writes. Were this
             * thread to drain the queue under the waiter while the kernel fills up again, no
             * POLLOUT would come to tell the waiter it may go on. */
            gt__io_unwatch(s);
        else if (s->io_watched)
            (void)gt__sendq_write_out(s, GT_IO_WRITE_MAX); /* an error waits in send_err */
        pthread_mutex_unlock(&s->send_lock);
        gt__release(s);
    }
}

static void *io_main(void *arg)
{
    struct gt_poll_event events[GT_IO_BATCH];
    int64_t next_tick = 0, interval = GT_DELAY_SEND_TICK_NS, timeout, now;
    int n;

    (void)arg;
    gt__thread_name("gentcp-io");
    gt__thread_precise_timers(); /* the ticks are tens of microseconds */
    /* Started by whichever thread queued first: not on its CPU should it be pinned (a busy
     * poller's core is its own). */
    gt__thread_use_process_cpus();
    for (;;) {
        timeout = -1;
        if (!delay_list_empty()) {
            now = gt__now_ns();
            if (next_tick == 0)
                next_tick = now + interval;
            timeout = next_tick > now ? next_tick - now : 0;
        }
        /* A sender that lists a socket on an empty list wakes this wait (a wake made before
         * it is kept for it), so an infinite timeout never strands a listed socket. */
        n = gt__poller_wait(io_poller, events, GT_IO_BATCH, timeout);
        if (n > 0)
            serve_writable(events, n);
        now = gt__now_ns();
        if (next_tick != 0 && now >= next_tick) {
            delay_serve();
            next_tick = 0;
            /* Many listed sockets make a look long: the next waits GT_DELAY_SEND_LOOK_SHARE
             * times as long, so that looking never takes more than a share of this thread
             * (and of a core), whatever the number of delay_send sockets. */
            interval = (gt__now_ns() - now) * GT_DELAY_SEND_LOOK_SHARE;
            if (interval < GT_DELAY_SEND_TICK_NS)
                interval = GT_DELAY_SEND_TICK_NS;
        }
    }
    return NULL;
}

static void io_start(void)
{
    pthread_attr_t attr;
    pthread_t tid;
    sigset_t all, old;
    int rc;

    rc = gt__poller_open(&io_poller);
    if (rc < 0) {
        io_start_error = rc;
        return;
    }
    /* The thread inherits the creator's signal mask: block everything, so that the JVM's
     * (or the application's) signals are never delivered to a thread it does not know. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&tid, &attr, io_main, NULL);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        gt__poller_close(io_poller);
        io_poller = NULL;
        io_start_error = -rc;
    }
}

int gt__io_watch(struct gt_sock *s)
{
    int rc;

    if (s->io_watched)
        return 0;
    pthread_once(&io_once, io_start);
    if (io_poller == NULL)
        return io_start_error;
    rc = gt__poller_add(io_poller, s->fd, GT_POLL_OUT, (uint64_t)gt__handle_of(s));
    if (rc == 0)
        s->io_watched = 1;
    return rc;
}

void gt__io_unwatch(struct gt_sock *s)
{
    if (!s->io_watched)
        return;
    gt__poller_remove(io_poller, s->fd);
    s->io_watched = 0;
}

int gt__io_delay(struct gt_sock *s)
{
    int rc;

    s->delay_active = 1;
    if (s->delay_listed || s->io_watched)
        return 0; /* listed already, or written as soon as the kernel has room */
    pthread_once(&io_once, io_start);
    if (io_poller == NULL)
        return io_start_error;
    rc = delay_list_add(s);
    if (rc < 0)
        return gt__io_watch(s); /* no memory to wait: write it at once */
    if (rc > 0)
        (void)gt__poller_wake(io_poller); /* the thread may be waiting without a timeout */
    return 0;
}
