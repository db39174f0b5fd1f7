/*
 * ref_util.h - what the C programs of native/bench share: the monotonic clock (now_ns.h), the
 * big-endian length headers of {packet, 1 | 2 | 4} (the core's bytes.h), pinning to a CPU, and
 * their command lines: usage errors, numbers, --packet. Header-only, so each program stays one
 * file to compile (CMakeLists.txt gives them native/src and native/test as include folders).
 *
 * A program names itself once, ref_program(name, usage), before any of the rest is called.
 */
#ifndef GENTCP_REF_UTIL_H
#define GENTCP_REF_UTIL_H

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "bytes.h"
#include "now_ns.h"

static const char *ref_name = "?";      /* the program, first word of every message */
static const char *ref_usage_text = ""; /* its usage lines, after a bad command line */

static inline void ref_program(const char *name, const char *usage)
{
    ref_name = name;
    ref_usage_text = usage;
}

/* A failure: "PROG: WHAT[: strerror(ERR)]" (ERR 0: none) on stderr, and exit status 1. */
_Noreturn static inline void ref_die(const char *what, int err)
{
    if (err != 0)
        fprintf(stderr, "%s: %s: %s\n", ref_name, what, strerror(err));
    else
        fprintf(stderr, "%s: %s\n", ref_name, what);
    exit(1);
}

/* A bad command line: "PROG: MSG[: ARG]", then the usage, and exit status 2. */
_Noreturn static inline void ref_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s\n", ref_name, msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "%s\n", ref_usage_text);
    exit(2);
}

/* The whole decimal number S of option OPT if it lies in [MIN, MAX], else a usage error. */
static inline int64_t ref_parse_num(const char *opt, const char *s, int64_t min, int64_t max)
{
    char *endp;
    long long v;

    errno = 0;
    v = strtoll(s, &endp, 10);
    if (errno != 0 || endp == s || *endp != '\0' || v < min || v > max) {
        fprintf(stderr, "%s: %s must be a number in %" PRId64 "..%" PRId64 "\n", ref_name, opt, min,
                max);
        ref_usage("bad value", s);
    }
    return (int64_t)v;
}

/* The value of option ARGV[*I], *I moved onto it; a usage error when the option is the last. */
static inline const char *ref_option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        ref_usage("missing value after", argv[*i]);
    return argv[++*i];
}

/* --packet's value VAL: the header length 0, 1, 2 or 4. */
static inline int ref_parse_packet(const char *opt, const char *val)
{
    int packet = (int)ref_parse_num(opt, val, 0, 4);

    if (packet == 3)
        ref_usage("--packet must be 0, 1, 2 or 4", val);
    return packet;
}

/* A usage error unless SIZE, the body of a message with a PACKET-byte header, lies in MIN up
 * to the largest that header can announce (UNFRAMED for 0 and 4). */
static inline void ref_check_size(int64_t size, int packet, int64_t min, int64_t unframed)
{
    int64_t max = packet == 1 ? 0xff : packet == 2 ? 0xffff : unframed;

    if (size < min || size > max) {
        fprintf(stderr, "%s: --size must be in %" PRId64 "..%" PRId64 " with --packet %d\n",
                ref_name, min, max, packet);
        ref_usage("bad --size", NULL);
    }
}

/* Pins thread TID (0: the calling thread, not the whole process) to CPU: 0, or -1 and errno. */
static inline int ref_pin(pid_t tid, int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(tid, sizeof(set), &set);
}

/* One message as iovecs: its PACKET-byte big-endian length header (none for 0), written to
 * HEADER, then the LEN bytes of BODY (none when LEN is 0). Returns how many iovecs. */
static inline int ref_message_iov(struct iovec iov[2], uint8_t header[4], int packet,
                                  const uint8_t *body, size_t len)
{
    int n = 0;

    if (packet > 0) {
        gt__put_be(header, len, packet);
        iov[n].iov_base = header;
        iov[n].iov_len = (size_t)packet;
        n++;
    }
    if (len > 0) {
        iov[n].iov_base = (void *)body;
        iov[n].iov_len = len;
        n++;
    }
    return n;
}

/* Sends the N iovecs at V whole with sendmsg(2), going on after a short send (a signal, a
 * huge body) where it stopped (V is used up): 0, or -1 and errno. MSG_NOSIGNAL: a closed peer
 * is an error, not a SIGPIPE death. */
static inline int ref_send_all(int fd, struct iovec *v, int n)
{
    struct msghdr msg = {0};
    ssize_t r;

    while (n > 0) {
        msg.msg_iov = v;
        msg.msg_iovlen = (size_t)n;
        r = sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (n > 0 && (size_t)r >= v->iov_len) {
            r -= (ssize_t)v->iov_len;
            v++;
            n--;
        }
        if (n > 0) {
            v->iov_base = (uint8_t *)v->iov_base + r;
            v->iov_len -= (size_t)r;
        }
    }
    return 0;
}

/* The soft limit on open descriptors raised to the hard one: the limit now. */
static inline rlim_t ref_raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        ref_die("getrlimit(RLIMIT_NOFILE)", errno);
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            ref_die("setrlimit(RLIMIT_NOFILE)", errno);
    }
    return rl.rlim_cur;
}

#ifdef __linux__
#include <sys/epoll.h>

/* epoll_wait(2) on EP for up to TIMEOUT_MS: the events ready, 0 when a signal ended the wait;
 * any other failure ends the program. */
static inline int ref_epoll_wait(int ep, struct epoll_event *events, int max, int timeout_ms)
{
    int n = epoll_wait(ep, events, max, timeout_ms);

    if (n < 0 && errno != EINTR)
        ref_die("epoll_wait", errno);
    return n < 0 ? 0 : n;
}
#endif

#endif /* GENTCP_REF_UTIL_H */
