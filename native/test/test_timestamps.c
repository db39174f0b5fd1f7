/*
 * test_timestamps.c - GT_OPT_TIMESTAMPING on a loopback connection: the software transmit
 * stamps (sched, software, ack) of a send's last byte, counted from the connection; the
 * receive stamp of a read; a wait that the error queue wakes neither fails nor leaves the queue
 * full; accepted sockets inherit the option; the errors. Elsewhere than Linux with epoll (the
 * portable build) the option answers enotsup and the calls find no stamps.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/net_tstamp.h>
#endif

#include "background.h"
#include "check.h"
#include "gentcp.h"
#include "loopback.h"
#include "platform.h"

#define PTR(p) ((int64_t)(intptr_t)(p))
#ifndef POLLRDHUP /* the portable build's headers (no _GNU_SOURCE); its run stops before */
#define POLLRDHUP 0x2000
#endif
#define TX_ALL (GT_TIMESTAMPING_TX_SCHED | GT_TIMESTAMPING_TX_SOFTWARE | GT_TIMESTAMPING_TX_ACK)
#define TRIES 250 /* each a 20-ms wait: 5 s at most */

static int64_t realtime_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The stamps of the send whose last byte is OFFSET, by kind (0: not seen). */
struct send_stamps {
    int64_t at[GT_TX_LOST + 1];
};

/* Read H's transmit stamps until the ACK of byte OFFSET is in, waiting in gentcp's own timed
 * recv between reads (which the stamps wake, and which must time out all the same). */
static void collect(int64_t h, int64_t offset, struct send_stamps *out)
{
    int64_t rec[16 * GT_TX_RECORD];
    char buf[8];
    int i, n, k;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < TRIES && out->at[GT_TX_ACK] == 0; i++) {
        n = gt_tx_timestamps(h, PTR(rec), sizeof(rec));
        CHECK(n >= 0);
        for (k = 0; k < n; k++) {
            const int64_t *r = rec + k * GT_TX_RECORD;

            CHECK(r[GT_TX_KIND] >= GT_TX_SCHED && r[GT_TX_KIND] <= GT_TX_ACK);
            if (r[GT_TX_OFFSET] == offset)
                out->at[r[GT_TX_KIND]] = r[GT_TX_TIME];
        }
        if (out->at[GT_TX_ACK] == 0)
            CHECK_EQ(recv_into(h, 0, 20, buf, sizeof(buf)), -GT_ETIMEOUT);
    }
}

static void check_send_stamps(const struct send_stamps *st, int64_t before)
{
    const int64_t after = realtime_ns();

    CHECK(st->at[GT_TX_SCHED] != 0);
    CHECK(st->at[GT_TX_SOFTWARE] != 0);
    CHECK(st->at[GT_TX_ACK] != 0);
    CHECK(st->at[GT_TX_SCHED] >= before - 1000000);
    CHECK(st->at[GT_TX_SCHED] <= st->at[GT_TX_SOFTWARE]);
    CHECK(st->at[GT_TX_SOFTWARE] <= st->at[GT_TX_ACK]);
    CHECK(st->at[GT_TX_ACK] <= after + 1000000);
}

/* A client made outside gentcp and adopted, so that the test can poll its descriptor. */
static int64_t adopted_client(int64_t listen, int *fd_out)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int64_t h;

    CHECK(fd >= 0);
    a.sin_port = htons((uint16_t)local_port(listen));
    a.sin_addr.s_addr = htonl(LOOPBACK);
    CHECK_EQ(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    h = gt_socket_fd(fd);
    CHECK(h > 0);
    CHECK_EQ(gt_setopt(h, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    *fd_out = fd;
    return h;
}

static void transmit(void)
{
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    static char out[150], in[150];
    struct send_stamps st;
    int64_t before, v, rec[GT_TX_RECORD], rec16[16 * GT_TX_RECORD];
    struct pollfd pfd;
    int64_t c, s;
    int fd;

    memset(out, 'x', sizeof(out));
    CHECK_EQ(gt_getopt(p.client, GT_OPT_TIMESTAMPING), 0); /* off by default */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_TIMESTAMPING, TX_ALL), 0);
    CHECK_EQ(gt_getopt(p.client, GT_OPT_TIMESTAMPING), TX_ALL);

    /* Byte 99 is the last of the first send; 149 of the second. */
    before = realtime_ns();
    CHECK_EQ(gt_send(p.client, PTR(out), 100), 0);
    CHECK_EQ(recv_into(p.server, 100, 5000, in, sizeof(in)), 100);
    collect(p.client, 99, &st);
    check_send_stamps(&st, before);
    before = realtime_ns();
    CHECK_EQ(gt_send(p.client, PTR(out), 50), 0);
    CHECK_EQ(recv_into(p.server, 50, 5000, in, sizeof(in)), 50);
    collect(p.client, 149, &st);
    check_send_stamps(&st, before);
    /* With stamps on, an exchange still works both ways. */
    CHECK_EQ(gt_send(p.server, PTR(out), 10), 0);
    CHECK_EQ(recv_into(p.client, 10, 5000, in, sizeof(in)), 10);

    /* Turned off: no new stamps. */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_TIMESTAMPING, 0), 0);
    CHECK(gt_tx_timestamps(p.client, PTR(rec16), sizeof(rec16)) >= 0); /* what is left */
    CHECK_EQ(gt_send(p.client, PTR(out), 10), 0);
    CHECK_EQ(recv_into(p.server, 10, 5000, in, sizeof(in)), 10);
    CHECK_EQ(gt_send(p.server, PTR(out), 10), 0); /* its reply carries the ack */
    CHECK_EQ(recv_into(p.client, 10, 5000, in, sizeof(in)), 10);
    CHECK_EQ(gt_tx_timestamps(p.client, PTR(rec), sizeof(rec)), 0);

    /* Set on the listen socket: the accepted socket stamps from its first byte (offset 0 is
     * the first byte after the connection), and a client that set it before connecting too. */
    CHECK_EQ(gt_setopt(p.listen, GT_OPT_TIMESTAMPING, TX_ALL), 0);
    c = gt_socket(AF_INET);
    CHECK_EQ(gt_setopt(c, GT_OPT_TIMESTAMPING, TX_ALL), 0);
    CHECK_EQ(gt_setopt(c, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(p.listen), 5000), 0);
    s = gt_accept(p.listen, 5000);
    CHECK(s > 0);
    CHECK_EQ(gt_getopt(s, GT_OPT_TIMESTAMPING), TX_ALL);
    before = realtime_ns();
    CHECK_EQ(gt_send(s, PTR(out), 1), 0);
    CHECK_EQ(recv_into(c, 1, 5000, in, sizeof(in)), 1);
    collect(s, 0, &st);
    check_send_stamps(&st, before);
    before = realtime_ns();
    CHECK_EQ(gt_send(c, PTR(out), 3), 0);
    CHECK_EQ(recv_into(s, 3, 5000, in, sizeof(in)), 3);
    collect(c, 2, &st);
    check_send_stamps(&st, before);

    /* A wait woken by the error queue empties it: after a timed recv, no POLLERR is left. */
    c = adopted_client(p.listen, &fd);
    s = gt_accept(p.listen, 5000);
    CHECK(s > 0);
    CHECK_EQ(gt_setopt(c, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_TX_SCHED), 0);
    CHECK_EQ(gt_send(c, PTR(out), 10), 0);
    pfd.fd = fd;
    pfd.events = POLLIN;
    CHECK_EQ(poll(&pfd, 1, 5000), 1); /* the sched stamp is queued as the send returns */
    CHECK_EQ(pfd.revents, POLLERR);
    CHECK_EQ(recv_into(c, 0, 20, in, sizeof(in)), -GT_ETIMEOUT);
    CHECK_EQ(poll(&pfd, 1, 0), 0);
    CHECK_EQ(gt_tx_timestamps(c, PTR(rec), sizeof(rec)), 1);
    CHECK_EQ(rec[GT_TX_KIND], GT_TX_SCHED);
    CHECK_EQ(rec[GT_TX_OFFSET], 9);

    /* The errors: not connected, a bad buffer, a buffer too small for one record (nothing
     * taken), out of range, a local socket, a closed socket. */
    CHECK_EQ(gt_tx_timestamps(p.listen, PTR(rec), sizeof(rec)), -EINVAL);
    CHECK_EQ(gt_tx_timestamps(c, 0, sizeof(rec)), -EINVAL);
    CHECK_EQ(gt_tx_timestamps(c, PTR(rec), -1), -EINVAL);
    CHECK_EQ(gt_tx_timestamps(c, PTR(rec), sizeof(rec) - 1), 0);
    CHECK_EQ(gt_setopt(c, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_ALL + 1), -EINVAL);
    CHECK_EQ(gt_setopt(c, GT_OPT_TIMESTAMPING, -1), -EINVAL);
    v = gt_socket(AF_UNIX);
    CHECK_EQ(gt_setopt(v, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_RX_SOFTWARE), -ENOTSUP);
    CHECK_EQ(gt_getopt(v, GT_OPT_TIMESTAMPING), 0);
    CLOSE_ALL(v, c, s);
    CHECK_EQ(gt_tx_timestamps(c, PTR(rec), sizeof(rec)), -EINVAL);
    CHECK_EQ(gt_rx_timestamp(c, PTR(rec), sizeof(rec)), -EINVAL);
    close_pair(&p);
}

/* The first socket of the system to ask for receive stamps has the kernel turn them on from a
 * work queue (net_enable_timestamp): reads until then carry none (0). Exchanges until a stamped
 * read, bounded in count and time. */
static int64_t first_stamped_read(struct pair *p, int64_t *before, int64_t ns[GT_RX_COUNT])
{
    const int64_t end = realtime_ns() + 5000000000LL;
    char in[16];
    int i;

    for (i = 0; i < 100000 && realtime_ns() < end; i++) {
        *before = realtime_ns();
        CHECK_EQ(gt_send(p->client, PTR("hello"), 5), 0);
        CHECK_EQ(recv_into(p->server, 0, 5000, in, sizeof(in)), 5);
        CHECK_EQ(gt_rx_timestamp(p->server, PTR(ns), GT_RX_COUNT * sizeof(int64_t)), 0);
        if (ns[GT_RX_SOFTWARE] != 0)
            return i;
    }
    return -1;
}

/* The parking poller's wait and the mailbox's receive, woken by a stamp on the error queue,
 * move it to the ring: the next wait is not woken again by the same stamp (it would be, over
 * and over, were it left in the queue). */
static void waits_empty_the_queue(void)
{
    int64_t l = gt_socket(AF_INET), c, s, mb, tokens[GT_PARK_BATCH], rec[GT_TX_RECORD];
    static uint8_t box[4096];
    struct pollfd pfd;
    int fd;

    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    CHECK_EQ(gt_setopt(l, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    c = adopted_client(l, &fd);
    s = gt_accept(l, 5000);
    CHECK(s > 0);
    pfd.fd = fd;
    pfd.events = POLLIN;
    CHECK_EQ(gt_setopt(c, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_TX_SCHED), 0);

    /* Parked: one report for the stamp, none for the next arm. */
    CHECK_EQ(gt_park_begin(c, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_arm(c, GT_PARK_IN), 0);
    CHECK_EQ(gt_send(c, PTR("abc"), 3), 0);
    CHECK_EQ(gt_park_wait(PTR(tokens), GT_PARK_BATCH, 5000 * 1000000LL), 1);
    CHECK_EQ(tokens[0], c);
    CHECK_EQ(poll(&pfd, 1, 0), 0);
    CHECK_EQ(gt_park_arm(c, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_wait(PTR(tokens), GT_PARK_BATCH, 50 * 1000000LL), 0);
    CHECK_EQ(gt_park_end(c, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_tx_timestamps(c, PTR(rec), sizeof(rec)), 1);
    CHECK_EQ(rec[GT_TX_OFFSET], 2);

    /* An active socket's mailbox: its receive times out, the stamp taken aside. */
    mb = gt_mailbox_open();
    CHECK(mb > 0);
    CHECK_EQ(gt_mailbox_adopt(mb, c), 0);
    CHECK_EQ(gt_setopt(c, GT_OPT_ACTIVE, GT_ACTIVE_TRUE), 0);
    CHECK_EQ(gt_send(c, PTR("defg"), 4), 0);
    CHECK_EQ(poll(&pfd, 1, 5000), 1);
    CHECK_EQ(pfd.revents, POLLERR);
    CHECK_EQ(gt_mailbox_receive(mb, 50, PTR(box), sizeof(box)), -GT_ETIMEOUT);
    CHECK_EQ(poll(&pfd, 1, 0), 0);
    CHECK_EQ(gt_tx_timestamps(c, PTR(rec), sizeof(rec)), 1);
    CHECK_EQ(rec[GT_TX_OFFSET], 6);
    CLOSE_ALL(c, s, l, mb);
}

/* A client with transmit stamps whose queue the server does not read: a close lingers. */
struct lingering {
    int64_t l, c, s;
    int fd;
};

static struct lingering lingering_pair(void)
{
    static char big[1 << 20];
    struct lingering p;

    p.l = gt_socket(AF_INET);
    CHECK_EQ(gt_bind(p.l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_setopt(p.l, GT_OPT_RECBUF, 16384), 0); /* the accepted socket's small window */
    CHECK_EQ(gt_listen(p.l, 5), 0);
    CHECK_EQ(gt_setopt(p.l, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    p.c = adopted_client(p.l, &p.fd);
    p.s = gt_accept(p.l, 5000);
    CHECK(p.s > 0);
    CHECK_EQ(gt_setopt(p.c, GT_OPT_SNDBUF, 16384), 0);
    CHECK_EQ(gt_setopt(p.c, GT_OPT_HIGH_WATERMARK, 8 << 20), 0);
    CHECK_EQ(gt_setopt(p.c, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_TX_SCHED), 0);
    CHECK_EQ(gt_send(p.c, PTR(big), sizeof(big)), 0); /* mostly queued in gentcp */
    return p;
}

/* A parked closer lingers: the server reads a little, the kernel sends more and stamps it.
 * Each of the closer's looks (gt_close_resume, as a virtual thread's wake makes it) takes the
 * stamps aside, or the parking poller would report the socket at once, over and over. Looked at
 * right after a look, a bounded number of times (a stamp may come between a look and the poll;
 * without the look's drain, POLLERR never goes away). */
static int parked_closer_empties_the_queue(struct lingering *p)
{
    struct pollfd pfd = {.fd = p->fd, .events = 0};
    static char in[65536];
    int i;

    CHECK(recv_into(p->s, 0, 5000, in, sizeof(in)) > 0);
    CHECK_EQ(poll(&pfd, 1, 5000), 1); /* stamps of what the kernel sent on */
    CHECK_EQ(pfd.revents, POLLERR);
    for (i = 0; i < 200; i++) {
        CHECK(gt_close_resume(p->c, 0) > 0); /* still lingering */
        if (poll(&pfd, 1, 0) == 0)
            return 1;
    }
    return 0;
}

static int64_t close_call(void *arg)
{
    return gt_close(*(int64_t *)arg);
}

/* Read what the server was sent, so that a lingering close ends. */
static void drain_server(int64_t s)
{
    static char in[65536];
    int64_t n;
    int i;

    for (i = 0; i < 10000; i++) {
        n = recv_into(s, 0, 5000, in, sizeof(in));
        if (n < 0)
            break;
    }
    CHECK_EQ(n, -GT_ECLOSED);
}

/* CPU time THREAD has used. */
static int64_t thread_cpu_ns(pthread_t thread)
{
    struct timespec ts;
    clockid_t id;

    CHECK_EQ(pthread_getcpuclockid(thread, &id), 0);
    CHECK_EQ(clock_gettime(id, &ts), 0);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void closers_empty_the_queue(void)
{
    struct lingering p = lingering_pair();
    struct pollfd rdhup = {.fd = p.fd, .events = POLLRDHUP};
    static char in[65536];
    struct background closer;
    int64_t cpu, n, left = 1;
    int i;

    /* A platform thread lingers in gt_close (it has begun once it has shut the reading side
     * down, which poll tells). The server reads a little: the closer writes on, and the kernel
     * stamps what it sends. The closer then waits while the server reads nothing: with the
     * stamps left on the error queue, its every wait would end at once (a core's worth of
     * CPU); taken aside, it sleeps. A bound far above a sleep's and below a spin's. */
    background_start(&closer, close_call, &p.c);
    CHECK_EQ(poll(&rdhup, 1, 5000), 1);
    CHECK(recv_into(p.s, 0, 5000, in, sizeof(in)) > 0);
    cpu = thread_cpu_ns(closer.thread);
    CHECK_EQ(poll(NULL, 0, 300), 0); /* the time the closer's CPU is looked at over */
    CHECK(thread_cpu_ns(closer.thread) - cpu < 150000000);
    drain_server(p.s);
    CHECK_EQ(background_join(&closer), 0);
    CLOSE_ALL(p.s, p.l);

    /* A parked closer (a virtual thread's): each look takes the stamps aside. */
    p = lingering_pair();
    CHECK(gt_close_parked(p.c) > 0);
    CHECK(parked_closer_empties_the_queue(&p));
    /* The server reads on; the closer's looks write the rest, until its close ends. */
    for (i = 0; i < 100000 && left > 0; i++) {
        n = recv_into(p.s, 0, 20, in, sizeof(in));
        CHECK(n > 0 || n == -GT_ETIMEOUT);
        left = gt_close_resume(p.c, 0);
    }
    CHECK_EQ(left, 0);
    drain_server(p.s);
    CLOSE_ALL(p.s, p.l);
}

/* The kernel's SO_TIMESTAMPING flags of H, read raw. */
static int kernel_flags(int64_t h)
{
    int v = -1;

    CHECK_EQ(gt_getopt_raw(h, SOL_SOCKET, SO_TIMESTAMPING, PTR(&v), sizeof(v)), (int)sizeof(v));
    return v;
}

/* A descriptor adopted with stamps another owner turned on starts with them off (an error queue
 * no ring was made for would wake every wait); {protocol, mptcp} made after the option keeps
 * it on the new socket, and refuses transmit stamps (its subflows would queue them). */
static void adoption_and_protocol(void)
{
#if defined(__linux__)
    int64_t l = gt_socket(AF_INET), c, s, m;
    int fd, on = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_SOFTWARE;

    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &on, sizeof(on)), 0);
    c = gt_socket_fd(fd);
    CHECK(c > 0);
    CHECK_EQ(kernel_flags(c), 0);
    CHECK_EQ(gt_getopt(c, GT_OPT_TIMESTAMPING), 0);

    m = gt_socket(AF_INET);
    CHECK_EQ(gt_setopt(m, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_RX_SOFTWARE), 0);
    if (gt_setopt(m, GT_OPT_PROTOCOL, GT_PROTOCOL_MPTCP) == 0) {
        CHECK(kernel_flags(m) & SOF_TIMESTAMPING_RX_SOFTWARE);
        CHECK_EQ(gt_setopt(m, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_TX_ACK), -ENOTSUP);
    } else {
        printf("test_timestamps: no MPTCP here: its cases are not run\n");
    }
    s = gt_socket(AF_INET);
    CLOSE_ALL(c, m, s, l);
#endif
}

static void receive(void)
{
    struct pair p = make_pair_of(GT_PACKET_2, GT_PACKET_2);
    int64_t ns[GT_RX_COUNT], before;

    CHECK_EQ(gt_rx_timestamp(p.server, PTR(ns), sizeof(ns)), 0);
    CHECK_EQ(ns[GT_RX_SOFTWARE], 0); /* no stamped read yet */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_RX_SOFTWARE), 0);
    CHECK(first_stamped_read(&p, &before, ns) >= 0);
    CHECK(ns[GT_RX_SOFTWARE] >= before - 1000000);
    CHECK(ns[GT_RX_SOFTWARE] <= realtime_ns() + 1000000);
    CHECK_EQ(ns[GT_RX_HARDWARE], 0); /* loopback stamps no hardware time */
    /* Once on, every read is stamped: the next one's stamp is its own, not the last one's. */
    CHECK_EQ(first_stamped_read(&p, &before, ns), 0);
    CHECK(ns[GT_RX_SOFTWARE] >= before - 1000000);
    /* Off: no stamp of an earlier read is left to be read. */
    CHECK_EQ(gt_setopt(p.server, GT_OPT_TIMESTAMPING, 0), 0);
    CHECK_EQ(gt_rx_timestamp(p.server, PTR(ns), sizeof(ns)), 0);
    CHECK_EQ(ns[GT_RX_SOFTWARE], 0);
    CHECK_EQ(gt_rx_timestamp(p.server, PTR(ns), sizeof(ns) - 1), -EINVAL);
    CHECK_EQ(gt_rx_timestamp(p.server, 0, sizeof(ns)), -EINVAL);
    close_pair(&p);
}

/* qemu-user (CMakeLists.txt sets GENTCP_QEMU_USER for the run under it only) does not pass
 * setsockopt(SO_TIMESTAMPING) through: it answers ENOPROTOOPT, which gentcp reports as is. */
static int qemu_lacks_timestamping(void)
{
    struct pair p;
    int64_t rc;

    if (getenv("GENTCP_QEMU_USER") == NULL)
        return 0;
    p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    rc = gt_setopt(p.client, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_RX_SOFTWARE);
    close_pair(&p);
    if (rc != -ENOPROTOOPT)
        return 0;
    printf("skipped: test_timestamps under qemu-user because qemu does not pass "
           "setsockopt(SO_TIMESTAMPING) through (ENOPROTOOPT)\n");
    printf("%d passed, 0 failed, 1 case skipped\n", check_passed);
    return 1;
}

int main(void)
{
    if (!GT_LINUX) {
        struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
        int64_t rec[GT_TX_RECORD];

        CHECK_EQ(gt_setopt(p.client, GT_OPT_TIMESTAMPING, GT_TIMESTAMPING_RX_SOFTWARE), -ENOTSUP);
        CHECK_EQ(gt_getopt(p.client, GT_OPT_TIMESTAMPING), -ENOTSUP);
        CHECK_EQ(gt_tx_timestamps(p.client, PTR(rec), sizeof(rec)), -ENOTSUP);
        CHECK_EQ(gt_rx_timestamp(p.client, PTR(rec), sizeof(rec)), -ENOTSUP);
        close_pair(&p);
        CHECK_DONE();
    }
    if (qemu_lacks_timestamping())
        return 77; /* ctest: Skipped (SKIP_RETURN_CODE) */
    transmit();
    waits_empty_the_queue();
    closers_empty_the_queue();
    adoption_and_protocol();
    receive();
    CHECK_DONE();
}
