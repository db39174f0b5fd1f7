/*
 * packet.h - framing (packet.c): where a packet of each {packet, Type} ends in a stream of
 * bytes. See the contract there. Knows no socket: base layer (see internal.h).
 */
#ifndef GENTCP_PACKET_H
#define GENTCP_PACKET_H

#include <stddef.h>
#include <stdint.h>

struct gt_frame {
    size_t total;    /* frame length including its header */
    size_t body_off; /* where the delivered bytes start */
    size_t body_len; /* how many bytes are delivered */
    /* Set by gt__rbuf_frame: the packet type and HTTP state the packet was framed with, which
     * its delivery follows (a setopts meanwhile changes the next packet, not this one). */
    int type;
    int http_state;
};
struct gt_packet_limits {
    uint64_t packet_size; /* 0 = none */
    uint64_t trunc_len;   /* lines longer than this come in pieces; 0 = none */
    int delimiter;        /* the line delimiter, 0..255 */
    int http_state;       /* HTTP: 0 = a request/response line is next, 1 = header lines */
};
int gt__packet_frame(int type, const uint8_t *buf, size_t n, const struct gt_packet_limits *lim,
                     struct gt_frame *f);
int gt__packet_header_len(int type);
int gt__packet_is_http(int type);

#endif /* GENTCP_PACKET_H */
