/*
 * mailbox_poll.c - a mailbox's poller: opened when it is first needed (see mailbox.c), armed
 * for the active sockets the mailbox owns as their active mode or owner changes
 * (gt__active_changed), and handed to the parking poller for a parked receive. The poller is
 * level-triggered: a socket that turns passive stays registered, and is disarmed only when the
 * poller reports it while passive (mailbox_receive.c's serve), so that {active, once} costs no
 * poller call per message in a request-reply exchange.
 */
#include "mailbox.h"

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

int gt__mb_open_poller(struct gt_mailbox *mb)
{
    int rc;

    pthread_mutex_lock(&mb->lock);
    rc = open_poller_locked(mb);
    pthread_mutex_unlock(&mb->lock);
    return rc;
}

int gt__mailbox_park_fd(struct gt_sock *m)
{
    struct gt_mailbox *mb = m->mb;
    struct gt_poller *p = atomic_load(&mb->poller);
    int rc;

    if (p == NULL) {
        rc = gt__mb_open_poller(mb);
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

/* Arm S for reading in M's poller (M's lock held), opening the poller if M has none yet. A
 * poller that cannot be opened (no descriptor left) is reported by M's next receive, S goes on
 * the ready list so that what it has buffered is still delivered, and a receive arms it once
 * a poller is open (gt__mb_rearm_owned). */
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
        gt__mb_ready_push_locked(m->mb, self);
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

    if (owner == 0 || (m = gt__mb_acquire(owner)) == NULL) {
        if (emit_passive) /* listen(0, [{active, 0}]): its owner hears of it on adoption */
            atomic_store(&s->passive_owed, 1);
        return;
    }
    if (emit_passive || atomic_exchange(&s->passive_owed, 0))
        gt__mb_post(m, GT_MSG_TCP_PASSIVE, 0, s, self);
    if (s->kind == GT_KIND_STREAM && atomic_load(&s->active) != GT_ACTIVE_FALSE &&
        gt__mb_deliverable(s)) {
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
                gt__mb_ready_push_locked(m->mb, self);
        } else {
            look = 0;
        }
        pthread_mutex_unlock(&m->mb->lock);
        /* Data still in the kernel wakes the poller by itself; only what is already in the
         * buffer needs the ready list and a wake-up. So re-arming {active, once} in a
         * request-reply exchange costs no system call. */
        if (look)
            gt__mb_interrupt(m->mb);
    }
    gt__release(m);
}

/* A socket of M's was left unarmed for want of a poller: once M has one, arm every owned
 * socket not registered in it, as a change of its active mode would (gt__active_changed). */
void gt__mb_rearm_owned(struct gt_sock *m)
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
