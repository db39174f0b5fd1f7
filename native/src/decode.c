/*
 * decode.c - gt_decode: erlang:decode_packet/3 over a caller's bytes.
 *
 * The same framing code as the sockets (packet.c), so Packet.decode in Java and a socket in
 * {packet, T} mode can never disagree. The differences from a socket are OTP's: decode_packet
 * bounds lines with line_length rather than 'buffer', and takes the HTTP state from the type
 * (http* parses a request or response line, httph* a header line).
 *
 * The caller's IO block (GT_DECODE_SLOTS int64 values, then GT_DECODE_NAME_MAX bytes) carries
 * the request in and the result out; see gentcp.h. Nothing is kept between calls.
 */
#include <errno.h>
#include <string.h>

#include "gentcp.h"
#include "http.h"
#include "packet.h"

static void put_str(int64_t *io, int off_slot, int len_slot, struct gt_http_str s)
{
    io[off_slot] = s.off;
    io[len_slot] = s.len;
}

int gt__http_export(const uint8_t *packet, size_t len, int state, int64_t *io)
{
    struct gt_http_result r;
    int kind = gt__http_parse(packet, len, state, &r);

    io[GT_DECODE_HTTP_KIND] = kind;
    io[GT_DECODE_BODY_OFF] = 0;
    io[GT_DECODE_BODY_LEN] = (int64_t)len;
    switch (kind) {
    case GT_HTTP_REQUEST:
        io[GT_DECODE_HTTP_METHOD] = r.method;
        put_str(io, GT_DECODE_HTTP_METHOD_OFF, GT_DECODE_HTTP_METHOD_LEN, r.method_str);
        io[GT_DECODE_HTTP_URI] = r.uri;
        io[GT_DECODE_HTTP_URI_SCHEME] = r.scheme;
        put_str(io, GT_DECODE_HTTP_URI_A_OFF, GT_DECODE_HTTP_URI_A_LEN, r.uri_a);
        put_str(io, GT_DECODE_HTTP_URI_B_OFF, GT_DECODE_HTTP_URI_B_LEN, r.uri_b);
        io[GT_DECODE_HTTP_URI_PORT] = r.port;
        io[GT_DECODE_HTTP_MAJOR] = r.major;
        io[GT_DECODE_HTTP_MINOR] = r.minor;
        break;
    case GT_HTTP_RESPONSE:
        io[GT_DECODE_HTTP_MAJOR] = r.major;
        io[GT_DECODE_HTTP_MINOR] = r.minor;
        io[GT_DECODE_HTTP_STATUS] = r.status;
        put_str(io, GT_DECODE_HTTP_PHRASE_OFF, GT_DECODE_HTTP_PHRASE_LEN, r.phrase);
        break;
    case GT_HTTP_HEADER:
        io[GT_DECODE_HTTP_BIT] = r.bit;
        /* The field's name in the name area; -1: the name is the unmodified field itself. */
        if (r.name_is_field) {
            io[GT_DECODE_HTTP_NAME_LEN] = -1;
        } else {
            io[GT_DECODE_HTTP_NAME_LEN] = r.name_len;
            memcpy((uint8_t *)(io + GT_DECODE_SLOTS), r.name, r.name_len);
        }
        put_str(io, GT_DECODE_HTTP_FIELD_OFF, GT_DECODE_HTTP_FIELD_LEN, r.field);
        put_str(io, GT_DECODE_HTTP_VALUE_OFF, GT_DECODE_HTTP_VALUE_LEN, r.value);
        break;
    case GT_HTTP_ERROR:
        put_str(io, GT_DECODE_BODY_OFF, GT_DECODE_BODY_LEN, r.line);
        break;
    default:
        break;
    }
    return kind;
}

static int valid_type(int64_t t)
{
    return t >= GT_PACKET_RAW && t <= GT_PACKET_HTTPH_BIN && t != 3;
}

int64_t gt_decode(int64_t io_addr, int64_t src_addr, int64_t src_len)
{
    int64_t *io = (int64_t *)(intptr_t)io_addr;
    const uint8_t *src = (const uint8_t *)(intptr_t)src_addr;
    struct gt_packet_limits lim;
    struct gt_frame f;
    int64_t type;
    int rc;

    if (io == NULL || src_len < 0 || (src == NULL && src_len > 0))
        return -EINVAL;
    type = io[GT_DECODE_TYPE];
    if (!valid_type(type) || io[GT_DECODE_PACKET_SIZE] < 0 || io[GT_DECODE_LINE_LENGTH] < 0 ||
        io[GT_DECODE_DELIMITER] < 0 || io[GT_DECODE_DELIMITER] > 255)
        return -EINVAL;
    /* line_length plays the part of a socket's 'buffer': it cuts lines, and bounds HTTP
     * lines when packet_size is 0 (packet.c). */
    lim.packet_size = (uint64_t)io[GT_DECODE_PACKET_SIZE];
    lim.trunc_len = (uint64_t)io[GT_DECODE_LINE_LENGTH];
    lim.delimiter = (int)io[GT_DECODE_DELIMITER];
    lim.http_state = type == GT_PACKET_HTTPH || type == GT_PACKET_HTTPH_BIN;

    rc = gt__packet_frame((int)type, src_len > 0 ? src : NULL, (size_t)src_len, &lim, &f);
    if (rc < 0) {
        io[GT_DECODE_STATUS] = GT_DECODE_INVALID;
        return GT_DECODE_INVALID;
    }
    if (rc == 0) {
        io[GT_DECODE_STATUS] = GT_DECODE_MORE;
        io[GT_DECODE_TOTAL] = f.total > 0 ? (int64_t)f.total : -1;
        return GT_DECODE_MORE;
    }
    io[GT_DECODE_STATUS] = GT_DECODE_OK;
    io[GT_DECODE_TOTAL] = (int64_t)f.total;
    io[GT_DECODE_BODY_OFF] = (int64_t)f.body_off;
    io[GT_DECODE_BODY_LEN] = (int64_t)f.body_len;
    io[GT_DECODE_HTTP_KIND] = 0;
    if (gt__packet_is_http((int)type))
        gt__http_export(src, f.total, lim.http_state, io);
    return GT_DECODE_OK;
}
