/*
 * mailbox_queue.c - what waits for a mailbox's receive besides its poller: the control
 * messages (tcp_passive from setopts, ...), GT_EVENT_ENTRIES entries of the 'events' list each
 * (kind, reason, handle), taken before anything else and in the order they were posted; and
 * the ready list, whose push is inline in mailbox.h. Each message pins its socket (gt__pin) until its
 * owner has read it. 'queued' counts both lists for a receive that looks without the lock.
 */
#include "mailbox.h"

/* A control message: kind, reason, handle, all of them or none. */
static int push_event(struct gt_hlist *l, int64_t kind, int64_t reason, int64_t handle)
{
    int rc = hlist_reserve(l, GT_EVENT_ENTRIES);

    if (rc == 0) {
        l->v[l->n++] = kind;
        l->v[l->n++] = reason;
        l->v[l->n++] = handle;
    }
    return rc;
}

/* Queue a control message about S (acquired, its handle SELF) for its owner M and wake it. */
void gt__mb_post(struct gt_sock *m, int32_t kind, int32_t reason, struct gt_sock *s, int64_t self)
{
    gt__pin(s); /* until the message is read */
    pthread_mutex_lock(&m->mb->lock);
    if (push_event(&m->mb->events, kind, reason, self) == 0)
        atomic_fetch_add(&m->mb->queued, 1);
    else
        gt__unpin(self); /* out of memory: the message is lost */
    pthread_mutex_unlock(&m->mb->lock);
    gt__mb_interrupt(m->mb);
}

/* Move S's queued control messages from one mailbox to another (both locked). */
void gt__mb_move_events(struct gt_mailbox *from, struct gt_mailbox *to, int64_t self)
{
    size_t i, j = 0, k;

    for (i = 0; i + GT_EVENT_ENTRIES <= from->events.n; i += GT_EVENT_ENTRIES) {
        if (from->events.v[i + GT_EVENT_HANDLE] == self) {
            if (push_event(&to->events, from->events.v[i + GT_EVENT_KIND],
                           from->events.v[i + GT_EVENT_REASON], self) == 0)
                atomic_fetch_add(&to->queued, 1); /* its pin goes with it */
            else
                gt__unpin(self); /* out of memory: the message is lost */
        } else {
            for (k = 0; k < GT_EVENT_ENTRIES; k++)
                from->events.v[j++] = from->events.v[i + k];
        }
    }
    from->events.n = j;
}

/* Control messages first, in the order they were posted, as many as fit (GT_MSG_HEADER, more
 * than CAP, if none does); or the error of a poller that could not be opened, once. */
int64_t gt__mb_take_events(struct gt_mailbox *mb, uint8_t *dst, int64_t cap)
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
    for (i = 0; i + GT_EVENT_ENTRIES <= mb->events.n && written + GT_MSG_HEADER <= cap;
         i += GT_EVENT_ENTRIES) {
        const int64_t *ev = mb->events.v + i;

        written += (int64_t)gt__msg_put(dst + written, (int32_t)ev[GT_EVENT_KIND],
                                        (int32_t)ev[GT_EVENT_REASON], ev[GT_EVENT_HANDLE], NULL, 0);
        gt__mb_keep_pinned(mb, ev[GT_EVENT_HANDLE]);
    }
    if (i == 0 && mb->events.n > 0)
        written = GT_MSG_HEADER; /* a caller without a buffer: none fits */
    atomic_fetch_sub(&mb->queued, (int)(i / GT_EVENT_ENTRIES));
    for (j = 0; i + j < mb->events.n; j++)
        mb->events.v[j] = mb->events.v[i + j];
    mb->events.n = j;
    pthread_mutex_unlock(&mb->lock);
    return written;
}

/* Drop the messages nobody will read (the mailbox is freed), unpinning their sockets. */
void gt__mb_drop_events(struct gt_mailbox *mb)
{
    size_t i;

    for (i = 0; i + GT_EVENT_ENTRIES <= mb->events.n; i += GT_EVENT_ENTRIES)
        gt__unpin(mb->events.v[i + GT_EVENT_HANDLE]);
    mb->events.n = 0;
}
