/*
 * ref_util.h - what the C reference programs (pingpong_ref.c, throughput_ref.c) share: a
 * monotonic clock and the big-endian length headers of {packet, 1 | 2 | 4}. Header-only, so
 * each program stays one file to compile.
 */
#ifndef GENTCP_REF_UTIL_H
#define GENTCP_REF_UTIL_H

#include <stdint.h>
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

#endif /* GENTCP_REF_UTIL_H */
