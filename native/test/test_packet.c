/*
 * test_packet.c - framing of every non-HTTP packet type, with the vectors measured on OTP 25
 * (reference sections 1.2-1.3, otp-experiments/dp*.out: erlang:decode_packet/3 results).
 */
#include <limits.h>
#include <string.h>

#include "check.h"
#include "internal.h"

static int frame(int type, const char *bytes, size_t n, uint64_t packet_size, struct gt_frame *f)
{
    const struct gt_packet_limits lim = {.packet_size = packet_size, .delimiter = '\n'};

    return gt__packet_frame(type, (const uint8_t *)bytes, n, &lim, f);
}

static int line(const char *bytes, uint64_t packet_size, uint64_t trunc_len, int delimiter,
                struct gt_frame *f)
{
    const struct gt_packet_limits lim = {
        .packet_size = packet_size, .trunc_len = trunc_len, .delimiter = delimiter};

    return gt__packet_frame(GT_PACKET_LINE, (const uint8_t *)bytes, strlen(bytes), &lim, f);
}

/* A complete packet of TOTAL bytes delivering [OFF, OFF+LEN). */
#define CHECK_FRAME(rc_expr, f, t, off, len)                                                       \
    do {                                                                                           \
        CHECK_EQ((rc_expr), 1);                                                                    \
        CHECK_EQ((f).total, (t));                                                                  \
        CHECK_EQ((f).body_off, (off));                                                             \
        CHECK_EQ((f).body_len, (len));                                                             \
    } while (0)

/* RC_EXPR is "more": 0, with the total length F.total is T (0: not known yet). */
#define CHECK_MORE(rc_expr, f, t)                                                                  \
    do {                                                                                           \
        CHECK_EQ((rc_expr), 0);                                                                    \
        CHECK_EQ((f).total, (t));                                                                  \
    } while (0)

static void test_header_included_types(void)
{
    struct gt_frame f;

    /* sunrm: <<128,0,0,3,"abcX">> -> {ok,<<128,0,0,3,"abc">>,<<"X">>} (bit 31 ignored) */
    CHECK_FRAME(frame(GT_PACKET_SUNRM, "\200\000\000\003abcX", 8, 0, &f), f, 7, 0, 7);
    CHECK_FRAME(frame(GT_PACKET_SUNRM, "\000\000\000\003abcX", 8, 0, &f), f, 7, 0, 7);
    CHECK_MORE(frame(GT_PACKET_SUNRM, "\200\000\000\003ab", 6, 0, &f), f, 7);
    CHECK_EQ(frame(GT_PACKET_SUNRM, "\000\000\000\003abc", 7, 2, &f), -1);
    /* asn1 */
    CHECK_FRAME(frame(GT_PACKET_ASN1, "\060\003\001\002\003c", 6, 0, &f), f, 5, 0, 5);
    CHECK_FRAME(frame(GT_PACKET_ASN1, "\060\201\003\001\002\003c", 7, 0, &f), f, 6, 0, 6);
    CHECK_FRAME(frame(GT_PACKET_ASN1, "\060\202\000\003\001\002\003c", 8, 0, &f), f, 7, 0, 7);
    CHECK_FRAME(frame(GT_PACKET_ASN1, "\060\200\001\002\003", 5, 0, &f), f, 2, 0, 2);
    CHECK_EQ(frame(GT_PACKET_ASN1, "\060\205\000\000\000\000\003\001\002\003", 10, 0, &f), -1);
    CHECK_FRAME(frame(GT_PACKET_ASN1, "\037\203\047\003\001\002\003\011", 8, 0, &f), f, 7, 0, 7);
    CHECK_MORE(frame(GT_PACKET_ASN1, "0", 1, 0, &f), f, 0);
    CHECK_MORE(frame(GT_PACKET_ASN1, "\060\202\000", 3, 0, &f), f, 0);
    CHECK_MORE(frame(GT_PACKET_ASN1, "\060\005\001\002", 4, 0, &f), f, 7);
    /* cdr: big and little endian, bad magic, partial header */
    CHECK_FRAME(frame(GT_PACKET_CDR, "GIOP\001\000\000\000\000\000\000\003abcZ", 16, 0, &f), f, 15,
                0, 15);
    CHECK_FRAME(frame(GT_PACKET_CDR, "GIOP\001\000\001\000\003\000\000\000abcZ", 16, 0, &f), f, 15,
                0, 15);
    CHECK_EQ(frame(GT_PACKET_CDR, "GIOX\001\000\000\000\000\000\000\003abcZ", 16, 0, &f), -1);
    CHECK_MORE(frame(GT_PACKET_CDR, "GIOP\001\000\000\000\000\000\000\003ab", 14, 0, &f), f, 15);
    CHECK_MORE(frame(GT_PACKET_CDR, "GIOP\001\000\000", 7, 0, &f), f, 0);
    /* fcgi: padding consumed, not delivered */
    CHECK_FRAME(frame(GT_PACKET_FCGI, "\001\001\000\001\000\003\002\000abc\000\000Z", 14, 0, &f), f,
                13, 0, 11);
    CHECK_EQ(frame(GT_PACKET_FCGI, "\002\001\000\001\000\003\002\000abc\000\000Z", 14, 0, &f), -1);
    CHECK_MORE(frame(GT_PACKET_FCGI, "\001\001\000\001\000\003\002\000abc", 11, 0, &f), f, 13);
    CHECK_FRAME(frame(GT_PACKET_FCGI, "\001\001\000\001\000\000\000\000", 8, 0, &f), f, 8, 0, 8);
    CHECK_EQ(frame(GT_PACKET_FCGI, "\001\001\000\001\000\003\002\000abc\000\000", 13, 4, &f), -1);
    /* tpkt: the length counts the header */
    CHECK_FRAME(frame(GT_PACKET_TPKT, "\003\000\000\007abcZ", 8, 0, &f), f, 7, 0, 7);
    CHECK_FRAME(frame(GT_PACKET_TPKT, "\003\000\000\004", 4, 0, &f), f, 4, 0, 4);
    CHECK_EQ(frame(GT_PACKET_TPKT, "\003\000\000\003", 4, 0, &f), -1);
    CHECK_EQ(frame(GT_PACKET_TPKT, "\003\000\000\002x", 5, 0, &f), -1);
    CHECK_EQ(frame(GT_PACKET_TPKT, "\002\000\000\007abc", 7, 0, &f), -1);
    CHECK_MORE(frame(GT_PACKET_TPKT, "\003\000\000\007ab", 6, 0, &f), f, 7);
    CHECK_EQ(frame(GT_PACKET_TPKT, "\003\000\000\007abc", 7, 2, &f), -1);
    CHECK_FRAME(frame(GT_PACKET_TPKT, "\003\000\000\007abc", 7, 3, &f), f, 7, 0, 7);
}

static void test_line(void)
{
    struct gt_frame f;

    CHECK_FRAME(line("abc\ndef", 0, 0, '\n', &f), f, 4, 0, 4);
    CHECK_EQ(line("abc", 0, 0, '\n', &f), 0);
    CHECK_FRAME(line("\n", 0, 0, '\n', &f), f, 1, 0, 1);
    CHECK_FRAME(line("abc\r\ndef", 0, 0, '\n', &f), f, 5, 0, 5);
    CHECK_FRAME(line("abcXdef", 0, 0, 'X', &f), f, 4, 0, 4);
    /* line_length (a socket's buffer) cuts long lines */
    CHECK_FRAME(line("abcdefgh\nij", 0, 4, '\n', &f), f, 4, 0, 4);
    CHECK_FRAME(line("abcdefgh", 0, 4, '\n', &f), f, 4, 0, 4);
    CHECK_EQ(line("abc", 0, 4, '\n', &f), 0);
    CHECK_FRAME(line("abcd", 0, 4, '\n', &f), f, 4, 0, 4);
    CHECK_FRAME(line("abc\n", 0, 4, '\n', &f), f, 4, 0, 4);
    CHECK_FRAME(line("abcd\n", 0, 4, '\n', &f), f, 4, 0, 4);
    /* packet_size bounds the whole line, and wins over truncation */
    CHECK_EQ(line("abcdefgh\nij", 4, 0, '\n', &f), -1);
    CHECK_EQ(line("abcdefgh", 4, 0, '\n', &f), -1);
    CHECK_EQ(line("abcd", 4, 0, '\n', &f), 0);
    CHECK_FRAME(line("abc\n", 4, 0, '\n', &f), f, 4, 0, 4);
    CHECK_EQ(line("abcd\n", 4, 0, '\n', &f), -1);
    CHECK_EQ(line("abcdefgh\nij", 4, 2, '\n', &f), -1);
    CHECK_FRAME(line("abcdefgh\nij", 20, 2, '\n', &f), f, 2, 0, 2);
    /* sockets: "0123456789abcdefghij\nshort\n" with {buffer,10} comes in pieces */
    CHECK_FRAME(line("0123456789abcdefghij\nshort\n", 0, 10, '\n', &f), f, 10, 0, 10);
    CHECK_FRAME(line("abcdefghij\nshort\n", 0, 10, '\n', &f), f, 10, 0, 10);
    CHECK_FRAME(line("\nshort\n", 0, 10, '\n', &f), f, 1, 0, 1);
}

static void test_packet_1(void)
{
    struct gt_frame f;

    /* decode_packet(1, <<3,"abcde">>, []) -> {ok,<<"abc">>,<<"de">>} */
    CHECK_FRAME(frame(GT_PACKET_1, "\003abcde", 6, 0, &f), f, 4, 1, 3);
    /* decode_packet(1, <<3,"ab">>, []) -> {more,4} */
    CHECK_MORE(frame(GT_PACKET_1, "\003ab", 3, 0, &f), f, 4);
    /* decode_packet(1, <<0>>, []) -> {ok,<<>>,<<>>} */
    CHECK_FRAME(frame(GT_PACKET_1, "\000", 1, 0, &f), f, 1, 1, 0);
    /* nothing buffered: more, length unknown */
    CHECK_MORE(frame(GT_PACKET_1, NULL, 0, 0, &f), f, 0);
}

static void test_packet_2(void)
{
    struct gt_frame f;

    /* decode_packet(2, <<0>>, []) -> {more,undefined} */
    CHECK_MORE(frame(GT_PACKET_2, "\000", 1, 0, &f), f, 0);
    CHECK_MORE(frame(GT_PACKET_2, "\001\000", 2, 0, &f), f, 258);
    CHECK_FRAME(frame(GT_PACKET_2, "\000\002hiX", 5, 0, &f), f, 4, 2, 2);
}

static void test_packet_4(void)
{
    struct gt_frame f;

    CHECK_FRAME(frame(GT_PACKET_4, "\000\000\000\003abc", 7, 0, &f), f, 7, 4, 3);
    /* decode_packet(4, <<0,0,0,3,"abc">>, [{packet_size,2}]) -> {error,invalid} */
    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003abc", 7, 2, &f), -1);
    /* invalid as soon as the header is known, before the body arrives */
    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003", 4, 2, &f), -1);
    /* packet_size equal to the body is accepted */
    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003abc", 7, 3, &f), 1);
    /* <<127,255,255,251>> -> {more,2147483647}: the largest length OTP accepts */
    CHECK_MORE(frame(GT_PACKET_4, "\177\377\377\373", 4, 0, &f), f, INT_MAX);
    /* <<127,255,255,252>>, <<128,0,0,0>>, <<255,255,255,255>> -> {error,invalid} */
    CHECK_EQ(frame(GT_PACKET_4, "\177\377\377\374", 4, 0, &f), -1);
    CHECK_EQ(frame(GT_PACKET_4, "\200\000\000\000", 4, 0, &f), -1);
    CHECK_EQ(frame(GT_PACKET_4, "\377\377\377\377", 4, 0, &f), -1);
    /* a packet_size above the int cap does not lift the cap */
    CHECK_EQ(frame(GT_PACKET_4, "\200\000\000\000", 4, UINT32_MAX, &f), -1);
}

static void test_every_prefix(void)
{
    /* Every truncation of a valid packet-4 frame needs more; the whole frame is complete. */
    const char *msg = "\000\000\000\005hello";
    struct gt_frame f;
    size_t n;

    for (n = 0; n < 9; n++)
        CHECK_EQ(frame(GT_PACKET_4, msg, n, 0, &f), 0);
    CHECK_EQ(frame(GT_PACKET_4, msg, 9, 0, &f), 1);
    CHECK(memcmp(msg + f.body_off, "hello", f.body_len) == 0);
}

int main(void)
{
    struct gt_frame f;

    test_packet_1();
    test_packet_2();
    test_packet_4();
    test_every_prefix();
    test_header_included_types();
    test_line();
    CHECK_EQ(gt__packet_header_len(GT_PACKET_RAW), 0);
    /* raw: whatever is there, {more,undefined} when nothing is */
    CHECK_FRAME(frame(GT_PACKET_RAW, "abc", 3, 0, &f), f, 3, 0, 3);
    CHECK_EQ(frame(GT_PACKET_RAW, NULL, 0, 0, &f), 0);
    CHECK_EQ(frame(3, "abc", 3, 0, &f), -1); /* not a packet type */
    CHECK_DONE();
}
