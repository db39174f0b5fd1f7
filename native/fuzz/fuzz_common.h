/*
 * fuzz_common.h - what the framing harnesses share: reading limits from the input's first
 * bytes, and the invariants every complete frame must satisfy.
 */
#ifndef GENTCP_FUZZ_COMMON_H
#define GENTCP_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Takes N bytes off the front of the input as a little-endian number (0 when too short). */
static inline uint64_t take(const uint8_t **data, size_t *size, int n)
{
    uint64_t v = 0;
    int i;

    for (i = 0; *size > 0 && i < n; i++) {
        v |= (uint64_t)(*data)[0] << (8 * i);
        (*data)++;
        (*size)--;
    }
    return v;
}

/* A frame must lie inside what was buffered, and what it delivers inside the frame. */
static inline void check_frame(int rc, size_t n, const struct gt_frame *f)
{
    if (rc == 1 && f->total > n)
        abort();
    if (rc == 1 && f->body_off + f->body_len > f->total)
        abort();
    if (rc < -1 || rc > 1)
        abort();
}

/* Copies the input to a buffer of exactly its size, so ASan sees any read past the end. */
static inline uint8_t *exact_copy(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size > 0 ? size : 1);

    if (copy != NULL && size > 0)
        memcpy(copy, data, size);
    return copy;
}

#endif
