/*
 * test_send.c - the send queue over loopback: sends that return at once with the rest queued,
 * the watermarks and send_timeout, delay_send, postponed shutdown(write), close with linger,
 * write errors of queued data, and concurrent senders whose packets never interleave.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "gentcp.h"
#include "internal.h"
#include "loopback.h"
#include "platform.h"
#include "task.h"

/* A passive pair with PACKET on both, with small kernel buffers (so that little fills them)
 * if SMALL; BACKEND (GT_OPT_INET_BACKEND's value) for both, chosen before they connect as it
 * must be. */
static struct pair pair_of(int packet, int backend, int small)
{
    struct pair p;
    int64_t hs[2];
    int i;

    p.listen = gt_socket(AF_INET);
    p.client = gt_socket(AF_INET);
    CHECK(p.listen > 0 && p.client > 0);
    hs[0] = p.listen;
    hs[1] = p.client;
    for (i = 0; i < 2; i++) {
        CHECK_EQ(gt_setopt(hs[i], GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
        CHECK_EQ(gt_setopt(hs[i], GT_OPT_PACKET, packet), 0);
        if (small) {
            CHECK_EQ(gt_setopt(hs[i], GT_OPT_SNDBUF, 4096), 0);
            CHECK_EQ(gt_setopt(hs[i], GT_OPT_RECBUF, 4096), 0);
        }
        CHECK_EQ(gt_setopt(hs[i], GT_OPT_INET_BACKEND, backend), 0);
    }
    CHECK_EQ(gt_bind(p.listen, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(p.listen, 5), 0);
    CHECK_EQ(gt_connect(p.client, 0, LOOPBACK, local_port(p.listen), 5000), 0);
    p.server = gt_accept(p.listen, 5000);
    CHECK(p.server > 0);
    return p;
}

static struct pair small_pair_on(int packet, int backend)
{
    return pair_of(packet, backend, 1);
}

static struct pair small_pair(int packet)
{
    return small_pair_on(packet, 0);
}

/* The same with the kernel's default buffer sizes. */
static struct pair default_pair(int packet)
{
    return pair_of(packet, 0, 0);
}

static int64_t send_of(int64_t h, const uint8_t *b, size_t n)
{
    return gt_send(h, (int64_t)(intptr_t)b, (int64_t)n);
}

static int64_t pending(int64_t h)
{
    int64_t v[GT_STAT_COUNT];

    CHECK_EQ(gt_getstat(h, (int64_t)(intptr_t)v, sizeof(v)), 0);
    return v[GT_STAT_SEND_PEND];
}

/* getstat's value at INDEX (a GT_STAT_*) for H. */
static int64_t stat_of(int64_t h, int index)
{
    int64_t v[GT_STAT_COUNT];

    CHECK_EQ(gt_getstat(h, (int64_t)(intptr_t)v, sizeof(v)), 0);
    return v[index];
}

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i * 2654435761u >> 13);
}

/* Read raw bytes until EOF or N bytes; check they continue the pattern from *AT. */
static int64_t read_pattern(int64_t h, uint64_t *at, uint64_t n)
{
    static uint8_t buf[65536];
    uint64_t got = 0;
    int64_t r, i;

    while (got < n) {
        r = gt_recv(h, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf));
        if (r < 0)
            return r;
        for (i = 0; i < r; i++)
            CHECK_EQ(buf[i], pattern(*at + (uint64_t)i));
        *at += (uint64_t)r;
        got += (uint64_t)r;
    }
    return (int64_t)got;
}

static uint8_t *pattern_block(uint64_t from, size_t n)
{
    uint8_t *b = malloc(n);
    size_t i;

    CHECK(b != NULL);
    for (i = 0; i < n; i++)
        b[i] = pattern(from + i);
    return b;
}

/* The end of a staged queue state (send_lock held, S acquired): the I/O thread takes the queue,
 * the lock and the reference are let go, and the peer reads N more pattern bytes from AT;
 * nothing stays pending. */
static void io_thread_delivers(struct pair *p, struct gt_sock *s, uint64_t at, uint64_t n)
{
    CHECK_EQ(gt__io_watch(s), 0);
    pthread_mutex_unlock(&s->send_lock);
    gt__release(s);
    CHECK_EQ(read_pattern(p->server, &at, n), (int64_t)n);
    CHECK_EQ(pending(p->client), 0);
}

/* The peer H reads N pattern bytes from 0, then the end of the stream. */
static void peer_reads_pattern_to_the_end(int64_t h, uint64_t n)
{
    uint8_t buf[16];
    uint64_t at = 0;

    CHECK_EQ(read_pattern(h, &at, n), (int64_t)n);
    CHECK_EQ(gt_recv(h, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)), -GT_ECLOSED);
}

/* The peer H reads whatever arrived, then the reset (show_econnreset): no FIN came first. */
static void peer_reads_to_the_reset(int64_t h)
{
    uint8_t buf[4096];
    int64_t r;

    do {
        r = gt_recv(h, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf));
    } while (r > 0);
    CHECK_EQ(r, -ECONNRESET);
}

/* Wait (bounded: 10 s) until another thread is inside recv on H: it holds recv_busy. */
static void wait_until_inside_recv(int64_t h)
{
    uint8_t buf[16];
    int i;

    for (i = 0; i < 10000 && gt_recv(h, 0, 0, (int64_t)(intptr_t)buf, sizeof(buf)) != -EALREADY;
         i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    CHECK(i < 10000);
}

/* A send the kernel cannot take returns at once; the rest is queued (send_pend), then flushed
 * by the I/O thread while the peer reads, byte-exact. */
static void test_send_returns_with_the_rest_queued(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    size_t n = 1 << 20;
    uint8_t *b = pattern_block(0, n);
    uint64_t at = 0;
    int64_t t0;

    /* Onto an empty queue a send returns at once however much stays queued, even far past
     * the (default, 8 KiB) high mark; the next one finds the queue full and times out. */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 100), 0);
    t0 = gt__now_ns();
    CHECK_EQ(send_of(p.client, b, n), 0);
    CHECK(gt__now_ns() - t0 < 2000000000LL); /* returned, nobody read */
    {
        uint8_t *next = pattern_block(n, 1);

        CHECK_EQ(send_of(p.client, next, 1), -GT_ETIMEOUT); /* it stays queued */
        free(next);
    }
    CHECK(pending(p.client) > 0);
    CHECK(pending(p.client) <= (int64_t)n);
    CHECK_EQ(read_pattern(p.server, &at, n + 1), (int64_t)(n + 1)); /* the timed-out byte too */
    CHECK_EQ(pending(p.client), 0);
    free(b);
    close_pair(&p);
}

/* At the high mark a send waits for the low mark, at most send_timeout; the data stays
 * queued and reaches the peer; later sends time out too while the queue is full. */
static void test_watermark_and_send_timeout(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    size_t chunk = 16384;
    uint8_t *b;
    uint64_t sent = 0, at = 0;
    int64_t r = 0, t0, took;
    int i;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 65536), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LOW_WATERMARK, 32768), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 200), 0);
    for (i = 0; i < 100; i++) {
        b = pattern_block(sent, chunk);
        t0 = gt__now_ns();
        r = send_of(p.client, b, chunk);
        took = gt__now_ns() - t0;
        free(b);
        sent += chunk; /* a timed-out packet stays queued: it counts */
        if (r != 0)
            break;
    }
    CHECK_EQ(r, -GT_ETIMEOUT);
    CHECK(took >= 150000000LL && took < 5000000000LL);
    CHECK(pending(p.client) >= 65536);
    b = pattern_block(sent, chunk);
    CHECK_EQ(send_of(p.client, b, chunk), -GT_ETIMEOUT);
    sent += chunk;
    free(b);
    /* send_timeout 0: at once. */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 0), 0);
    b = pattern_block(sent, chunk);
    t0 = gt__now_ns();
    CHECK_EQ(send_of(p.client, b, chunk), -GT_ETIMEOUT);
    CHECK(gt__now_ns() - t0 < 100000000LL);
    sent += chunk;
    free(b);
    CHECK_EQ(gt_shutdown(p.client, SHUT_WR), 0); /* postponed: the queue is not empty */
    CHECK_EQ(read_pattern(p.server, &at, sent), (int64_t)sent);
    CHECK_EQ(read_pattern(p.server, &at, 1), -GT_ECLOSED); /* the FIN came after the data */
    close_pair(&p);
}

/* {linger, {true, 0}} with data queued: close returns at once and the peer sees a reset. */
static void test_linger_zero_discards_and_resets(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    size_t n = 1 << 20;
    uint8_t *b = pattern_block(0, n);
    int64_t t0;

    CHECK_EQ(gt_setopt(p.server, GT_OPT_SHOW_ECONNRESET, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 1 << 30), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LINGER, (int64_t)1 << 32), 0);
    CHECK_EQ(send_of(p.client, b, n), 0);
    CHECK(pending(p.client) > 0);
    t0 = gt__now_ns();
    CHECK_EQ(gt_close(p.client), 0);
    CHECK(gt__now_ns() - t0 < 1000000000LL);
    peer_reads_to_the_reset(p.server);
    free(b);
    close_pair(&p);
}

/* Default linger with data queued: close waits until the peer has it all. */
struct reader {
    int64_t h;
    uint64_t n;
    int64_t result;
};

static void *read_all(void *arg)
{
    struct reader *r = arg;
    uint64_t at = 0;

    r->result = read_pattern(r->h, &at, r->n);
    return NULL;
}

static void test_close_waits_for_the_queue(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    size_t n = 1 << 20;
    uint8_t *b = pattern_block(0, n);
    struct reader rd = {.h = p.server, .n = n};
    pthread_t t;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 1 << 30), 0);
    CHECK_EQ(send_of(p.client, b, n), 0);
    CHECK(pending(p.client) > 0);
    CHECK_EQ(pthread_create(&t, NULL, read_all, &rd), 0);
    CHECK_EQ(gt_close(p.client), 0); /* returns once the queue is in the kernel */
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(rd.result, (int64_t)n);
    free(b);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

/* A write error of queued data (the peer reset) is what the next send reports. */
static void test_error_of_queued_data_comes_with_the_next_send(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    size_t n = 1 << 20;
    uint8_t *b = pattern_block(0, n);
    int64_t r = 0;
    int i;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 1 << 30), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SHOW_ECONNRESET, 1), 0);
    CHECK_EQ(send_of(p.client, b, n), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_LINGER, (int64_t)1 << 32), 0);
    CHECK_EQ(gt_close(p.server), 0); /* unread data: a reset */
    /* Each send succeeds (queued) or reports the error; bounded: the I/O thread sees it. */
    for (i = 0; i < 200 && r == 0; i++) {
        r = send_of(p.client, b, 1);
        if (r == 0) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    CHECK_EQ(r, -ECONNRESET);
    CHECK_EQ(send_of(p.client, b, 1), -ENOTCONN);
    free(b);
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

/* delay_send: every packet is queued and written by the I/O thread, in order. */
static void test_delay_send(void)
{
    struct pair p = small_pair(GT_PACKET_4);
    uint8_t buf[64];
    int64_t r;
    int i;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_DELAY_SEND, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 1 << 20), 0); /* nobody reads yet */
    for (i = 0; i < 1000; i++) {
        memset(buf, i & 0xff, 1 + i % 50);
        CHECK_EQ(send_of(p.client, buf, 1 + (size_t)(i % 50)), 0);
    }
    for (i = 0; i < 1000; i++) {
        r = gt_recv(p.server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf));
        CHECK_EQ(r, 1 + i % 50);
        CHECK_EQ(buf[0], i & 0xff);
        CHECK_EQ(buf[r - 1], i & 0xff);
    }
    close_pair(&p);
}

/*
 * delay_send with OTP's watermarks: packets short of a batch wait in the queue, and leave with
 * no further call once their sender pauses (the I/O thread's ticks): for many sockets at once
 * (the delayed list grows), and in a second round for sockets reusing the slots of ones that
 * were closed while listed (their stale handles are dropped, the new sockets listed afresh).
 */
#define DELAYED 40

static void test_a_paused_delay_senders_packets_leave_by_themselves(void)
{
    struct pair p[DELAYED];
    uint8_t buf[64];
    int64_t r;
    int i, round;

    for (round = 0; round < 2; round++) {
        for (i = 0; i < DELAYED; i++) {
            p[i] = default_pair(GT_PACKET_4);
            CHECK_EQ(gt_setopt(p[i].client, GT_OPT_DELAY_SEND, 1), 0);
        }
        for (i = 0; i < DELAYED; i++) {
            memset(buf, i, sizeof(buf));
            CHECK_EQ(send_of(p[i].client, buf, 10 + (size_t)i), 0);
            CHECK_EQ(send_of(p[i].client, buf, 1), 0);
            if (round == 0 && i % 2 == 1)
                CHECK_EQ(gt_close(p[i].client), 0); /* listed still; its close writes it */
        }
        for (i = 0; i < DELAYED; i++) {
            r = gt_recv(p[i].server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf));
            CHECK_EQ(r, 10 + i);
            CHECK_EQ(buf[0], i);
            CHECK_EQ(gt_recv(p[i].server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)), 1);
            if (round == 0 && i % 2 == 1)
                CHECK_EQ(gt_recv(p[i].server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)),
                         -GT_ECLOSED);
            else
                CHECK_EQ(gt_close(p[i].client), 0);
            CHECK_EQ(gt_close(p[i].server), 0);
            CHECK_EQ(gt_close(p[i].listen), 0);
        }
    }
}

/* shutdown(write) writes a gathering delay_send queue itself, and shuts down at once, rather
 * than leave both to the I/O thread's next tick. */
static void test_shutdown_writes_a_gathering_delay_queue_at_once(void)
{
    struct pair p = default_pair(GT_PACKET_4);
    uint8_t buf[100];

    memset(buf, 7, sizeof(buf));
    CHECK_EQ(gt_setopt(p.client, GT_OPT_DELAY_SEND, 1), 0);
    CHECK_EQ(send_of(p.client, buf, sizeof(buf)), 0);
    CHECK_EQ(gt_shutdown(p.client, SHUT_WR), 0);
    CHECK_EQ(pending(p.client), 0);
    CHECK_EQ(gt_recv(p.server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)), 100);
    CHECK_EQ(gt_recv(p.server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)), -GT_ECLOSED);
    close_pair(&p);
}

#if GT_LINUX
/*
 * The I/O thread is started by whichever thread first queues something, and a new thread
 * inherits its creator's CPUs. Started from a thread pinned to one CPU, it still runs on every
 * CPU the process may use (a pinned busy poller's core stays its own). Must run before any
 * other test starts the thread. The thread names itself gentcp-io, which is how it is found.
 */
static void *queue_from_a_pinned_thread(void *arg)
{
    int *cpu = arg;
    struct pair p = default_pair(GT_PACKET_4);
    uint8_t buf[16] = {0};

    CHECK_EQ(gt_pin_thread(*cpu), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_DELAY_SEND, 1), 0);
    CHECK_EQ(send_of(p.client, buf, sizeof(buf)), 0); /* gathers: starts the I/O thread */
    CHECK_EQ(gt_recv(p.server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)), 16);
    close_pair(&p);
    return NULL;
}

/* The Cpus_allowed_list line of /proc/self/STATUS_PATH into OUT (cap CAP), or "" if none. */
static void cpus_allowed(const char *status_path, char *out, size_t cap)
{
    char line[512];
    FILE *f = fopen(status_path, "r");

    out[0] = 0;
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "Cpus_allowed_list:", 18) == 0)
            snprintf(out, cap, "%s", line);
    fclose(f);
}

/* Whether a thread named gentcp-io exists and runs on the CPUs the line PROCESS gives. */
static int io_thread_runs_on(const char *process)
{
    char path[300], cpus[512];

    if (task_file("gentcp-io", "status", path, sizeof(path)) < 0)
        return 0;
    cpus_allowed(path, cpus, sizeof(cpus));
    return strcmp(cpus, process) == 0;
}

static void test_the_io_thread_runs_on_the_process_cpus_not_its_starters(void)
{
    char process[512];
    cpu_set_t set;
    pthread_t t;
    int cpu, i;

    CHECK_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
    if (CPU_COUNT(&set) < 2) {
        printf("the I/O thread's CPUs: skipped, the process may use one CPU only\n");
        return;
    }
    for (cpu = 0; !CPU_ISSET(cpu, &set); cpu++)
        ;
    cpus_allowed("/proc/self/status", process, sizeof(process));
    CHECK(process[0] != 0);
    CHECK_EQ(pthread_create(&t, NULL, queue_from_a_pinned_thread, &cpu), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    /* The thread sets its name and CPUs as it starts: look until it has (10 s at most). */
    for (i = 0; i < 10000 && !io_thread_runs_on(process); i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    CHECK(i < 10000);
}
#endif

/* Concurrent senders on one socket, through a full queue: packets arrive whole and in each
 * sender's order. */
#define SENDERS 3
#define PACKETS 3000

struct sender {
    int64_t h;
    int id;
};

static void *send_packets(void *arg)
{
    struct sender *sd = arg;
    uint8_t buf[3000];
    size_t len;
    int i;

    for (i = 0; i < PACKETS; i++) {
        len = 8 + (size_t)((i * 7919 + sd->id * 31) % 2900);
        memset(buf, sd->id, len);
        memcpy(buf, &i, sizeof(i));
        CHECK_EQ(send_of(sd->h, buf, len), 0);
    }
    return NULL;
}

/* SENDERS threads send PACKETS each on P's client while this one reads and checks them. */
static void senders_against_a_reader(struct pair *p)
{
    struct sender sd[SENDERS];
    pthread_t t[SENDERS];
    int next[SENDERS] = {0};
    uint8_t buf[4096];
    int64_t r, j;
    int i, seq, id;

    for (i = 0; i < SENDERS; i++) {
        sd[i].h = p->client;
        sd[i].id = i + 1;
        CHECK_EQ(pthread_create(&t[i], NULL, send_packets, &sd[i]), 0);
    }
    for (i = 0; i < SENDERS * PACKETS; i++) {
        r = gt_recv(p->server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf));
        CHECK(r >= 8);
        id = buf[r - 1];
        CHECK(id >= 1 && id <= SENDERS);
        memcpy(&seq, buf, sizeof(seq));
        CHECK_EQ(seq, next[id - 1]);
        next[id - 1]++;
        CHECK_EQ(r, 8 + (seq * 7919 + id * 31) % 2900);
        for (j = 4; j < r; j++)
            if (buf[j] != id)
                CHECK_EQ(buf[j], id);
    }
    for (i = 0; i < SENDERS; i++)
        CHECK_EQ(pthread_join(t[i], NULL), 0);
    CHECK_EQ(pending(p->client), 0);
}

static void test_concurrent_senders_never_interleave(void)
{
    struct pair p = small_pair(GT_PACKET_4);

    senders_against_a_reader(&p);
    close_pair(&p);
}

/* The same with delay_send and a high mark far away, with small kernel buffers and with the
 * default ones: the I/O thread writes outside the lock while the senders append, the queue
 * moving to a new buffer under its write; every packet arrives whole and in order (and,
 * under ASan, no buffer is used after it was freed). */
static void test_delay_send_senders_append_while_the_io_thread_writes(void)
{
    struct pair p = small_pair(GT_PACKET_4);
    struct pair q = default_pair(GT_PACKET_4);

    CHECK_EQ(gt_setopt(p.client, GT_OPT_DELAY_SEND, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 1 << 22), 0);
    senders_against_a_reader(&p);
    close_pair(&p);
    CHECK_EQ(gt_setopt(q.client, GT_OPT_DELAY_SEND, 1), 0);
    senders_against_a_reader(&q);
    close_pair(&q);
}

/*
 * The rules of a write outside the lock, on the queue itself: while io_writing, flush writes
 * nothing; an append that needs room moves the queue to a new buffer even when compacting in
 * place would do, and retires the buffer being written, leaving its bytes where they were;
 * a second move frees the intermediate buffer (ASan would see a leak or a double free).
 */
static void test_an_append_never_moves_bytes_being_written(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    struct gt_sock *s = gt__acquire(p.client);
    uint8_t *a = pattern_block(0, 3000), *b = pattern_block(3000, 2000),
            *c = pattern_block(5000, 8000);
    struct iovec v;
    uint8_t *old;

    CHECK(s != NULL);
    pthread_mutex_lock(&s->send_lock);
    v.iov_base = a;
    v.iov_len = 3000;
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    CHECK_EQ(s->qcap, 4096);
    s->qstart = 1000; /* as if the first 1000 bytes were written */
    old = s->qbuf;
    s->io_writing = 1; /* the I/O thread writes [1000, 3000) from OLD */
    CHECK_EQ(gt__sendq_flush(s, SIZE_MAX), 1);
    CHECK_EQ(gt__sendq_len(s), 2000);
    v.iov_base = b;
    v.iov_len = 2000; /* 4000 live bytes fit in 4096: without io_writing, a memmove in place */
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    CHECK(s->qbuf != old);
    CHECK(s->qretired == old);
    CHECK_EQ(memcmp(old + 1000, a + 1000, 2000), 0);
    CHECK_EQ(s->qstart, 0);
    CHECK_EQ(gt__sendq_len(s), 4000);
    v.iov_base = c;
    v.iov_len = 8000; /* grows: the intermediate buffer is freed, OLD stays retired */
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    CHECK(s->qretired == old);
    CHECK_EQ(memcmp(old + 1000, a + 1000, 2000), 0);
    CHECK_EQ(gt__sendq_len(s), 12000);
    /* The writer's end, as gt__sendq_write_out does it; then the real thing writes the rest. */
    s->io_writing = 0;
    free(s->qretired);
    s->qretired = NULL;
    CHECK_EQ(gt__sendq_write_out(s, SIZE_MAX), 1); /* a 4096-byte send buffer: not all */
    io_thread_delivers(&p, s, 1000, 12000);        /* the I/O thread does the rest */
    free(a);
    free(b);
    free(c);
    close_pair(&p);
}

/* {inet_backend, socket}: no queue; a timed-out send answers how many bytes were not sent,
 * and exactly the others reach the peer. */
static void test_socket_backend_send(void)
{
    struct pair p = small_pair_on(GT_PACKET_RAW, 1);
    size_t n = 4 << 20;
    uint8_t *b = pattern_block(0, n);
    uint64_t at = 0;
    int64_t r;

    CHECK_EQ(gt_getopt(p.client, GT_OPT_INET_BACKEND), 1);
    CHECK_EQ(gt_getopt(p.server, GT_OPT_INET_BACKEND), 1);          /* inherited on accept */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_INET_BACKEND, 0), -EINVAL); /* only when made */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 100), 0);
    r = send_of(p.client, b, n);
    CHECK(r > 0 && r < (int64_t)n);
    CHECK_EQ(pending(p.client), 0);
    CHECK_EQ(gt_shutdown(p.client, SHUT_WR), 0); /* at once: nothing is queued */
    CHECK_EQ(read_pattern(p.server, &at, n - (uint64_t)r), (int64_t)(n - (uint64_t)r));
    CHECK_EQ(read_pattern(p.server, &at, 1), -GT_ECLOSED);
    free(b);
    close_pair(&p);
}

/* {timeout, RestData}'s header bytes are C's: gt_send_rest_header gives the unsent tail of the
 * length header the socket's packet type put on the wire; a packet whose header never left
 * (the kernel full) has all of it unsent. */
static void test_the_rest_of_a_timed_out_header_comes_from_c(void)
{
    struct pair p = small_pair_on(GT_PACKET_2, 1);
    uint8_t *b = pattern_block(0, 60000);
    uint8_t rest[4] = {0};
    int64_t r;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 100), 0);
    do /* until the kernel is full */
        r = send_of(p.client, b, 60000);
    while (r == 0);
    CHECK(r > 0);
    r = send_of(p.client, b, 100);
    CHECK_EQ(r, 102); /* nothing of it left: header and body unsent */
    CHECK_EQ(gt_send_rest_header(p.client, 100, r, (int64_t)(intptr_t)rest, sizeof(rest)), 2);
    CHECK_EQ(rest[0], 0);
    CHECK_EQ(rest[1], 100);
    /* one header byte unsent: the last; none when only body bytes are */
    CHECK_EQ(gt_send_rest_header(p.client, 0x1234, 0x1235, (int64_t)(intptr_t)rest, 4), 1);
    CHECK_EQ(rest[0], 0x34);
    CHECK_EQ(gt_send_rest_header(p.client, 100, 100, 0, 0), 0);
    /* more than the header has, or than DST holds */
    CHECK_EQ(gt_send_rest_header(p.client, 100, 103, (int64_t)(intptr_t)rest, 4), -EINVAL);
    CHECK_EQ(gt_send_rest_header(p.client, 100, 102, (int64_t)(intptr_t)rest, 1), -EINVAL);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_PACKET, GT_PACKET_4), 0);
    CHECK_EQ(gt_send_rest_header(p.client, 0x01020304, 0x01020307, (int64_t)(intptr_t)rest, 4), 3);
    CHECK_EQ(rest[0], 0x02);
    CHECK_EQ(rest[1], 0x03);
    CHECK_EQ(rest[2], 0x04);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(gt_send_rest_header(p.client, 100, 101, (int64_t)(intptr_t)rest, 4), -EINVAL);
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(gt_send_rest_header(p.client, 100, 101, (int64_t)(intptr_t)rest, 4), -GT_ECLOSED);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
    free(b);
}

/* {linger, {true, 0}} while another thread sleeps in recv: it wakes with closed, and the peer
 * sees only a reset (no FIN first). */
/* A recv on H with no time limit, again while wait_until_inside_recv's probe holds the socket
 * for an instant (ealready): the reader those tests wait for. */
static int64_t recv_past_the_probe(int64_t h)
{
    uint8_t buf[64];
    int64_t r;
    int tries = 0;

    do
        r = gt_recv(h, 0, -1, (int64_t)(intptr_t)buf, sizeof(buf));
    while (r == -EALREADY && tries++ < 1000000);
    return r;
}

static void *blocked_recv(void *arg)
{
    struct reader *r = arg;

    r->result = recv_past_the_probe(r->h);
    return NULL;
}

static void test_linger_zero_close_wakes_and_resets(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    struct reader rd = {.h = p.client};
    uint8_t buf[64];
    pthread_t t;

    CHECK_EQ(gt_setopt(p.server, GT_OPT_SHOW_ECONNRESET, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LINGER, (int64_t)1 << 32), 0);
    CHECK_EQ(pthread_create(&t, NULL, blocked_recv, &rd), 0);
    wait_until_inside_recv(p.client);
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(rd.result, -GT_ECLOSED);
    CHECK_EQ(gt_recv(p.server, 0, 10000, (int64_t)(intptr_t)buf, sizeof(buf)), -ECONNRESET);
    close_pair(&p);
}

/* A sender waiting at the high mark and a reader asleep in recv while another thread closes
 * ({linger, {true, 5}}, a peer that does not read): both get closed at once, the sender never
 * ok; the linger wait is the closer's alone, which gives up after 5 s. */
struct blocked_sender {
    int64_t h;
    int64_t result;
    int64_t returned_ns;
};

static void *send_one_big(void *arg)
{
    struct blocked_sender *b = arg;
    static uint8_t big[1 << 20];

    /* The first goes onto an empty queue and returns at once (OTP's rule); the second finds
     * it queued and waits at the high mark. */
    b->result = send_of(b->h, big, sizeof(big));
    if (b->result == 0)
        b->result = send_of(b->h, big, sizeof(big));
    b->returned_ns = gt__now_ns();
    return NULL;
}

struct timed_reader {
    int64_t h;
    int64_t result;
    int64_t returned_ns;
};

static void *recv_until_it_fails(void *arg)
{
    struct timed_reader *r = arg;

    r->result = recv_past_the_probe(r->h);
    r->returned_ns = gt__now_ns();
    return NULL;
}

static void test_close_wakes_a_waiting_sender_and_reader_at_once(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    struct blocked_sender b = {.h = p.client};
    struct timed_reader rd = {.h = p.client};
    pthread_t t, tr;
    int64_t t0, took;
    int i;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_LINGER, ((int64_t)1 << 32) | 5), 0);
    CHECK_EQ(pthread_create(&t, NULL, send_one_big, &b), 0);
    for (i = 0; i < 10000 && pending(p.client) < (1 << 20); i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    CHECK(i < 10000); /* the second packet is queued: its sender waits for the low mark */
    CHECK_EQ(pthread_create(&tr, NULL, recv_until_it_fails, &rd), 0);
    wait_until_inside_recv(p.client);
    t0 = gt__now_ns();
    CHECK_EQ(gt_close(p.client), 0);
    took = gt__now_ns() - t0;
    CHECK(took >= 4500000000LL && took < 15000000000LL);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(b.result, -GT_ECLOSED);
    CHECK(b.returned_ns - t0 < 2000000000LL); /* well before the linger's 5 s */
    CHECK_EQ(pthread_join(tr, NULL), 0);
    CHECK_EQ(rd.result, -GT_ECLOSED);
    CHECK(rd.returned_ns - t0 < 2000000000LL);
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

/* While the I/O thread writes outside the lock, a send below the high mark still returns at
 * once, delayed or not: it appends behind the bytes being written and never waits for that
 * write. (The write is staged: io_writing set on a queue of 100 bytes, as the I/O thread
 * leaves it during its send(2).) Then every byte arrives, in order. */
struct staged_sends {
    int64_t h;
    const uint8_t *y, *z;
    int64_t ry, rz;
    atomic_int done;
};

static void *send_behind_a_write(void *arg)
{
    struct staged_sends *st = arg;

    st->ry = send_of(st->h, st->y, 3000); /* delay_send: queued */
    CHECK_EQ(gt_setopt(st->h, GT_OPT_DELAY_SEND, 0), 0);
    st->rz = send_of(st->h, st->z, 5000); /* not delayed: its flush finds the write going on */
    atomic_store(&st->done, 1);
    return NULL;
}

static void test_a_send_below_the_high_mark_never_waits_for_the_io_threads_write(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    struct gt_sock *s = gt__acquire(p.client);
    uint8_t *x = pattern_block(0, 100);
    uint8_t *y = pattern_block(100, 3000), *z = pattern_block(3100, 5000);
    struct staged_sends st = {.h = p.client, .y = y, .z = z, .ry = 1, .rz = 1, .done = 0};
    struct iovec v = {.iov_base = x, .iov_len = 100};
    pthread_t t;
    int i;

    CHECK(s != NULL);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_DELAY_SEND, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 1 << 20), 0);
    pthread_mutex_lock(&s->send_lock);
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    s->io_writing = 1;
    pthread_mutex_unlock(&s->send_lock);
    CHECK_EQ(pthread_create(&t, NULL, send_behind_a_write, &st), 0);
    /* Bounded (10 s, against a hang only: the sends take microseconds), with the write
     * still going on. */
    for (i = 0; i < 10000 && !atomic_load(&st.done); i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    CHECK(atomic_load(&st.done));
    CHECK_EQ(st.ry, 0);
    CHECK_EQ(st.rz, 0);
    pthread_mutex_lock(&s->send_lock);
    CHECK_EQ(gt__sendq_len(s), 8100);
    CHECK_EQ(memcmp(s->qretired != NULL ? s->qretired : s->qbuf, x, 100), 0); /* untouched */
    s->io_writing = 0; /* the staged write ends having written nothing */
    free(s->qretired);
    s->qretired = NULL;
    io_thread_delivers(&p, s, 0, 8100);
    CHECK_EQ(pthread_join(t, NULL), 0);
    free(x);
    free(y);
    free(z);
    close_pair(&p);
}

/*
 * While a sender waits for its low mark, other senders leave the queue to it: they append and
 * return (below the high mark) without writing, so that the queue cannot drain under the
 * waiter unseen. (The waiter is staged: send_waiters raised on a queue of 100 bytes, as a
 * waiter leaves it while it sleeps in poll.) Once the waiter is gone the I/O thread writes it
 * all, in order.
 */
static void test_a_sender_leaves_the_queue_to_a_waiting_one(void)
{
    struct pair p = default_pair(GT_PACKET_RAW);
    struct gt_sock *s = gt__acquire(p.client);
    uint8_t *x = pattern_block(0, 100), *y = pattern_block(100, 3000);
    struct iovec v = {.iov_base = x, .iov_len = 100};

    CHECK(s != NULL);
    pthread_mutex_lock(&s->send_lock);
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    s->send_waiters = 1;
    pthread_mutex_unlock(&s->send_lock);
    CHECK_EQ(send_of(p.client, y, 3000),
             0); /* the kernel has room, but the queue is the waiter's */
    pthread_mutex_lock(&s->send_lock);
    CHECK_EQ(gt__sendq_len(s), 3100);
    CHECK_EQ(s->io_watched, 0);
    s->send_waiters = 0; /* the waiter leaves, handing what is left to the I/O thread */
    io_thread_delivers(&p, s, 0, 3100);
    free(x);
    free(y);
    close_pair(&p);
}

/*
 * send_timeout_close: the timed-out send resets the connection; later sends are enotconn; the
 * peer gets what arrived, then the reset, never a FIN that would make the cut stream look whole.
 * With READER_SLEEPS, another thread sleeps in recv meanwhile (some kernels refuse to disconnect
 * a socket then): it wakes.
 */
static void send_timeout_close_resets(int reader_sleeps)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    struct reader rd = {.h = p.client};
    size_t chunk = 65536;
    uint8_t *b = pattern_block(0, chunk);
    pthread_t t;
    int64_t r = 0;
    int i;

    CHECK_EQ(gt_setopt(p.server, GT_OPT_SHOW_ECONNRESET, 1), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 100), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT_CLOSE, 1), 0);
    if (reader_sleeps) {
        CHECK_EQ(pthread_create(&t, NULL, blocked_recv, &rd), 0);
        wait_until_inside_recv(p.client);
    }
    for (i = 0; i < 100 && r == 0; i++)
        r = send_of(p.client, b, chunk);
    CHECK_EQ(r, -GT_ETIMEOUT);
    CHECK_EQ(send_of(p.client, b, chunk), -ENOTCONN);
    if (reader_sleeps) {
        CHECK_EQ(pthread_join(t, NULL), 0);
        CHECK(rd.result < 0);
    }
    peer_reads_to_the_reset(p.server);
    free(b);
    close_pair(&p);
}

static void test_send_timeout_close(void)
{
    send_timeout_close_resets(0);
}

static void test_send_timeout_close_resets_under_a_sleeping_reader(void)
{
    send_timeout_close_resets(1);
}

/*
 * {linger, {true, T}}: the kernel's wait in close(2) is the closer's alone. When another thread
 * is the last one out of a closed socket (here this one, holding a reference as the I/O thread
 * does while it serves an event), the closer has returned already, and the close(2) that thread
 * makes must not stall it for T s while the kernel holds data the peer does not read. (The
 * socket backend keeps no queue: the kernel is filled up to a send_timeout.)
 */
static void test_only_the_closer_waits_out_the_linger(void)
{
    struct pair p = small_pair_on(GT_PACKET_RAW, 1);
    uint8_t *block = pattern_block(0, 1 << 20);
    struct gt_sock *s;
    int64_t t0;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 100), 0);
    CHECK(send_of(p.client, block, 1 << 20) > 0); /* {timeout, Rest}: the kernel is full */
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LINGER, ((int64_t)1 << 32) | 30), 0);
    s = gt__acquire(p.client);
    CHECK(s != NULL);
    t0 = gt__now_ns();
    CHECK_EQ(gt_close(p.client), 0);
    gt__release(s);                           /* the last one out: closes the descriptor */
    CHECK(gt__now_ns() - t0 < 10000000000LL); /* not the 30 s of the linger */
    CHECK_EQ(gt_close(p.server), 0);
    CHECK_EQ(gt_close(p.listen), 0);
    free(block);
}

/* A delay_send queue whose sender keeps adding to it, never filling a batch, is written after
 * GT_DELAY_SEND_MAX_LOOKS looks of the I/O thread all the same. (The looks are staged: this
 * thread holds send_lock, so the real thread's looks meanwhile only list the socket again.) */
static void test_a_queue_its_sender_keeps_adding_to_still_leaves(void)
{
    struct pair p = default_pair(GT_PACKET_RAW);
    struct gt_sock *s = gt__acquire(p.client);
    uint8_t *x = pattern_block(0, 100);
    struct iovec v = {.iov_base = x, .iov_len = 100};
    int look;

    CHECK(s != NULL);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_DELAY_SEND, 1), 0);
    pthread_mutex_lock(&s->send_lock);
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    for (look = 1; look <= GT_DELAY_SEND_MAX_LOOKS; look++) {
        s->delay_active = 1; /* a send added to the queue since the previous look */
        gt__io_delay_look(s);
        CHECK_EQ(gt__sendq_len(s), look < GT_DELAY_SEND_MAX_LOOKS ? 100 : 0);
    }
    pthread_mutex_unlock(&s->send_lock);
    gt__release(s);
    CHECK_EQ(gt_shutdown(p.client, SHUT_WR), 0);
    peer_reads_pattern_to_the_end(p.server, 100);
    free(x);
    close_pair(&p);
}

/* getstat counts the waits for the low mark: a send onto an empty queue never waits; the next
 * one, at the high mark, waits until send_timeout, counted with the bytes queued and the time
 * (at least send_timeout); a parked sender's wait counts once a look ends it (cancelled here),
 * and one that drains while the peer reads, too. The counts are the socket's own. */
static void test_getstat_counts_the_waits_for_the_low_mark(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    size_t n = 1 << 20;
    uint8_t *b = pattern_block(0, n), *next = pattern_block(n, 3);
    uint64_t at = 0, left;
    int64_t ns, r, v[GT_STAT_COUNT];
    int i;

    /* A caller built before these counters asks for OTP's ten values: it gets them, and no
     * more is written; fewer is einval. */
    for (i = 0; i < GT_STAT_COUNT; i++)
        v[i] = -7;
    CHECK_EQ(gt_getstat(p.client, (int64_t)(intptr_t)v, GT_STAT_SEND_WAITS * 8), 0);
    CHECK_EQ(v[GT_STAT_SEND_PEND], 0);
    CHECK_EQ(v[GT_STAT_SEND_WAITS], -7);
    CHECK_EQ(gt_getstat(p.client, (int64_t)(intptr_t)v, GT_STAT_SEND_WAITS * 8 - 1), -EINVAL);

    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 4096), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LOW_WATERMARK, 1024), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 50), 0);
    CHECK_EQ(send_of(p.client, b, n), 0);
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAITS), 0);
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAIT_NS), 0);
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAIT_QUEUED), 0);
    CHECK_EQ(send_of(p.client, next, 1), -GT_ETIMEOUT); /* it stays queued */
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAITS), 1);
    ns = stat_of(p.client, GT_STAT_SEND_WAIT_NS);
    CHECK(ns >= 50000000LL);
    CHECK(stat_of(p.client, GT_STAT_SEND_WAIT_QUEUED) >= 4096);
    CHECK(stat_of(p.client, GT_STAT_SEND_WAIT_QUEUED) <= (int64_t)n + 1);
    /* Parked: counted as it begins, its time once a look ends it. */
    CHECK_EQ(gt_send_parked(p.client, (int64_t)(intptr_t)(next + 1), 1, -1), -GT_EWOULDPARK);
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAITS), 2);
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAIT_NS), ns);
    CHECK_EQ(gt_send_resume(p.client, GT_SEND_CANCEL), -GT_ETIMEOUT);
    CHECK(stat_of(p.client, GT_STAT_SEND_WAIT_NS) > ns);
    ns = stat_of(p.client, GT_STAT_SEND_WAIT_NS);
    /* Parked again while the peer reads: the waiter writes the queue at its looks (the I/O
     * thread leaves it to waiters), until one finds the low mark. */
    CHECK_EQ(gt_send_parked(p.client, (int64_t)(intptr_t)(next + 2), 1, -1), -GT_EWOULDPARK);
    r = -GT_EWOULDPARK;
    for (i = 0; i < 100000 && r == -GT_EWOULDPARK; i++) {
        CHECK(read_pattern(p.server, &at, 1) >= 1); /* what the kernel holds */
        r = gt_send_resume(p.client, GT_SEND_TRY);
    }
    CHECK_EQ(r, 0);
    left = n + 3 - at;
    CHECK_EQ(read_pattern(p.server, &at, left), (int64_t)left);
    CHECK_EQ(stat_of(p.client, GT_STAT_SEND_WAITS), 3);
    CHECK(stat_of(p.client, GT_STAT_SEND_WAIT_NS) > ns);
    CHECK_EQ(stat_of(p.server, GT_STAT_SEND_WAITS), 0);
    free(b);
    free(next);
    close_pair(&p);
}

#if GT_LINUX
/* A sender that waited at the high mark leaves no descriptor behind (the wake fd a close
 * would signal it through): 10k back-pressured sockets must not cost 10k more. First a send
 * that times out (it surely waited), then one the peer's reading lets through. */
static void test_a_sender_that_waited_leaves_no_descriptor_behind(void)
{
    struct pair p = small_pair(GT_PACKET_RAW);
    const size_t chunk = 16384;
    struct reader rd = {.h = p.server};
    uint64_t sent = 0;
    int64_t r = 0;
    uint8_t *b;
    pthread_t t;
    int before, i;

    CHECK_EQ(gt_setopt(p.client, GT_OPT_HIGH_WATERMARK, 65536), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_LOW_WATERMARK, 32768), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 100), 0);
    before = open_fds();
    for (i = 0; i < 100 && r == 0; i++) {
        b = pattern_block(sent, chunk);
        r = send_of(p.client, b, chunk);
        free(b);
        sent += chunk; /* a timed-out packet stays queued: it counts */
    }
    CHECK_EQ(r, -GT_ETIMEOUT);
    CHECK_EQ(open_fds(), before);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, GT_SEND_TIMEOUT_INFINITY), 0);
    rd.n = sent + chunk;
    CHECK_EQ(pthread_create(&t, NULL, read_all, &rd), 0);
    b = pattern_block(sent, chunk);
    CHECK_EQ(send_of(p.client, b, chunk), 0); /* waits until the reader has made room */
    free(b);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(rd.result, (int64_t)rd.n);
    CHECK_EQ(open_fds(), before);
    close_pair(&p);
}
#endif

int main(void)
{
#if GT_LINUX
    test_the_io_thread_runs_on_the_process_cpus_not_its_starters(); /* first: see there */
#endif
    test_send_returns_with_the_rest_queued();
    test_watermark_and_send_timeout();
    test_send_timeout_close();
    test_linger_zero_discards_and_resets();
    test_close_waits_for_the_queue();
    test_error_of_queued_data_comes_with_the_next_send();
    test_delay_send();
    test_a_paused_delay_senders_packets_leave_by_themselves();
    test_shutdown_writes_a_gathering_delay_queue_at_once();
    test_concurrent_senders_never_interleave();
    test_delay_send_senders_append_while_the_io_thread_writes();
    test_an_append_never_moves_bytes_being_written();
    test_a_send_below_the_high_mark_never_waits_for_the_io_threads_write();
    test_a_sender_leaves_the_queue_to_a_waiting_one();
    test_a_queue_its_sender_keeps_adding_to_still_leaves();
    test_only_the_closer_waits_out_the_linger();
    test_send_timeout_close_resets_under_a_sleeping_reader();
    test_socket_backend_send();
    test_the_rest_of_a_timed_out_header_comes_from_c();
    test_linger_zero_close_wakes_and_resets();
    test_close_wakes_a_waiting_sender_and_reader_at_once();
    test_getstat_counts_the_waits_for_the_low_mark();
#if GT_LINUX
    test_a_sender_that_waited_leaves_no_descriptor_behind();
#endif
    CHECK_DONE();
}
