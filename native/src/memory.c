/*
 * memory.c - what the C library holds, counted exactly: the bytes and blocks of the receive
 * buffers (rbuf.c), the send queues (sendq.c) and the mailboxes (mailbox.c); and the receive
 * budget, which bounds what receive buffers hold toward packets not yet complete (gentcp.h).
 *
 * Every allocation, resize and free of those places is told here with its size, so a count
 * changes only when memory does: never per message, never per read. The counters are relaxed
 * atomics: each is exact once the calls that change it have returned, and gt_memory_stats may
 * see one a moment before another.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "gentcp.h"
#include "memory.h"

#define ADD(v, x) atomic_fetch_add_explicit(&(v), (x), memory_order_relaxed)
#define LOAD(v) atomic_load_explicit(&(v), memory_order_relaxed)

static struct {
    _Atomic int64_t bytes, blocks;
} held[GT_MEM_POOLS];

/* How many times a block was made or grown, all pools: what a test of "nothing allocated per
 * message" counts (gt__mem_growths). */
static _Atomic int64_t growths;

static _Atomic int64_t budget = GT_RECEIVE_BUDGET_DEFAULT;
static _Atomic int64_t charged;

void gt__mem_account(int pool, size_t was, size_t now)
{
    if (now != was)
        ADD(held[pool].bytes, (int64_t)now - (int64_t)was);
    if (now > was)
        ADD(growths, 1);
    if ((now > 0) != (was > 0))
        ADD(held[pool].blocks, now > 0 ? 1 : -1);
}

int64_t gt__mem_growths(void)
{
    return LOAD(growths);
}

void *gt__mem_alloc(int pool, size_t size)
{
    void *p = malloc(size);

    if (p != NULL)
        gt__mem_account(pool, 0, size);
    return p;
}

void *gt__mem_zalloc(int pool, size_t size)
{
    void *p = calloc(1, size);

    if (p != NULL)
        gt__mem_account(pool, 0, size);
    return p;
}

void *gt__mem_realloc(int pool, void *p, size_t was, size_t now)
{
    void *q = realloc(p, now);

    if (q != NULL)
        gt__mem_account(pool, p == NULL ? 0 : was, now);
    return q;
}

void gt__mem_free(int pool, void *p, size_t size)
{
    if (p == NULL)
        return;
    free(p);
    gt__mem_account(pool, size, 0);
}

/* A compare-and-swap loop, so that two sockets charging at once are judged one after the
 * other: neither fails for a sum that the other's attempt alone would pass. Run only when a
 * packet's need grows past its charge: once for a length header past 'buffer', and per read
 * for an HTTP line past 'buffer' (only with a packet_size above it), never for a packet that
 * fits 'buffer'. */
int gt__budget_charge(size_t bytes)
{
    int64_t was = LOAD(charged);

    do {
        if ((int64_t)bytes > LOAD(budget) - was)
            return -EMSGSIZE;
    } while (!atomic_compare_exchange_weak_explicit(&charged, &was, was + (int64_t)bytes,
                                                    memory_order_relaxed, memory_order_relaxed));
    return 0;
}

void gt__budget_release(size_t bytes)
{
    ADD(charged, -(int64_t)bytes);
}

int32_t gt_set_receive_budget(int64_t bytes)
{
    if (bytes < 0 || bytes > GT_RECEIVE_BUDGET_MAX)
        return -EINVAL;
    atomic_store_explicit(&budget, bytes, memory_order_relaxed);
    return 0;
}

int64_t gt_receive_budget(void)
{
    return LOAD(budget);
}

int32_t gt_memory_stats(int64_t dst, int32_t cap)
{
    int64_t out[GT_MEM_STAT_COUNT];

    if (dst == 0 || cap < (int32_t)sizeof(out))
        return -EINVAL;
    out[GT_MEM_RBUF_BYTES] = LOAD(held[GT_MEM_RBUF].bytes);
    out[GT_MEM_RBUF_BLOCKS] = LOAD(held[GT_MEM_RBUF].blocks);
    out[GT_MEM_SENDQ_BYTES] = LOAD(held[GT_MEM_SENDQ].bytes);
    out[GT_MEM_SENDQ_BLOCKS] = LOAD(held[GT_MEM_SENDQ].blocks);
    out[GT_MEM_MAILBOX_BYTES] = LOAD(held[GT_MEM_MAILBOX].bytes);
    out[GT_MEM_MAILBOX_BLOCKS] = LOAD(held[GT_MEM_MAILBOX].blocks);
    out[GT_MEM_BUDGET_CHARGED] = LOAD(charged);
    memcpy((void *)(intptr_t)dst, out, sizeof(out)); /* DST need not be aligned */
    return 0;
}
