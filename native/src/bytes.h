/*
 * bytes.h - big-endian numbers in bytes, as the wire has them: packet headers ({packet, 1|2|4}
 * and the others' lengths), gt_recv_batch's lengths, IPv6 addresses. Knows no socket: base
 * layer (see internal.h).
 */
#ifndef GENTCP_BYTES_H
#define GENTCP_BYTES_H

#include <stdint.h>

/* The LEN (0..8) bytes at P as a big-endian number. */
static inline uint64_t gt__get_be(const uint8_t *p, int len)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < len; i++)
        v = (v << 8) | p[i];
    return v;
}

/* V's low LEN (0..8) bytes to P, big-endian. */
static inline void gt__put_be(uint8_t *p, uint64_t v, int len)
{
    int i;

    for (i = len - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

#endif /* GENTCP_BYTES_H */
