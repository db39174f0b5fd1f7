/*
 * timestamping.c - the calls that read a socket's kernel timestamps (GT_OPT_TIMESTAMPING): the
 * receive stamps of its last read, and the transmit stamps tstamp.c keeps in its ring.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

/* The socket of HANDLE for a timestamp call, or NULL: einval on a closed one, as getstat. */
static struct gt_sock *acquire_stream(int64_t handle)
{
    struct gt_sock *s = gt__acquire(handle);

    if (s != NULL && (gt__port_gone(s) || s->kind == GT_KIND_MAILBOX)) {
        gt__release(s);
        return NULL;
    }
    return s;
}

int32_t gt_rx_timestamp(int64_t handle, int64_t dst, int32_t cap)
{
    struct gt_sock *s = acquire_stream(handle);
    int64_t *out = (int64_t *)(intptr_t)dst;
    int i;

    if (s == NULL)
        return -EINVAL;
    if (dst == 0 || cap < (int32_t)(GT_RX_COUNT * sizeof(int64_t))) {
        gt__release(s);
        return -EINVAL;
    }
    if (!gt__tstamp_supported() || s->family == AF_UNIX) {
        gt__release(s);
        return -ENOTSUP; /* as the option */
    }
    for (i = 0; i < GT_RX_COUNT; i++)
        out[i] = atomic_load_explicit(&s->rx_stamp[i], memory_order_relaxed);
    gt__release(s);
    return 0;
}

int32_t gt_tx_timestamps(int64_t handle, int64_t dst, int32_t cap)
{
    struct gt_sock *s = acquire_stream(handle);
    int rc;

    if (s == NULL)
        return -EINVAL;
    if (dst == 0 || cap < 0 || s->kind != GT_KIND_STREAM)
        rc = -EINVAL;
    else if (!gt__tstamp_supported() || s->family == AF_UNIX)
        rc = -ENOTSUP; /* as the option */
    else
        rc = gt__tstamp_take(s, (int64_t *)(intptr_t)dst,
                             (size_t)cap / (GT_TX_RECORD * sizeof(int64_t)));
    gt__release(s);
    return rc;
}
