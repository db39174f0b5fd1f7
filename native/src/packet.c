/*
 * packet.c - framing: where the next packet in a byte stream ends, for every {packet, T}.
 *
 * The contract follows OTP's packet_parser (packet_get_length): given the bytes buffered so
 * far, say whether they start with a complete packet, need more bytes, or are invalid.
 *
 *   gt__packet_frame(type, buf, n, limits, &f) returns
 *     1   a complete packet: f.total bytes make it up, of which f.body_len bytes starting at
 *         f.body_off are delivered to the user (1/2/4 strip their header, fcgi drops its
 *         padding, the other types deliver their header too);
 *     0   more bytes are needed; f.total is the whole packet's length when the header says
 *         it (so the caller can size its buffer, and decode_packet can answer {more, N}),
 *         else 0;
 *    -1   invalid: a malformed header, or a body longer than packet_size (when that is not
 *         0) or than the largest length OTP accepts. On a socket this is 'emsgsize'.
 *
 * packet_size is compared with the body length, header excluded, as soon as the header is
 * complete, before the body arrives (OTP 25: decode_packet(4, <<0,0,0,3>>, [{packet_size,2}])
 * is {error,invalid}). Lines are the exception: there packet_size bounds the whole line,
 * delimiter included, and trunc_len cuts a longer line into pieces of that size (sockets pass
 * their 'buffer' option, decode_packet its line_length). Measured vectors for every rule are
 * in native/test/test_packet.c. No allocation, no state between calls.
 */
#include <limits.h>
#include <string.h>

#include "bytes.h"
#include "gentcp.h"
#include "http.h"
#include "packet.h"

int gt__packet_header_len(int type)
{
    switch (type) {
    case GT_PACKET_1:
        return 1;
    case GT_PACKET_2:
        return 2;
    case GT_PACKET_4:
        return 4;
    default:
        return 0;
    }
}

int gt__packet_is_http(int type)
{
    return type == GT_PACKET_HTTP || type == GT_PACKET_HTTPH || type == GT_PACKET_HTTP_BIN ||
           type == GT_PACKET_HTTPH_BIN;
}

static uint64_t read_le(const uint8_t *p, int len)
{
    uint64_t v = 0;
    int i;

    for (i = len - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/*
 * A header of HLEN bytes announcing a body of BODY bytes (as packet_size counts it). The
 * total must fit an int, as in OTP, and packet_size, when set, caps the body further.
 */
static int sized(size_t n, size_t hlen, uint64_t body, uint64_t packet_size, struct gt_frame *f)
{
    uint64_t cap = (uint64_t)INT_MAX - hlen;

    if (packet_size != 0 && packet_size < cap)
        cap = packet_size;
    if (body > cap)
        return -1;
    f->total = hlen + (size_t)body;
    f->body_off = 0;
    f->body_len = f->total;
    return n >= f->total ? 1 : 0;
}

/*
 * ASN.1 BER: a tag (one byte, or a long form: continuation bytes with bit 7 set, then one
 * without) and a length (short form; long form 0x8N with N length bytes, N = 0 meaning the
 * indefinite length, taken as 0). OTP's order of checks is kept: it needs two bytes before
 * anything, and it asks for the N length bytes before it rejects N > 4.
 */
static int asn1_frame(const uint8_t *buf, size_t n, uint64_t packet_size, struct gt_frame *f)
{
    size_t pos = 1;
    uint64_t body;
    size_t len_bytes;

    if (n < 2)
        return 0;
    if ((buf[0] & 0x1f) == 0x1f) {
        while (pos < n && (buf[pos] & 0x80))
            pos++;
        if (n - pos < 2) /* the last tag byte and the length byte */
            return 0;
        pos++;
    }
    if (buf[pos] < 0x80) {
        body = buf[pos++];
    } else {
        len_bytes = buf[pos++] & 0x7f;
        if (n - pos < len_bytes)
            return 0;
        if (len_bytes > 4)
            return -1;
        body = gt__get_be(buf + pos, (int)len_bytes);
        pos += len_bytes;
    }
    return sized(n, pos, body, packet_size, f);
}

/* A line ends with the delimiter. packet_size bounds the whole line; a line longer than
 * trunc_len comes out in trunc_len-sized pieces (the delimiter stays with the last one). */
static int line_frame(const uint8_t *buf, size_t n, const struct gt_packet_limits *lim,
                      struct gt_frame *f)
{
    const uint8_t *end = n > 0 ? memchr(buf, lim->delimiter, n) : NULL;
    size_t len;

    if (end != NULL) {
        len = (size_t)(end - buf) + 1;
        if (lim->packet_size != 0 && len > lim->packet_size)
            return -1;
        if (lim->trunc_len != 0 && len > lim->trunc_len)
            len = (size_t)lim->trunc_len;
    } else {
        if (lim->packet_size != 0 && n > lim->packet_size)
            return -1;
        if (lim->trunc_len == 0 || n < lim->trunc_len)
            return 0;
        len = (size_t)lim->trunc_len;
    }
    f->total = f->body_len = len;
    f->body_off = 0;
    return 1;
}

int gt__packet_frame(int type, const uint8_t *buf, size_t n, const struct gt_packet_limits *lim,
                     struct gt_frame *f)
{
    uint64_t ps = lim->packet_size;
    uint64_t body;
    size_t padding;
    int hlen, rc;

    f->total = 0;
    f->body_off = 0;
    f->body_len = 0;
    switch (type) {
    case GT_PACKET_RAW:
        if (n == 0)
            return 0;
        f->total = f->body_len = n;
        return 1;
    case GT_PACKET_1:
    case GT_PACKET_2:
    case GT_PACKET_4:
        hlen = gt__packet_header_len(type);
        if (n < (size_t)hlen)
            return 0;
        rc = sized(n, (size_t)hlen, gt__get_be(buf, hlen), ps, f);
        if (rc >= 0) { /* the length header is not delivered */
            f->body_off = (size_t)hlen;
            f->body_len = f->total - (size_t)hlen;
        }
        return rc;
    case GT_PACKET_SUNRM:
        /* RPC record marking; the last-fragment bit is ignored (no reassembly, as OTP). */
        if (n < 4)
            return 0;
        return sized(n, 4, gt__get_be(buf, 4) & 0x7fffffff, ps, f);
    case GT_PACKET_ASN1:
        return asn1_frame(buf, n, ps, f);
    case GT_PACKET_CDR:
        /* GIOP: "GIOP", version, flags (bit 0: little-endian), type, then the size. */
        if (n < 12)
            return 0;
        if (memcmp(buf, "GIOP", 4) != 0)
            return -1;
        body = (buf[6] & 1) ? read_le(buf + 8, 4) : gt__get_be(buf + 8, 4);
        return sized(n, 12, body, ps, f);
    case GT_PACKET_FCGI:
        /* FastCGI record: version 1, content length and padding length; the padding is
         * consumed but not delivered. */
        if (n < 8)
            return 0;
        if (buf[0] != 1)
            return -1;
        padding = buf[6];
        rc = sized(n, 8, gt__get_be(buf + 4, 2) + padding, ps, f);
        if (rc >= 0)
            f->body_len = f->total - padding;
        return rc;
    case GT_PACKET_TPKT:
        /* RFC 1006: version 3, a reserved byte, a length that counts the 4-byte header. */
        if (n < 4)
            return 0;
        if (buf[0] != 3)
            return -1;
        body = gt__get_be(buf + 2, 2);
        if (body < 4)
            return -1;
        return sized(n, 4, body - 4, ps, f);
    case GT_PACKET_LINE:
        return line_frame(buf, n, lim, f);
    case GT_PACKET_HTTP:
    case GT_PACKET_HTTPH:
    case GT_PACKET_HTTP_BIN:
    case GT_PACKET_HTTPH_BIN: {
        size_t total = 0;

        /* packet_size bounds an HTTP line; without it, trunc_len does (OTP-9389). */
        rc = gt__http_frame(buf, n, lim->http_state, ps != 0 ? ps : lim->trunc_len, &total);
        if (rc > 0)
            f->total = f->body_len = total;
        return rc;
    }
    default:
        return -1;
    }
}
