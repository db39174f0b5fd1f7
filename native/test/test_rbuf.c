/*
 * test_rbuf.c - a socket's receive buffer and big packets: the size query of gt_recv, the
 * buffer giving its memory back after a big packet, and ENOMEM (a failed allocation, or a
 * header claiming more than GT_MAX_PACKET_LENGTH) closing the connection; and the form that
 * each packet taken is told in (gt_recv's answer, a GT_MSG_TCP message's reason).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bytes.h"
#include "check.h"
#include "gentcp.h"
#include "http.h"
#include "internal.h"
#include "loopback.h"

static int64_t send_bytes(int64_t h, const void *data, size_t n)
{
    return gt_send(h, (int64_t)(intptr_t)data, (int64_t)n);
}

/* A {packet, 4} header announcing a body of LEN bytes. */
static void put_header(uint8_t *p, uint32_t len)
{
    gt__put_be(p, len, 4);
}

/* The capacity of the receive buffer of H (read by the one thread that receives on it). */
static size_t rcap_of(int64_t h)
{
    return SOCK_MEMBER(h, rcap);
}

static void test_size_query(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    uint8_t frame[9] = {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
    uint8_t empty[4] = {0, 0, 0, 0};
    char buf[16];

    /* The query waits for the packet, tells its size and leaves it for the next call. */
    CHECK_EQ(send_bytes(p.client, frame, sizeof(frame)), 0);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), 5);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), 5);
    CHECK_EQ(recv_into(p.server, 0, 0, buf, 5), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    /* An empty packet is taken by the query itself. */
    CHECK_EQ(send_bytes(p.client, empty, sizeof(empty)), 0);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), 0);
    CHECK_EQ(recv_into(p.server, 0, 0, buf, sizeof(buf)), -GT_ETIMEOUT);
    /* Raw: LENGTH bytes, or what is there for LENGTH 0. */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(send_bytes(p.client, "abcdef", 6), 0);
    CHECK_EQ(gt_recv(p.server, 6, 5000, 0, 0), 6);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), 6);
    CHECK_EQ(recv_into(p.server, 0, 0, buf, 6), 6);
    CHECK(memcmp(buf, "abcdef", 6) == 0);
    close_pair(&p);
}

/* After a big packet the buffer gives its memory back, also when bytes of the next packet
 * share it. */
static void test_buffer_shrinks_after_big_packet(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    size_t big = 512 * 1024;
    uint8_t *frame = calloc(1, big + 16);
    uint8_t *buf = malloc(big);
    char line_tail[] = "short\nsh";

    CHECK(frame != NULL && buf != NULL);
    put_header(frame, (uint32_t)big);
    frame[4] = 7;
    CHECK_EQ(send_bytes(p.client, frame, big + 4), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, (int64_t)big), (int64_t)big);
    CHECK_EQ(buf[0], 7);
    CHECK(rcap_of(p.server) < big / 2);

    /* A long line grows the buffer a read at a time, and the bytes after it share the last
     * read: a short line and part of another stay buffered. */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_LINE), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_BUFFER, 1024 * 1024), 0);
    memset(frame, 'x', big);
    frame[big - 1] = '\n';
    memcpy(frame + big, line_tail, sizeof(line_tail) - 1);
    CHECK_EQ(send_bytes(p.client, frame, big + sizeof(line_tail) - 1), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, (int64_t)big), (int64_t)big);
    CHECK(rcap_of(p.server) < big / 2);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, (int64_t)big), 6);
    CHECK(memcmp(buf, "short\n", 6) == 0);
    CHECK(rcap_of(p.server) < big / 2);
    free(frame);
    free(buf);
    close_pair(&p);
}

static size_t failing_above;

/* realloc, failing for sizes above failing_above. */
static void *limited_realloc(void *ptr, size_t size)
{
    return size > failing_above ? NULL : realloc(ptr, size);
}

static int reallocs;

static void *counting_realloc(void *ptr, size_t size)
{
    reallocs++;
    return realloc(ptr, size);
}

/* A stream of big packets keeps its buffer rather than giving it back and growing it again
 * for each (a realloc each way, a copy, fresh pages); a small packet then gives it back. */
static void test_a_stream_of_big_packets_keeps_its_buffer(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    const size_t big = 512 * 1024;
    uint8_t *frame = calloc(1, big + 4);
    uint8_t *buf = malloc(big);
    uint8_t small[5] = {0, 0, 0, 1, 9};
    int i, before = 0;

    CHECK(frame != NULL && buf != NULL);
    put_header(frame, (uint32_t)big);
    gt__rbuf_realloc = counting_realloc;
    reallocs = 0;
    for (i = 0; i < 16; i++) {
        if (i == 8)
            before = reallocs;
        frame[4] = (uint8_t)i;
        CHECK_EQ(send_bytes(p.client, frame, big + 4), 0);
        CHECK_EQ(recv_into(p.server, 0, 5000, buf, (int64_t)big), (int64_t)big);
        CHECK_EQ(buf[0], (uint8_t)i);
    }
    CHECK_EQ(reallocs, before); /* the last 8 packets: none */
    CHECK(rcap_of(p.server) >= big);
    CHECK_EQ(send_bytes(p.client, small, sizeof(small)), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, (int64_t)big), 1);
    CHECK(rcap_of(p.server) < big / 2);
    gt__rbuf_realloc = realloc;
    free(frame);
    free(buf);
    close_pair(&p);
}

/* A packet whose buffer cannot be allocated is ENOMEM, and its connection is closed: its
 * bytes cannot be skipped, so the stream's position is lost. */
static void test_allocation_failure_closes(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    uint8_t frame[4 + 100];
    char buf[16];

    memset(frame, 0, sizeof(frame));
    put_header(frame, 4 * 1024 * 1024);
    failing_above = 1024 * 1024;
    gt__rbuf_realloc = limited_realloc;
    CHECK_EQ(send_bytes(p.client, frame, sizeof(frame)), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOMEM);
    gt__rbuf_realloc = realloc;
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(recv_into(p.client, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED); /* the peer's view */
    close_pair(&p);
}

/* A header claiming more than GT_MAX_PACKET_LENGTH is ENOMEM at once; one claiming more than
 * the framing rules allow (3 GB with packet_size 0) is EMSGSIZE, as in OTP. Both close. */
static void test_claims_beyond_the_limits(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    uint8_t header[4];
    char buf[16];

    put_header(header, GT_MAX_PACKET_LENGTH + 1);
    CHECK_EQ(send_bytes(p.client, header, sizeof(header)), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOMEM);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK(rcap_of(p.server) < 1024 * 1024);
    close_pair(&p);

    p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    put_header(header, 0xc0000000u);
    CHECK_EQ(send_bytes(p.client, header, sizeof(header)), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -EMSGSIZE);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    close_pair(&p);
}

/* gt_recv_abandon: the caller found no memory for the packet it was told of. */
static void test_abandon_closes(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    uint8_t frame[9] = {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
    char buf[16];

    CHECK_EQ(send_bytes(p.client, frame, sizeof(frame)), 0);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), 5);
    CHECK_EQ(gt_recv_abandon(p.server), -ENOMEM);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(recv_into(p.client, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    close_pair(&p);
}

/* The form of packet R that gt_recv took (GT_FORM_*). */
static int64_t form_of(int64_t r)
{
    CHECK(r >= 0);
    return r >> GT_RECV_FORM_SHIFT;
}

/* gt_recv tells the form of each packet as the options were when it took it: the packet type
 * it was framed with, the mode, and {header, N} (a packet shorter than N is a list, as OTP
 * gives it); gt_recv_bytes tells bytes only and refuses the HTTP types, taking nothing. */
static void test_recv_tells_the_form(void)
{
    static const char request[] = "GET /a HTTP/1.1\r\n";
    static uint8_t out[GT_HTTP_IO_BYTES + 64];
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    int64_t r;

    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    CHECK_EQ(recv_into(p.server, 3, 5000, out, sizeof(out)), 3); /* list: GT_FORM_LIST, 0 */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_MODE, 1), 0);
    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    r = recv_into(p.server, 3, 5000, out, sizeof(out));
    CHECK_EQ(r & GT_RECV_BYTES_MASK, 3);
    CHECK_EQ(form_of(r), GT_FORM_BINARY);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_HEADER, 2), 0);
    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    CHECK_EQ(form_of(recv_into(p.server, 3, 5000, out, sizeof(out))), GT_FORM_BINARY + 2);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_HEADER, 4), 0);
    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    CHECK_EQ(form_of(recv_into(p.server, 3, 5000, out, sizeof(out))), GT_FORM_LIST);

    /* An HTTP request line: gt_recv_bytes refuses it and leaves it; the size query tells its
     * parsed size; a change of type before it is taken decides how it is taken. */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_HTTP_BIN), 0);
    CHECK_EQ(send_bytes(p.client, request, strlen(request)), 0);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), (int64_t)GT_HTTP_OUT_BYTES(strlen(request)));
    CHECK_EQ(gt_recv_bytes(p.server, 0, 0, (int64_t)(intptr_t)out, sizeof(out)), -EINVAL);
    r = recv_into(p.server, 0, 0, out, sizeof(out));
    CHECK_EQ(r & GT_RECV_BYTES_MASK, (int64_t)GT_HTTP_OUT_BYTES(strlen(request)));
    CHECK_EQ(form_of(r), GT_FORM_HTTP_BIN);
    CHECK_EQ(((int64_t *)(void *)out)[GT_DECODE_HTTP_KIND], GT_HTTP_REQUEST);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_HTTP_BIN), 0); /* a request line next */
    CHECK_EQ(send_bytes(p.client, request, strlen(request)), 0);
    CHECK_EQ(gt_recv(p.server, 0, 5000, 0, 0), (int64_t)GT_HTTP_OUT_BYTES(strlen(request)));
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_LINE), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_HEADER, 0), 0);
    r = gt_recv_bytes(p.server, 0, 0, (int64_t)(intptr_t)out, sizeof(out));
    CHECK_EQ(r, (int64_t)strlen(request)); /* bytes: no form */
    CHECK(memcmp(out, request, strlen(request)) == 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_HTTP), 0);
    CHECK_EQ(send_bytes(p.client, request, strlen(request)), 0);
    CHECK_EQ(form_of(recv_into(p.server, 0, 5000, out, sizeof(out))), GT_FORM_HTTP);
    close_pair(&p);
}

/* The reason of the next message of mailbox MB, which must be SERVER's GT_MSG_TCP of LEN bytes. */
static uint32_t tcp_reason(int64_t mb, int64_t server, int64_t len)
{
    static uint8_t box[4096];
    int32_t kind, reason;
    int64_t handle, n;

    CHECK_EQ(gt_setopt(server, GT_OPT_ACTIVE, GT_ACTIVE_ONCE), 0);
    CHECK(gt_mailbox_receive(mb, 5000, (int64_t)(intptr_t)box, sizeof(box)) >= GT_MSG_HEADER);
    memcpy(&kind, box, 4);
    memcpy(&reason, box + 4, 4);
    memcpy(&handle, box + 8, 8);
    memcpy(&n, box + 16, 8);
    CHECK_EQ(kind, GT_MSG_TCP);
    CHECK_EQ(handle, server);
    CHECK_EQ(n, len);
    return (uint32_t)reason;
}

/* An active socket's packets tell their form in the message, as gt_recv's answer does. */
static void test_messages_tell_the_form(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    int64_t mb = gt_mailbox_open();

    CHECK(mb > 0);
    CHECK_EQ(gt_mailbox_adopt(mb, p.server), 0);
    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    CHECK_EQ(tcp_reason(mb, p.server, 3), (uint32_t)GT_FORM_LIST << GT_MSG_FORM_SHIFT);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_MODE, 1), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_HEADER, 2), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_DELIVER, 1), 0);
    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    CHECK_EQ(tcp_reason(mb, p.server, 3),
             (uint32_t)(GT_FORM_BINARY + 2) << GT_MSG_FORM_SHIFT | GT_MSG_PORT);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_HEADER, 4), 0); /* more than the packet: a list */
    CHECK_EQ(send_bytes(p.client, "abc", 3), 0);
    CHECK_EQ(tcp_reason(mb, p.server, 3),
             (uint32_t)GT_FORM_LIST << GT_MSG_FORM_SHIFT | GT_MSG_PORT);
    CHECK_EQ(gt_close(mb), 0);
    close_pair(&p);
}

int main(void)
{
    test_size_query();
    test_buffer_shrinks_after_big_packet();
    test_a_stream_of_big_packets_keeps_its_buffer();
    test_allocation_failure_closes();
    test_claims_beyond_the_limits();
    test_abandon_closes();
    test_recv_tells_the_form();
    test_messages_tell_the_form();
    CHECK_DONE();
}
