/*
 * handle.c - the slot table: slots, handles, references, generations and pins. It knows a
 * socket only as a slot; what a socket holds is made by sock.c and given back by close.c.
 *
 * Java never holds a file descriptor. It holds a handle, (generation << 32 | slot + 1:
 * gentcp.h's GT_HANDLE_*), and every call turns the handle back into its socket with
 * gt__acquire(), which fails once the socket is closed. Closing only marks the slot
 * (gt__slot_close); the descriptor is closed by whoever leaves the socket last (the closer or
 * the last call still inside it: gt__slot_unref tells it so, close.c does it), so no thread can
 * ever use a descriptor number that the kernel has meanwhile handed to a new socket. Only then
 * does the slot take a new generation (gt__slot_recycle), and only once no message names its
 * handle any more is it reused (pins).
 */
#include <errno.h>
#include <stdlib.h>

#include "handle.h"

/* 2^20 slot pointers (8 MiB of address space, touched only as slots are used). */
#define GT_MAX_SLOTS (1u << 20)

static struct gt_sock **slots;
static uint32_t slots_used;  /* slots ever handed out: 0..slots_used-1 exist */
static uint32_t *free_slots; /* stack of closed slots ready for reuse */
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
    return ((int64_t)gen << GT_HANDLE_GENERATION_SHIFT) | (int64_t)(slot + 1);
}

/* Generations run 1..GT_GEN_MAX so that a handle is always positive. */
#define GT_GEN_MAX 0x7fffffffu

static uint32_t next_gen(uint32_t gen)
{
    return gen >= GT_GEN_MAX ? 1 : gen + 1;
}

int64_t gt__slot_alloc(int fd, struct gt_sock **out, int *first)
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
    *first = 0;
    if (free_count > 0) {
        slot = free_slots[--free_count];
        s = slots[slot];
    } else if (slots_used < GT_MAX_SLOTS) {
        s = calloc(1, sizeof(*s));
        if (s == NULL) {
            pthread_mutex_unlock(&table_lock);
            return -ENOMEM;
        }
        *first = 1;
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
    *out = s;
    return make_handle(state_gen(atomic_load(&s->state)), s->slot);
}

int gt__fd_owned(int fd)
{
    uint32_t i, n = __atomic_load_n(&slots_used, __ATOMIC_ACQUIRE);

    for (i = 0; i < n; i++)
        if (__atomic_load_n(&slots[i]->fd, __ATOMIC_ACQUIRE) == fd) /* -1: none */
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
    slot = (uint64_t)(handle & GT_HANDLE_SLOT_MASK) - 1;
    *gen = (uint32_t)((uint64_t)handle >> GT_HANDLE_GENERATION_SHIFT);
    /* slots_used only grows and slot pointers never change once set. */
    if (slot >= __atomic_load_n(&slots_used, __ATOMIC_ACQUIRE))
        return NULL;
    return slots[slot];
}

/* A reference to HANDLE's socket, if it is live and open, taken in one CAS that also sets
 * MARK (GT_STATE_CLOSED for gt__slot_close, else 0). */
static inline struct gt_sock *enter(int64_t handle, uint64_t mark)
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
        if (atomic_compare_exchange_weak(&s->state, &st, (st | mark) + 1))
            return s;
    }
}

struct gt_sock *gt__acquire(int64_t handle)
{
    return enter(handle, 0);
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

struct gt_sock *gt__slot_close(int64_t handle)
{
    /* Mark closed and take a reference of our own in one step: from here every call on the
     * socket answers as on a closed one, and no new call can enter it. */
    return enter(handle, GT_STATE_CLOSED);
}

uint32_t gt__slot_refs(const struct gt_sock *s)
{
    return (uint32_t)(atomic_load(&((struct gt_sock *)s)->state) & GT_STATE_COUNT_MASK);
}

/*
 * Pins are taken only while the socket is acquired, so never after the last reference is
 * gone: the count gt__slot_recycle reads can only fall. A Dekker handshake, all sequentially
 * consistent: recycle stores reuse_owed = 1 then reads msg_pins; the last unpin lowers msg_pins
 * then reads reuse_owed. At least one of them sees the other's write; whichever takes
 * reuse_owed back to 0 frees the slot, so it is freed exactly once, and an unpin of a live
 * socket (the steady state: each batch of messages pins, the owner's next receive unpins)
 * takes no lock.
 */
static void free_if_owed(struct gt_sock *s)
{
    if (atomic_load(&s->reuse_owed) == 0 || atomic_exchange(&s->reuse_owed, 0) == 0)
        return;
    pthread_mutex_lock(&table_lock);
    free_slots[free_count++] = s->slot;
    pthread_mutex_unlock(&table_lock);
}

void gt__slot_recycle(struct gt_sock *s)
{
    uint64_t st = atomic_load(&s->state);

    /* New generation, open, no calls: stale handles now fail the generation check. */
    atomic_store(&s->state, (uint64_t)next_gen(state_gen(st)) << GT_STATE_GEN_SHIFT);
    /* A message may still name the old handle: whichever of this and the last unpin finds
     * the other done frees the slot (see free_if_owed). */
    atomic_store(&s->reuse_owed, 1);
    if (atomic_load(&s->msg_pins) == 0)
        free_if_owed(s);
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
