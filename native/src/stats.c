/*
 * stats.c - inet:getstat counters: what a socket has received and sent, 64-bit. Receive
 * counters are updated by whoever holds recv_busy, send counters (and the queue that send_pend
 * measures) under send_lock, so each is written by one thread at a time; gt_getstat reads them
 * with neither, so they are atomics: the single writer loads and stores them relaxed (a plain
 * move on x86-64, no locked instruction), and a reader may see them a moment apart (as with
 * OTP).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define LOAD(v) atomic_load_explicit(&(v), memory_order_relaxed)
#define STORE(v, x) atomic_store_explicit(&(v), (x), memory_order_relaxed)

/* X + (Y - X) / COUNT, OTP's step (integer arithmetic); X when Y is X, without the division
 * (a stream of packets of one size, the common case, then divides nothing). */
static int64_t step(int64_t x, int64_t y, uint64_t count)
{
    return y == x ? x : x + (y - x) / (int64_t)count;
}

/* OTP's running average and mean deviation of packet sizes. */
static void account(_Atomic uint64_t *cnt, _Atomic uint64_t *max, _Atomic int64_t *avg,
                    _Atomic int64_t *dvi, uint64_t n)
{
    const uint64_t count = LOAD(*cnt) + 1;
    const int64_t mean = step(LOAD(*avg), (int64_t)n, count);
    int64_t diff;

    STORE(*cnt, count);
    if (n > LOAD(*max))
        STORE(*max, n);
    STORE(*avg, mean);
    if (dvi != NULL) {
        diff = (int64_t)n - mean;
        STORE(*dvi, step(LOAD(*dvi), diff < 0 ? -diff : diff, count));
    }
}

void gt__stat_read(struct gt_sock *s, size_t bytes)
{
    STORE(s->stats.recv_oct, LOAD(s->stats.recv_oct) + bytes);
}

void gt__stat_packet_in(struct gt_sock *s, size_t bytes)
{
    account(&s->stats.recv_cnt, &s->stats.recv_max, &s->stats.recv_avg, &s->stats.recv_dvi, bytes);
}

void gt__stat_packet_out(struct gt_sock *s, size_t bytes)
{
    STORE(s->stats.send_oct, LOAD(s->stats.send_oct) + bytes);
    account(&s->stats.send_cnt, &s->stats.send_max, &s->stats.send_avg, NULL, bytes);
}

int32_t gt_getstat(int64_t handle, int64_t dst, int32_t cap)
{
    struct gt_sock *s = gt__acquire(handle);
    int64_t v[GT_STAT_COUNT];
    int rc = 0;

    if (s == NULL)
        return -EINVAL; /* OTP: einval on a closed socket */
    /* A caller built before the counters beyond OTP's came asks for OTP's ten: it gets them. */
    if (dst == 0 || cap < (int32_t)(GT_STAT_SEND_WAITS * sizeof(int64_t))) {
        rc = -EINVAL;
    } else {
        v[GT_STAT_RECV_OCT] = (int64_t)LOAD(s->stats.recv_oct);
        v[GT_STAT_RECV_CNT] = (int64_t)LOAD(s->stats.recv_cnt);
        v[GT_STAT_RECV_MAX] = (int64_t)LOAD(s->stats.recv_max);
        v[GT_STAT_RECV_AVG] = LOAD(s->stats.recv_avg);
        v[GT_STAT_RECV_DVI] = LOAD(s->stats.recv_dvi);
        v[GT_STAT_SEND_OCT] = (int64_t)LOAD(s->stats.send_oct);
        v[GT_STAT_SEND_CNT] = (int64_t)LOAD(s->stats.send_cnt);
        v[GT_STAT_SEND_MAX] = (int64_t)LOAD(s->stats.send_max);
        v[GT_STAT_SEND_AVG] = LOAD(s->stats.send_avg);
        v[GT_STAT_SEND_WAITS] = (int64_t)LOAD(s->stats.send_waits);
        v[GT_STAT_SEND_WAIT_NS] = (int64_t)LOAD(s->stats.send_wait_ns);
        v[GT_STAT_SEND_WAIT_QUEUED] = (int64_t)LOAD(s->stats.send_wait_queued);
        if (s->opts.socket_backend) {
            /* no queue; and its sender may hold send_lock while it blocks */
            v[GT_STAT_SEND_PEND] = 0;
        } else {
            pthread_mutex_lock(&s->send_lock);
            v[GT_STAT_SEND_PEND] = (int64_t)gt__sendq_pending(s);
            pthread_mutex_unlock(&s->send_lock);
        }
        memcpy((void *)(intptr_t)dst, v,
               (size_t)cap < sizeof(v) ? GT_STAT_SEND_WAITS * sizeof(int64_t) : sizeof(v));
    }
    gt__release(s);
    return rc;
}
