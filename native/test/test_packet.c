/*
 * test_packet.c - framing of {packet, 1|2|4}, with the vectors measured on OTP 25
 * (reference section 1.2: erlang:decode_packet/3 results).
 */
#include <limits.h>
#include <string.h>

#include "check.h"
#include "internal.h"

static int frame(int type, const char *bytes, size_t n, uint64_t packet_size, struct gt_frame *f)
{
    return gt__packet_frame(type, (const uint8_t *)bytes, n, packet_size, f);
}

static void test_packet_1(void)
{
    struct gt_frame f;

    /* decode_packet(1, <<3,"abcde">>, []) -> {ok,<<"abc">>,<<"de">>} */
    CHECK_EQ(frame(GT_PACKET_1, "\003abcde", 6, 0, &f), 1);
    CHECK_EQ(f.total, 4);
    CHECK_EQ(f.body_off, 1);
    CHECK_EQ(f.body_len, 3);
    /* decode_packet(1, <<3,"ab">>, []) -> {more,4} */
    CHECK_EQ(frame(GT_PACKET_1, "\003ab", 3, 0, &f), 0);
    CHECK_EQ(f.total, 4);
    /* decode_packet(1, <<0>>, []) -> {ok,<<>>,<<>>} */
    CHECK_EQ(frame(GT_PACKET_1, "\000", 1, 0, &f), 1);
    CHECK_EQ(f.body_len, 0);
    CHECK_EQ(f.total, 1);
    /* nothing buffered: more, length unknown */
    CHECK_EQ(frame(GT_PACKET_1, NULL, 0, 0, &f), 0);
    CHECK_EQ(f.total, 0);
}

static void test_packet_2(void)
{
    struct gt_frame f;

    /* decode_packet(2, <<0>>, []) -> {more,undefined} */
    CHECK_EQ(frame(GT_PACKET_2, "\000", 1, 0, &f), 0);
    CHECK_EQ(f.total, 0);
    CHECK_EQ(frame(GT_PACKET_2, "\001\000", 2, 0, &f), 0);
    CHECK_EQ(f.total, 258);
    CHECK_EQ(frame(GT_PACKET_2, "\000\002hiX", 5, 0, &f), 1);
    CHECK_EQ(f.body_off, 2);
    CHECK_EQ(f.body_len, 2);
    CHECK_EQ(f.total, 4);
}

static void test_packet_4(void)
{
    struct gt_frame f;

    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003abc", 7, 0, &f), 1);
    CHECK_EQ(f.body_off, 4);
    CHECK_EQ(f.body_len, 3);
    /* decode_packet(4, <<0,0,0,3,"abc">>, [{packet_size,2}]) -> {error,invalid} */
    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003abc", 7, 2, &f), -1);
    /* invalid as soon as the header is known, before the body arrives */
    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003", 4, 2, &f), -1);
    /* packet_size equal to the body is accepted */
    CHECK_EQ(frame(GT_PACKET_4, "\000\000\000\003abc", 7, 3, &f), 1);
    /* <<127,255,255,251>> -> {more,2147483647}: the largest length OTP accepts */
    CHECK_EQ(frame(GT_PACKET_4, "\177\377\377\373", 4, 0, &f), 0);
    CHECK_EQ(f.total, INT_MAX);
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
    CHECK_EQ(gt__packet_header_len(GT_PACKET_RAW), 0);
    CHECK_EQ(frame(GT_PACKET_RAW, "abc", 3, 0, &f), -1); /* raw has no frames */
    CHECK_DONE();
}
