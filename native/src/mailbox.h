/*
 * mailbox.h - the mailbox object (struct gt_mailbox) as the files that make it up share it,
 * and what they call of each other. Private to them (and to the tests):
 *   mailbox_queue.c    what waits for the receive: control messages (the event queue) and the
 *                      ready list (its push is inline below: a receive pushes per socket)
 *   mailbox_gather.c   the sends gathered for the mailbox (gt_send_gathered), and their flush
 *   mailbox_poll.c     the mailbox's poller: opening it, arming the sockets it owns in it
 *   mailbox_receive.c  the receive loop (gt_mailbox_receive) and its held blocks
 *   mailbox.c          the object itself: open, close, free, ownership (adopt, move, forget)
 * The message format is message.h's.
 */
#ifndef GENTCP_MAILBOX_H
#define GENTCP_MAILBOX_H

#include <errno.h>
#include <string.h>

#include "internal.h"
#include "poller.h"

/*
 * How many events one poller wait takes: at first GT_WAITED_FIRST, doubled after each wait
 * that fills them up to GT_WAITED_MOST, as many sockets as a busy server has ready at once.
 *
 * A wait takes the head of the kernel's ready list, oldest first, and the next wait takes
 * what came after; but sockets that became ready while a wait was copying events out go to
 * the head, ahead of all that waited. Taking the whole list in one wait, and serving all of
 * it before the next, keeps that to a few: at 10,000 fanin connections fanin_echo's p99 was
 * about twice its p50 with 1,024 events per wait, 1.2-1.4 times with 16,384. (kqueue.c takes
 * at most its own batch per wait; the leftovers are still served before the next.)
 */
#define GT_WAITED_FIRST 256
#define GT_WAITED_MOST 16384

/* A growable list of handles. */
struct gt_hlist {
    int64_t *v;
    size_t n, cap;
};

/* A control message's entries in a mailbox's 'events' list, in this order. */
enum { GT_EVENT_KIND, GT_EVENT_REASON, GT_EVENT_HANDLE, GT_EVENT_ENTRIES };

/* A mailbox: the s->mb of a socket of kind GT_KIND_MAILBOX (mailbox.c). */
struct gt_mailbox {
    struct gt_poller *_Atomic poller; /* NULL until needed; set once, under the lock */
    uint8_t *held;                    /* the messages of a GT_MSG_HELD block, until released (the
                             * receiving thread's, under recv_busy); see serve_held */
    uint8_t *read_buf;     /* GT_MIN_READ bytes lent to each socket served that has no bytes
                             * buffered (rbuf.c); made at the first serve, the receiving
                             * thread's, freed with the mailbox */
    int poll_error;        /* -errno of a poller that could not be opened to arm a socket:
                             * the next receive reports it (under the lock) */
    atomic_int rearm_owed; /* a socket could not be armed for want of a poller: once one is
                             * open, a receive arms the owned sockets again
                             * (gt__mb_rearm_owned) */
    pthread_mutex_t lock;
    struct gt_hlist owned;   /* the sockets it owns */
    struct gt_hlist ready;   /* sockets to serve before waiting in the poller */
    struct gt_hlist serving; /* the ready list a receive is serving, swapped out of 'ready'
                              * whole so that serve may push onto 'ready' meanwhile; empty
                              * between passes, its room kept (no allocation per pass). The
                              * receiving thread's alone. */
    struct gt_hlist events;  /* control messages, GT_EVENT_ENTRIES entries each */
    /* The sockets named by the messages of the last receive, one entry per serve or control
     * message, each pinned (gt__pin) until the next receive: by then the owner thread has
     * read them, so the slot of a socket closed meanwhile can be reused. The receiving
     * thread's alone. */
    struct gt_hlist taken;
    /* Sockets whose delay_send queues gt_send_gathered left for gt_mailbox_flush to write
     * (under the lock: pushed by the senders, swapped out whole by the flush). */
    struct gt_hlist gathered;
    int idle; /* enum gt_idle: how receive waits */
    int64_t spin_ns;
    atomic_int woken;   /* gt_mailbox_wake was called: receive returns 0 */
    atomic_int queued;  /* control messages and ready sockets, readable without the
                             * lock: receive skips the lock when both lists are empty, the
                             * usual case (gt__mb_recount_locked) */
    int closing;        /* set under the lock by close: no socket may join any more */
    int64_t wants_room; /* the socket whose next message did not fit (receive's own) */
    /* The last poller wait's events, served in the kernel's order over as many receives as
     * they take, before the next wait (made with the poller, under the lock; then the
     * receiving thread's; see next_events). */
    struct gt_poll_event *waited;
    int waited_n, waited_at, waited_cap;
};

/* Room for EXTRA more entries, so that a group of pushes succeeds or fails as a whole. */
static inline int hlist_reserve(struct gt_hlist *l, size_t extra)
{
    size_t cap = l->cap ? l->cap : 16;
    int64_t *v;

    while (cap < l->n + extra)
        cap *= 2;
    if (cap == l->cap)
        return 0;
    v = gt__mem_realloc(GT_MEM_MAILBOX, l->v, l->cap * sizeof(*v), cap * sizeof(*v));
    if (v == NULL)
        return -ENOMEM;
    l->v = v;
    l->cap = cap;
    return 0;
}

static inline void hlist_free(struct gt_hlist *l)
{
    gt__mem_free(GT_MEM_MAILBOX, l->v, l->cap * sizeof(*l->v));
}

static inline int hlist_push(struct gt_hlist *l, int64_t h)
{
    int rc = hlist_reserve(l, 1);

    if (rc == 0)
        l->v[l->n++] = h;
    return rc;
}

static inline int hlist_contains(const struct gt_hlist *l, int64_t h)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->v[i] == h)
            return 1;
    return 0;
}

static inline void hlist_remove(struct gt_hlist *l, int64_t h)
{
    size_t i, j = 0;

    for (i = 0; i < l->n; i++)
        if (l->v[i] != h)
            l->v[j++] = l->v[i];
    l->n = j;
}

/* Sets the lock-free count from the lists (the mailbox's lock held). */
static inline void gt__mb_recount_locked(struct gt_mailbox *mb)
{
    atomic_store(&mb->queued, (int)(mb->events.n / GT_EVENT_ENTRIES + mb->ready.n));
}

/* Interrupt the mailbox's wait, if it has a poller: without one, nobody waits in it. */
static inline int gt__mb_interrupt(struct gt_mailbox *mb)
{
    struct gt_poller *p = atomic_load(&mb->poller);

    return p != NULL ? gt__poller_wake(p) : 0;
}

/* Acquire a handle that must be a live mailbox. */
static inline struct gt_sock *gt__mb_acquire(int64_t h)
{
    struct gt_sock *m = gt__acquire(h);

    if (m != NULL && m->kind != GT_KIND_MAILBOX) {
        gt__release(m);
        return NULL;
    }
    return m;
}

/* The messages of the last receive have been read: their sockets' slots may be reused. */
static inline void gt__mb_unpin_taken(struct gt_mailbox *mb)
{
    size_t i;

    for (i = 0; i < mb->taken.n; i++)
        gt__unpin(mb->taken.v[i]);
    mb->taken.n = 0;
}

/* Put H on M's ready list once (M's lock held). */
static inline void gt__mb_ready_push_locked(struct gt_mailbox *mb, int64_t h)
{
    if (!hlist_contains(&mb->ready, h) && hlist_push(&mb->ready, h) == 0)
        atomic_fetch_add(&mb->queued, 1);
}

/* Whether S may deliver at all: not between the phases of a move, and either alive or ended
 * with its tcp_closed still to come (by a failed send, or by a passive recv's emsgsize or
 * enomem: ending.c). */
static inline int gt__mb_deliverable(struct gt_sock *s)
{
    int dead = atomic_load(&s->dead);

    return !atomic_load(&s->moving) && !atomic_load(&s->closed_told_active) &&
           (dead == GT_ALIVE || dead == GT_DEAD_EOF || atomic_load(&s->owner_owed));
}

/* The message just written names H, pinned already: keep the pin until the next receive. */
static inline void gt__mb_keep_pinned(struct gt_mailbox *mb, int64_t h)
{
    if (hlist_push(&mb->taken, h) < 0)
        gt__unpin(h); /* out of memory: the slot may be reused before Java reads the message */
}

/* mailbox_queue.c: the control messages, each three entries of 'events' (kind, reason,
 * handle), its socket pinned until it is read. */
/* Queue a control message about S (acquired, its handle SELF) for its owner M and wake it. */
void gt__mb_post(struct gt_sock *m, int32_t kind, int32_t reason, struct gt_sock *s, int64_t self);
/* Control messages first, in the order they were posted, as many as fit (GT_MSG_HEADER, more
 * than CAP, if none does); or the error of a poller that could not be opened, once. */
int64_t gt__mb_take_events(struct gt_mailbox *mb, uint8_t *dst, int64_t cap);
/* Move S's queued control messages from one mailbox to another (both locked). */
void gt__mb_move_events(struct gt_mailbox *from, struct gt_mailbox *to, int64_t self);
/* Drop the messages nobody will read (the mailbox is freed), unpinning their sockets. */
void gt__mb_drop_events(struct gt_mailbox *mb);

/* mailbox_gather.c: write the queues gathered for M (sendq.c); the list's room is kept. */
void gt__mb_flush_gathered(struct gt_sock *m);

/* mailbox_poll.c */
/* The mailbox's poller, opened now if it has none (takes the lock): 0 or -errno. */
int gt__mb_open_poller(struct gt_mailbox *mb);
/* A socket of M's was left unarmed for want of a poller: once M has one, arm every owned
 * socket not registered in it, as a change of its active mode would (gt__active_changed). */
void gt__mb_rearm_owned(struct gt_sock *m);

#endif /* GENTCP_MAILBOX_H */
