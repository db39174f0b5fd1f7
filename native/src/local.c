/*
 * local.c - AF_UNIX stream sockets (OTP's `local` family): their addresses, made from the
 * caller's bytes for bind and connect, and written back for sockname/peername.
 *
 * A name is a filesystem path, or on Linux an abstract name: one whose first byte is NUL,
 * which lives in the network namespace rather than on disk and vanishes with its socket.
 * Abstract names are not NUL-terminated: every byte up to the length given is the name.
 * Elsewhere an abstract name, or an empty one (autobind), is einval.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "internal.h"
#include "platform.h"

/* Builds the address from the LEN bytes at NAME (the caller's, read during the call only). */
static int make_local(int64_t name, int64_t len, struct sockaddr_storage *ss, socklen_t *sslen)
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
    *sslen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)len +
                         (bytes[0] != 0 ? 1 : 0));
    return 0;
}

int32_t gt_bind_local(int64_t handle, int64_t name, int64_t len)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int rc = make_local(name, len, &ss, &sslen);

    return rc < 0 ? rc : gt__bind_sockaddr(handle, &ss, sslen);
}

int32_t gt_connect_local(int64_t handle, int64_t name, int64_t len, int64_t timeout_ms)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int rc = make_local(name, len, &ss, &sslen);

    return rc < 0 ? rc : gt__connect_sockaddr(handle, &ss, sslen, timeout_ms);
}

int gt__write_local_name(const struct sockaddr_storage *ss, socklen_t len, uint8_t *out,
                         int32_t cap)
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
    if (out == NULL || cap < 8 + n || cap < GT_SOCKADDR_MAX)
        return -EINVAL;
    memset(out, 0, GT_SOCKADDR_MAX);
    memcpy(out, &family, 4);
    memcpy(out + 4, &n, 4);
    memcpy(out + 8, sun->sun_path, (size_t)n);
    return 0;
}
