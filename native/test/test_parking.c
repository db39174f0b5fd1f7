/*
 * test_parking.c - the parking poller's contract (parking.c, gentcp.h): a receive parked
 * between non-blocking tries keeps the socket's receive side claimed; an armed socket is
 * reported once per arm, also when it was ready before the arm; closing a socket whose waiter
 * is parked reports it and the retry answers closed; a finalized socket leaves the poller, so
 * its slot and descriptor number reused by a new socket carry nothing of it; a mailbox parks
 * the same way, its own poller armed.
 *
 * A waker thread loops in gt_park_wait as Java's do and publishes what it is handed; the
 * main thread waits for that event itself (bounded in time), never for a sleep.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "clock_watchdog.h"
#include "internal.h"
#include "loopback.h"
#include "platform.h"
#include "task.h"

#define MS 1000000LL
#define WATCHDOG_SECONDS 60
#define SLOW_NS (5000 * MS) /* upper bound of anything that should be prompt */

static void send_str(int64_t h, const char *s)
{
    CHECK_EQ(gt_send(h, (int64_t)(intptr_t)s, (int64_t)strlen(s)), 0);
}

static int64_t recv_parked(int64_t h, char *buf, int64_t cap)
{
    return gt_recv(h, 0, GT_TIMEOUT_PARKED, (int64_t)(intptr_t)buf, cap);
}

/* ---------------------------------------------------------------- the waker thread */

static atomic_int_fast64_t reported[GT_PARK_BATCH * 4]; /* every token handed out, in order */
static atomic_int nreported;
static atomic_int stop_waker;

static void *waker(void *arg)
{
    int64_t tokens[GT_PARK_BATCH];
    int n, i, k;

    (void)arg;
    while (!atomic_load(&stop_waker)) {
        n = gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, -1);
        CHECK(n >= 0);
        for (i = 0; i < n; i++) {
            k = atomic_load(&nreported);
            CHECK(k < (int)(sizeof(reported) / sizeof(reported[0])));
            atomic_store(&reported[k], tokens[i]);
            atomic_store(&nreported, k + 1); /* published after the token */
        }
    }
    return NULL;
}

/* Wait until the waker has handed out more than SEEN tokens; the next one. */
static int64_t next_report(int *seen)
{
    int64_t end = now_ns() + SLOW_NS;

    while (atomic_load(&nreported) <= *seen) {
        CHECK(now_ns() < end);
        sched_yield();
    }
    return atomic_load(&reported[(*seen)++]);
}

/* No further token is handed out while a parked wait that cannot be woken runs its course. */
static void no_report_after(int seen)
{
    int64_t tokens[GT_PARK_BATCH];

    /* A wait of the main thread's own, in parallel with the waker's: had anything been ready,
     * one of the two would have been handed it (a one-shot report goes to one of them). */
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, 50 * MS), 0);
    CHECK_EQ(atomic_load(&nreported), seen);
}

/* ---------------------------------------------------------------- tests */

static void test_arguments(void)
{
    int64_t tokens[1];

    CHECK_EQ(gt_park_begin(0, GT_PARK_WAIT, GT_PARK_IN), -GT_ECLOSED);
    CHECK_EQ(gt_park_begin(1, 7, GT_PARK_IN), -EINVAL);
    CHECK_EQ(gt_park_arm(0, GT_PARK_IN), -EINVAL);
    CHECK_EQ(gt_park_end(0, GT_PARK_WAIT, GT_PARK_IN), -EINVAL);
    CHECK_EQ(gt_park_wait(0, 1, 0), -EINVAL);
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, 0, 0), -EINVAL);
}

/* The receive side stays claimed across the parked wait: any other recv meets EALREADY. */
static void test_recv_claim(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    char buf[64];

    CHECK_EQ(gt_park_begin(p.server, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_begin(p.server, GT_PARK_RECV, GT_PARK_IN), -EALREADY);
    CHECK_EQ(gt_recv(p.server, 0, 0, (int64_t)(intptr_t)buf, sizeof(buf)), -EALREADY);
    CHECK_EQ(gt_recv_batch(p.server, 0, (int64_t)(intptr_t)buf, sizeof(buf), 4), -EALREADY);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_recv(p.server, 0, 0, (int64_t)(intptr_t)buf, sizeof(buf)), -EALREADY);
    CHECK_EQ(gt_park_end(p.server, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_end(p.server, GT_PARK_RECV, GT_PARK_IN),
             -EINVAL); /* nothing parked any more */
    /* Without a claim, the parked form is refused rather than taken as a time limit. */
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), -EALREADY);
    send_str(p.client, "abc");
    CHECK_EQ(gt_recv(p.server, 0, 5000, (int64_t)(intptr_t)buf, sizeof(buf)), 3);
    gt_close(p.client);
    gt_close(p.server);
    gt_close(p.listen);
}

/* Reported once per arm, whether readiness came before or after the arm. */
static void test_report_once(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    int seen = atomic_load(&nreported);
    char buf[64];

    CHECK_EQ(gt_park_begin(p.server, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0);
    no_report_after(seen);
    send_str(p.client, "hello");
    CHECK_EQ(next_report(&seen), p.server);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    /* Data that came before the arm: reported by the arm itself. */
    send_str(p.client, "again");
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0);
    CHECK_EQ(next_report(&seen), p.server);
    /* Still readable, but reported once only until armed again. */
    no_report_after(seen);
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0);
    CHECK_EQ(next_report(&seen), p.server);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), 5);
    CHECK_EQ(gt_park_end(p.server, GT_PARK_RECV, GT_PARK_IN), 0);

    /* A listen socket: a connection to accept is IN. */
    CHECK_EQ(gt_park_begin(p.listen, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_accept(p.listen, 0), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.listen, GT_PARK_IN), 0);
    {
        int64_t c = gt_socket(AF_INET), a;

        CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(p.listen), 5000), 0);
        CHECK_EQ(next_report(&seen), p.listen);
        a = gt_accept(p.listen, 0);
        CHECK(a > 0);
        gt_close(a);
        gt_close(c);
    }
    CHECK_EQ(gt_park_end(p.listen, GT_PARK_WAIT, GT_PARK_IN), 0);
    gt_close(p.client);
    gt_close(p.server);
    gt_close(p.listen);
}

/* A close while the waiter is parked reports it, the retry answers closed, and the socket is
 * finalized when the waiter ends; its slot, reused, carries nothing of it. */
static void test_close_while_armed(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4), q;
    int seen = atomic_load(&nreported);
    int64_t stale = p.server;
    char buf[64];

    CHECK_EQ(gt_park_begin(p.server, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(next_report(&seen), stale);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0); /* still held: armed, reported at once */
    CHECK_EQ(next_report(&seen), stale);
    CHECK_EQ(gt_park_end(p.server, GT_PARK_RECV, GT_PARK_IN), 0); /* the last one out: finalized */
    CHECK_EQ(gt_park_begin(stale, GT_PARK_WAIT, GT_PARK_IN), -GT_ECLOSED);
    CHECK_EQ(gt_park_arm(stale, GT_PARK_IN), -EINVAL);
    gt_close(p.client);
    gt_close(p.listen);

    /* The slots come back (last freed, first reused): the server's among the new pair's,
     * under a new generation. None of them is reported until armed and ready. */
    q = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    CHECK(((q.listen ^ stale) & 0xffffffff) == 0 || ((q.client ^ stale) & 0xffffffff) == 0 ||
          ((q.server ^ stale) & 0xffffffff) == 0);
    CHECK(q.listen != stale && q.client != stale && q.server != stale);
    send_str(q.client, "x");
    no_report_after(seen);
    CHECK_EQ(gt_park_begin(q.server, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_arm(q.server, GT_PARK_IN), 0); /* added afresh, or re-armed */
    CHECK_EQ(next_report(&seen), q.server);
    CHECK_EQ(recv_parked(q.server, buf, sizeof(buf)), 1);
    CHECK_EQ(gt_park_end(q.server, GT_PARK_RECV, GT_PARK_IN), 0);
    gt_close(q.client);
    gt_close(q.server);
    gt_close(q.listen);
}

/* A socket finalized while still armed (its waiter gave up before any report) leaves the
 * poller before its descriptor closes: even with the open file kept alive by a dup (which
 * keeps an epoll registration alive), nothing is reported under its handle afterwards. */
static void test_finalized_while_armed(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    int seen = atomic_load(&nreported), dupfd;
    int64_t h = p.server;

    CHECK_EQ(gt_park_begin(h, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_arm(h, GT_PARK_IN), 0);
    dupfd = dup(gt__held(h)->fd);
    CHECK(dupfd >= 0);
    CHECK_EQ(gt_park_end(h, GT_PARK_WAIT, GT_PARK_IN), 0); /* as after a time limit: still armed */
    CHECK_EQ(gt_close(h), 0);                              /* nobody inside: finalized now */
    send_str(p.client, "late");
    no_report_after(seen);
    close(dupfd);
    gt_close(p.client);
    gt_close(p.listen);
}

/* A closed listen socket wakes its parked acceptor too. */
static void test_close_listen(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    int seen = atomic_load(&nreported);

    CHECK_EQ(gt_park_begin(p.listen, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_accept(p.listen, 0), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.listen, GT_PARK_IN), 0);
    CHECK_EQ(gt_close(p.listen), 0);
    CHECK_EQ(next_report(&seen), p.listen);
    CHECK_EQ(gt_accept(p.listen, 0), -GT_ECLOSED);
    CHECK_EQ(gt_park_end(p.listen, GT_PARK_WAIT, GT_PARK_IN), 0);
    gt_close(p.client);
    gt_close(p.server);
}

/* A connect made in the parked form: started, then answered once the poller reports it. */
static int64_t connect_parked(int64_t h, int port, int *seen)
{
    int64_t rc;
    int tries;

    CHECK_EQ(gt_park_begin(h, GT_PARK_WAIT, GT_PARK_OUT), 0);
    rc = gt_connect(h, 0, LOOPBACK, port, GT_TIMEOUT_PARKED);
    for (tries = 0; rc == -GT_ETIMEOUT && tries < 100; tries++) {
        /* Only the parked form goes on with it. */
        CHECK_EQ(gt_connect(h, 0, LOOPBACK, port, 0), -EALREADY);
        CHECK_EQ(gt_park_arm(h, GT_PARK_OUT), 0);
        CHECK_EQ(next_report(seen), h);
        rc = gt_connect(h, 0, LOOPBACK, port, GT_TIMEOUT_PARKED);
    }
    CHECK_EQ(gt_park_end(h, GT_PARK_WAIT, GT_PARK_OUT), 0);
    return rc;
}

static void test_connect(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    int seen = atomic_load(&nreported), port = local_port(p.listen);
    int64_t c = gt_socket(AF_INET), a, refused = gt_socket(AF_INET);
    char buf[8];

    CHECK_EQ(connect_parked(c, port, &seen), 0);
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, port, GT_TIMEOUT_PARKED), -EISCONN);
    a = gt_accept(p.listen, 5000);
    CHECK(a > 0);
    /* Connected, and blocking again as every connected socket. */
    CHECK_EQ(gt_setopt(a, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(gt_setopt(c, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_send(c, (int64_t)(intptr_t) "ok", 2), 0);
    CHECK_EQ(gt_recv(a, 2, 5000, (int64_t)(intptr_t)buf, sizeof(buf)), 2);
    gt_close(a);
    gt_close(c);
    gt_close(p.client);
    gt_close(p.server);
    gt_close(p.listen); /* nobody listens on PORT now */
    CHECK_EQ(connect_parked(refused, port, &seen), -ECONNREFUSED);
    gt_close(refused);
}

/* ---------------------------------------------------------------- a mailbox */

static int64_t mb_try(int64_t mb, uint8_t *buf, int64_t cap)
{
    return gt_mailbox_receive(mb, 0, (int64_t)(intptr_t)buf, cap);
}

/*
 * A mailbox parks as a socket does, its own poller's descriptor armed in the parking poller:
 * reported for gt_mailbox_wake, for a packet of its {active, once} socket and for its close,
 * whose retry answers closed; a wake that came before the arm is reported by the arm itself,
 * also one that came while the mailbox had no poller to wake. A mailbox takes no descriptor
 * until it must wait, and gives its poller's back when finalized.
 */
static void test_mailbox(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    int seen = atomic_load(&nreported), fds = open_fds(), armed_fds;
    int64_t mb = gt_mailbox_open(), early = gt_mailbox_open(), stale;
    uint8_t buf[256];

    CHECK(mb > 0 && early > 0);
    CHECK_EQ(gt_park_begin(mb, GT_PARK_RECV, GT_PARK_IN),
             -EINVAL); /* its receive claims its own side */
    CHECK_EQ(gt_park_begin(mb, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_arm(mb, GT_PARK_OUT), -EINVAL);
    CHECK_EQ(mb_try(mb, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(open_fds(), fds);                /* no poller yet */
    CHECK_EQ(gt_park_arm(mb, GT_PARK_IN), 0); /* opens it */
    armed_fds = open_fds();
    CHECK(armed_fds > fds);
    no_report_after(seen);
    CHECK_EQ(gt_mailbox_wake(mb), 0);
    CHECK_EQ(next_report(&seen), mb);
    CHECK_EQ(mb_try(mb, buf, sizeof(buf)), 0); /* woken */
    /* A wake between the try and the arm. */
    CHECK_EQ(mb_try(mb, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_mailbox_wake(mb), 0);
    CHECK_EQ(gt_park_arm(mb, GT_PARK_IN), 0);
    CHECK_EQ(next_report(&seen), mb);
    CHECK_EQ(mb_try(mb, buf, sizeof(buf)), 0);

    /* A packet of a socket it owns, {active, once}. */
    CHECK_EQ(gt_mailbox_adopt(mb, p.server), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_ACTIVE, GT_ACTIVE_ONCE), 0);
    CHECK_EQ(mb_try(mb, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(mb, GT_PARK_IN), 0);
    no_report_after(seen);
    send_str(p.client, "hello");
    CHECK_EQ(next_report(&seen), mb);
    CHECK_EQ(mb_try(mb, buf, sizeof(buf)), GT_MSG_HEADER + 8); /* "hello", padded to 8 */

    /* Closed while armed: reported, the retry answers closed; finalized at the end of the
     * wait, its poller leaves the parking poller and every descriptor it took is given back. */
    CHECK_EQ(gt_park_arm(mb, GT_PARK_IN), 0);
    no_report_after(seen);
    stale = mb;
    CHECK_EQ(gt_close(mb), 0); /* and its socket, the server */
    CHECK_EQ(next_report(&seen), stale);
    CHECK_EQ(mb_try(stale, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(gt_park_end(stale, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK(open_fds() < armed_fds - 1); /* the server's, and the poller's */
#ifndef GT_KQUEUE_EMULATED
    /* Exactly (the kqueue emulation keeps a closed kqueue's eventfd until its next kqueue()). */
    CHECK_EQ(open_fds(), fds - 1);
#endif
    fds = open_fds();

    /* A wake while it had no poller: only its flag was set, and the first arm reports it. */
    CHECK_EQ(mb_try(early, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_mailbox_wake(early), 0);
    CHECK_EQ(open_fds(), fds);
    CHECK_EQ(gt_park_begin(early, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_arm(early, GT_PARK_IN), 0);
    CHECK_EQ(next_report(&seen), early);
    CHECK_EQ(mb_try(early, buf, sizeof(buf)), 0);
    CHECK_EQ(gt_park_end(early, GT_PARK_WAIT, GT_PARK_IN), 0);
    CHECK_EQ(gt_close(early), 0);
#ifndef GT_KQUEUE_EMULATED
    CHECK_EQ(open_fds(), fds);
#endif
    gt_close(p.client);
    gt_close(p.listen);
}

/* ---------------------------------------------------------------- parked sends and closes */

#define CHUNK 16384

/* Byte I of the stream every sender below writes. */
static uint8_t pattern_at(uint64_t i)
{
    return (uint8_t)(i % 251);
}

/* A raw pair whose client's way to the server holds little (small kernel buffers), so that a
 * few packets bring its queue to the high mark while the server reads nothing. */
static struct pair tight_pair(int socket_backend)
{
    struct pair p = make_pair_backend(GT_PACKET_RAW, GT_PACKET_RAW, socket_backend);

    CHECK_EQ(gt_setopt(p.client, GT_OPT_SNDBUF, 4096), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_RECBUF, 4096), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 4 * CHUNK), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LOW_WATERMARK, CHUNK), 0);
    return p;
}

static void fill_pattern(uint8_t *b, uint64_t from, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        b[i] = pattern_at(from + i);
}

/* Parked sends of CHUNK bytes until one must wait (inet backend): the bytes sent, all of them
 * queued or in the kernel. */
static uint64_t send_until_parked(int64_t h)
{
    static uint8_t b[CHUNK];
    uint64_t sent = 0;
    int64_t r;
    int i;

    for (i = 0; i < 1000; i++) {
        fill_pattern(b, sent, CHUNK);
        r = gt_send_parked(h, (int64_t)(intptr_t)b, CHUNK, -1);
        sent += CHUNK;
        if (r == -GT_EWOULDPARK)
            return sent;
        CHECK_EQ(r, 0);
    }
    CHECK(0); /* never reached the high mark */
    return 0;
}

/* Read what the server has (waiting up to 100 ms), checking it against the pattern at *AT. */
static int64_t read_some(int64_t h, uint64_t *at)
{
    static uint8_t b[1 << 16];
    int64_t n = recv_into(h, 0, 100, b, sizeof(b)), i;

    if (n == -GT_ETIMEOUT)
        return 0;
    CHECK(n > 0);
    n &= GT_RECV_BYTES_MASK;
    for (i = 0; i < n; i++)
        CHECK_EQ(b[i], pattern_at(*at + (uint64_t)i));
    *at += (uint64_t)n;
    return n;
}

/* The server reads until it has UNTIL bytes; meanwhile the parked sender H is served as Java's
 * waker does: on each report it looks again (gt_send_resume) and, still waiting, arms again.
 * Returns the look's final answer. */
static int64_t drain_while_parked(int64_t server, uint64_t *at, uint64_t until, int64_t h,
                                  int *seen)
{
    int64_t r = -GT_EWOULDPARK;
    int i;

    for (i = 0; i < 10000 && (*at < until || r == -GT_EWOULDPARK); i++) {
        (void)read_some(server, at);
        if (r == -GT_EWOULDPARK && atomic_load(&nreported) > *seen) {
            CHECK_EQ(next_report(seen), h);
            r = gt_send_resume(h, GT_SEND_TRY);
            if (r == -GT_EWOULDPARK)
                CHECK_EQ(gt_park_arm(h, GT_PARK_OUT), 0);
        }
    }
    CHECK_EQ(*at, until);
    return r;
}

/* A send that reaches the high mark parks instead of sleeping: its packet queued, it waits
 * for the low mark, looking each time it is reported; the peer gets every byte in order. */
static void test_send_parked(void)
{
    struct pair p = tight_pair(0);
    int seen = atomic_load(&nreported);
    uint64_t sent, at = 0;

    CHECK_EQ(gt_send_parked(p.client, 0, 0, -1), 0); /* nothing queued: nothing to wait for */
    sent = send_until_parked(p.client);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_TRY), -GT_EWOULDPARK); /* the peer reads nothing */
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
    no_report_after(seen);
    CHECK_EQ(drain_while_parked(p.server, &at, sent, p.client, &seen), 0);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_TRY), -EINVAL); /* the wait is over */
    close_pair(&p);
}

/* A reader parked for IN and a sender parked for OUT on one socket are both served: whichever
 * arms last arms both directions, so neither arm drops the other's. */
static void test_both_directions(void)
{
    struct pair p = tight_pair(0);
    int seen = atomic_load(&nreported);
    uint64_t sent, at = 0;
    char buf[64];

    CHECK_EQ(gt_park_begin(p.client, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(recv_parked(p.client, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_IN), 0);
    sent = send_until_parked(p.client);              /* the sender's wait: OUT */
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0); /* the last arm: the sender's */
    no_report_after(seen);
    send_str(p.server, "x"); /* for the reader */
    CHECK_EQ(next_report(&seen), p.client);
    CHECK_EQ(recv_parked(p.client, buf, sizeof(buf)), 1);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_TRY), -GT_EWOULDPARK); /* woken for nothing */
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
    CHECK_EQ(recv_parked(p.client, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_IN), 0); /* the last arm: the reader's */
    no_report_after(seen);
    /* For the sender: the server reads, the client's kernel has room again. */
    CHECK_EQ(drain_while_parked(p.server, &at, sent, p.client, &seen), 0);
    CHECK_EQ(gt_park_end(p.client, GT_PARK_RECV, GT_PARK_IN), 0);
    close_pair(&p);
}

/* Giving up: at the time limit with send_timeout_close the connection is reset, as a sleeping
 * sender's; cancelled (an interrupted caller) the answer is timeout and nothing is dropped. */
static void test_send_give_up(void)
{
    struct pair p = tight_pair(0);
    uint64_t sent, at = 0;
    int i;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT_CLOSE, 1), 0);
    (void)send_until_parked(p.client);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_GIVE_UP), -GT_ETIMEOUT);
    CHECK_EQ(gt_send(p.client, (int64_t)(intptr_t) "x", 1), -ENOTCONN);
    close_pair(&p);

    p = tight_pair(0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT_CLOSE, 1), 0);
    sent = send_until_parked(p.client);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_CANCEL), -GT_ETIMEOUT);
    for (i = 0; i < 1000 && at < sent; i++) /* the I/O thread writes the rest */
        (void)read_some(p.server, &at);
    CHECK_EQ(at, sent);
    close_pair(&p);
}

/* {inet_backend, socket}: a packet the kernel does not take at once is written piece by piece,
 * its sending side claimed meanwhile (another sender is told EBUSY); given up, the caller has
 * the exact count of bytes not sent, and the peer gets exactly the others. */
static void test_send_parked_socket_backend(void)
{
    struct pair p = tight_pair(1);
    int seen = atomic_load(&nreported), i;
    size_t len = 1 << 18;
    uint8_t *b = malloc(len);
    uint64_t at = 0;
    int64_t r;

    CHECK(b != NULL);
    fill_pattern(b, 0, len);
    r = gt_send_parked(p.client, (int64_t)(intptr_t)b, (int64_t)len, -1);
    CHECK(r > 0 && r < (int64_t)len);
    CHECK_EQ(gt_send_parked(p.client, (int64_t)(intptr_t) "x", 1, -1), -EBUSY);
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
    for (i = 0; i < 100000 && r > 0; i++) {
        (void)read_some(p.server, &at);
        if (atomic_load(&nreported) > seen) {
            CHECK_EQ(next_report(&seen), p.client);
            r = gt_send_parked(p.client, (int64_t)(intptr_t)b, (int64_t)len, r);
            if (r > 0)
                CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
        }
    }
    CHECK_EQ(r, 0);
    for (i = 0; i < 1000 && at < len; i++)
        (void)read_some(p.server, &at);
    CHECK_EQ(at, len);

    /* Given up part way: the peer gets the bytes the kernel took, and no more. */
    fill_pattern(b, at, len);
    r = gt_send_parked(p.client, (int64_t)(intptr_t)b, (int64_t)len, -1);
    CHECK(r > 0);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_GIVE_UP), -GT_ETIMEOUT);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_GIVE_UP), -EINVAL); /* over */
    for (i = 0; i < 100 && at < 2 * len - (uint64_t)r; i++)
        (void)read_some(p.server, &at);
    CHECK_EQ(at, 2 * len - (uint64_t)r);
    CHECK_EQ(read_some(p.server, &at), 0); /* and no more */
    /* The sending side is free again. */
    fill_pattern(b, at, 1);
    CHECK_EQ(gt_send_parked(p.client, (int64_t)(intptr_t)b, 1, -1), 0);
    free(b);
    close_pair(&p);
}

/* A close that lingers parks too: it tells a parked sender at once (kicked: its fd does not
 * become ready while nobody reads), then writes the queue out as the peer reads, and ends
 * with the peer holding every byte, then the end of the stream. */
static void test_close_parked(void)
{
    struct pair p = tight_pair(0);
    int seen = atomic_load(&nreported), i;
    uint64_t sent, at = 0;
    int64_t left;

    sent = send_until_parked(p.client);
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
    no_report_after(seen);
    CHECK_EQ(gt_close_resume(p.client, 0), -EINVAL); /* no close lingers */
    left = gt_close_parked(p.client);
    CHECK(left > 0 && left <= 5000 * MS);
    CHECK_EQ(next_report(&seen), p.client);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_TRY), -GT_ECLOSED);
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0); /* the closer's */
    for (i = 0; i < 10000 && left > 0; i++) {
        (void)read_some(p.server, &at);
        if (atomic_load(&nreported) > seen) {
            CHECK_EQ(next_report(&seen), p.client);
            left = gt_close_resume(p.client, 0);
            if (left > 0)
                CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
        }
    }
    CHECK_EQ(left, 0);
    CHECK_EQ(gt_close_resume(p.client, 0), -EINVAL); /* finalized: the handle is stale */
    for (i = 0; i < 1000 && at < sent; i++)
        (void)read_some(p.server, &at);
    CHECK_EQ(at, sent);
    {
        char c;

        CHECK_EQ(recv_into(p.server, 0, 5000, &c, 1), -GT_ECLOSED);
    }
    gt_close(p.server);
    gt_close(p.listen);

    /* Given up (an interrupted closer): the rest is dropped and the peer sees a reset. */
    p = tight_pair(0);
    (void)send_until_parked(p.client);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_CANCEL), -GT_ETIMEOUT);
    CHECK(gt_close_parked(p.client) > 0);
    CHECK_EQ(gt_close_resume(p.client, 1), 0);
    for (i = 0; i < 1000; i++) {
        uint8_t b[CHUNK];
        int64_t n = recv_into(p.server, 0, 5000, b, sizeof(b));

        if (n < 0) {
            CHECK(n == -ECONNRESET || n == -GT_ECLOSED);
            break;
        }
    }
    gt_close(p.server);
    gt_close(p.listen);
}

/* CPU time (clock ticks) the thread named NAME has used, or -1 if there is none. */
static long thread_cpu_ticks(const char *name)
{
    char path[300], stat[1024], *after;
    long utime = -1, stime = -1;
    FILE *f;

    if (task_file(name, "stat", path, sizeof(path)) < 0)
        return -1;
    f = fopen(path, "r");
    if (f == NULL || fgets(stat, sizeof(stat), f) == NULL) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    after = strrchr(stat, ')');
    /* fields 3.. after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt
     * cmajflt utime stime */
    if (after == NULL || sscanf(after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld",
                                &utime, &stime) != 2)
        return -1;
    return utime + stime;
}

/*
 * A closed socket is never handed back to the I/O thread. A parked closer lingers (it is not counted in send_waiters, unlike a
 * sleeping closer), and a parked sender, told of the close, answers closed: as the last
 * waiter it hands the closed socket's queue back to the I/O thread (waiter_leaves ->
 * gt__io_watch), which cannot acquire a closed socket and so never unwatches it: a
 * level-triggered OUT registration that the I/O thread spins on whenever the fd is writable,
 * until the close ends.
 */
static void test_closed_socket_not_rewatched(void)
{
    struct pair p = tight_pair(0);
    int seen = atomic_load(&nreported), i;
    uint64_t at = 0;
    struct gt_sock *s;
    long before, after;
    int64_t left;

    (void)send_until_parked(p.client);
    CHECK_EQ(gt_park_arm(p.client, GT_PARK_OUT), 0);
    left = gt_close_parked(p.client);
    CHECK(left > 0);
    CHECK_EQ(next_report(&seen), p.client);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_TRY), -GT_ECLOSED);
    s = gt__held(p.client);
    CHECK(s != NULL);
    /* The closer has not looked again yet (its thread is busy elsewhere): let the peer read,
     * so that the client's fd becomes writable, and see what the I/O thread does meanwhile. */
    before = thread_cpu_ticks("gentcp-io");
    for (i = 0; i < 30; i++)
        (void)read_some(p.server, &at); /* ~100 ms each when nothing comes */
    after = thread_cpu_ticks("gentcp-io");
    fprintf(stderr,
            "test_closed_socket_not_rewatched: io_watched=%d; gentcp-io used %ld ticks (of %ld/s) "
            "while the closer did not look\n",
            s->io_watched, after - before, sysconf(_SC_CLK_TCK));
    CHECK_EQ(s->io_watched, 0);
#if GT_LINUX /* the other systems' branches leave threads unnamed: nothing to find there */
    CHECK(before >= 0 && after >= before); /* the I/O thread was found and measured */
#endif
    (void)gt_close_resume(p.client, 1);
    gt_close(p.server);
    gt_close(p.listen);
}

/*
 * A waker that must not block (gt_park_idle, gt_park_watch): run with no other waker, as a
 * virtual-thread sub-poller would. The parking poller armed while it is ready already (a socket
 * became ready between the empty non-blocking wait and the arm) is reported at once; armed
 * while idle, it is reported when a socket becomes ready, or for gt_park_wake; once per arm.
 */
static void test_idle_waker(void)
{
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    int64_t tokens[GT_PARK_BATCH], t0;
    char buf[64];

    CHECK_EQ(gt_park_watch(0), 0); /* nothing armed yet: opens the watch poller */
    CHECK_EQ(gt_park_begin(p.server, GT_PARK_RECV, GT_PARK_IN), 0);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0);

    /* Idle with nothing ready: no report. */
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, 0), 0);
    CHECK_EQ(gt_park_idle(), 0);
    CHECK_EQ(gt_park_watch(50 * MS), 0);

    /* Ready after the arm: reported, then the non-blocking wait hands the socket out. */
    send_str(p.client, "one");
    t0 = now_ns();
    CHECK_EQ(gt_park_watch(SLOW_NS), 1);
    CHECK(now_ns() - t0 < SLOW_NS);
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, 0), 1);
    CHECK_EQ(tokens[0], p.server);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), 3);

    /* Ready between the empty wait and the arm: the arm reports it at once. */
    CHECK_EQ(gt_park_arm(p.server, GT_PARK_IN), 0);
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, 0), 0);
    send_str(p.client, "two");
    CHECK_EQ(gt_park_idle(), 0);
    CHECK_EQ(gt_park_watch(SLOW_NS), 1);
    /* Once per arm: still ready, but not reported again until idle again. */
    CHECK_EQ(gt_park_watch(50 * MS), 0);
    CHECK_EQ(gt_park_idle(), 0);
    CHECK_EQ(gt_park_watch(SLOW_NS), 1);
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, 0), 1);
    CHECK_EQ(tokens[0], p.server);
    CHECK_EQ(recv_parked(p.server, buf, sizeof(buf)), 3);
    CHECK_EQ(gt_park_end(p.server, GT_PARK_RECV, GT_PARK_IN), 0);

    /* gt_park_wake ends an idle waker's sleep; its wait then finds nothing and sleeps again. */
    CHECK_EQ(gt_park_idle(), 0);
    CHECK_EQ(gt_park_watch(50 * MS), 0);
    CHECK_EQ(gt_park_wake(), 0);
    CHECK_EQ(gt_park_watch(SLOW_NS), 1);
    CHECK_EQ(gt_park_wait((int64_t)(intptr_t)tokens, GT_PARK_BATCH, 0), 0);
    CHECK_EQ(gt_park_idle(), 0);
    CHECK_EQ(gt_park_watch(50 * MS), 0);
    gt_close(p.client);
    gt_close(p.server);
    gt_close(p.listen);
}

int main(void)
{
    pthread_t t;

    watchdog_start(WATCHDOG_SECONDS);
    test_arguments();
    CHECK_EQ(pthread_create(&t, NULL, waker, NULL), 0);
    test_recv_claim();
    test_report_once();
    test_close_while_armed();
    test_close_listen();
    test_finalized_while_armed();
    test_connect();
    test_mailbox();
    test_send_parked();
    test_both_directions();
    test_send_give_up();
    test_send_parked_socket_backend();
    test_close_parked();
    test_closed_socket_not_rewatched();
    atomic_store(&stop_waker, 1);
    CHECK_EQ(gt_park_wake(), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    test_idle_waker(); /* the waker thread would take its reports */
    CHECK_DONE();
}
