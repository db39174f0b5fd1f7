/*
 * test_poller.c - the poller contract of poller.h, run against whichever backend is linked.
 *
 * Nothing here sleeps to win a race. A thread that must be blocked in a wait before another
 * acts is observed through /proc (its state turns to 'S'); everything else waits for the
 * event itself. A watchdog alarm bounds the whole program, so a wait that never returns is
 * a failure with a message, not a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "clock_watchdog.h"
#include "fds.h"
#include "poller.h"

#define MS 1000000LL
#define WATCHDOG_SECONDS 60
#define SLOW_NS (2000 * MS) /* upper bound of anything that should be prompt */

static void close_pair(int sv[2])
{
    close(sv[0]);
    close(sv[1]);
}

static void put(int fd, const char *s)
{
    CHECK_EQ(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static struct gt_poller *open_poller(void)
{
    struct gt_poller *p = NULL;

    CHECK_EQ(gt__poller_open(&p), 0);
    CHECK(p != NULL);
    return p;
}

/* A wait of P up to TIMEOUT ms (-1: none) reports exactly one event: TOKEN's, with EVENTS. */
static void expect_one(struct gt_poller *p, int timeout, uint64_t token, uint32_t events)
{
    struct gt_poll_event ev[4];

    CHECK_EQ(gt__poller_wait(p, ev, 4, timeout), 1);
    CHECK_EQ(ev[0].token, token);
    CHECK_EQ(ev[0].events, events);
}

/* The end of a test of one pair: SV[0] taken out of P, the pair and P closed. */
static void remove_and_close(struct gt_poller *p, int sv[2])
{
    CHECK_EQ(gt__poller_remove(p, sv[0]), 0);
    close_pair(sv);
    gt__poller_close(p);
}

/* The end of a test of N pairs: P closed first (which stands for removing each fd before closing
 * it), then the pairs. */
static void close_poller_and_pairs(struct gt_poller *p, int (*sv)[2], int n)
{
    int i;

    gt__poller_close(p);
    for (i = 0; i < n; i++)
        close_pair(sv[i]);
}

/* The index of TOKEN among N events, or -1. */
static int find(const struct gt_poll_event *ev, int n, uint64_t token)
{
    int i;

    for (i = 0; i < n; i++)
        if (ev[i].token == token)
            return i;
    return -1;
}

static void test_open_close(void)
{
    struct gt_poller *p = open_poller();

    gt__poller_close(p);
    gt__poller_close(NULL);
}

static void test_in_after_write(void)
{
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    char c;
    int sv[2];

    unix_pair(sv);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN, 7), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    put(sv[1], "x");
    expect_one(p, -1, 7, GT_POLL_IN);
    /* Level-triggered: still reported until the byte is read. */
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 1);
    CHECK_EQ(ev[0].events, GT_POLL_IN);
    CHECK_EQ(read(sv[0], &c, 1), 1);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    /* Both directions (a socket with a reader and a writer parked on it): armed together,
     * reported for the one that is ready (writable, nothing to read), then disarmed. */
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN | GT_POLL_OUT | GT_POLL_ONESHOT, 10), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
    CHECK_EQ(ev[0].token, 10);
    CHECK_EQ(ev[0].events & (GT_POLL_IN | GT_POLL_OUT), GT_POLL_OUT);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    remove_and_close(p, sv);
}

static void test_out(void)
{
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    char buf[4096];
    ssize_t r;
    int sv[2];

    unix_pair(sv);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_OUT, 9), 0);
    expect_one(p, 0, 9, GT_POLL_OUT);

    /* A full send buffer is not writable; draining the peer makes it so again. */
    memset(buf, 'a', sizeof(buf));
    CHECK_EQ(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
    while ((r = write(sv[0], buf, sizeof(buf))) > 0)
        ;
    CHECK(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    CHECK_EQ(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
    while ((r = read(sv[1], buf, sizeof(buf))) > 0)
        ;
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
    CHECK_EQ(ev[0].events, GT_POLL_OUT);
    remove_and_close(p, sv);
}

static void test_hup(void)
{
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    int a[2], b[2], i;

    /* The peer closes: HUP, and IN (reading gives the end of file). */
    unix_pair(a);
    CHECK_EQ(gt__poller_add(p, a[0], GT_POLL_IN, 1), 0);
    close(a[1]);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
    CHECK_EQ(ev[0].token, 1);
    CHECK(ev[0].events & GT_POLL_HUP);
    CHECK(ev[0].events & GT_POLL_IN);
    CHECK_EQ(gt__poller_remove(p, a[0]), 0);
    close(a[0]);

    /* The peer shuts its writing side only: a reader hears HUP, a writer that asked for OUT
     * alone keeps seeing plain OUT (it may still write). */
    unix_pair(a);
    unix_pair(b);
    CHECK_EQ(gt__poller_add(p, a[0], GT_POLL_IN, 2), 0);
    CHECK_EQ(gt__poller_add(p, b[0], GT_POLL_OUT, 3), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 1);
    CHECK_EQ(ev[0].token, 3);
    CHECK_EQ(shutdown(a[1], SHUT_WR), 0);
    CHECK_EQ(shutdown(b[1], SHUT_WR), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 2);
    i = find(ev, 2, 2);
    CHECK(i >= 0);
    CHECK_EQ(ev[i].events, GT_POLL_IN | GT_POLL_HUP);
    i = find(ev, 2, 3);
    CHECK(i >= 0);
    CHECK_EQ(ev[i].events, GT_POLL_OUT);
    CHECK_EQ(gt__poller_remove(p, a[0]), 0);
    CHECK_EQ(gt__poller_remove(p, b[0]), 0);
    close_pair(a);
    close_pair(b);
    gt__poller_close(p);
}

/* A refused non-blocking connect is an error on the fd. Loopback may refuse at once, in
 * connect(2) itself; then there is nothing for the poller to see and the check is skipped. */
static void test_err(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    int bound, fd, r, soerr;

    /* A bound port nobody listens on: a connect to it is refused, and nobody else can take
     * the port while we hold it. */
    bound = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(bound >= 0);
    CHECK_EQ(bind(bound, (struct sockaddr *)&sa, sizeof(sa)), 0);
    CHECK_EQ(getsockname(bound, (struct sockaddr *)&sa, &len), 0);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    CHECK(fd >= 0);
    r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    CHECK(r < 0);
    if (errno == EINPROGRESS) {
        CHECK_EQ(gt__poller_add(p, fd, GT_POLL_OUT, 5), 0);
        CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
        CHECK_EQ(ev[0].token, 5);
        CHECK(ev[0].events & GT_POLL_ERR);
        len = sizeof(soerr);
        CHECK_EQ(getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len), 0);
        CHECK_EQ(soerr, ECONNREFUSED);
        CHECK_EQ(gt__poller_remove(p, fd), 0);
    } else {
        CHECK_EQ(errno, ECONNREFUSED);
        fprintf(stderr, "test_err: connect refused synchronously, poller check skipped\n");
    }
    close(fd);
    close(bound);
    gt__poller_close(p);
}

static void test_tokens(void)
{
    static const uint64_t tokens[] = {0, 1, 0x8000000000000000ULL, GT_POLL_TOKEN_RESERVED - 1,
                                      0x0123456789abcdefULL};
    enum { N = sizeof(tokens) / sizeof(tokens[0]) };
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[N + 2];
    int sv[N][2], i, n;

    for (i = 0; i < N; i++) {
        unix_pair(sv[i]);
        CHECK_EQ(gt__poller_add(p, sv[i][0], GT_POLL_IN, tokens[i]), 0);
        put(sv[i][1], "t");
    }
    n = gt__poller_wait(p, ev, N + 2, -1);
    CHECK_EQ(n, N);
    for (i = 0; i < N; i++) {
        int j = find(ev, n, tokens[i]);

        CHECK(j >= 0);
        CHECK_EQ(ev[j].events, GT_POLL_IN);
    }
    close_poller_and_pairs(p, sv, N);
}

static void test_modify_remove(void)
{
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    int sv[2];

    unix_pair(sv);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN, 10), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    /* New events and new token take effect together. */
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_OUT, 11), 0);
    expect_one(p, 0, 11, GT_POLL_OUT);
    put(sv[1], "m");
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN | GT_POLL_OUT, 12), 0);
    expect_one(p, 0, 12, GT_POLL_IN | GT_POLL_OUT);
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN, 13), 0);
    expect_one(p, 0, 13, GT_POLL_IN);
    /* Removed: silent although readable and writable. */
    CHECK_EQ(gt__poller_remove(p, sv[0]), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);

    /* Errors. */
    CHECK_EQ(gt__poller_remove(p, sv[0]), -ENOENT);
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN, 1), -ENOENT);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN, 14), 0);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN, 14), -EEXIST);
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN | GT_POLL_HUP, 1), -EINVAL);
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN, GT_POLL_TOKEN_RESERVED), -EINVAL);
    CHECK_EQ(gt__poller_add(p, sv[1], GT_POLL_ERR, 1), -EINVAL);
    CHECK_EQ(gt__poller_add(p, sv[1], 0x100, 1), -EINVAL);
    CHECK_EQ(gt__poller_add(p, sv[1], GT_POLL_IN, GT_POLL_TOKEN_RESERVED), -EINVAL);
    CHECK_EQ(gt__poller_add(p, -1, GT_POLL_IN, 1), -EBADF);
    CHECK_EQ(gt__poller_wait(p, ev, 0, 0), -EINVAL);
    /* The failed calls changed nothing: token 14 still reports the buffered byte. */
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 1);
    CHECK_EQ(ev[0].token, 14);
    remove_and_close(p, sv);
}

/* Wait for TIMEOUT_NS with nothing ready: 0 events, not before the time, not much after. */
static void check_timeout(struct gt_poller *p, int64_t timeout_ns, int64_t at_least_ns)
{
    struct gt_poll_event ev[4];
    int64_t t0, dt;

    t0 = now_ns();
    CHECK_EQ(gt__poller_wait(p, ev, 4, timeout_ns), 0);
    dt = now_ns() - t0;
    if (dt < at_least_ns)
        fprintf(stderr, "wait(%lld ns) returned after %lld ns\n", (long long)timeout_ns,
                (long long)dt);
    CHECK(dt >= at_least_ns);
    CHECK(dt < SLOW_NS);
}

static void test_timeouts(void)
{
    struct gt_poller *p = open_poller();
    int sv[2];

    unix_pair(sv);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN, 1), 0); /* registered, never ready */
    check_timeout(p, 0, 0);
    check_timeout(p, 20 * MS, 20 * MS);
    /* Never shorter than asked, whatever the backend's clock: epoll rounds 1 ns up to 1 ms,
     * kqueue counts nanoseconds; a millisecond clock that truncated would end 1.5 ms at 1. */
    check_timeout(p, 1, 1);
    check_timeout(p, 1500000, 1500000);
    remove_and_close(p, sv);
}

static void test_wake_same_thread(void)
{
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    char c;
    int sv[2];

    /* A wake before the wait is not lost: an unbounded wait returns at once, empty. */
    CHECK_EQ(gt__poller_wake(p), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 0);
    /* ... and it was consumed: the next wait runs its full time. */
    check_timeout(p, 20 * MS, 20 * MS);

    /* Several wakes merge into one. */
    CHECK_EQ(gt__poller_wake(p), 0);
    CHECK_EQ(gt__poller_wake(p), 0);
    CHECK_EQ(gt__poller_wake(p), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 0);
    check_timeout(p, 20 * MS, 20 * MS);

    /* A wake alongside a ready fd: only the fd is reported, the wake is consumed too. */
    unix_pair(sv);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN, 42), 0);
    put(sv[1], "w");
    CHECK_EQ(gt__poller_wake(p), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
    CHECK_EQ(ev[0].token, 42);
    CHECK_EQ(read(sv[0], &c, 1), 1);
    check_timeout(p, 20 * MS, 20 * MS);
    CHECK_EQ(gt__poller_remove(p, sv[0]), 0);
    close_pair(sv);

    /* Safe in a signal handler: errno is left as it was. */
    errno = EDOM;
    CHECK_EQ(gt__poller_wake(p), 0);
    CHECK_EQ(errno, EDOM);
    gt__poller_close(p);
}

/* A thread blocked in an unbounded wait, and what ended it. */
struct waiter {
    struct gt_poller *p;
    atomic_int tid; /* 0 until the thread is about to wait */
    int result;
    int64_t waited_ns;
};

static void *waiter_main(void *arg)
{
    struct waiter *w = arg;
    struct gt_poll_event ev[4];
    int64_t t0;

    atomic_store(&w->tid, (int)syscall(SYS_gettid));
    t0 = now_ns();
    w->result = gt__poller_wait(w->p, ev, 4, -1);
    w->waited_ns = now_ns() - t0;
    return NULL;
}

/* Whether thread TID sleeps in the kernel ('S' in /proc/self/task/TID/stat). */
static int sleeping(int tid)
{
    char path[64], buf[512], *paren;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* "pid (comm) S ...": comm may hold spaces and parentheses, the last ')' ends it. */
    paren = strrchr(buf, ')');
    return paren != NULL && paren[1] == ' ' && paren[2] == 'S';
}

/* Start a waiter and return once it is blocked in the wait (or, without /proc, once it is
 * about to wait: then the test still passes, since a wake is never lost, but proves less). */
static void start_waiter(struct waiter *w, pthread_t *th)
{
    int64_t t0 = now_ns();
    int s = 0;

    atomic_store(&w->tid, 0);
    w->result = -1000;
    CHECK_EQ(pthread_create(th, NULL, waiter_main, w), 0);
    while (atomic_load(&w->tid) == 0 && now_ns() - t0 < SLOW_NS)
        sched_yield();
    CHECK(atomic_load(&w->tid) != 0);
    while ((s = sleeping(atomic_load(&w->tid))) == 0 && now_ns() - t0 < SLOW_NS)
        sched_yield();
    CHECK(s != 0);
    if (s < 0)
        fprintf(stderr, "no /proc: cannot see the waiter block; waking it anyway\n");
}

static void test_wake_other_thread(void)
{
    struct waiter w = {.p = open_poller()};
    pthread_t th;

    start_waiter(&w, &th);
    CHECK_EQ(gt__poller_wake(w.p), 0);
    CHECK_EQ(pthread_join(th, NULL), 0);
    CHECK_EQ(w.result, 0);
    CHECK(w.waited_ns < SLOW_NS);
    gt__poller_close(w.p);
}

static void on_usr1(int sig)
{
    (void)sig;
}

/* A signal ends the wait with 0, not an error. */
static void test_eintr(void)
{
    struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
    struct waiter w = {.p = open_poller()};
    pthread_t th;

    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    start_waiter(&w, &th);
    CHECK_EQ(pthread_kill(th, SIGUSR1), 0);
    CHECK_EQ(pthread_join(th, NULL), 0);
    CHECK_EQ(w.result, 0);
    gt__poller_close(w.p);
}

static void test_max_smaller_than_ready(void)
{
    enum { N = 5, MANY = 150 };
    struct gt_poller *p = open_poller();
    struct gt_poll_event *ev;
    static int sv[MANY][2];
    int i, j, n, bad = 0;

    for (i = 0; i < N; i++) {
        unix_pair(sv[i]);
        CHECK_EQ(gt__poller_add(p, sv[i][0], GT_POLL_IN, 100 + i), 0);
        put(sv[i][1], "r");
    }
    /* Exactly MAX entries on the heap: a write past them is caught by ASan. */
    ev = malloc(2 * sizeof(*ev));
    CHECK(ev != NULL);
    CHECK_EQ(gt__poller_wait(p, ev, 2, -1), 2);
    CHECK(ev[0].token != ev[1].token);
    for (i = 0; i < 2; i++)
        CHECK(ev[i].token >= 100 && ev[i].token < 100 + N);
    free(ev);
    ev = malloc(1 * sizeof(*ev));
    CHECK(ev != NULL);
    CHECK_EQ(gt__poller_wait(p, ev, 1, 0), 1);
    free(ev);
    /* Nothing was consumed by being reported: all N come back with room for them. */
    ev = malloc(MANY * sizeof(*ev));
    CHECK(ev != NULL);
    CHECK_EQ(gt__poller_wait(p, ev, MANY, 0), N);

    /* More ready fds than the backend may fetch at once: every wait returns a valid,
     * duplicate-free part of them. */
    for (i = N; i < MANY; i++) {
        unix_pair(sv[i]);
        CHECK_EQ(gt__poller_add(p, sv[i][0], GT_POLL_IN, 100 + i), 0);
        put(sv[i][1], "r");
    }
    n = gt__poller_wait(p, ev, MANY, 0);
    CHECK(n >= 1 && n <= MANY);
    for (i = 0; i < n; i++) {
        if (ev[i].token < 100 || ev[i].token >= 100 + MANY || ev[i].events != GT_POLL_IN)
            bad++;
        for (j = 0; j < i; j++)
            bad += ev[i].token == ev[j].token;
    }
    CHECK_EQ(bad, 0);
    free(ev);
    close_poller_and_pairs(p, sv, MANY);
}

/* GT_POLL_ONESHOT: one report per arm, re-armed by modify; an arm of an fd that is ready
 * already is reported; the registration stays until removed; either direction or both. */
static void test_oneshot(void)
{
    struct gt_poller *p = open_poller();
    struct gt_poll_event ev[4];
    char c;
    int sv[2];

    unix_pair(sv);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_ONESHOT, 5), -EINVAL);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN | GT_POLL_ONESHOT, 5), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    put(sv[1], "x");
    expect_one(p, -1, 5, GT_POLL_IN);
    /* Still readable, but disarmed: not reported again. */
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_IN | GT_POLL_ONESHOT, 5), -EEXIST);
    /* Re-armed while ready: reported at once, with the new token, and once. */
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN | GT_POLL_ONESHOT, 6), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 1);
    CHECK_EQ(ev[0].token, 6);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    /* Re-armed while not ready: reported when it becomes so, and a hang-up counts. */
    CHECK_EQ(read(sv[0], &c, 1), 1);
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN | GT_POLL_ONESHOT, 7), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    CHECK_EQ(shutdown(sv[1], SHUT_WR), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
    CHECK_EQ(ev[0].token, 7);
    CHECK(ev[0].events & GT_POLL_HUP);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    /* Removed after it fired (kqueue deleted the knote itself): no error, and gone. */
    CHECK_EQ(gt__poller_remove(p, sv[0]), 0);
    CHECK_EQ(gt__poller_modify(p, sv[0], GT_POLL_IN | GT_POLL_ONESHOT, 8), -ENOENT);
    /* The other direction. */
    CHECK_EQ(gt__poller_add(p, sv[0], GT_POLL_OUT | GT_POLL_ONESHOT, 9), 0);
    CHECK_EQ(gt__poller_wait(p, ev, 4, -1), 1);
    CHECK_EQ(ev[0].token, 9);
    CHECK(ev[0].events & GT_POLL_OUT);
    CHECK_EQ(gt__poller_wait(p, ev, 4, 0), 0);
    remove_and_close(p, sv);
}

int main(void)
{
    watchdog_start(WATCHDOG_SECONDS);

    test_open_close();
    test_in_after_write();
    test_out();
    test_hup();
    test_err();
    test_tokens();
    test_modify_remove();
    test_timeouts();
    test_wake_same_thread();
    test_wake_other_thread();
    test_eintr();
    test_max_smaller_than_ready();
    test_oneshot();
    CHECK_DONE();
}
