/*
 * mailbox.c - the mailbox object: the controlling process of active sockets, with a poller of
 * its own, the sockets it owns, and a queue of control messages. Here: opening, closing and
 * freeing it, the sockets it owns (adopt, controlling_process, a socket's finalization), its
 * wake-up and idle strategy. Its parts have files of their own (mailbox.h lists them).
 *
 * A mailbox is a slot of the socket table (kind GT_KIND_MAILBOX), so its handle is checked
 * and counted like a socket's. Its owner thread calls gt_mailbox_receive (mailbox_receive.c).
 *
 * Locks: a mailbox's lock guards its lists and the registration state (registered_in, armed)
 * of the sockets in its poller; when two mailboxes are locked (controlling_process), the one
 * in the lower slot first. gt__unpin takes the socket table's lock under a mailbox's at times;
 * nothing takes a mailbox's lock under the table's.
 *
 * What a mailbox costs: a slot and a small struct. Its poller (on Linux an epoll fd and an
 * eventfd; a kqueue fd elsewhere), with the array its waits fill (4 KiB, growing to 256 KiB for
 * a server with thousands of sockets ready at once, never shrinking; see GT_WAITED_FIRST), is
 * opened when it is first needed: when an active socket is armed in it, or when its receive
 * must wait (a time limit other than 0 and nothing to take). Until then nothing can be
 * registered in it, so a look without waiting needs no poller, and a wake has nobody to
 * interrupt: the flags it sets (woken, queued, the socket's closed bit) are read again by a
 * receive after it opens the poller, and the poller is published before that read, so a wake is
 * never lost (see mailbox_poll.c's open_poller_locked, and gt__mb_interrupt).
 *
 * A message names its socket by handle, which Java maps back to the application's object by
 * the handle's slot: every message queued here or written by a receive pins its socket
 * (gt__pin) until the owner's next receive, when Java has read it, so that a socket closed
 * meanwhile does not hand its slot to a new socket too early (see taken).
 */
#include "mailbox.h"

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

void gt__mailbox_free(struct gt_mailbox *mb)
{
    if (mb == NULL)
        return;
    gt__mb_unpin_taken(mb);
    gt__mb_drop_events(mb); /* undelivered: nobody will read them */
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
    gt__mb_flush_gathered(m);
    for (i = 0; i < owned.n; i++)
        gt__close(owned.v[i], 0); /* no lingering: the owner is gone */
    hlist_free(&owned);
    gt__mb_interrupt(mb);
}

/* A socket being finalized leaves its owner's lists. */
void gt__mailbox_forget(struct gt_sock *s)
{
    int64_t owner = atomic_exchange(&s->owner, 0);
    int64_t polled = atomic_load(&s->registered_in);
    int64_t self = gt__handle_of(s);
    struct gt_sock *m;

    /* Leave the poller before the descriptor closes (poller.h: remove, then close). */
    if (polled != 0 && (m = gt__mb_acquire(polled)) != NULL) {
        pthread_mutex_lock(&m->mb->lock);
        if (atomic_load(&s->registered_in) == polled) {
            gt__poller_remove(m->mb->poller, s->fd);
            atomic_store(&s->registered_in, 0);
            atomic_store(&s->armed, 0);
        }
        pthread_mutex_unlock(&m->mb->lock);
        gt__release(m);
    }
    if (owner == 0 || (m = gt__mb_acquire(owner)) == NULL)
        return;
    pthread_mutex_lock(&m->mb->lock);
    hlist_remove(&m->mb->owned, self);
    hlist_remove(&m->mb->ready, self);
    gt__mb_recount_locked(m->mb);
    pthread_mutex_unlock(&m->mb->lock);
    gt__release(m);
}

int32_t gt_mailbox_adopt(int64_t mailbox, int64_t socket)
{
    struct gt_sock *m = gt__mb_acquire(mailbox);
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
    t = gt__mb_acquire(to);
    if (t == NULL) {
        gt__release(s);
        return -GT_EBADARG;
    }
    f = gt__mb_acquire(from);
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
        gt__mb_move_events(f->mb, t->mb, socket);
        gt__mb_recount_locked(f->mb);
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
        gt__mb_interrupt(t->mb); /* control messages may have moved with it */
    /* Not armed in the new poller yet: phase 1 does that, once the caller has handed over the
     * messages of this socket it had already received, so that they stay first. */
    gt__release(f);
    gt__release(t);
    gt__release(s);
    return rc;
}

int32_t gt_mailbox_wake(int64_t mailbox)
{
    struct gt_sock *m = gt__mb_acquire(mailbox);
    int rc;

    if (m == NULL)
        return -GT_ECLOSED;
    /* The flag tells receive why it woke, whatever its idle strategy. */
    atomic_store(&m->mb->woken, 1);
    rc = gt__mb_interrupt(m->mb);
    gt__release(m);
    return rc;
}

int32_t gt_mailbox_idle(int64_t mailbox, int64_t idle, int64_t spin_ns)
{
    struct gt_sock *m = gt__mb_acquire(mailbox);

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
