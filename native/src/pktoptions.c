/*
 * pktoptions.c - OTP's read-only {pktoptions, List}: what the kernel recorded of the last
 * packet received, for the options asked with recvtos / recvttl / recvtclass.
 *
 * Linux TCP hands no IP ancillary data to recvmsg(2) (it can't: a read spans many segments);
 * instead it keeps the last segment's values per socket and gives them as control messages to
 * getsockopt(IP_PKTOPTIONS) / getsockopt(IPV6_2292PKTOPTIONS), which is what OTP reads too.
 * So the receive path needs no change at all: it stays one plain recv, with or without these
 * options, and this cold call asks the kernel when the caller wants to know.
 *
 * IP_PKTOPTIONS is Linux's: elsewhere the call answers enotsup.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"
#include "platform.h"

#if GT_HAVE_PKTOPTIONS
static void put(int64_t *out, const struct cmsghdr *c)
{
    size_t len = c->cmsg_len - CMSG_LEN(0);
    int v = 0;

    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS && len >= 1) {
        out[GT_PKT_TOS] = *(const uint8_t *)CMSG_DATA(c); /* one byte, per ip(7) */
        return;
    }
    if (len < sizeof(v))
        return;
    memcpy(&v, CMSG_DATA(c), sizeof(v));
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
        out[GT_PKT_TTL] = v;
    else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS)
        out[GT_PKT_TCLASS] = v;
    else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)
        out[GT_PKT_HOPLIMIT] = v;
}

static int read_pktoptions(struct gt_sock *s, int64_t out[GT_PKT_COUNT])
{
    union {
        struct cmsghdr align;
        uint8_t bytes[256];
    } control;
    struct msghdr m;
    struct cmsghdr *c;
    socklen_t len = sizeof(control);

    if ((s->family == AF_INET
             ? getsockopt(s->fd, IPPROTO_IP, IP_PKTOPTIONS, &control, &len)
             : getsockopt(s->fd, IPPROTO_IPV6, IPV6_2292PKTOPTIONS, &control, &len)) < 0)
        return -errno;
    memset(&m, 0, sizeof(m));
    m.msg_control = &control;
    m.msg_controllen = len;
    for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
        put(out, c);
    return 0;
}
#else
static int read_pktoptions(struct gt_sock *s, int64_t out[GT_PKT_COUNT])
{
    (void)s;
    (void)out;
    return -ENOTSUP;
}
#endif

int32_t gt_pktoptions(int64_t handle, int64_t dst, int32_t cap)
{
    int64_t out[GT_PKT_COUNT] = {-1, -1, -1, -1}; /* not asked for: none */

    /* A local socket has no IP header to tell of: getopts leaves pktoptions out. */
    return gt__read_ip_state(handle, dst, cap, out, GT_PKT_COUNT, read_pktoptions);
}
