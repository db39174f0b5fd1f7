/*
 * packet.c - framing: where the next packet in a byte stream ends.
 *
 * The contract follows OTP's packet_parser (packet_get_length): given the bytes buffered so
 * far, say whether they start with a complete packet, need more bytes, or are invalid.
 *
 *   gt__packet_frame(type, buf, n, packet_size, &f) returns
 *     1   a complete packet: f.total bytes make it up, of which f.body_len bytes starting at
 *         f.body_off are delivered to the user (1/2/4 strip their header);
 *     0   more bytes are needed; f.total is the whole packet's length when the header says
 *         it (so the caller can size its buffer), else 0;
 *    -1   invalid: the body is longer than packet_size (when that is not 0) or than the
 *         largest length OTP accepts. On a socket this is 'emsgsize'.
 *
 * packet_size is compared with the body length, header excluded, as soon as the header is
 * complete, before the body arrives (measured on OTP 25: decode_packet(4, <<0,0,0,3>>,
 * [{packet_size,2}]) is {error,invalid}). Raw data has no frames; the caller handles it.
 * No allocation, no state between calls.
 */
#include <limits.h>

#include "internal.h"

int gt__packet_header_len(int type)
{
    switch (type) {
    case GT_PACKET_1: return 1;
    case GT_PACKET_2: return 2;
    case GT_PACKET_4: return 4;
    default: return 0;
    }
}

static uint64_t read_be(const uint8_t *p, int len)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < len; i++)
        v = (v << 8) | p[i];
    return v;
}

int gt__packet_frame(int type, const uint8_t *buf, size_t n, uint64_t packet_size,
                     struct gt_frame *f)
{
    int hlen = gt__packet_header_len(type);
    uint64_t body, cap;

    f->total = 0;
    f->body_off = 0;
    f->body_len = 0;
    if (hlen == 0)
        return -1; /* not a framed type: a caller error, reported as invalid */
    if (n < (size_t)hlen)
        return 0;
    body = read_be(buf, hlen);
    /* The total must fit an int (OTP's cap when packet_size is 0), and packet_size, when
     * set, caps the body further. */
    cap = (uint64_t)INT_MAX - (uint64_t)hlen;
    if (packet_size != 0 && packet_size < cap)
        cap = packet_size;
    if (body > cap)
        return -1;
    f->total = (size_t)body + (size_t)hlen;
    f->body_off = (size_t)hlen;
    f->body_len = (size_t)body;
    return n >= f->total ? 1 : 0;
}
