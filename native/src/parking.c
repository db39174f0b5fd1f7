/*
 * parking.c - the parking poller: how a thread that must not block in C (a Java virtual
 * thread, which would pin its carrier) waits for a socket.
 *
 * The waiter calls C only in forms that never block and sleeps in Java. Between the two it
 * arms its socket's fd in one process-wide poller (poller.h, opened on first use), one-shot,
 * under the socket's handle as token; its wakers loop in gt_park_wait, which hands them
 * batches of ready handles, and wake whoever waits on each (Java's is a virtual thread that
 * polls without waiting and goes idle through gt_park_idle, below). Nothing here calls into
 * Java.
 *
 *   gt_park_begin   the wait holds a reference to the socket (and, for a receive, the right
 *                   to receive: recv_busy = GT_RECV_PARKED, so another recv still meets
 *                   EALREADY while this one sleeps) until gt_park_end, and declares the
 *                   direction it waits for.
 *   gt_park_arm     (re-)arm the fd for one report: added on the first arm, re-enabled later.
 *   gt_park_end     give them back.
 * A parked send (send.c) and a lingering parked close (close.c, sendq.c) hold the socket with
 * their own call's reference instead, and declare OUT themselves (gt__park_want).
 *
 * Why the reference: gt_close shuts the descriptor down when a call is inside the socket, which
 * makes the armed fd ready (HUP), so a parked waiter hears of the close at once; and the fd
 * cannot be finalized while it is armed. finalize (close.c) removes the fd from this poller
 * before it closes it (gt__park_forget), so a number the kernel gives to a new socket never
 * carries an old registration. A report already collected for the old socket may still come
 * out of a wait: its token holds the old handle's generation, and waking a thread for it is
 * at worst a spurious wake-up, which every waiter survives (it retries, then arms again).
 *
 * Lost wake-ups: a one-shot arm of an fd that is ready already is reported (poller.h), so
 * "try, arm, sleep" misses nothing that arrived between the try and the arm; and the wake
 * itself may come before the sleep (Java's LockSupport keeps it as a permit).
 *
 * A mailbox (gt_mailbox_receive's caller) waits the same way: what it arms is its own poller's
 * descriptor (poller.h's gt__poller_fd), readable while the mailbox's wait would return: one
 * of its sockets is ready, or gt_mailbox_wake, a hand-over or a close woke it. Its receive
 * side needs no claim (the mailbox has one owner thread); gt_mailbox_receive with time limit
 * 0 is the try. That try may consume a wake's signal after it looked at the wake's flag, or a
 * wake may have found no poller yet: the arm wakes the mailbox's poller again while a flag is
 * left (gt__mailbox_park_fd), so it is reported at once and no wake-up is lost.
 *
 * Both directions at once: a socket has one registration in the poller, but a receive (IN) and
 * a send (OUT) may be parked on it together. Each wait declares its direction for its whole
 * life (gt_park_begin to gt_park_end, or a parked send's or close's own calls: gt__park_want),
 * and every arm, whoever makes it, asks for every direction declared, under the socket's
 * park_lock so that two arms cannot each leave out the other's. A report disarms the whole
 * registration (or, with kqueue's two knotes, one direction of it), so the caller wakes every
 * waiter of the socket on a report: each tries again, and arms again if it must still wait.
 * A direction declared by a wait that has just ended may still be armed: at worst a spurious
 * report, after which the next arm leaves it out.
 *
 * A waiter whose wait ends without its fd becoming ready (a close that lingers on a socket a
 * sender waits on; a parked send that lets the sending side go while another waits for it) is
 * reported by a kick: its handle joins a list that gt_park_wait hands out before it polls.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"
#include "poller.h"

/* A poller of the process, opened by the first caller that needs it (pthread_once). */
struct gt_once_poller {
    pthread_once_t once;
    int rc; /* what gt__poller_open answered */
    struct gt_poller *p;
};

/* OP's poller, opened by OPEN if this is the first call; NULL with *RC = -errno if it could
 * not be. */
static struct gt_poller *once_poller(struct gt_once_poller *op, void (*open)(void), int *rc)
{
    pthread_once(&op->once, open);
    *rc = op->rc;
    return op->rc == 0 ? op->p : NULL;
}

static struct gt_once_poller park = {PTHREAD_ONCE_INIT, 0, NULL};

static void park_open(void)
{
    park.rc = gt__poller_open(&park.p);
}

/* The parking poller. */
static struct gt_poller *poller(int *rc)
{
    return once_poller(&park, park_open, rc);
}

/* Handles kicked (gt__park_kick) and not yet handed out by gt_park_wait. */
static pthread_mutex_t kick_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t *kicked;
static size_t nkicked, kick_cap;

void gt__park_kick(struct gt_sock *s)
{
    struct gt_poller *p;
    int64_t *grown;
    int wanted, rc;

    pthread_mutex_lock(&s->park_lock);
    wanted = s->park_out > 0;
    pthread_mutex_unlock(&s->park_lock);
    if (!wanted)
        return;
    pthread_mutex_lock(&kick_lock);
    if (nkicked == kick_cap) {
        size_t cap = kick_cap ? kick_cap * 2 : 16;

        grown = realloc(kicked, cap * sizeof(*grown));
        if (grown == NULL) {
            /* No memory to list it: the waiter wakes at its own time limit, or when the fd
             * becomes ready. */
            pthread_mutex_unlock(&kick_lock);
            return;
        }
        kicked = grown;
        kick_cap = cap;
    }
    kicked[nkicked++] = gt__handle_of(s);
    pthread_mutex_unlock(&kick_lock);
    /* Even when S was never armed: its waiter may have looked already and not yet armed,
     * and it is found by the report (Parking.java enters before it looks). */
    p = poller(&rc);
    if (p != NULL)
        (void)gt__poller_wake(p);
}

/* Move at most MAX kicked handles to OUT; how many. */
static int take_kicked(int64_t *out, int max)
{
    int n = 0;

    pthread_mutex_lock(&kick_lock);
    while (nkicked > 0 && n < max)
        out[n++] = kicked[--nkicked];
    pthread_mutex_unlock(&kick_lock);
    return n;
}

void gt__park_want(struct gt_sock *s, int events, int delta)
{
    pthread_mutex_lock(&s->park_lock);
    if (events & GT_PARK_IN)
        s->park_in += delta;
    if (events & GT_PARK_OUT)
        s->park_out += delta;
    pthread_mutex_unlock(&s->park_lock);
}

static int valid_wait(int32_t what, int32_t events)
{
    return (what == GT_PARK_WAIT || what == GT_PARK_RECV) &&
           (events == GT_PARK_IN || events == GT_PARK_OUT) &&
           (what != GT_PARK_RECV || events == GT_PARK_IN);
}

int32_t gt_park_begin(int64_t handle, int32_t what, int32_t events)
{
    struct gt_sock *s;
    int expected = 0;

    if (!valid_wait(what, events))
        return -EINVAL;
    s = gt__acquire(handle);
    if (s == NULL)
        return -GT_ECLOSED;
    if (what == GT_PARK_RECV && s->kind == GT_KIND_MAILBOX) {
        gt__release(s);
        return -EINVAL; /* its receive claims its own side: a mailbox waits with GT_PARK_WAIT */
    }
    if (what == GT_PARK_RECV &&
        !atomic_compare_exchange_strong(&s->recv_busy, &expected, GT_RECV_PARKED)) {
        gt__release(s);
        return -EALREADY; /* OTP: one recv at a time per socket */
    }
    if (s->kind == GT_KIND_MAILBOX && events != GT_PARK_IN) {
        gt__release(s);
        return -EINVAL;
    }
    gt__park_want(s, events, 1);
    return 0;
}

int32_t gt_park_arm(int64_t handle, int32_t events)
{
    struct gt_sock *s = gt__held(handle);
    struct gt_poller *p;
    uint32_t ev;
    int rc, fd;

    if (s == NULL)
        return -EINVAL; /* not between gt_park_begin and gt_park_end */
    if (s->kind == GT_KIND_MAILBOX) {
        if (events != GT_PARK_IN)
            return -EINVAL;
        fd = gt__mailbox_park_fd(s);
        if (fd < 0)
            return fd;
    } else {
        fd = s->fd;
        if (fd < 0)
            return -EINVAL;
    }
    if (events != GT_PARK_IN && events != GT_PARK_OUT)
        return -EINVAL;
    p = poller(&rc);
    if (p == NULL)
        return rc;
    pthread_mutex_lock(&s->park_lock);
    /* Every direction a parked wait of S declared, so that this arm drops none of theirs. */
    ev = (uint32_t)events | GT_POLL_ONESHOT;
    if (s->park_in > 0)
        ev |= GT_POLL_IN;
    if (s->park_out > 0)
        ev |= GT_POLL_OUT;
    rc = -ENOENT;
    if (atomic_load(&s->park_registered))
        rc = gt__poller_modify(p, fd, ev, (uint64_t)handle);
    if (rc == -ENOENT) {
        rc = gt__poller_add(p, fd, ev, (uint64_t)handle);
        if (rc == 0)
            atomic_store(&s->park_registered, 1);
    }
    pthread_mutex_unlock(&s->park_lock);
    return rc;
}

int32_t gt_park_end(int64_t handle, int32_t what, int32_t events)
{
    struct gt_sock *s = gt__held(handle);
    int expected = GT_RECV_PARKED;

    if (s == NULL || !valid_wait(what, events))
        return -EINVAL;
    if (what == GT_PARK_RECV && !atomic_compare_exchange_strong(&s->recv_busy, &expected, 0))
        return -EINVAL; /* no receive was parked: the reference is not ours either */
    gt__park_want(s, events, -1);
    gt__release(s);
    return 0;
}

int32_t gt_park_wait(int64_t tokens, int32_t max, int64_t timeout_ns)
{
    struct gt_poll_event ev[GT_PARK_BATCH];
    int64_t *out = (int64_t *)(intptr_t)tokens;
    struct gt_poller *p;
    int rc, n, i;

    if (out == NULL || max < 1)
        return -EINVAL;
    p = poller(&rc);
    if (p == NULL)
        return rc;
    if (max > GT_PARK_BATCH)
        max = GT_PARK_BATCH;
    n = take_kicked(out, max);
    if (n > 0)
        return n;
    n = gt__poller_wait(p, ev, max, timeout_ns);
    for (i = 0; i < n; i++) {
        /* Kernel timestamps on the error queue would wake the socket's waiter at each arm:
         * moved aside, they wake it once (tstamp.c). */
        if (ev[i].events & GT_POLL_ERR)
            gt__tstamp_drain_handle((int64_t)ev[i].token);
        out[i] = (int64_t)ev[i].token;
    }
    return n;
}

/*
 * The watch poller: a second poller, opened on first use, in which the parking
 * poller's own descriptor (poller.h's gt__poller_fd) is armed one-shot under WATCH_TOKEN. So a
 * waker that polls the parking poller without waiting (Java's virtual-thread sub-poller, which
 * must not block its carrier) can go idle without missing a report: it arms the parking poller
 * here and sleeps, and a thread that may block (a platform thread in gt_park_watch) wakes it
 * when the next gt_park_wait would return at once.
 *
 * Lost wake-ups: the waker's sequence is "gt_park_wait(.., 0) answered 0, gt_park_idle, sleep".
 * A socket that became ready after the empty wait made the parking poller's descriptor
 * readable; if that came before the arm, the one-shot arm of a descriptor that is ready
 * already is reported at once (poller.h), and if after it, the armed descriptor is reported
 * when it becomes readable. Either way gt_park_watch returns, and its thread's wake of the
 * sleeper may come before the sleep (Java's LockSupport keeps it as a permit). gt_park_wake
 * makes the parking poller readable too, so it ends an idle waker's sleep as well.
 */
#define WATCH_TOKEN 0

static struct gt_once_poller watch = {PTHREAD_ONCE_INIT, 0, NULL};

static void watch_open(void)
{
    watch.rc = gt__poller_open(&watch.p);
}

static struct gt_poller *watcher(int *rc)
{
    return once_poller(&watch, watch_open, rc);
}

int32_t gt_park_idle(void)
{
    const uint32_t ev = GT_POLL_IN | GT_POLL_ONESHOT;
    struct gt_poller *p, *w;
    int rc, fd;

    p = poller(&rc);
    if (p == NULL)
        return rc;
    w = watcher(&rc);
    if (w == NULL)
        return rc;
    fd = gt__poller_fd(p);
    rc = gt__poller_modify(w, fd, ev, WATCH_TOKEN);
    if (rc != -ENOENT)
        return rc;
    rc = gt__poller_add(w, fd, ev, WATCH_TOKEN);
    if (rc == -EEXIST) /* another idle waker added it first */
        return gt__poller_modify(w, fd, ev, WATCH_TOKEN);
    return rc;
}

int32_t gt_park_watch(int64_t timeout_ns)
{
    struct gt_poll_event ev;
    struct gt_poller *w;
    int rc;

    w = watcher(&rc);
    if (w == NULL)
        return rc;
    return gt__poller_wait(w, &ev, 1, timeout_ns);
}

int32_t gt_park_wake(void)
{
    struct gt_poller *p;
    int rc;

    p = poller(&rc);
    return p == NULL ? rc : gt__poller_wake(p);
}

void gt__park_forget(struct gt_sock *s, int fd)
{
    if (atomic_load(&s->park_registered)) {
        /* Only registered after the poller opened, so it is there. */
        (void)gt__poller_remove(park.p, fd);
        atomic_store(&s->park_registered, 0);
    }
    pthread_mutex_lock(&s->park_lock);
    s->park_in = s->park_out = 0; /* the last one out: no wait is left */
    pthread_mutex_unlock(&s->park_lock);
}
