/*
 * handle.c - the socket table: handles, in-flight counts and close.
 *
 * Java never holds a file descriptor. It holds a handle, (generation << 32 | slot + 1), and
 * every call turns the handle back into its socket with gt__acquire(), which fails once the
 * socket is closed. Closing only marks the slot; the descriptor is closed by whoever leaves
 * the socket last (the closer or the last call still inside it), so no thread can ever use
 * a descriptor number that the kernel has meanwhile handed to a new socket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

/* 2^20 slot pointers (8 MiB of address space, touched only as slots are used). */
#define GT_MAX_SLOTS (1u << 20)

static struct gt_sock **slots;
static uint32_t slots_used;   /* slots ever handed out: 0..slots_used-1 exist */
static uint32_t *free_slots;  /* stack of closed slots ready for reuse */
static uint32_t free_count;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static int table_init_locked(void)
{
    if (slots != NULL)
        return 0;
    slots = calloc(GT_MAX_SLOTS, sizeof(*slots));
    free_slots = calloc(GT_MAX_SLOTS, sizeof(*free_slots));
    if (slots == NULL || free_slots == NULL) {
        free(slots);
        free(free_slots);
        slots = NULL;
        free_slots = NULL;
        return -ENOMEM;
    }
    return 0;
}

static uint32_t state_gen(uint64_t state)
{
    return (uint32_t)(state >> GT_STATE_GEN_SHIFT);
}

static int64_t make_handle(uint32_t gen, uint32_t slot)
{
    return ((int64_t)gen << GT_STATE_GEN_SHIFT) | (int64_t)(slot + 1);
}

/* Generations run 1..2^31-1 so that a handle is always positive. */
static uint32_t next_gen(uint32_t gen)
{
    return gen >= 0x7fffffffu ? 1 : gen + 1;
}

int64_t gt__slot_alloc(int fd, int family, struct gt_sock **out)
{
    struct gt_sock *s;
    uint32_t slot;
    int rc;

    pthread_mutex_lock(&table_lock);
    rc = table_init_locked();
    if (rc < 0) {
        pthread_mutex_unlock(&table_lock);
        return rc;
    }
    if (free_count > 0) {
        slot = free_slots[--free_count];
        s = slots[slot];
    } else if (slots_used < GT_MAX_SLOTS) {
        s = calloc(1, sizeof(*s));
        if (s == NULL) {
            pthread_mutex_unlock(&table_lock);
            return -ENOMEM;
        }
        pthread_mutex_init(&s->send_lock, NULL);
        pthread_mutex_init(&s->opts_lock, NULL);
        pthread_mutex_init(&s->park_lock, NULL);
        pthread_cond_init(&s->send_cond, NULL);
        s->wake_rd = s->wake_wr = -1;
        atomic_init(&s->state, (uint64_t)1 << GT_STATE_GEN_SHIFT);
        slot = slots_used;
        s->slot = slot;
        slots[slot] = s;
        /* Published last: lookup() reads slots_used without the lock. */
        __atomic_store_n(&slots_used, slot + 1, __ATOMIC_RELEASE);
    } else {
        pthread_mutex_unlock(&table_lock);
        return -GT_ESYSTEM_LIMIT;
    }
    pthread_mutex_unlock(&table_lock);

    /* The slot is ours alone until the handle is returned: no other thread can pass the
     * generation check yet, because the previous owner's handles carry an older one. */
    __atomic_store_n(&s->fd, fd, __ATOMIC_RELEASE); /* read by gt__fd_owned without the lock */
    s->family = family;
    s->kind = GT_KIND_FRESH;
    gt__opts_default(&s->opts);
    atomic_store(&s->recv_busy, 0);
    atomic_store(&s->park_registered, 0);
    s->park_in = s->park_out = 0; /* no arm can come before the handle is returned */
    s->send_claimed = 0;
    s->gathered_by = 0;
    s->send_parked = 0;
    atomic_store(&s->linger_parked, 0);
    s->connecting = 0;
    s->rbuf = NULL;
    s->rbuf_lent = 0;
    s->rstart = s->rend = s->rcap = 0;
    s->big_run = 0;
    s->eof = 0;
    s->reset = 0;
    s->read_error = 0;
    s->shut_wr = 0;
    s->http_state = 0;
    atomic_store(&s->http_restart, 0);
    s->qbuf = NULL;
    s->qstart = s->qend = s->qcap = 0;
    s->send_err = 0;
    s->shut_pending = 0;
    s->io_watched = 0;
    s->send_waiters = 0;
    s->delay_listed = 0;
    s->delay_active = 0;
    s->delay_looks = 0;
    atomic_store(&s->write_reset, 0);
    gt__end_init(s);
    atomic_store(&s->active, GT_ACTIVE_TRUE); /* OTP's default */
    atomic_store(&s->owner, 0);
    s->registered_in = 0;
    s->armed = 0;
    s->closed_told_active = 0;
    atomic_store(&s->passive_owed, 0);
    atomic_store(&s->moving, 0);
    s->mb = NULL;
    memset(&s->stats, 0, sizeof(s->stats));
    *out = s;
    return make_handle(state_gen(atomic_load(&s->state)), s->slot);
}

int gt__fd_owned(int fd)
{
    uint32_t i, n = __atomic_load_n(&slots_used, __ATOMIC_ACQUIRE);

    for (i = 0; i < n; i++)
        if (__atomic_load_n(&slots[i]->fd, __ATOMIC_ACQUIRE) == fd) /* a mailbox's is -1 */
            return 1;
    return 0;
}

int64_t gt__handle_of(const struct gt_sock *s)
{
    return make_handle(state_gen(atomic_load(&((struct gt_sock *)s)->state)), s->slot);
}

static struct gt_sock *lookup(int64_t handle, uint32_t *gen)
{
    uint64_t slot;

    if (handle <= 0)
        return NULL;
    slot = (uint64_t)(handle & 0xffffffff) - 1;
    *gen = (uint32_t)((uint64_t)handle >> GT_STATE_GEN_SHIFT);
    /* slots_used only grows and slot pointers never change once set. */
    if (slot >= __atomic_load_n(&slots_used, __ATOMIC_ACQUIRE))
        return NULL;
    return slots[slot];
}

struct gt_sock *gt__acquire(int64_t handle)
{
    uint32_t gen;
    struct gt_sock *s = lookup(handle, &gen);
    uint64_t st;

    if (s == NULL)
        return NULL;
    st = atomic_load(&s->state);
    for (;;) {
        if (state_gen(st) != gen || (st & GT_STATE_CLOSED))
            return NULL;
        if ((st & GT_STATE_COUNT_MASK) == GT_STATE_COUNT_MASK)
            return NULL; /* 2^31 concurrent calls: cannot happen with real threads */
        if (atomic_compare_exchange_weak(&s->state, &st, st + 1))
            return s;
    }
}

struct gt_sock *gt__slot_peek(int64_t handle)
{
    uint32_t gen;

    return lookup(handle, &gen);
}

struct gt_sock *gt__held(int64_t handle)
{
    uint32_t gen;
    struct gt_sock *s = lookup(handle, &gen);

    if (s == NULL || state_gen(atomic_load(&s->state)) != gen)
        return NULL;
    return s;
}

int gt__is_closed(const struct gt_sock *s)
{
    return (atomic_load(&((struct gt_sock *)s)->state) & GT_STATE_CLOSED) != 0;
}

int gt__port_gone(struct gt_sock *s)
{
    return atomic_load(&s->terminated);
}

/*
 * {linger, {true, T}} makes close(2) wait up to T s for the kernel to send what it holds. That
 * wait is the closer's: its gt_close returns when it ends. When another thread is the last one
 * out (a call that was inside the socket, or the I/O thread serving an event), the closer has
 * returned already and the wait would only stall that thread (the I/O thread: every socket's
 * background sends): the kernel then sends the rest after close(2) returns, as without linger.
 * {linger, {true, 0}} (a reset) is kept.
 */
static void drop_linger_wait(struct gt_sock *s, int fd)
{
    struct linger off = {.l_onoff = 0, .l_linger = 0};
    const int64_t linger = s->opts.linger; /* one load: both halves of one setopts */

    if ((linger >> 32) != 0 && (linger & 0x7fffffff) > 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
}

static void free_if_owed(struct gt_sock *s);

/* The last one out: release the descriptor and the receive buffer, recycle the slot. CLOSER:
 * whether this is the thread of gt_close. */
static void finalize(struct gt_sock *s, int closer)
{
    uint64_t st = atomic_load(&s->state);

    if (s->kind == GT_KIND_MAILBOX) {
        gt__park_forget(s, gt__mailbox_poller_fd(s->mb)); /* before its poller closes */
        gt__mailbox_free(s->mb);
        s->mb = NULL;
    } else {
        int fd = s->fd;

        gt__mailbox_forget(s); /* leave the owner's lists; closing the fd leaves its poller */
        if (gt__sendq_len(s) > 0) {
            /* Queued by a send that raced the close past its drain: this data will never be
             * sent, so the peer must see a reset, not a FIN that makes a cut stream look whole. */
            struct linger cut = {.l_onoff = 1, .l_linger = 0};

            setsockopt(fd, SOL_SOCKET, SO_LINGER, &cut, sizeof(cut));
        } else if (!closer) {
            drop_linger_wait(s, fd);
        }
        gt__sendq_free(s);     /* and the I/O thread's poller, before the fd closes */
        gt__park_forget(s, fd); /* and the parking poller's */
        /* Unmarked before the close, so gt__fd_owned never claims a number the kernel has
         * already handed to someone else. */
        __atomic_store_n(&s->fd, -1, __ATOMIC_RELEASE);
        close(fd);
    }
    s->fd = -1;
    gt__rbuf_free(s);

    /* New generation, open, no calls: stale handles now fail the generation check. */
    atomic_store(&s->state, (uint64_t)next_gen(state_gen(st)) << GT_STATE_GEN_SHIFT);
    /* A message may still name the old handle: whichever of this and the last unpin finds
     * the other done frees the slot (see free_if_owed). */
    atomic_store(&s->reuse_owed, 1);
    if (atomic_load(&s->msg_pins) == 0)
        free_if_owed(s);
}

/*
 * Pins are taken only while the socket is acquired, so never after its finalize has begun:
 * the count finalize reads can only fall. A Dekker handshake, all sequentially consistent:
 * finalize stores reuse_owed = 1 then reads msg_pins; the last unpin lowers msg_pins then reads
 * reuse_owed. At least one of them sees the other's write; whichever takes reuse_owed back to
 * 0 frees the slot, so it is freed exactly once, and an unpin of a live socket (the mailbox's
 * steady state: every serve that writes messages pins, the next receive unpins) takes no lock.
 */
static void free_if_owed(struct gt_sock *s)
{
    if (atomic_load(&s->reuse_owed) == 0 || atomic_exchange(&s->reuse_owed, 0) == 0)
        return;
    pthread_mutex_lock(&table_lock);
    free_slots[free_count++] = s->slot;
    pthread_mutex_unlock(&table_lock);
}

void gt__pin(struct gt_sock *s)
{
    atomic_fetch_add(&s->msg_pins, 1);
}

void gt__unpin(int64_t handle)
{
    uint32_t gen;
    struct gt_sock *s = lookup(handle, &gen);

    if (s != NULL && atomic_fetch_sub(&s->msg_pins, 1) == 1)
        free_if_owed(s);
}

static void release(struct gt_sock *s, int closer)
{
    uint64_t prev = atomic_fetch_sub(&s->state, 1);

    if (((prev - 1) & (GT_STATE_CLOSED | GT_STATE_COUNT_MASK)) == GT_STATE_CLOSED)
        finalize(s, closer);
}

void gt__release(struct gt_sock *s)
{
    release(s, 0);
}

int32_t gt_close(int64_t handle)
{
    gt__flush_gathered_here(); /* a close may linger */
    return gt__close(handle, 1);
}

/* LINGER 0 (a mailbox closing the sockets it owns, as an exiting Erlang process does): no
 * waiting for queued data, which is dropped with a reset (gt__sendq_close with no time). */
int32_t gt__close(int64_t handle, int linger)
{
    struct gt_sock *s = gt__close_mark(handle);

    if (s == NULL)
        return 0; /* already closed: OTP's close is idempotent */
    /* Data still queued: wait for it as the linger option says (OTP); that wait is this
     * thread's alone, the others blocked in the socket wake at once. (The socket backend has
     * no queue, and its blocked sender holds send_lock.) */
    if (s->kind == GT_KIND_STREAM && !s->opts.socket_backend)
        gt__sendq_close(s, linger);
    gt__close_end(s, linger);
    return 0;
}

struct gt_sock *gt__close_mark(int64_t handle)
{
    uint32_t gen;
    struct gt_sock *s = lookup(handle, &gen);
    uint64_t st;

    if (s == NULL)
        return NULL;
    st = atomic_load(&s->state);
    for (;;) {
        if (state_gen(st) != gen || (st & GT_STATE_CLOSED))
            return NULL;
        /* Mark closed and take a reference of our own in one step: from here every call on
         * the socket answers as on a closed one, and no new call can enter it. */
        if (atomic_compare_exchange_weak(&s->state, &st, (st | GT_STATE_CLOSED) + 1))
            break;
    }
    /* No message comes after a close: leave the owner's poller now, not when the last call
     * leaves the socket (a poller that kept reporting it would spin its owner meanwhile). */
    if (s->kind != GT_KIND_MAILBOX)
        gt__mailbox_forget(s);
    return s;
}

void gt__close_end(struct gt_sock *s, int linger)
{
    if (s->kind == GT_KIND_MAILBOX) {
        /* An owner that goes away takes its sockets with it, as an exiting Erlang process. */
        gt__mailbox_closing(s);
        release(s, linger);
        return;
    }
    if ((atomic_load(&s->state) & GT_STATE_COUNT_MASK) > 1) {
        /* Other calls are inside the socket, perhaps asleep in recv, accept, send or poll.
         * shutdown() wakes all of them at once and they see the closed mark on their way
         * out. It also ends the connection, which close() is about to do anyway. With
         * {linger, {true, 0}} a shutdown would show the peer a FIN before the reset, so the
         * connection is reset instead (connect(AF_UNSPEC), which wakes them just as well). */
        struct sockaddr unspec = {.sa_family = AF_UNSPEC};

        if (s->kind != GT_KIND_STREAM || s->opts.linger != ((int64_t)1 << 32) ||
            connect(s->fd, &unspec, sizeof(unspec)) < 0)
            shutdown(s->fd, SHUT_RDWR);
    }
    release(s, linger); /* without LINGER, not even the kernel's close(2) waits */
}
