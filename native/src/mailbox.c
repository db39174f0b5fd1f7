/*
 * mailbox.c - the controlling process of active sockets: a poller of its own, the sockets it
 * owns, and a queue of control messages.
 *
 * A mailbox is a slot of the socket table (kind GT_KIND_MAILBOX), so its handle is checked
 * and counted like a socket's. Its owner thread calls gt_mailbox_receive, which reads and
 * frames on that thread, without a hand-off: it takes the control messages first (tcp_passive
 * from setopts, ...), then looks at the sockets on its ready list (activated with data
 * already buffered, or stopped for lack of room), then waits in its poller. The poller is
 * level-triggered: a socket that turns passive stays registered, and is disarmed only if the
 * poller reports it while passive, so that {active, once} costs no poller call per message in
 * a request-reply exchange.
 *
 * Locks: a mailbox's lock guards its lists and the registration state (registered_in, armed)
 * of the sockets in its poller; when two mailboxes are locked (controlling_process), the one
 * in the lower slot first. gt__unpin takes the socket table's lock under a mailbox's at times;
 * nothing takes a mailbox's lock under the table's.
 *
 * What a mailbox costs: a slot and a small struct. Its poller (on Linux an epoll fd and an
 * eventfd; a kqueue fd elsewhere), with the array its waits fill (4 KiB, growing to 256 KiB
 * for a server with thousands of sockets ready at once, never shrinking; see GT_WAITED_FIRST),
 * is opened when it is first needed: when an active socket is
 * armed in it, or when its receive must wait (a time limit other than 0 and nothing to take).
 * Until then nothing can be registered in it, so a look without waiting needs no poller, and
 * a wake has nobody to interrupt: the flags it sets (woken, queued, the socket's closed bit)
 * are read again by a receive after it opens the poller, and the poller is published before
 * that read, so a wake is never lost (see open_poller_locked and wake).
 *
 * A message that does not fit in the caller's buffer is not refused: it is delivered into a
 * block of its own (malloc'ed to its size, the "held" block), which the caller copies out and
 * gives back with gt_mailbox_release. So the caller's buffer stays small whatever the packet
 * size, and the block lives only as long as the caller takes to copy it. While a block is
 * held, the receive's reference to the mailbox is kept, so that a close from another thread
 * cannot free it under the reader: the release drops it.
 *
 * A message names its socket by handle, which Java maps back to the application's object by
 * the handle's slot: every message queued here or written by a receive pins its socket
 * (gt__pin) until the owner's next receive, when Java has read it, so that a socket closed
 * meanwhile does not hand its slot to a new socket too early (see taken).
 */
#include <errno.h>
#include <stdlib.h>
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

struct gt_mailbox {
    struct gt_poller *_Atomic poller; /* NULL until needed; set once, under the lock */
    uint8_t *held;          /* the messages of a GT_MSG_HELD block, until released (the
                             * receiving thread's, under recv_busy); see serve_held */
    uint8_t *read_buf;      /* GT_MIN_READ bytes lent to each socket served that has no bytes
                             * buffered (rbuf.c); made at the first serve, the receiving
                             * thread's, freed with the mailbox */
    int poll_error;         /* -errno of a poller that could not be opened to arm a socket:
                             * the next receive reports it (under the lock) */
    atomic_int rearm_owed;  /* a socket could not be armed for want of a poller: once one is
                             * open, a receive arms the owned sockets again (rearm_owned) */
    pthread_mutex_t lock;
    struct gt_hlist owned;  /* the sockets it owns */
    struct gt_hlist ready;  /* sockets to serve before waiting in the poller */
    struct gt_hlist serving; /* the ready list a receive is serving, swapped out of 'ready'
                              * whole so that serve may push onto 'ready' meanwhile; empty
                              * between passes, its room kept (no allocation per pass). The
                              * receiving thread's alone. */
    struct gt_hlist events; /* control messages: kind, reason, handle (3 entries each) */
    /* The sockets named by the messages of the last receive, one entry per serve or control
     * message, each pinned (gt__pin) until the next receive: by then the owner thread has
     * read them, so the slot of a socket closed meanwhile can be reused. The receiving
     * thread's alone. */
    struct gt_hlist taken;
    /* Sockets whose delay_send queues gt_send_gathered left for gt_mailbox_flush to write
     * (under the lock: pushed by the senders, swapped out whole by the flush). */
    struct gt_hlist gathered;
    int idle;               /* enum gt_idle: how receive waits */
    int64_t spin_ns;
    atomic_int woken;       /* gt_mailbox_wake was called: receive returns 0 */
    atomic_int queued;      /* events.n + ready.n, readable without the lock: receive skips
                             * the lock when both lists are empty, the usual case */
    int closing;            /* set under the lock by close: no socket may join any more */
    int64_t wants_room;     /* the socket whose next message did not fit (receive's own) */
    /* The last poller wait's events, served in the kernel's order over as many receives as
     * they take, before the next wait (made with the poller, under the lock; then the
     * receiving thread's; see next_events). */
    struct gt_poll_event *waited;
    int waited_n, waited_at, waited_cap;
};

/* Room for EXTRA more entries, so that a group of pushes succeeds or fails as a whole. */
static int hlist_reserve(struct gt_hlist *l, size_t extra)
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

static void hlist_free(struct gt_hlist *l)
{
    gt__mem_free(GT_MEM_MAILBOX, l->v, l->cap * sizeof(*l->v));
}

static int hlist_push(struct gt_hlist *l, int64_t h)
{
    int rc = hlist_reserve(l, 1);

    if (rc == 0)
        l->v[l->n++] = h;
    return rc;
}

/* A control message: kind, reason, handle, all three or none. */
static int push_event(struct gt_hlist *l, int64_t kind, int64_t reason, int64_t handle)
{
    int rc = hlist_reserve(l, 3);

    if (rc == 0) {
        l->v[l->n++] = kind;
        l->v[l->n++] = reason;
        l->v[l->n++] = handle;
    }
    return rc;
}

static int hlist_contains(const struct gt_hlist *l, int64_t h)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->v[i] == h)
            return 1;
    return 0;
}

static void hlist_remove(struct gt_hlist *l, int64_t h)
{
    size_t i, j = 0;

    for (i = 0; i < l->n; i++)
        if (l->v[i] != h)
            l->v[j++] = l->v[i];
    l->n = j;
}

/* Sets the lock-free count from the lists (the mailbox's lock held). */
static void recount_locked(struct gt_mailbox *mb)
{
    atomic_store(&mb->queued, (int)(mb->events.n / 3 + mb->ready.n));
}

/*
 * The mailbox's poller, opened now if it has none (the lock held). Published with a seq_cst
 * store: a waker that stored its flag before loading the pointer either sees the poller and
 * wakes it, or its flag is seen by the receive that opened it (which looks again before it
 * waits).
 */
static int open_poller_locked(struct gt_mailbox *mb)
{
    struct gt_poller *p;
    int rc;

    if (atomic_load(&mb->poller) != NULL)
        return 0;
    if (mb->waited == NULL) { /* with the poller: a wait needs both, and fails for want of either */
        mb->waited = gt__mem_alloc(GT_MEM_MAILBOX, GT_WAITED_FIRST * sizeof(*mb->waited));
        if (mb->waited == NULL)
            return -ENOMEM;
        mb->waited_cap = GT_WAITED_FIRST;
    }
    rc = gt__poller_open(&p);
    if (rc == 0)
        atomic_store(&mb->poller, p);
    return rc;
}

/* Interrupt the mailbox's wait, if it has a poller: without one, nobody waits in it. */
static int wake(struct gt_mailbox *mb)
{
    struct gt_poller *p = atomic_load(&mb->poller);

    return p != NULL ? gt__poller_wake(p) : 0;
}

int gt__mailbox_park_fd(struct gt_sock *m)
{
    struct gt_mailbox *mb = m->mb;
    struct gt_poller *p = atomic_load(&mb->poller);
    int rc;

    if (p == NULL) {
        pthread_mutex_lock(&mb->lock);
        rc = open_poller_locked(mb);
        pthread_mutex_unlock(&mb->lock);
        if (rc < 0)
            return rc;
        p = atomic_load(&mb->poller);
    }
    /*
     * Every waker sets its flag (woken, queued, closed) and then wakes the poller it loads.
     * The caller's last try may have consumed such a wake (its wait with time limit 0) after
     * looking at the flags, or the wake found no poller to wake: either way the flag is still
     * set, and seen here (the poller published before these loads). Waking the poller again
     * makes the arm report at once, and the look that follows takes what the flag says.
     */
    if (atomic_load(&mb->woken) || atomic_load(&mb->queued) > 0 || gt__is_closed(m)) {
        rc = gt__poller_wake(p);
        if (rc < 0)
            return rc;
    }
    return gt__poller_fd(p);
}

int gt__mailbox_poller_fd(struct gt_mailbox *mb)
{
    struct gt_poller *p = atomic_load(&mb->poller);

    return p != NULL ? gt__poller_fd(p) : -1;
}

/* Acquire a handle that must be a live mailbox. */
static struct gt_sock *acquire_mailbox(int64_t h)
{
    struct gt_sock *m = gt__acquire(h);

    if (m != NULL && m->kind != GT_KIND_MAILBOX) {
        gt__release(m);
        return NULL;
    }
    return m;
}

int64_t gt_mailbox_open(void)
{
    struct gt_mailbox *mb = gt__mem_zalloc(GT_MEM_MAILBOX, sizeof(*mb));
    struct gt_sock *s;
    int64_t h;

    if (mb == NULL)
        return -ENOMEM;
    pthread_mutex_init(&mb->lock, NULL);
    mb->idle = GT_IDLE_BLOCK;
    h = gt__sock_new(-1, 0, &s);
    if (h < 0) {
        gt__mailbox_free(mb);
        return h;
    }
    s->kind = GT_KIND_MAILBOX;
    s->mb = mb;
    return h;
}

/* The messages of the last receive have been read: their sockets' slots may be reused. */
static void unpin_taken(struct gt_mailbox *mb)
{
    size_t i;

    for (i = 0; i < mb->taken.n; i++)
        gt__unpin(mb->taken.v[i]);
    mb->taken.n = 0;
}

void gt__mailbox_free(struct gt_mailbox *mb)
{
    size_t i;

    if (mb == NULL)
        return;
    unpin_taken(mb);
    for (i = 0; i + 2 < mb->events.n; i += 3) /* undelivered: nobody will read them */
        gt__unpin(mb->events.v[i + 2]);
    gt__poller_close(atomic_load(&mb->poller));
    pthread_mutex_destroy(&mb->lock);
    hlist_free(&mb->owned);
    hlist_free(&mb->ready);
    hlist_free(&mb->serving);
    hlist_free(&mb->events);
    hlist_free(&mb->taken);
    hlist_free(&mb->gathered); /* empty: closing flushed it, and closing took no more */
    gt__mem_free(GT_MEM_MAILBOX, mb->read_buf, GT_MIN_READ);
    gt__mem_free(GT_MEM_MAILBOX, mb->waited, (size_t)mb->waited_cap * sizeof(*mb->waited));
    gt__mem_free(GT_MEM_MAILBOX, mb, sizeof(*mb));
}

/* The mailbox whose gathered list holds sends this thread made since that list was last
 * flushed, 0 = none (only platform threads gather: Java's Mailbox.send). */
static _Thread_local int64_t gathered_here;

int gt__mailbox_gather(int64_t mailbox, int64_t self)
{
    struct gt_sock *m = acquire_mailbox(mailbox);
    int rc;

    if (m == NULL)
        return -GT_EBADARG;
    pthread_mutex_lock(&m->mb->lock);
    rc = m->mb->closing ? -GT_EBADARG : hlist_push(&m->mb->gathered, self);
    pthread_mutex_unlock(&m->mb->lock);
    gt__release(m);
    if (rc == 0)
        gathered_here = mailbox;
    return rc;
}

/* Write the queues gathered for M (sendq.c); the list's room is kept. */
static void flush_gathered(struct gt_sock *m)
{
    struct gt_mailbox *mb = m->mb;
    struct gt_hlist list;
    struct gt_sock *s;
    size_t i;

    if (gathered_here == gt__handle_of(m))
        gathered_here = 0;
    pthread_mutex_lock(&mb->lock);
    list = mb->gathered;
    memset(&mb->gathered, 0, sizeof(mb->gathered));
    pthread_mutex_unlock(&mb->lock);
    for (i = 0; i < list.n; i++) {
        if ((s = gt__acquire(list.v[i])) != NULL) {
            gt__sendq_flush_gathered(s, gt__handle_of(m));
            gt__release(s);
        }
    }
    list.n = 0;
    pthread_mutex_lock(&mb->lock);
    if (mb->gathered.v == NULL) /* give the room back for the next batch */
        mb->gathered = list;
    else
        hlist_free(&list);
    pthread_mutex_unlock(&mb->lock);
}

void gt__flush_gathered_here(void)
{
    struct gt_sock *m;

    if (gathered_here == 0)
        return;
    m = acquire_mailbox(gathered_here);
    gathered_here = 0;
    if (m != NULL) { /* else it closed, and closing flushed */
        flush_gathered(m);
        gt__release(m);
    }
}

int32_t gt_mailbox_flush(int64_t mailbox)
{
    struct gt_sock *m = acquire_mailbox(mailbox);

    if (m == NULL)
        return -GT_EBADARG;
    flush_gathered(m);
    gt__release(m);
    return 0;
}

/* gt_close of a mailbox: close every socket it owns and wake its receiver. */
void gt__mailbox_closing(struct gt_sock *m)
{
    struct gt_mailbox *mb = m->mb;
    struct gt_hlist owned;
    size_t i;

    pthread_mutex_lock(&mb->lock);
    mb->closing = 1; /* adopt, controlling_process and gather check it under this lock */
    owned = mb->owned;
    memset(&mb->owned, 0, sizeof(mb->owned));
    pthread_mutex_unlock(&mb->lock);
    /* What its handler gathered is written first, as far as the kernel takes it now: a socket
     * it owns then closes without lingering (what is still queued is dropped, as at any
     * owner's end); one handed on stays open, and the I/O thread writes the rest. */
    flush_gathered(m);
    for (i = 0; i < owned.n; i++)
        gt__close(owned.v[i], 0); /* no lingering: the owner is gone */
    hlist_free(&owned);
    wake(mb);
}

/* A socket being finalized leaves its owner's lists. */
void gt__mailbox_forget(struct gt_sock *s)
{
    int64_t owner = atomic_exchange(&s->owner, 0);
    int64_t polled = atomic_load(&s->registered_in);
    int64_t self = gt__handle_of(s);
    struct gt_sock *m;

    /* Leave the poller before the descriptor closes (poller.h: remove, then close). */
    if (polled != 0 && (m = acquire_mailbox(polled)) != NULL) {
        pthread_mutex_lock(&m->mb->lock);
        if (atomic_load(&s->registered_in) == polled) {
            gt__poller_remove(m->mb->poller, s->fd);
            atomic_store(&s->registered_in, 0);
            atomic_store(&s->armed, 0);
        }
        pthread_mutex_unlock(&m->mb->lock);
        gt__release(m);
    }
    if (owner == 0 || (m = acquire_mailbox(owner)) == NULL)
        return;
    pthread_mutex_lock(&m->mb->lock);
    hlist_remove(&m->mb->owned, self);
    hlist_remove(&m->mb->ready, self);
    recount_locked(m->mb);
    pthread_mutex_unlock(&m->mb->lock);
    gt__release(m);
}

/* Queue a control message about S (acquired, its handle SELF) for its owner M and wake it. */
static void post_event(struct gt_sock *m, int32_t kind, int32_t reason, struct gt_sock *s,
                       int64_t self)
{
    gt__pin(s); /* until the message is read */
    pthread_mutex_lock(&m->mb->lock);
    if (push_event(&m->mb->events, kind, reason, self) == 0)
        atomic_fetch_add(&m->mb->queued, 1);
    else
        gt__unpin(self); /* out of memory: the message is lost */
    pthread_mutex_unlock(&m->mb->lock);
    wake(m->mb);
}

/* Put H on M's ready list once (M's lock held). */
static void ready_push_locked(struct gt_mailbox *mb, int64_t h)
{
    if (!hlist_contains(&mb->ready, h) && hlist_push(&mb->ready, h) == 0)
        atomic_fetch_add(&mb->queued, 1);
}

/* Arm S for reading in M's poller (M's lock held), opening the poller if M has none yet. A
 * poller that cannot be opened (no descriptor left) is reported by M's next receive, S goes on
 * the ready list so that what it has buffered is still delivered, and a receive arms it once
 * a poller is open (rearm_owned). */
static void arm_locked(struct gt_sock *m, struct gt_sock *s, int64_t self)
{
    int rc;

    if (atomic_load(&s->registered_in) == gt__handle_of(m)) {
        if (!atomic_load(&s->armed) &&
            gt__poller_modify(m->mb->poller, s->fd, GT_POLL_IN, (uint64_t)self) == 0)
            atomic_store(&s->armed, 1);
        return;
    }
    rc = open_poller_locked(m->mb);
    if (rc < 0) {
        m->mb->poll_error = rc;
        atomic_store(&m->mb->rearm_owed, 1);
        ready_push_locked(m->mb, self);
        return;
    }
    rc = gt__poller_add(m->mb->poller, s->fd, GT_POLL_IN, (uint64_t)self);
    if (rc == -EEXIST) /* the same fd left in this poller by an earlier registration */
        rc = gt__poller_modify(m->mb->poller, s->fd, GT_POLL_IN, (uint64_t)self);
    if (rc == 0) {
        atomic_store(&s->registered_in, gt__handle_of(m));
        atomic_store(&s->armed, 1);
    }
}

/* Whether S may deliver at all: not between the phases of a move, and either alive or ended
 * with its tcp_closed still to come (by a failed send, or by a passive recv's emsgsize or
 * enomem: ending.c). */
static int deliverable(struct gt_sock *s)
{
    int dead = atomic_load(&s->dead);

    return !atomic_load(&s->moving) && !atomic_load(&s->closed_told_active) &&
           (dead == GT_ALIVE || dead == GT_DEAD_EOF || atomic_load(&s->owner_owed));
}

/* Whether S's buffer holds something the poller will not report: bytes already read, or the
 * end of the stream. When another thread holds the buffer, assume so. */
static int needs_a_look(struct gt_sock *s)
{
    int expected = 0, look;

    if (!atomic_compare_exchange_strong(&s->recv_busy, &expected, 1))
        return 1;
    look = gt__rbuf_buffered(s) > 0 || s->eof;
    atomic_store(&s->recv_busy, 0);
    return look;
}

/*
 * The active mode or the owner of S changed: make the owner's poller watch it if it is active,
 * look at it once without waiting (its buffer may already hold packets, or the end of the
 * stream), and send tcp_passive when asked.
 */
void gt__active_changed(struct gt_sock *s, int emit_passive)
{
    int64_t owner = atomic_load(&s->owner);
    int64_t self = gt__handle_of(s);
    struct gt_sock *m;

    if (owner == 0 || (m = acquire_mailbox(owner)) == NULL) {
        if (emit_passive) /* listen(0, [{active, 0}]): its owner hears of it on adoption */
            atomic_store(&s->passive_owed, 1);
        return;
    }
    if (emit_passive || atomic_exchange(&s->passive_owed, 0))
        post_event(m, GT_MSG_TCP_PASSIVE, 0, s, self);
    if (s->kind == GT_KIND_STREAM && atomic_load(&s->active) != GT_ACTIVE_FALSE &&
        deliverable(s)) {
        int look = needs_a_look(s);

        if (!look && atomic_load(&s->armed) && atomic_load(&s->registered_in) == owner) {
            /* Re-arming {active, once} in a request-reply exchange: already watched, nothing
             * buffered. A serve that disarms rechecks 'active' under the lock, after this
             * store of it, so it cannot leave the socket disarmed. */
            gt__release(m);
            return;
        }
        pthread_mutex_lock(&m->mb->lock);
        /* controlling_process may have moved it since the owner was read. */
        if (atomic_load(&s->owner) == owner) {
            arm_locked(m, s, self);
            if (look)
                ready_push_locked(m->mb, self);
        } else {
            look = 0;
        }
        pthread_mutex_unlock(&m->mb->lock);
        /* Data still in the kernel wakes the poller by itself; only what is already in the
         * buffer needs the ready list and a wake-up. So re-arming {active, once} in a
         * request-reply exchange costs no system call. */
        if (look)
            wake(m->mb);
    }
    gt__release(m);
}

int32_t gt_mailbox_adopt(int64_t mailbox, int64_t socket)
{
    struct gt_sock *m = acquire_mailbox(mailbox);
    struct gt_sock *s;
    int64_t expected = 0;
    int rc = 0;

    if (m == NULL)
        return -GT_EBADARG;
    s = gt__acquire(socket);
    if (s == NULL || s->kind == GT_KIND_MAILBOX) {
        rc = s == NULL ? -GT_ECLOSED : -EINVAL;
    } else if (!atomic_compare_exchange_strong(&s->owner, &expected, mailbox)) {
        rc = expected == mailbox ? 0 : -GT_ENOT_OWNER;
    } else {
        pthread_mutex_lock(&m->mb->lock);
        rc = m->mb->closing ? -GT_EBADARG : hlist_push(&m->mb->owned, socket);
        pthread_mutex_unlock(&m->mb->lock);
        if (rc < 0)
            atomic_store(&s->owner, 0);
    }
    if (s != NULL) {
        if (rc == 0)
            gt__active_changed(s, 0);
        gt__release(s);
    }
    gt__release(m);
    return rc;
}

/* Move S's queued control messages from one mailbox to another (both locked). */
static void move_events(struct gt_mailbox *from, struct gt_mailbox *to, int64_t self)
{
    size_t i, j = 0;

    for (i = 0; i + 2 < from->events.n; i += 3) {
        if (from->events.v[i + 2] == self) {
            if (push_event(&to->events, from->events.v[i], from->events.v[i + 1], self) == 0)
                atomic_fetch_add(&to->queued, 1); /* its pin goes with it */
            else
                gt__unpin(self); /* out of memory: the message is lost */
        } else {
            from->events.v[j++] = from->events.v[i];
            from->events.v[j++] = from->events.v[i + 1];
            from->events.v[j++] = from->events.v[i + 2];
        }
    }
    from->events.n = j;
}

int32_t gt_controlling_process(int64_t socket, int64_t from, int64_t to, int64_t phase)
{
    struct gt_sock *s = gt__acquire(socket), *f, *t;
    struct gt_sock *first, *second;
    int rc = 0;

    if (s == NULL || s->kind == GT_KIND_MAILBOX)
        return s == NULL ? -GT_ECLOSED : (gt__release(s), -EINVAL);
    if (gt__port_gone(s)) { /* as on a closed socket: OTP's port has exited */
        gt__release(s);
        return -GT_ECLOSED;
    }
    if (phase == 1) {
        /* Phase 2 of a move: the caller has passed on the messages it held; deliver again. */
        atomic_store(&s->moving, 0);
        gt__active_changed(s, 0);
        gt__release(s);
        return 0;
    }
    if (atomic_load(&s->owner) != from) {
        gt__release(s);
        return -GT_ENOT_OWNER;
    }
    if (from == to) {
        gt__release(s);
        return 0;
    }
    t = acquire_mailbox(to);
    if (t == NULL) {
        gt__release(s);
        return -GT_EBADARG;
    }
    f = acquire_mailbox(from);
    if (f == NULL) { /* the caller's own mailbox is closing */
        gt__release(t);
        gt__release(s);
        return -GT_ENOT_OWNER;
    }
    first = f->slot < t->slot ? f : t;
    second = first == f ? t : f;
    pthread_mutex_lock(&first->mb->lock);
    pthread_mutex_lock(&second->mb->lock);
    if (atomic_load(&s->owner) != from) {
        rc = -GT_ENOT_OWNER;
    } else if (t->mb->closing) {
        rc = -GT_EBADARG;
    } else {
        atomic_store(&s->moving, 1); /* until phase 1: nobody delivers it meanwhile */
        hlist_remove(&f->mb->owned, socket);
        hlist_remove(&f->mb->ready, socket);
        move_events(f->mb, t->mb, socket);
        recount_locked(f->mb);
        if (atomic_load(&s->registered_in) == from) {
            gt__poller_remove(f->mb->poller, s->fd);
            atomic_store(&s->registered_in, 0);
            atomic_store(&s->armed, 0);
        }
        hlist_push(&t->mb->owned, socket);
        atomic_store(&s->owner, to);
    }
    pthread_mutex_unlock(&second->mb->lock);
    pthread_mutex_unlock(&first->mb->lock);
    if (rc == 0)
        wake(t->mb); /* control messages may have moved with it */
    /* Not armed in the new poller yet: phase 1 does that, once the caller has handed over the
     * messages of this socket it had already received, so that they stay first. */
    gt__release(f);
    gt__release(t);
    gt__release(s);
    return rc;
}

int32_t gt_mailbox_wake(int64_t mailbox)
{
    struct gt_sock *m = acquire_mailbox(mailbox);
    int rc;

    if (m == NULL)
        return -GT_ECLOSED;
    /* The flag tells receive why it woke, whatever its idle strategy. */
    atomic_store(&m->mb->woken, 1);
    rc = wake(m->mb);
    gt__release(m);
    return rc;
}

int32_t gt_mailbox_idle(int64_t mailbox, int64_t idle, int64_t spin_ns)
{
    struct gt_sock *m = acquire_mailbox(mailbox);

    if (m == NULL)
        return -GT_ECLOSED;
    if ((idle != GT_IDLE_BLOCK && idle != GT_IDLE_SPIN && idle != GT_IDLE_BUSY) || spin_ns < 0) {
        gt__release(m);
        return -EINVAL;
    }
    m->mb->idle = (int)idle;
    m->mb->spin_ns = spin_ns;
    gt__release(m);
    return 0;
}

/* The message just written names H, pinned already: keep the pin until the next receive. */
static void keep_pinned(struct gt_mailbox *mb, int64_t h)
{
    if (hlist_push(&mb->taken, h) < 0)
        gt__unpin(h); /* out of memory: the slot may be reused before Java reads the message */
}

/* Messages naming S (acquired, its handle H) were just written: pin it until the next receive. */
static void keep_written_pinned(struct gt_mailbox *mb, struct gt_sock *s, int64_t h)
{
    gt__pin(s);
    keep_pinned(mb, h);
}

/* Control messages first, in the order they were posted, as many as fit (GT_MSG_HEADER, more
 * than CAP, if none does); or the error of a poller that could not be opened, once. */
static int64_t take_events(struct gt_mailbox *mb, uint8_t *dst, int64_t cap)
{
    int64_t written = 0;
    size_t i, j;

    pthread_mutex_lock(&mb->lock);
    if (mb->poll_error < 0) {
        written = mb->poll_error;
        mb->poll_error = 0;
        pthread_mutex_unlock(&mb->lock);
        return written;
    }
    for (i = 0; i + 2 < mb->events.n && written + GT_MSG_HEADER <= cap; i += 3) {
        written += (int64_t)gt__msg_put(dst + written, (int32_t)mb->events.v[i],
                                        (int32_t)mb->events.v[i + 1], mb->events.v[i + 2],
                                        NULL, 0);
        keep_pinned(mb, mb->events.v[i + 2]);
    }
    if (i == 0 && mb->events.n > 0)
        written = GT_MSG_HEADER; /* a caller without a buffer: none fits */
    atomic_fetch_sub(&mb->queued, (int)(i / 3));
    for (j = 0; i + j < mb->events.n; j++)
        mb->events.v[j] = mb->events.v[i + j];
    mb->events.n = j;
    pthread_mutex_unlock(&mb->lock);
    return written;
}

/* Whether mailbox SELF_MB should deliver S now. */
static int wanted(struct gt_sock *s, int64_t self_mb)
{
    return atomic_load(&s->owner) == self_mb && atomic_load(&s->active) != GT_ACTIVE_FALSE &&
           deliverable(s);
}

/* Lend S (recv_busy held) the mailbox's read buffer, made now if it has none. Without memory
 * for one, S reads into a buffer of its own, as a passive socket does. */
static void lend_read_buf(struct gt_mailbox *mb, struct gt_sock *s)
{
    if (mb->read_buf == NULL)
        mb->read_buf = gt__mem_alloc(GT_MEM_MAILBOX, GT_MIN_READ);
    if (mb->read_buf != NULL)
        gt__rbuf_lend(s, mb->read_buf, GT_MIN_READ);
}

/*
 * Serve one socket of mailbox M: deliver what it has, as its active mode allows. Disarms a
 * socket the poller reports while it is passive or no longer ours; puts it on the ready list
 * again if it still holds packets that did not fit.
 */
static int64_t serve(struct gt_sock *m, int64_t h, uint8_t *dst, int64_t cap)
{
    int64_t self_mb = gt__handle_of(m);
    struct gt_sock *s = gt__acquire(h);
    int expected = 0, pending = 0;
    int64_t written = 0;

    if (s == NULL)
        return 0;
    if (s->kind != GT_KIND_STREAM || !wanted(s, self_mb)) {
        pthread_mutex_lock(&m->mb->lock);
        /*
         * Disarm, unless setopts is arming it right now. Its lock-free fast path stores
         * 'active' and then loads 'armed'; here 'armed' is cleared first and 'active' read
         * after, so one of the two sees the other (all seq_cst): either this re-check finds
         * the socket wanted and arms it again, or setopts finds it disarmed and takes the lock.
         */
        if (atomic_load(&s->registered_in) == self_mb && atomic_load(&s->armed)) {
            atomic_store(&s->armed, 0);
            if (s->kind != GT_KIND_STREAM || !wanted(s, self_mb))
                gt__poller_modify(m->mb->poller, s->fd, 0, (uint64_t)h);
            else
                atomic_store(&s->armed, 1);
        }
        pthread_mutex_unlock(&m->mb->lock);
        gt__release(s);
        return 0;
    }
    if (atomic_compare_exchange_strong(&s->recv_busy, &expected, 1)) {
        lend_read_buf(m->mb, s);
        written = gt__active_deliver(s, dst, cap, &pending);
        if (gt__rbuf_return(s) < 0) { /* the socket kept it: it is no longer ours */
            gt__mem_account(GT_MEM_MAILBOX, GT_MIN_READ, 0);
            m->mb->read_buf = NULL;
        }
        atomic_store(&s->recv_busy, 0);
        if (written > cap)
            m->mb->wants_room = h; /* for serve_held */
        else if (written > 0)
            keep_written_pinned(m->mb, s, h);
    } else {
        pending = 1; /* someone holds its buffer for an instant: look again */
    }
    if (pending) {
        pthread_mutex_lock(&m->mb->lock);
        ready_push_locked(m->mb, h);
        pthread_mutex_unlock(&m->mb->lock);
    }
    gt__release(s);
    return written;
}

/* The sockets on the ready list, each once: the list is swapped with the empty spare one, so
 * a pass allocates nothing. */
static int64_t serve_ready(struct gt_sock *m, uint8_t *dst, int64_t cap)
{
    struct gt_mailbox *mb = m->mb;
    struct gt_hlist *ready = &mb->serving;
    struct gt_hlist swap;
    int64_t written = 0, r;
    size_t i;

    pthread_mutex_lock(&mb->lock);
    swap = mb->ready;
    mb->ready = mb->serving;
    mb->serving = swap;
    atomic_fetch_sub(&mb->queued, (int)ready->n);
    pthread_mutex_unlock(&mb->lock);
    for (i = 0; i < ready->n; i++) {
        if (i + 1 < ready->n)
            gt__active_prefetch(ready->v[i + 1]);
        r = serve(m, ready->v[i], dst + written, cap - written);
        if (r > cap - written) { /* one message needs more room than is left */
            if (written == 0)
                written = r;
            pthread_mutex_lock(&mb->lock);
            for (; i < ready->n; i++)
                ready_push_locked(mb, ready->v[i]);
            pthread_mutex_unlock(&mb->lock);
            break;
        }
        written += r;
    }
    ready->n = 0;
    return written;
}

/*
 * Spinning with few sockets (Agrona's TransportPoller does the same below its threshold):
 * try each owned socket with a non-blocking read instead of asking the poller, so a message
 * costs one system call, as a passive busy-polling recv does, not a poller call and a read.
 */
#define GT_DIRECT_POLL_MAX 4

static int64_t serve_directly(struct gt_sock *m, uint8_t *dst, int64_t cap, int *tried)
{
    int64_t handles[GT_DIRECT_POLL_MAX], written = 0, r;
    size_t n, i;

    pthread_mutex_lock(&m->mb->lock);
    n = m->mb->owned.n;
    if (n > 0 && n <= GT_DIRECT_POLL_MAX) /* none owned: the list may never have been made */
        memcpy(handles, m->mb->owned.v, n * sizeof(handles[0]));
    pthread_mutex_unlock(&m->mb->lock);
    *tried = n <= GT_DIRECT_POLL_MAX;
    if (!*tried)
        return 0;
    for (i = 0; i < n; i++) {
        r = serve(m, handles[i], dst + written, cap - written);
        if (r > cap - written)
            return written > 0 ? written : r;
        written += r;
    }
    return written;
}

/*
 * A held block starts with the mailbox's slot, so that its release finds the mailbox even
 * after a close, and its size (for gt_memory_stats); the messages follow, 8-byte aligned.
 */
#define GT_HELD_PREFIX 16

/* Free a held block, given by the address of its messages. */
static void held_block_free(uint8_t *held)
{
    size_t size;

    memcpy(&size, held - GT_HELD_PREFIX + 8, sizeof(size));
    gt__mem_free(GT_MEM_MAILBOX, held - GT_HELD_PREFIX, size);
}

static struct gt_sock *held_owner(const uint8_t *held)
{
    struct gt_sock *m;

    memcpy(&m, held - GT_HELD_PREFIX, sizeof(m));
    return m;
}

/* Free M's held block, if any, and drop the reference it kept (M's recv_busy held). M may be
 * finalized by that release: the caller touches it no more unless it holds a reference too. */
static void held_free(struct gt_sock *m)
{
    uint8_t *held = m->mb->held;

    if (held == NULL)
        return;
    m->mb->held = NULL;
    held_block_free(held);
    gt__release(m);
}

void *(*gt__held_malloc)(size_t size) = malloc;

/*
 * The next message of the socket serve noted needs NEED bytes, more than the caller's buffer
 * holds: deliver it into a block of its own, kept until gt_mailbox_release, and write to DST a
 * GT_MSG_HELD header naming the block. Returns what DST got: that header, or 0 if the socket
 * had nothing after all, or the socket's failure (TcpError enomem, TcpClosed) when no block
 * of that size can be had (the socket is closed, as its stream position is lost).
 */
static int64_t serve_held(struct gt_sock *m, uint8_t *dst, int64_t cap, int64_t need)
{
    const int64_t h = m->mb->wants_room;
    uint8_t *block;
    size_t size;
    int64_t r;
    int tries;

    /* A few tries: the socket's options may change the message between two looks. */
    for (tries = 0; tries < 4; tries++) {
        size = GT_HELD_PREFIX + (size_t)need;
        block = need <= GT_MSG_HELD_MAX ? gt__held_malloc(size) : NULL;
        if (block == NULL) {
            r = gt__active_fail_owned(h, gt__handle_of(m), dst, cap, ENOMEM);
            if (r > 0)
                keep_pinned(m->mb, h); /* the pin gt__active_fail_owned took for its messages */
            return r;
        }
        gt__mem_account(GT_MEM_MAILBOX, 0, size);
        memcpy(block + 8, &size, sizeof(size));
        r = serve(m, h, block + GT_HELD_PREFIX, need);
        if (r > 0 && r <= need) {
            memcpy(block, &m, sizeof(m));
            m->mb->held = block + GT_HELD_PREFIX;
            gt__msg_put(dst, GT_MSG_HELD, 0, (int64_t)(intptr_t)m->mb->held, NULL, 0);
            memcpy(dst + 16, &r, 8);
            return GT_MSG_HEADER;
        }
        held_block_free(block + GT_HELD_PREFIX);
        if (r <= 0)
            return 0;
        need = r;
    }
    return 0;
}

/* What a pass wrote, with a message too big for DST delivered into a block of its own; or,
 * when the caller has no buffer of GT_MSG_MIN_CAP bytes yet, the room the next message needs. */
static int64_t fit(struct gt_sock *m, uint8_t *dst, int64_t cap, int64_t written)
{
    return written > cap && cap >= GT_MSG_MIN_CAP ? serve_held(m, dst, cap, written) : written;
}

int32_t gt_mailbox_release(int64_t held_addr)
{
    uint8_t *held = (uint8_t *)(intptr_t)held_addr;
    struct gt_sock *m;
    int expected = 0;

    if (held == NULL)
        return -EINVAL;
    m = held_owner(held); /* alive: the block holds a reference to it */
    if (!atomic_compare_exchange_strong(&m->recv_busy, &expected, 1))
        return -EALREADY;
    if (m->mb == NULL || m->mb->held != held) {
        atomic_store(&m->recv_busy, 0);
        return -EINVAL;
    }
    m->mb->held = NULL;
    atomic_store(&m->recv_busy, 0);
    held_block_free(held);
    gt__release(m); /* the block's reference: perhaps the last, if the mailbox was closed */
    return 0;
}

/* A socket of M's was left unarmed for want of a poller: once M has one, arm every owned
 * socket not registered in it, as a change of its active mode would (gt__active_changed). */
static void rearm_owned(struct gt_sock *m)
{
    const int64_t self = gt__handle_of(m);
    int64_t *handles = NULL;
    size_t n = 0, i;
    struct gt_sock *s;

    pthread_mutex_lock(&m->mb->lock);
    if (atomic_load(&m->mb->poller) != NULL && atomic_exchange(&m->mb->rearm_owed, 0)) {
        n = m->mb->owned.n;
        handles = n > 0 ? gt__mem_alloc(GT_MEM_MAILBOX, n * sizeof(*handles)) : NULL;
        if (handles != NULL)
            memcpy(handles, m->mb->owned.v, n * sizeof(*handles));
        else if (n > 0)
            atomic_store(&m->mb->rearm_owed, 1); /* out of memory: the next receive tries */
    }
    pthread_mutex_unlock(&m->mb->lock);
    for (i = 0; handles != NULL && i < n; i++) {
        /* Outside the lock: a release may finalize S, which takes M's lock to leave it. */
        if ((s = gt__acquire(handles[i])) == NULL)
            continue;
        if (atomic_load(&s->registered_in) != self)
            gt__active_changed(s, 0);
        gt__release(s);
    }
    gt__mem_free(GT_MEM_MAILBOX, handles, n * sizeof(*handles));
}

/* How long the next poller wait may last, under the mailbox's idle strategy. */
static int64_t wait_ns(struct gt_mailbox *mb, int64_t deadline, int64_t spin_end)
{
    int64_t now;

    if (mb->idle == GT_IDLE_BLOCK && deadline == GT_NO_DEADLINE)
        return -1; /* no clock to read */
    now = gt__now_ns();

    if (mb->idle == GT_IDLE_BUSY || (mb->idle == GT_IDLE_SPIN && now < spin_end))
        return 0;
    if (deadline == GT_NO_DEADLINE)
        return -1;
    return deadline > now ? deadline - now : 0;
}

/*
 * The events of the last wait not served yet, or, when all were, those of a new wait of at
 * most WAIT_FOR ns in P (no wait while some are left; mb->waited was made with P). The number
 * available from mb->waited_at, 0 when the time ran out, or -errno.
 */
static int next_events(struct gt_mailbox *mb, struct gt_poller *p, int64_t wait_for)
{
    struct gt_poll_event *more;
    int n, cap;

    if (mb->waited_at < mb->waited_n)
        return mb->waited_n - mb->waited_at;
    n = gt__poller_wait(p, mb->waited, mb->waited_cap, wait_for);
    mb->waited_at = 0;
    mb->waited_n = n > 0 ? n : 0;
    if (n == mb->waited_cap && n < GT_WAITED_MOST) { /* without memory, the smaller one serves */
        cap = 2 * n;
        more = gt__mem_realloc(GT_MEM_MAILBOX, mb->waited, (size_t)n * sizeof(*more),
                               (size_t)cap * sizeof(*more));
        if (more != NULL) {
            mb->waited = more;
            mb->waited_cap = cap;
        }
    }
    return n;
}

/* The waited events in order, while the caller's buffer has room: the rest are served by the
 * next receive, before its wait (a socket served meanwhile just reads nothing then). */
static int64_t serve_waited(struct gt_sock *m, uint8_t *dst, int64_t cap)
{
    struct gt_mailbox *mb = m->mb;
    int64_t written = 0, r;
    int i;

    for (i = mb->waited_at; i < mb->waited_n && (written < cap || written == 0); i++) {
        if (i + 1 < mb->waited_n) /* its memory is on its way while this one is served */
            gt__active_prefetch((int64_t)mb->waited[i + 1].token);
        r = serve(m, (int64_t)mb->waited[i].token, dst + written, cap - written);
        if (r > cap - written) { /* serve put the socket on the ready list, for the next receive */
            if (written == 0)
                written = r;
            i++;
            break;
        }
        written += r;
    }
    mb->waited_at = i;
    return written;
}

int64_t gt_mailbox_receive(int64_t mailbox, int64_t timeout_ms, int64_t dst_addr, int64_t cap)
{
    struct gt_sock *m = acquire_mailbox(mailbox);
    uint8_t *dst = (uint8_t *)(intptr_t)dst_addr, none[1];
    int64_t deadline = gt__deadline(timeout_ms);
    int64_t written = 0, r, spin_end;
    int expected = 0, n, held;

    gt__flush_gathered_here(); /* a receive may wait: what this thread gathered goes first */
    if (m == NULL)
        return -GT_ECLOSED;
    if (cap < 0 || (dst == NULL && cap > 0)) {
        gt__release(m);
        return -EINVAL;
    }
    if (dst == NULL) /* no buffer yet: nothing is written, what the next message needs is said */
        dst = none;
    if (!atomic_compare_exchange_strong(&m->recv_busy, &expected, 1)) {
        gt__release(m);
        return -EALREADY;
    }
    /* A block the caller did not give back (it failed while copying): its messages are gone. */
    held_free(m);
    unpin_taken(m->mb); /* the caller has read what the previous receive wrote */
    spin_end = m->mb->idle == GT_IDLE_SPIN ? gt__now_ns() + m->mb->spin_ns : 0;
    for (;;) {
        int spinning = m->mb->idle == GT_IDLE_BUSY ||
                       (m->mb->idle == GT_IDLE_SPIN && gt__now_ns() < spin_end);
        int direct = 0;
        struct gt_poller *p;
        int64_t wait_for;

        written = 0;
        if (atomic_load(&m->mb->rearm_owed))
            rearm_owned(m);
        if (atomic_load(&m->mb->queued) > 0) {
            written = take_events(m->mb, dst, cap);
            if (written >= 0 && written <= cap) {
                r = serve_ready(m, dst + written, cap - written);
                written = r > cap - written ? (written > 0 ? written : r) : written + r;
                written = fit(m, dst, cap, written);
            }
        }
        if (written != 0 || (atomic_load(&m->mb->woken) && atomic_exchange(&m->mb->woken, 0)))
            break; /* messages, or a message sent to the mailbox: the caller looks at it */
        if (spinning && m->mb->waited_at >= m->mb->waited_n) {
            written = fit(m, dst, cap, serve_directly(m, dst, cap, &direct));
            if (written != 0)
                break;
            if (gt__is_closed(m)) {
                written = -GT_ECLOSED;
                break;
            }
            if (direct) {
                if (deadline != GT_NO_DEADLINE && gt__now_ns() >= deadline) {
                    written = -GT_ETIMEOUT;
                    break;
                }
                continue;
            }
        }
        /* Something queued (a socket whose buffer was busy a moment ago): look, don't sleep. */
        wait_for = atomic_load(&m->mb->queued) > 0 ? 0 : wait_ns(m->mb, deadline, spin_end);
        p = atomic_load(&m->mb->poller);
        if (p == NULL && wait_for != 0) {
            /* The first wait: open the poller, then look at every flag again before waiting
             * (a wake, a message or a close may have come while there was none to wake). */
            pthread_mutex_lock(&m->mb->lock);
            written = open_poller_locked(m->mb);
            pthread_mutex_unlock(&m->mb->lock);
            if (written < 0)
                break;
            if (gt__is_closed(m)) {
                written = -GT_ECLOSED;
                break;
            }
            continue;
        }
        /* No poller: nothing is registered, so a look without waiting would find nothing. */
        n = p != NULL ? next_events(m->mb, p, wait_for) : 0;
        if (gt__is_closed(m)) {
            written = -GT_ECLOSED;
            break;
        }
        written = n > 0 ? serve_waited(m, dst, cap) : 0;
        written = fit(m, dst, cap, written);
        if (written != 0 || n < 0) {
            if (n < 0 && written == 0)
                written = n;
            break;
        }
        /* Every pass, not only after an empty wait: a socket the poller keeps reporting
         * without anything to deliver must not hold the caller past its time limit. */
        if (deadline != GT_NO_DEADLINE && gt__now_ns() >= deadline) {
            written = -GT_ETIMEOUT;
            break;
        }
    }
    held = m->mb->held != NULL;
    atomic_store(&m->recv_busy, 0);
    if (!held) /* else the block keeps this call's reference until it is released */
        gt__release(m);
    return written;
}
