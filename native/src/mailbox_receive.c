/*
 * mailbox_receive.c - gt_mailbox_receive, the owner thread's receive, which reads and frames
 * on that thread, without a hand-off: it takes the control messages first (mailbox_queue.c),
 * then serves the sockets on its ready list (activated with data already buffered, or stopped
 * for lack of room), then the events of its poller (mailbox_poll.c), waiting in it under the
 * mailbox's idle strategy; and the held blocks of messages too big for the caller's buffer
 * (gt_mailbox_release). Everything here runs on the receiving thread, under the mailbox's
 * recv_busy.
 *
 * A message that does not fit in the caller's buffer is not refused: it is delivered into a
 * block of its own (malloc'ed to its size, the "held" block), which the caller copies out and
 * gives back with gt_mailbox_release. So the caller's buffer stays small whatever the packet
 * size, and the block lives only as long as the caller takes to copy it. While a block is
 * held, the receive's reference to the mailbox is kept, so that a close from another thread
 * cannot free it under the reader: the release drops it.
 */
#include <stdlib.h>

#include "mailbox.h"

/* Messages naming S (acquired, its handle H) were just written: pin it until the next receive. */
static void keep_written_pinned(struct gt_mailbox *mb, struct gt_sock *s, int64_t h)
{
    gt__pin(s);
    gt__mb_keep_pinned(mb, h);
}

/* Whether mailbox SELF_MB should deliver S now. */
static int wanted(struct gt_sock *s, int64_t self_mb)
{
    return atomic_load(&s->owner) == self_mb && atomic_load(&s->active) != GT_ACTIVE_FALSE &&
           gt__mb_deliverable(s);
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
        gt__mb_ready_push_locked(m->mb, h);
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
                gt__mb_ready_push_locked(mb, ready->v[i]);
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
#define GT_HELD_OWNER_OFF 0 /* struct gt_sock *: the mailbox */
#define GT_HELD_SIZE_OFF 8  /* size_t: the whole block's */
#define GT_HELD_PREFIX 16

/* Free a held block, given by the address of its messages. */
static void held_block_free(uint8_t *held)
{
    size_t size;

    memcpy(&size, held - GT_HELD_PREFIX + GT_HELD_SIZE_OFF, sizeof(size));
    gt__mem_free(GT_MEM_MAILBOX, held - GT_HELD_PREFIX, size);
}

static struct gt_sock *held_owner(const uint8_t *held)
{
    struct gt_sock *m;

    memcpy(&m, held - GT_HELD_PREFIX + GT_HELD_OWNER_OFF, sizeof(m));
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
            if (r > 0) /* keep the pin gt__active_fail_owned took for its messages */
                gt__mb_keep_pinned(m->mb, h);
            return r;
        }
        gt__mem_account(GT_MEM_MAILBOX, 0, size);
        memcpy(block + GT_HELD_SIZE_OFF, &size, sizeof(size));
        r = serve(m, h, block + GT_HELD_PREFIX, need);
        if (r > 0 && r <= need) {
            memcpy(block + GT_HELD_OWNER_OFF, &m, sizeof(m));
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
        if (mb->waited[i].events & GT_POLL_ERR) /* kernel timestamps: see tstamp.c */
            gt__tstamp_drain_handle((int64_t)mb->waited[i].token);
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
    struct gt_sock *m = gt__mb_acquire(mailbox);
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
    gt__mb_unpin_taken(m->mb); /* the caller has read what the previous receive wrote */
    spin_end = m->mb->idle == GT_IDLE_SPIN ? gt__now_ns() + m->mb->spin_ns : 0;
    for (;;) {
        int spinning =
            m->mb->idle == GT_IDLE_BUSY || (m->mb->idle == GT_IDLE_SPIN && gt__now_ns() < spin_end);
        int direct = 0;
        struct gt_poller *p;
        int64_t wait_for;

        written = 0;
        if (atomic_load(&m->mb->rearm_owed))
            gt__mb_rearm_owned(m);
        if (atomic_load(&m->mb->queued) > 0) {
            written = gt__mb_take_events(m->mb, dst, cap);
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
            written = gt__mb_open_poller(m->mb);
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
