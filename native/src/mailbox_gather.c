/*
 * mailbox_gather.c - the sends a mailbox's handler gathered (gt_send_gathered): the sockets
 * whose delay_send queues wait for gt_mailbox_flush, or for this thread's next call that may
 * wait (gt__flush_gathered_here), or for the mailbox's close.
 */
#include "mailbox.h"

/* The mailbox whose gathered list holds sends this thread made since that list was last
 * flushed, 0 = none (only platform threads gather: Java's Mailbox.send). */
static _Thread_local int64_t gathered_here;

int gt__mailbox_gather(int64_t mailbox, int64_t self)
{
    struct gt_sock *m = gt__mb_acquire(mailbox);
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
void gt__mb_flush_gathered(struct gt_sock *m)
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
    m = gt__mb_acquire(gathered_here);
    gathered_here = 0;
    if (m != NULL) { /* else it closed, and closing flushed */
        gt__mb_flush_gathered(m);
        gt__release(m);
    }
}

int32_t gt_mailbox_flush(int64_t mailbox)
{
    struct gt_sock *m = gt__mb_acquire(mailbox);

    if (m == NULL)
        return -GT_EBADARG;
    gt__mb_flush_gathered(m);
    gt__release(m);
    return 0;
}
