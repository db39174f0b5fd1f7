/*
 * addr.c - socket addresses: made from the caller's values for bind and connect, and written
 * back for sockname and peername, for every family gentcp takes (inet, inet6, local).
 *
 * An inet address comes as two 64-bit halves and a port (with an IPv6 scope id above it); a
 * local (AF_UNIX, OTP's `local` family) name is a filesystem path, or on Linux an abstract
 * name: one whose first byte is NUL, which lives in the network namespace rather than on disk
 * and vanishes with its socket. Abstract names are not NUL-terminated: every byte up to the
 * length given is the name. Elsewhere an abstract name, or an empty one (autobind), is einval.
 * Written back, an address takes the layout gentcp.h gives (GT_SOCKADDR_SIZE, GT_SOCKADDR_MAX).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "addr.h"
#include "bytes.h"
#include "gentcp.h"
#include "platform.h"

/* gt_bind's and gt_connect's PORT: the port in the low half, the scope id in the high one. */
#define GT_PORT_SCOPE_SHIFT 32
#define GT_PORT_MAX 65535

int gt__addr_inet(int64_t family, int64_t hi, int64_t lo, int64_t port_scope,
                  struct sockaddr_storage *ss, socklen_t *len)
{
    int64_t port = port_scope & (((int64_t)1 << GT_PORT_SCOPE_SHIFT) - 1);
    uint32_t scope = (uint32_t)((uint64_t)port_scope >> GT_PORT_SCOPE_SHIFT);

    if (port < 0 || port > GT_PORT_MAX || (scope != 0 && family != AF_INET6))
        return -EINVAL;
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;

        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        sin->sin_addr.s_addr = htonl((uint32_t)lo);
        *len = sizeof(*sin);
        return 0;
    }
    if (family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)port);
        sin6->sin6_scope_id = scope;
        gt__put_be(sin6->sin6_addr.s6_addr, (uint64_t)hi, 8);
        gt__put_be(sin6->sin6_addr.s6_addr + 8, (uint64_t)lo, 8);
        *len = sizeof(*sin6);
        return 0;
    }
    return -EAFNOSUPPORT;
}

int gt__addr_local(int64_t name, int64_t len, struct sockaddr_storage *ss, socklen_t *sslen)
{
    struct sockaddr_un *sun = (struct sockaddr_un *)ss;
    const uint8_t *bytes = (const uint8_t *)(intptr_t)name;

    if (!GT_HAVE_ABSTRACT_UNIX && (len == 0 || (name != 0 && bytes[0] == 0)))
        return -EINVAL;
    if (len == 0) {
        /* Only the family: bind(2) then picks an unused abstract name (Linux autobind). */
        memset(ss, 0, sizeof(*ss));
        sun->sun_family = AF_UNIX;
        *sslen = (socklen_t)offsetof(struct sockaddr_un, sun_path);
        return 0;
    }
    if (name == 0 || len < 1 || len > (int64_t)sizeof(sun->sun_path))
        return -EINVAL;
    /* A path needs room for its terminating NUL and may hold no NUL of its own. */
    if (bytes[0] != 0 && (len >= (int64_t)sizeof(sun->sun_path) || memchr(bytes, 0, (size_t)len)))
        return -EINVAL;
    memset(ss, 0, sizeof(*ss));
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, bytes, (size_t)len);
    /* An abstract name's length is part of the name: pass exactly it. */
    *sslen =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)len + (bytes[0] != 0 ? 1 : 0));
    return 0;
}

static int write_local(const struct sockaddr_storage *ss, socklen_t len, uint8_t *out, int32_t cap)
{
    const struct sockaddr_un *sun = (const struct sockaddr_un *)ss;
    size_t off = offsetof(struct sockaddr_un, sun_path);
    int32_t family = AF_UNIX, n;

    /* An unnamed socket (a client that did not bind) has no path at all: length 0. */
    n = len > off ? (int32_t)(len - off) : 0;
    if (n > 0 && sun->sun_path[0] != 0)
        n = (int32_t)strnlen(sun->sun_path, (size_t)n); /* a path: up to its NUL */
    else if (!GT_HAVE_ABSTRACT_UNIX)
        n = 0; /* BSD reports an unnamed socket with a zeroed path, not an abstract name */
    if (out == NULL || cap < GT_SOCKADDR_ADDR_OFF + n || cap < GT_SOCKADDR_MAX)
        return -EINVAL;
    memset(out, 0, GT_SOCKADDR_MAX);
    memcpy(out + GT_SOCKADDR_FAMILY_OFF, &family, 4);
    memcpy(out + GT_SOCKADDR_PORT_OFF, &n, 4);
    memcpy(out + GT_SOCKADDR_ADDR_OFF, sun->sun_path, (size_t)n);
    return 0;
}

int gt__addr_write(const struct sockaddr_storage *ss, socklen_t len, int64_t dst, int32_t cap)
{
    uint8_t *out = (uint8_t *)(intptr_t)dst;
    int32_t family = ss->ss_family, port;
    uint32_t scope = 0;

    if (family == AF_UNIX)
        return write_local(ss, len, out, cap);
    if (cap < GT_SOCKADDR_SIZE || out == NULL)
        return -EINVAL;
    memset(out, 0, GT_SOCKADDR_SIZE);
    if (family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

        port = ntohs(sin->sin_port);
        memcpy(out + GT_SOCKADDR_ADDR_OFF, &sin->sin_addr, 4);
    } else if (family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

        port = ntohs(sin6->sin6_port);
        memcpy(out + GT_SOCKADDR_ADDR_OFF, &sin6->sin6_addr, 16);
        scope = sin6->sin6_scope_id;
    } else {
        return -EAFNOSUPPORT;
    }
    memcpy(out + GT_SOCKADDR_FAMILY_OFF, &family, 4);
    memcpy(out + GT_SOCKADDR_PORT_OFF, &port, 4);
    memcpy(out + GT_SOCKADDR_SCOPE_OFF, &scope, 4);
    return 0;
}
