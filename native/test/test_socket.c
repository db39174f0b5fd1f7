/*
 * test_socket.c - the ABI end to end over loopback: what Java sees, without Java.
 * Covers framing on the wire, OTP's close and error sequencing, close waking blocked
 * threads, stale handles, and the idle strategies.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include "background.h"
#include "check.h"
#include "gentcp.h"
#include "internal.h"
#include "loopback.h"

static int64_t listen_any(void)
{
    int64_t l = gt_socket(AF_INET);

    CHECK(l > 0);
    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    return l;
}

static int64_t send_str(int64_t h, const char *s, size_t n)
{
    return gt_send(h, (int64_t)(intptr_t)s, (int64_t)n);
}

static void test_packet_4_round_trip(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    char buf[64];

    CHECK_EQ(send_str(p.client, "hello", 5), 0);
    CHECK_EQ(send_str(p.client, "", 0), 0); /* an empty packet is a header of length 0 */
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 0);
    /* Accepted sockets inherit the listen socket's packet type: the raw view shows it. */
    CHECK_EQ(gt_getopt(p.server, GT_OPT_PACKET), GT_PACKET_4);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(send_str(p.client, "xyz", 3), 0);
    CHECK_EQ(recv_into(p.server, 7, 5000, buf, sizeof(buf)), 7);
    CHECK(memcmp(buf, "\000\000\000\003xyz", 7) == 0);
    /* A packet that does not fit the caller's buffer is reported by its size, not lost. */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_4), 0);
    CHECK_EQ(send_str(p.client, "0123456789", 10), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, 4), 10);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 10);
    CHECK(memcmp(buf, "0123456789", 10) == 0);
    close_pair(&p);
}

static void test_send_header_limits(void)
{
    struct pair p = make_pair_of(GT_PACKET_1, GT_PACKET_1);
    static char big[70000];

    CHECK_EQ(send_str(p.client, big, 256), -EMSGSIZE);
    CHECK_EQ(send_str(p.client, big, 255), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_PACKET, GT_PACKET_2), 0);
    CHECK_EQ(send_str(p.client, big, 65536), -EMSGSIZE);
    close_pair(&p);
}

static void test_raw_exact_and_timeout_keeps_data(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    char buf[128];

    CHECK_EQ(send_str(p.client, "hello world", 11), 0);
    CHECK_EQ(recv_into(p.server, 3, 5000, buf, sizeof(buf)), 3);
    CHECK(memcmp(buf, "hel", 3) == 0);
    /* 8 bytes are there; asking for 100 times out and keeps them. */
    CHECK_EQ(recv_into(p.server, 100, 200, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 8);
    CHECK(memcmp(buf, "lo world", 8) == 0);
    /* recv(S, 0, 0) with nothing buffered answers timeout at once */
    CHECK_EQ(recv_into(p.server, 0, 0, buf, sizeof(buf)), -GT_ETIMEOUT);
    /* Length > 0 needs raw; Length over 64 MiB is enomem. */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_2), 0);
    CHECK_EQ(recv_into(p.server, 5, 0, buf, sizeof(buf)), -EINVAL);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(gt_recv(p.server, GT_MAX_RECV_LENGTH + 1, 0, 0, 0), -ENOMEM);
    close_pair(&p);
}

static void test_peer_close_sequence(void)
{
    struct pair p = make_pair_of(GT_PACKET_2, GT_PACKET_2);
    char buf[64];

    CHECK_EQ(send_str(p.client, "one", 3), 0);
    CHECK_EQ(send_str(p.client, "two", 3), 0);
    /* and a partial packet: header says 10, 3 bytes follow */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(send_str(p.client, "\000\012abc", 5), 0);
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 3);
    CHECK(memcmp(buf, "one", 3) == 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 3);
    CHECK(memcmp(buf, "two", 3) == 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    /* send has its own one-shot */
    CHECK_EQ(send_str(p.server, "x", 1), -GT_ECLOSED);
    CHECK_EQ(send_str(p.server, "x", 1), -ENOTCONN);
    /* the stream ended, but OTP's port lives on until its owner hears tcp_closed: options
     * still answer (setopts({active, once}) then delivers that tcp_closed) */
    CHECK_EQ(gt_getopt(p.server, GT_OPT_PACKET), GT_PACKET_2);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

static int64_t raced_send;

/* A send failing on S's connection at the worst moment of a recv that meets its end: after the
 * recv has seen the connection alive, before it has answered. */
static void send_fails_inside_recv(struct gt_sock *s)
{
    gt__end_recv_race = NULL;
    pthread_mutex_lock(&s->send_lock);
    raced_send = gt__end_met_by_send(s, 0);
    pthread_mutex_unlock(&s->send_lock);
}

/* A send failure racing a recv that meets the end (exit_on_close): whichever gives the
 * connection up first met it, and each side answers 'closed' once, then enotconn. */
static void test_a_send_failure_racing_a_recv_answers_closed_once(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    struct gt_sock *s;
    char buf[16];

    CHECK_EQ(gt_close(p.client), 0);
    gt__end_recv_race = send_fails_inside_recv;
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK(gt__end_recv_race == NULL);  /* the race was run */
    CHECK_EQ(raced_send, -GT_ECLOSED); /* the send met the end first */
    CHECK_EQ(send_str(p.server, "x", 1), -ENOTCONN);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);

    /* The recv first: a send that began while the connection was alive fails after it. */
    p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    s = gt__acquire(p.server);
    CHECK(s != NULL);
    pthread_mutex_lock(&s->send_lock);
    CHECK_EQ(gt__end_met_by_send(s, 0), -GT_ECLOSED); /* what send is owed */
    pthread_mutex_unlock(&s->send_lock);
    gt__release(s);
    CHECK_EQ(send_str(p.server, "x", 1), -ENOTCONN);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

/* {exit_on_close, false} with show_econnreset and a peer reset, as OTP 25 answers (ending.c;
 * ErrorSequencingTest has this and the other scenarios against a real OTP node). */
static void test_half_close_reset_sequence(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    int64_t a = p.server;
    char buf[64];

    CHECK_EQ(gt_setopt(a, GT_OPT_EXIT_ON_CLOSE, 0), 0);
    CHECK_EQ(gt_setopt(a, GT_OPT_SHOW_ECONNRESET, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LINGER, (int64_t)1 << 32), 0); /* {true, 0}: a reset */
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(recv_into(a, 0, 5000, buf, sizeof(buf)), -ECONNRESET);
    CHECK_EQ(recv_into(a, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED); /* not given up: every time */
    CHECK_EQ(recv_into(a, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(send_str(a, "x", 1), -ECONNRESET); /* the kernel's answer: given up */
    CHECK_EQ(send_str(a, "x", 1), -ECONNRESET); /* owed by recv's end, a reset now */
    CHECK_EQ(recv_into(a, 0, 5000, buf, sizeof(buf)), -ECONNRESET); /* owed by the send */
    CHECK_EQ(recv_into(a, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(send_str(a, "x", 1), -ENOTCONN);        /* recv's answer settled send's */
    CHECK_EQ(gt_getopt(a, GT_OPT_EXIT_ON_CLOSE), 0); /* the socket itself stays */
    CHECK_EQ(gt_close(a), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

static void test_emsgsize_closes(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    char buf[64];

    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET_SIZE, 2), 0);
    CHECK_EQ(send_str(p.client, "abc", 3), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -EMSGSIZE);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(send_str(p.server, "x", 1), -ENOTCONN);
    /* the peer sees the connection closed */
    CHECK_EQ(recv_into(p.client, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    close_pair(&p);
}

static void test_after_close_matrix(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    int64_t old = p.client, fresh;
    char buf[GT_SOCKADDR_SIZE];

    CHECK_EQ(gt_close(old), 0);
    CHECK_EQ(gt_close(old), 0);
    CHECK_EQ(send_str(old, "x", 1), -GT_ECLOSED);
    CHECK_EQ(recv_into(old, 0, 0, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(gt_shutdown(old, SHUT_WR), -GT_ECLOSED);
    CHECK_EQ(gt_getopt(old, GT_OPT_PACKET), -EINVAL);
    CHECK_EQ(gt_setopt(old, GT_OPT_PACKET, GT_PACKET_RAW), -EINVAL);
    CHECK_EQ(gt_sockname(old, (int64_t)(intptr_t)buf, sizeof(buf)), -EINVAL);
    CHECK_EQ(gt_peername(old, (int64_t)(intptr_t)buf, sizeof(buf)), -EINVAL);
    /* The slot is reused by the next socket; the old handle still cannot reach it. */
    fresh = gt_socket(AF_INET);
    CHECK(fresh > 0);
    CHECK((fresh & 0xffffffff) == (old & 0xffffffff));
    CHECK(fresh != old);
    CHECK_EQ(gt_getopt(old, GT_OPT_PACKET), -EINVAL);
    CHECK_EQ(gt_getopt(fresh, GT_OPT_PACKET), GT_PACKET_RAW);
    CHECK_EQ(gt_close(fresh), 0);
    /* handles that never existed */
    CHECK_EQ(gt_close(0), 0);
    CHECK_EQ(gt_close(-5), 0);
    CHECK_EQ(send_str((int64_t)1 << 40 | 77777, "x", 1), -GT_ECLOSED);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

/* gt_accept on the listen socket *ARG, without a time limit. */
static int64_t accept_forever(void *arg)
{
    return gt_accept(*(int64_t *)arg, -1);
}

/* gt_recv on the socket *ARG, without a time limit. */
static int64_t recv_forever(void *arg)
{
    char buf[16];
    int64_t r;

    /* The main thread's probes (await_recv_busy) may hold the socket for an instant. */
    do
        r = recv_into(*(int64_t *)arg, 0, -1, buf, sizeof(buf));
    while (r == -EALREADY);
    return r;
}

/* Wait until a thread is inside a blocking recv: a second recv then answers ealready. */
static void await_recv_busy(int64_t h)
{
    char buf[4];
    int64_t end = gt__now_ns() + 10LL * 1000000000;

    while (recv_into(h, 0, 0, buf, sizeof(buf)) != -EALREADY)
        if (gt__now_ns() > end)
            CHECK(!"the receiving thread never entered recv");
}

static void test_close_wakes_blocked_calls(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    struct background r, a;

    background_start(&r, recv_forever, &p.server);
    await_recv_busy(p.server);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(background_join(&r), -GT_ECLOSED);

    /* An acceptor waiting without a time limit is woken by closing the listen socket. */
    background_start(&a, accept_forever, &p.listen);
    CHECK_EQ(gt_close(p.listen), 0);
    CHECK_EQ(background_join(&a), -GT_ECLOSED);
    CHECK_EQ(gt_accept(p.listen, 0), -GT_ECLOSED);
    CHECK_EQ(gt_close(p.client), 0);
}

static void test_accept_timeout_and_errors(void)
{
    int64_t l = listen_any(), c, other;

    CHECK_EQ(gt_accept(l, 50), -GT_ETIMEOUT);
    CHECK_EQ(gt_shutdown(l, SHUT_RDWR), -ENOTCONN);
    CHECK_EQ(gt_recv(l, 0, 0, 0, 0), -ENOTCONN);
    CHECK_EQ(send_str(l, "x", 1), -ENOTCONN);
    /* the port is taken */
    other = gt_socket(AF_INET);
    CHECK_EQ(gt_bind(other, 0, LOOPBACK, local_port(l)), -EADDRINUSE);
    CHECK_EQ(gt_close(other), 0);
    /* nobody listens here any more */
    c = gt_socket(AF_INET);
    CHECK(c > 0);
    {
        int port = local_port(l);

        CHECK_EQ(gt_close(l), 0);
        CHECK_EQ(gt_connect(c, 0, LOOPBACK, port, 5000), -ECONNREFUSED);
    }
    CHECK_EQ(gt_close(c), 0);
}

static void test_idle_strategies(void)
{
    static const int idles[] = {GT_IDLE_BUSY, GT_IDLE_SPIN};
    char buf[16];
    size_t i;

    for (i = 0; i < 2; i++) {
        struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);

        CHECK_EQ(gt_setopt(p.server, GT_OPT_IDLE, idles[i]), 0);
        CHECK_EQ(gt_setopt(p.server, GT_OPT_SPIN_NS, 1000), 0);
        CHECK_EQ(recv_into(p.server, 0, 20, buf, sizeof(buf)), -GT_ETIMEOUT);
        CHECK_EQ(send_str(p.client, "ping", 4), 0);
        CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), 4);
        CHECK(memcmp(buf, "ping", 4) == 0);
        close_pair(&p);
    }
}

static void test_ipv6_loopback(void)
{
    int64_t l = gt_socket(AF_INET6), c, s;
    uint8_t rec[GT_SOCKADDR_SIZE];
    int32_t family, port;

    CHECK(l > 0);
    if (gt_bind(l, 0, 1, 0) != 0) { /* ::1 may be missing in a container */
        CHECK_EQ(gt_close(l), 0);
        return;
    }
    CHECK_EQ(gt_listen(l, 5), 0);
    c = gt_socket(AF_INET6);
    CHECK_EQ(gt_connect(c, 0, 1, local_port(l), 5000), 0);
    s = gt_accept(l, 5000);
    CHECK(s > 0);
    CHECK_EQ(gt_peername(s, (int64_t)(intptr_t)rec, sizeof(rec)), 0);
    memcpy(&family, rec, 4);
    memcpy(&port, rec + 4, 4);
    CHECK_EQ(family, AF_INET6);
    CHECK_EQ(port, local_port(c));
    CHECK_EQ(rec[8 + 15], 1);
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(gt_close(s), 0);
    CHECK_EQ(gt_close(l), 0);
}

static void test_recv_batch(void)
{
    struct pair p = make_pair_of(GT_PACKET_1, GT_PACKET_1);
    char buf[32];

    CHECK_EQ(gt_setopt(p.client, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(send_str(p.client, "\003abc\002de\001f\003gh", 12), 0); /* the last one partial */
    /* wait until all 12 bytes are here: a first batch may see fewer if they arrive in pieces */
    {
        int64_t n = gt_recv_batch(p.server, 5000, (int64_t)(intptr_t)buf, sizeof(buf), 100);
        int64_t got = 0;

        CHECK(n >= 7);
        CHECK(memcmp(buf, "\000\000\000\003abc", 7) == 0);
        got = n;
        while (got < 7 + 6 + 5) {
            n = gt_recv_batch(p.server, 5000, (int64_t)(intptr_t)(buf + got), sizeof(buf) - got,
                              100);
            CHECK(n > 0);
            got += n;
        }
        CHECK_EQ(got, 18);
        CHECK(memcmp(buf, "\000\000\000\003abc\000\000\000\002de\000\000\000\001f", 18) == 0);
    }
    /* the partial packet stays for later */
    CHECK_EQ(gt_recv_batch(p.server, 0, (int64_t)(intptr_t)buf, sizeof(buf), 100), -GT_ETIMEOUT);
    CHECK_EQ(send_str(p.client, "i", 1), 0);
    CHECK_EQ(gt_recv_batch(p.server, 5000, (int64_t)(intptr_t)buf, sizeof(buf), 100), 7);
    CHECK(memcmp(buf, "\000\000\000\003ghi", 7) == 0);
    CHECK_EQ(gt_recv_batch(p.server, 0, (int64_t)(intptr_t)buf, 4, 100), -EINVAL);
    close_pair(&p);
}

static void test_constants(void)
{
    CHECK_EQ(gt_constant("EINVAL"), EINVAL);
    CHECK_EQ(gt_constant("GT_ECLOSED"), GT_ECLOSED);
    CHECK_EQ(gt_constant("AF_INET6"), AF_INET6);
    CHECK_EQ(gt_constant("NO_SUCH_THING"), INT64_MIN);
    CHECK_EQ(gt_constant(NULL), INT64_MIN);
}

int main(void)
{
    test_constants();
    test_packet_4_round_trip();
    test_send_header_limits();
    test_raw_exact_and_timeout_keeps_data();
    test_peer_close_sequence();
    test_half_close_reset_sequence();
    test_a_send_failure_racing_a_recv_answers_closed_once();
    test_emsgsize_closes();
    test_after_close_matrix();
    test_close_wakes_blocked_calls();
    test_accept_timeout_and_errors();
    test_idle_strategies();
    test_ipv6_loopback();
    test_recv_batch();
    CHECK_DONE();
}
