/*
 * http.h - {packet, http | httph | http_bin | httph_bin}: framing and parsing of HTTP lines,
 * with OTP's results (erlang:decode_packet/3, inet_drv). Internal to the C core.
 *
 * The parser only describes the term; it copies nothing but a normalized header name, so the
 * caller builds strings or binaries from slices of the packet it passed in. Vectors measured
 * on OTP 25 are in native/test/test_http.c.
 */
#ifndef GENTCP_HTTP_H
#define GENTCP_HTTP_H

#include <stddef.h>
#include <stdint.h>

enum gt_http_kind {
    GT_HTTP_REQUEST = 1,  /* {http_request, Method, Uri, {Major, Minor}} */
    GT_HTTP_RESPONSE = 2, /* {http_response, {Major, Minor}, Status, Phrase} */
    GT_HTTP_HEADER = 3,   /* {http_header, Bit, Field, UnmodifiedField, Value} */
    GT_HTTP_EOH = 4,      /* http_eoh */
    GT_HTTP_ERROR = 5,    /* {http_error, Line} */
};

enum gt_http_uri {
    GT_URI_STAR = 1,     /* '*' */
    GT_URI_ABS_PATH = 2, /* {abs_path, A} */
    GT_URI_ABSOLUTE = 3, /* {absoluteURI, http | https, A (host), Port, B (path)} */
    GT_URI_SCHEME = 4,   /* {scheme, A, B} */
    GT_URI_STRING = 5,   /* A */
};

#define GT_HTTP_SCHEME_HTTP 1
#define GT_HTTP_SCHEME_HTTPS 2

/* OTP's HTTP_MAX_NAME_LEN: header names longer than this are neither normalized nor looked
 * up among the known headers. */
#define GT_HTTP_MAX_NAME_LEN 50

#define GT_HTTP_HEADER_COUNT 52
#define GT_HTTP_METHOD_COUNT 7

/* A slice of the packet passed to gt__http_parse: bytes [off, off + len). */
struct gt_http_str {
    uint32_t off, len;
};

/*
 * What gt__http_parse found. Only the fields of KIND are set; the others are zero. Every
 * slice lies inside the packet.
 *
 * Integers (major, minor, status, port) are what OTP computes: decimal digits accumulated in
 * a C int, that is modulo 2^32 and read as a signed 32-bit value (OTP 25:
 * "HTTP/99999999999.1" gives {1215752191,1}, "HTTP/1.1 4294967295 X" status -1). Here the
 * arithmetic is unsigned, so there is no undefined behaviour, and the bits come out the same.
 * A port that wraps to 0 is undefined, as in OTP; one that wraps to -1 (digits equal to
 * 4294967295 modulo 2^32) is reported as undefined too, where OTP gives -1, because -1 is the
 * sentinel here.
 */
struct gt_http_result {
    int kind; /* enum gt_http_kind */

    /* GT_HTTP_REQUEST */
    int method;                    /* 1..7 = gt__http_method_name(method); 0 = method_str */
    struct gt_http_str method_str; /* the method as sent (also set for the known ones) */
    int uri;                       /* enum gt_http_uri */
    int scheme;                    /* GT_URI_ABSOLUTE: GT_HTTP_SCHEME_HTTP or _HTTPS */
    struct gt_http_str uri_a;      /* ABSOLUTE: the host, maybe empty, brackets kept ("[::1]");
                                  * SCHEME: the scheme; ABS_PATH, STRING: the whole URI */
    struct gt_http_str uri_b;      /* ABSOLUTE: the path from its '/', or, when the URI has none,
                                  * OTP's "/" as the 1-byte slice of the second '/' of "//";
                                  * SCHEME: what follows the first ':' */
    int32_t port;                  /* ABSOLUTE: the port, -1 = undefined (no port, 0, or not
                                  * all digits); see the note on integers for huge ports */

    /* GT_HTTP_REQUEST and GT_HTTP_RESPONSE: the version; {0,9} for a request without one. */
    int32_t major, minor;

    /* GT_HTTP_RESPONSE */
    int32_t status;
    struct gt_http_str phrase; /* may be empty */

    /* GT_HTTP_HEADER */
    int bit;           /* 1..52 = a known header, gt__http_header_name(bit); 0 = not */
    int name_is_field; /* the name is longer than GT_HTTP_MAX_NAME_LEN: the field is the
                               * 'field' slice, unmodified, and name[] is not set */
    uint32_t name_len; /* the length of the name (equal to field.len) */
    char name[GT_HTTP_MAX_NAME_LEN]; /* the normalized name (not NUL-terminated), unless
                                      * name_is_field; for a known header the atom's text */
    struct gt_http_str field;        /* the unmodified name; may be empty (": x") */
    struct gt_http_str value;        /* leading SP/HTAB skipped; continuation lines kept verbatim */

    /* GT_HTTP_ERROR: the whole packet, line terminator included. */
    struct gt_http_str line;
};

/*
 * Framing: where does the next HTTP packet end in BUF[0..N)? Returns 1 when a complete packet
 * starts the buffer (*TOTAL = its length, line terminator and continuation lines included),
 * 0 when more bytes are needed, -1 when it is invalid (too long).
 *
 * A packet is a line ending in LF (so CRLF too). HEADER_STATE = 0: a request or response line
 * is expected, and the first LF ends it. HEADER_STATE = 1: header lines, where a line followed
 * by SP or HTAB continues on the next one, so a header is complete only when the first byte
 * of the following line is known; an empty line ("\r\n", "\n") is complete at once.
 *
 * MAX_PLEN (0 = none) is OTP's limit: a packet longer than it is invalid, and so is a buffer
 * of N >= MAX_PLEN bytes whose last line has no LF yet (the limit then counts every byte
 * buffered). A header whose lines are all there but which waits for the next byte is invalid
 * only when longer than MAX_PLEN (OTP 25: httph "A: b\r\n c\r\n" with packet_size 10 needs
 * more). A lone empty line is never checked. A packet longer than INT_MAX is invalid whatever
 * the limit (OTP returns the length as an int, which then reads negative).
 */
int gt__http_frame(const uint8_t *buf, size_t n, int header_state, uint64_t max_plen,
                   size_t *total);

/*
 * Parse one complete packet PACKET[0..LEN), as framed above, in HEADER_STATE. Fills *R and
 * returns R->kind; malformed input is GT_HTTP_ERROR, never a failure. The framer never makes
 * a packet longer than INT_MAX bytes; a longer one is GT_HTTP_ERROR with an empty line, since
 * the slices could not describe it.
 *
 * The caller keeps the state, as inet_drv does: after GT_HTTP_REQUEST or GT_HTTP_RESPONSE the
 * next packet is a header (1), after GT_HTTP_EOH a request/response line again (0), and after
 * GT_HTTP_HEADER or GT_HTTP_ERROR the state does not change.
 */
int gt__http_parse(const uint8_t *packet, size_t len, int header_state, struct gt_http_result *r);

/* The text of the atom for known header INDEX 1..52 ("Cache-Control" .. "Proxy-Connection")
 * and for method INDEX 1..7 ("OPTIONS" .. "TRACE"); NULL for any other index. */
const char *gt__http_header_name(int index);
const char *gt__http_method_name(int index);

/* decode.c: describe the HTTP packet PACKET[0..LEN) in IO's GT_DECODE_HTTP_* slots (and its
 * name area); returns its kind (enum gt_http_kind). */
int gt__http_export(const uint8_t *packet, size_t len, int state, int64_t *io);

#endif /* GENTCP_HTTP_H */
