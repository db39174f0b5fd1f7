/*
 * tstamp.c - the kernel's timestamps of a socket's bytes (GT_OPT_TIMESTAMPING, the kernel's
 * SO_TIMESTAMPING): setting them, the reads that keep the receive stamps, and the transmit
 * stamps taken off the socket's error queue into a bounded ring.
 *
 * Receive: TCP gives one stamp per read, that of the last segment it copied. A read made with
 * recvmsg(2) and room for the stamp keeps it in s->rx_stamp; with the option off the reads
 * stay plain recv(2) calls (gt__sock_recv), so it costs nothing then.
 *
 * Transmit: the kernel queues a record on the socket's error queue for each stamp. While that
 * queue holds one, poll(2) and every poller report the socket in error whatever was asked, so a
 * wait that left it there would wake at once, over and over. This file sits below every wait
 * for that reason: each wait that gentcp makes on a socket (wait.c, the I/O thread, the
 * mailbox's and the parking poller) calls gt__tstamp_drain when it is woken in error, which
 * moves the records into the ring and leaves the queue empty. A stamp then costs its waiter one
 * wake, never a spin. Where the poller cannot tell the error queue apart (the kqueue backend;
 * no BSD has the option anyway), and off Linux, the option answers enotsup.
 *
 * The ring: GT_TX_RING records, made when a transmit bit is first set on a connected socket,
 * freed when the socket's descriptor is (close.c). Its lock orders the readers of the error
 * queue (any waiter, gt_tx_timestamps) and the ring; it is a leaf. Past GT_TX_RING unread
 * records the oldest give way, counted, so memory stays bounded whatever the peer or the
 * application does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "platform.h"
#include "poller.h"

#if GT_LINUX
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#endif

#define GT_TIMESTAMPING_RX (GT_TIMESTAMPING_RX_SOFTWARE | GT_TIMESTAMPING_RX_HARDWARE)
#define GT_TIMESTAMPING_TX (GT_TIMESTAMPING_ALL & ~GT_TIMESTAMPING_RX)

struct gt_tx_ring {
    pthread_mutex_t lock;
    size_t head, count; /* records [head, head + count) mod GT_TX_RING */
    int64_t lost;       /* records that gave way since the last read */
    int64_t last;       /* the offset of the last record taken: the kernel's 32-bit offsets
                         * are widened to the nearest 64-bit one (stamps come within 2 GiB) */
    int64_t rec[GT_TX_RING][GT_TX_RECORD];
};

#if GT_LINUX && defined(SO_TIMESTAMPING)

int gt__tstamp_supported(void)
{
    return gt__poller_sees_error_queue;
}

/* SOF_TIMESTAMPING_OPT_ID_TCP (Linux 6.2; a kernel ABI value, absent from older headers): byte
 * offsets count from the bytes written when the option is set, not from those acknowledged. */
#define GT_SOF_OPT_ID_TCP (1 << 16)

/* The kernel's flags for gentcp's FLAGS; with ID, the transmit ones count bytes (OPT_ID), as
 * they go on doing once set, so that turning them off and on does not count afresh. */
static int kernel_flags(int64_t flags, int id)
{
    int k = 0;

    if (flags & GT_TIMESTAMPING_RX_SOFTWARE)
        k |= SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    if (flags & GT_TIMESTAMPING_RX_HARDWARE)
        k |= SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
    if (!id)
        return k;
    if (flags & GT_TIMESTAMPING_TX_SCHED)
        k |= SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_SOFTWARE;
    if (flags & GT_TIMESTAMPING_TX_SOFTWARE)
        k |= SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    if (flags & GT_TIMESTAMPING_TX_ACK)
        k |= SOF_TIMESTAMPING_TX_ACK | SOF_TIMESTAMPING_SOFTWARE;
    if (flags & GT_TIMESTAMPING_TX_HARDWARE)
        k |= SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
    /* Both: the stack's stamp too, which the kernel leaves out once the device stamps. */
    if ((flags & GT_TIMESTAMPING_TX_SOFTWARE) && (flags & GT_TIMESTAMPING_TX_HARDWARE))
        k |= SOF_TIMESTAMPING_OPT_TX_SWHW;
    /* Records carry their byte, and no copy of the data. */
    return k | SOF_TIMESTAMPING_OPT_ID | GT_SOF_OPT_ID_TCP | SOF_TIMESTAMPING_OPT_TSONLY;
}

/* Set K on S's descriptor: without OPT_ID_TCP where the kernel predates it (EINVAL). */
static int set_kernel_flags(struct gt_sock *s, int k)
{
    if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPING, &k, sizeof(k)) == 0)
        return 0;
    if (!(k & GT_SOF_OPT_ID_TCP) || errno != EINVAL)
        return -errno;
    k &= ~GT_SOF_OPT_ID_TCP;
    return setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPING, &k, sizeof(k)) < 0 ? -errno : 0;
}

static int64_t ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int gt__tstamp_set(struct gt_sock *s, int64_t flags)
{
    struct gt_tx_ring *ring = atomic_load(&s->tx_ring);
    /* The kernel counts bytes (OPT_ID) only on a connected socket (EINVAL before): the transmit
     * bits wait for the connection (gt__tstamp_connected). Once they have counted, they go on. */
    const int connected = s->kind == GT_KIND_STREAM;
    const int k = kernel_flags(flags, connected && ((flags & GT_TIMESTAMPING_TX) || ring != NULL));
    int rc;

    if (!gt__tstamp_supported() || s->family == AF_UNIX)
        return -ENOTSUP;
    /* An MPTCP socket's stamps are its subflows', queued where gentcp does not read. */
    if ((flags & GT_TIMESTAMPING_TX) && s->opts.protocol == GT_PROTOCOL_MPTCP)
        return -ENOTSUP;
    if (connected && (flags & GT_TIMESTAMPING_TX) && ring == NULL) {
        ring = calloc(1, sizeof(*ring));
        if (ring == NULL)
            return -ENOMEM;
        pthread_mutex_init(&ring->lock, NULL);
        atomic_store(&s->tx_ring, ring);
    }
    rc = set_kernel_flags(s, k);
    if (rc == 0 && !(flags & GT_TIMESTAMPING_RX)) { /* off: no stamp of an earlier read */
        atomic_store_explicit(&s->rx_stamp[GT_RX_SOFTWARE], 0, memory_order_relaxed);
        atomic_store_explicit(&s->rx_stamp[GT_RX_HARDWARE], 0, memory_order_relaxed);
    }
    return rc;
}

/* Keep the receive stamps of the control messages of MSG: 0 where it has none (data the
 * kernel took in before stamps were on), never an earlier read's. */
static void keep_rx_stamp(struct gt_sock *s, struct msghdr *msg)
{
    int64_t sw = 0, hw = 0;
    struct cmsghdr *c;

    for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPING) {
            struct scm_timestamping ts;

            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            sw = ns_of(&ts.ts[0]);
            hw = ns_of(&ts.ts[2]);
        }
    }
    atomic_store_explicit(&s->rx_stamp[GT_RX_SOFTWARE], sw, memory_order_relaxed);
    atomic_store_explicit(&s->rx_stamp[GT_RX_HARDWARE], hw, memory_order_relaxed);
}

ssize_t gt__tstamp_recv(struct gt_sock *s, void *buf, size_t len, int flags)
{
    union {
        char space[CMSG_SPACE(sizeof(struct scm_timestamping))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.space,
                         .msg_controllen = sizeof(control.space)};
    ssize_t n = recvmsg(s->fd, &msg, flags);

    if (n > 0)
        keep_rx_stamp(s, &msg);
    return n;
}

/* Put a record in the ring (its lock held): the oldest gives way when it is full. */
static void ring_put(struct gt_tx_ring *ring, int64_t kind, int64_t offset, int64_t ns)
{
    int64_t *r;

    if (ring->count == GT_TX_RING) {
        ring->head = (ring->head + 1) % GT_TX_RING;
        ring->count--;
        ring->lost++;
    }
    r = ring->rec[(ring->head + ring->count) % GT_TX_RING];
    r[GT_TX_KIND] = kind;
    r[GT_TX_OFFSET] = offset;
    r[GT_TX_TIME] = ns;
    ring->count++;
}

/* The record of one message of the error queue, into the ring: a stamp's kind from the
 * extended error, its time from the stamps (the hardware one for a device's stamp). */
static void take_record(struct gt_tx_ring *ring, struct msghdr *msg)
{
    const struct sock_extended_err *err = NULL;
    struct scm_timestamping ts;
    int have_ts = 0;
    struct cmsghdr *c;
    int64_t kind;

    for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPING) {
            memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            have_ts = 1;
        } else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                   (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
            err = (const struct sock_extended_err *)(const void *)CMSG_DATA(c);
        }
    }
    if (err == NULL || !have_ts || err->ee_errno != ENOMSG ||
        err->ee_origin != SO_EE_ORIGIN_TIMESTAMPING)
        return; /* not a stamp: nothing else is asked of the error queue */
    switch (err->ee_info) {
    case SCM_TSTAMP_SCHED:
        kind = GT_TX_SCHED;
        break;
    case SCM_TSTAMP_ACK:
        kind = GT_TX_ACK;
        break;
    default: /* SCM_TSTAMP_SND: the stack's, or the device's when it stamped */
        kind = ns_of(&ts.ts[2]) != 0 ? GT_TX_HARDWARE : GT_TX_SOFTWARE;
        break;
    }
    /* ee_data is 32 bits: the nearest 64-bit offset to the last one's */
    ring->last += (int32_t)((uint32_t)err->ee_data - (uint32_t)ring->last);
    ring_put(ring, kind, ring->last, kind == GT_TX_HARDWARE ? ns_of(&ts.ts[2]) : ns_of(&ts.ts[0]));
}

/* Empty the error queue into the ring (its lock held): the records taken. */
static int drain_locked(struct gt_sock *s, struct gt_tx_ring *ring)
{
    char control[512];
    struct msghdr msg;
    int taken = 0;

    /* Bounded: the kernel bounds the queue by the receive buffer, this by a ring's worth. */
    while (taken < GT_TX_RING) {
        memset(&msg, 0, sizeof(msg));
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        if (recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
            break; /* EAGAIN: empty (EINTR: the next wake comes back) */
        take_record(ring, &msg);
        taken++;
    }
    return taken;
}

int gt__tstamp_drain(struct gt_sock *s)
{
    struct gt_tx_ring *ring = atomic_load_explicit(&s->tx_ring, memory_order_acquire);
    int taken;

    if (ring == NULL)
        return 0; /* no stamps asked for: the error is the socket's own */
    pthread_mutex_lock(&ring->lock);
    taken = drain_locked(s, ring);
    pthread_mutex_unlock(&ring->lock);
    return taken;
}

int gt__tstamp_take(struct gt_sock *s, int64_t *dst, size_t max)
{
    struct gt_tx_ring *ring = atomic_load_explicit(&s->tx_ring, memory_order_acquire);
    size_t n = 0;

    if (ring == NULL)
        return 0;
    pthread_mutex_lock(&ring->lock);
    drain_locked(s, ring);
    if (ring->lost > 0 && max > 0) {
        dst[GT_TX_KIND] = GT_TX_LOST;
        dst[GT_TX_OFFSET] = ring->lost;
        dst[GT_TX_TIME] = 0;
        ring->lost = 0;
        n++;
    }
    while (n < max && ring->count > 0) {
        memcpy(dst + n * GT_TX_RECORD, ring->rec[ring->head], sizeof(ring->rec[0]));
        ring->head = (ring->head + 1) % GT_TX_RING;
        ring->count--;
        n++;
    }
    pthread_mutex_unlock(&ring->lock);
    return (int)n;
}

#else /* no SO_TIMESTAMPING */

int gt__tstamp_supported(void)
{
    return 0;
}

int gt__tstamp_set(struct gt_sock *s, int64_t flags)
{
    (void)s;
    (void)flags;
    return -ENOTSUP;
}

ssize_t gt__tstamp_recv(struct gt_sock *s, void *buf, size_t len, int flags)
{
    return recv(s->fd, buf, len, flags); /* never asked for: the option is refused */
}

int gt__tstamp_drain(struct gt_sock *s)
{
    (void)s;
    return 0;
}

int gt__tstamp_take(struct gt_sock *s, int64_t *dst, size_t max)
{
    (void)s;
    (void)dst;
    (void)max;
    return 0;
}

#endif

int gt__tstamp_drain_handle(int64_t handle)
{
    struct gt_sock *s = gt__acquire(handle);
    int taken;

    if (s == NULL)
        return 0;
    taken = gt__tstamp_drain(s);
    gt__release(s);
    return taken;
}

void gt__tstamp_connected(struct gt_sock *s)
{
    int64_t flags;

    /* Under the lock, with no look before it: a setopts that saw the socket fresh has stored
     * its flags by the time this gets the lock, or stores them after and sees it connected. */
    pthread_mutex_lock(&s->opts_lock);
    flags = atomic_load(&s->opts.timestamping);
    /* Taken on the fresh socket; without memory for the ring, receive stamps only. */
    if ((flags & GT_TIMESTAMPING_TX) && gt__tstamp_set(s, flags) < 0)
        atomic_store(&s->opts.timestamping, flags & GT_TIMESTAMPING_RX);
    pthread_mutex_unlock(&s->opts_lock);
}

void gt__tstamp_adopted(struct gt_sock *s)
{
#ifdef SO_TIMESTAMPING
    const int off = 0;

    /* Stamps another owner asked for would fill an error queue nobody here reads. */
    if (gt__tstamp_supported())
        (void)setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPING, &off, sizeof(off));
#else
    (void)s;
#endif
}

void gt__tstamp_free(struct gt_sock *s)
{
    struct gt_tx_ring *ring = atomic_exchange(&s->tx_ring, NULL);

    atomic_store_explicit(&s->rx_stamp[GT_RX_SOFTWARE], 0, memory_order_relaxed);
    atomic_store_explicit(&s->rx_stamp[GT_RX_HARDWARE], 0, memory_order_relaxed);
    if (ring == NULL)
        return;
    pthread_mutex_destroy(&ring->lock);
    free(ring);
}
