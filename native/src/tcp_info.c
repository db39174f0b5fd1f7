/*
 * tcp_info.c - the kernel's TCP_INFO: the connection's state, round-trip times, congestion
 * window, retransmissions and delivery counts, as Linux keeps them (what ss -ti shows).
 *
 * struct tcp_info grows at its end with each kernel, and the kernel copies out no more than it
 * has: a field is given only when the length getsockopt returned covers it, so that a field an
 * older kernel does not fill is reported absent, never as a zero. The offsets and sizes are the
 * compiler's (offsetof and sizeof of <linux/tcp.h>'s struct), never numbers written here.
 *
 * <linux/tcp.h> is included rather than glibc's <netinet/tcp.h>, whose struct tcp_info stops at
 * tcpi_total_retrans; the two cannot be included together, so this file does not include
 * platform.h (which includes the latter) and tests for Linux the way platform.h's GT_LINUX
 * does. Elsewhere the call answers enotsup.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

#if defined(__linux__) && !defined(GT_PRETEND_NOT_LINUX)
#include <linux/tcp.h>
#include <netinet/in.h>

/* Bit I of the mask when the LEN bytes the kernel gave cover field F; then OUT[I] = its value. */
#define GT_TCPI(out, len, i, f)                                                                    \
    do {                                                                                           \
        if ((len) >= offsetof(struct tcp_info, f) + sizeof(((struct tcp_info *)0)->f)) {           \
            (out)[i] = (int64_t)ti.f;                                                              \
            (out)[GT_TCP_INFO_PRESENT] |= (int64_t)1 << (i);                                       \
        }                                                                                          \
    } while (0)

static int read_tcp_info(struct gt_sock *s, int64_t out[GT_TCP_INFO_COUNT])
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    size_t n;

    memset(&ti, 0, sizeof(ti));
    if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
        return -errno;
    n = len;
    GT_TCPI(out, n, GT_TCP_INFO_STATE, tcpi_state);
    GT_TCPI(out, n, GT_TCP_INFO_RETRANSMITS, tcpi_retransmits);
    GT_TCPI(out, n, GT_TCP_INFO_RTT, tcpi_rtt);
    GT_TCPI(out, n, GT_TCP_INFO_RTTVAR, tcpi_rttvar);
    GT_TCPI(out, n, GT_TCP_INFO_TOTAL_RETRANS, tcpi_total_retrans);
    GT_TCPI(out, n, GT_TCP_INFO_LOST, tcpi_lost);
    GT_TCPI(out, n, GT_TCP_INFO_SND_CWND, tcpi_snd_cwnd);
    GT_TCPI(out, n, GT_TCP_INFO_SND_SSTHRESH, tcpi_snd_ssthresh);
    GT_TCPI(out, n, GT_TCP_INFO_UNACKED, tcpi_unacked);
    GT_TCPI(out, n, GT_TCP_INFO_PACING_RATE, tcpi_pacing_rate);
    GT_TCPI(out, n, GT_TCP_INFO_DELIVERY_RATE, tcpi_delivery_rate);
    GT_TCPI(out, n, GT_TCP_INFO_BUSY_TIME, tcpi_busy_time);
    GT_TCPI(out, n, GT_TCP_INFO_RWND_LIMITED, tcpi_rwnd_limited);
    GT_TCPI(out, n, GT_TCP_INFO_SNDBUF_LIMITED, tcpi_sndbuf_limited);
    GT_TCPI(out, n, GT_TCP_INFO_BYTES_ACKED, tcpi_bytes_acked);
    GT_TCPI(out, n, GT_TCP_INFO_BYTES_RECEIVED, tcpi_bytes_received);
    GT_TCPI(out, n, GT_TCP_INFO_MIN_RTT, tcpi_min_rtt);
    /* The kernel's "no limit" (~0) and a 64-bit count past int64: the most Java can hold. */
    if (ti.tcpi_pacing_rate > (uint64_t)INT64_MAX &&
        (out[GT_TCP_INFO_PRESENT] & (1 << GT_TCP_INFO_PACING_RATE)))
        out[GT_TCP_INFO_PACING_RATE] = INT64_MAX;
    /* min_rtt is ~0 until the first sample: no value yet. */
    if (ti.tcpi_min_rtt == UINT32_MAX) {
        out[GT_TCP_INFO_MIN_RTT] = 0;
        out[GT_TCP_INFO_PRESENT] &= ~((int64_t)1 << GT_TCP_INFO_MIN_RTT);
    }
    return 0;
}
#else
static int read_tcp_info(struct gt_sock *s, int64_t out[GT_TCP_INFO_COUNT])
{
    (void)s;
    (void)out;
    return -ENOTSUP;
}
#endif

int32_t gt_tcp_info(int64_t handle, int64_t dst, int32_t cap)
{
    int64_t out[GT_TCP_INFO_COUNT] = {0};

    return gt__read_ip_state(handle, dst, cap, out, GT_TCP_INFO_COUNT, read_tcp_info);
}
