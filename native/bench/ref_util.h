/*
 * ref_util.h - what the C programs of native/bench share: a monotonic clock, the big-endian
 * length headers of {packet, 1 | 2 | 4}, and their command lines' usage errors and numbers.
 * Header-only, so each program stays one file to compile.
 */
#ifndef GENTCP_REF_UTIL_H
#define GENTCP_REF_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The LEN-byte big-endian number at P. */
static inline uint64_t get_be(const uint8_t *p, int len)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < len; i++)
        v = (v << 8) | p[i];
    return v;
}

/* V as LEN big-endian bytes at P. */
static inline void put_be(uint8_t *p, int len, uint64_t v)
{
    int i;

    for (i = len - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* A failure: "PROG: WHAT[: strerror(ERR)]" (ERR 0: none) on stderr, and exit status 1. */
static inline void ref_die(const char *prog, const char *what, int err)
{
    if (err != 0)
        fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
    else
        fprintf(stderr, "%s: %s\n", prog, what);
    exit(1);
}

/* A bad command line: "PROG: MSG[: ARG]", then USAGE, and exit status 2. */
static inline void ref_usage(const char *prog, const char *usage, const char *msg, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s\n", prog, msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "%s\n", usage);
    exit(2);
}

/* The whole decimal number S of option OPT if it lies in [MIN, MAX], else a usage error. */
static inline long ref_parse_long(const char *prog, const char *usage, const char *opt, const char *s,
                                  long min, long max)
{
    char *endp;
    long v;

    errno = 0;
    v = strtol(s, &endp, 10);
    if (errno != 0 || endp == s || *endp != '\0' || v < min || v > max) {
        fprintf(stderr, "%s: %s must be a number in %ld..%ld\n", prog, opt, min, max);
        ref_usage(prog, usage, "bad value", s);
    }
    return v;
}

#endif /* GENTCP_REF_UTIL_H */
