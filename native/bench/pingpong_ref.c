/*
 * pingpong_ref.c - the C reference that `gentcp pingpong` measures gentcp against.
 *
 *   pingpong_ref --packet 0|1|2|4 --size B --count N --warmup W --idle block|busy|spin:US
 *                [--server-cpu C] [--client-cpu C] [--server-wait recv|epoll]
 *                [--client-wait recv|epoll] [--serve-only]
 *
 * Two threads over one TCP connection on 127.0.0.1 (TCP_NODELAY at both ends): a server
 * thread that echoes every message, and a client thread that sends a message, waits for its
 * echo, and times that round trip with CLOCK_MONOTONIC. The first W round trips warm up and
 * are not kept; the next N are. The one line written to stdout is
 *
 *   p50_ns=.. p90_ns=.. p99_ns=.. p999_ns=.. max_ns=.. rtt_per_sec=..
 *
 * (nearest-rank percentiles, all integers; rtt_per_sec = N / the measured phase's wall time).
 * Any error prints one line to stderr and exits with status 1; a bad command line, 2.
 *
 * What each side does per message is what a careful C program would do, so that the numbers
 * are the bar gentcp is held to, not a straw man:
 *  - {packet, 1|2|4}: a big-endian length header and the B-byte body leave in one
 *    sendmsg(2) (no copy into a staging buffer, no second syscall). The receiver reads
 *    whatever is available into a 64 KiB buffer and cuts complete packets out of it; the
 *    server echoes a body straight from that buffer.
 *  - {packet, 0}: B raw bytes, and the receiver reads until it has B of them.
 *  - How a thread waits for data is the --idle strategy, the same on both sides:
 *      block   blocking recv(2): one syscall that sleeps;
 *      busy    recv(MSG_DONTWAIT) in a loop, with a CPU pause hint between tries;
 *      spin:US as busy for US microseconds, then a blocking recv(2).
 *    Sockets stay blocking in every mode (MSG_DONTWAIT makes a single try non-blocking), so
 *    sends always complete in full.
 *  - How a thread learns that data has come is its end's --*-wait: recv (the default) is the
 *    above, the floor of a passive gen_tcp recv; epoll is the floor of an active socket's
 *    mailbox: the socket sits in an epoll set of the end's own (level-triggered, added once),
 *    and each wait is epoll_wait (block: -1; busy: 0, in a loop; spin: 0 until US pass, then
 *    -1) followed by one recv(MSG_DONTWAIT): one system call more per message.
 *  - --serve-only runs the server alone, for a client of another program: it prints
 *    "listening on PORT", serves one connection for W + N messages and exits, printing nothing
 *    else.
 * CPU pinning (-1 = none) uses sched_setaffinity on the calling thread.
 *
 * Every loop is bounded by the message count, and a peer that closes or fails ends the run
 * with an error; both peers live in this process, so neither can vanish silently.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* CPU_SET, sched_setaffinity */
#endif
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "ref_util.h"

#define RX_BUFFER_SIZE (64 * 1024)
#define MAX_SIZE (64 * 1024 * 1024) /* gentcp's largest receive (GT_MAX_RECV_LENGTH) */
#define MAX_COUNT 100000000L        /* samples are kept in memory: 800 MB at most */
#define MAX_WARMUP 1000000000L
#define MAX_SPIN_US 10000000L /* 10 s */

enum idle { IDLE_BLOCK, IDLE_BUSY, IDLE_SPIN };
enum wait { WAIT_RECV, WAIT_EPOLL };

struct config {
    int packet;  /* 0, 1, 2 or 4: the header length */
    size_t size; /* B: body bytes per message */
    long count;  /* N: measured round trips */
    long warmup; /* W: round trips before measuring */
    int idle;    /* enum idle */
    int64_t spin_ns;
    int server_cpu; /* -1: not pinned */
    int client_cpu;
    int server_wait; /* enum wait */
    int client_wait;
    int serve_only; /* the server alone, for another program's client */
};

/* One end of the connection: its socket and its receive buffer. */
struct end {
    const char *who; /* "server" or "client", for error messages */
    const struct config *cfg;
    int fd;
    int cpu;
    int wait; /* enum wait */
    int epfd; /* WAIT_EPOLL: the epoll set holding fd, else -1 */
    uint8_t *buf;
    size_t cap, start, end; /* buffered bytes are buf[start, end) */
};

struct client_result {
    int64_t *samples; /* cfg.count round trips, in ns */
    int64_t phase_ns; /* wall time of the measured phase */
};

static void die(const char *who, const char *what, int err)
{
    if (err != 0)
        fprintf(stderr, "pingpong_ref: %s: %s: %s\n", who, what, strerror(err));
    else
        fprintf(stderr, "pingpong_ref: %s: %s\n", who, what);
    /* _exit: the other thread may be anywhere; nothing is buffered that must be flushed. */
    _exit(1);
}

static void pin(const char *who, int cpu)
{
    if (cpu >= 0 && ref_pin(0, cpu) < 0)
        die(who, "sched_setaffinity", errno);
}

static void set_nodelay(const char *who, int fd)
{
    int one = 1;

    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
        die(who, "setsockopt(TCP_NODELAY)", errno);
}

static int would_block(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/* Non-blocking tries until data, an error, or (when END_NS >= 0) END_NS. Returns recv's
 * result, or -1 with errno EAGAIN when the time ran out. */
static ssize_t recv_spinning(int fd, void *dst, size_t len, int64_t end_ns)
{
    ssize_t r;

    for (;;) {
        r = recv(fd, dst, len, MSG_DONTWAIT);
        if (r >= 0 || !would_block(errno))
            return r;
        if (end_ns >= 0 && now_ns() >= end_ns) {
            errno = EAGAIN;
            return -1;
        }
        gt__cpu_relax();
    }
}

/* Wait in E's epoll set until its socket is readable: without a time limit (END_NS < 0 and
 * not SPINNING), or trying without waiting until END_NS (forever when END_NS < 0). Returns 0
 * once readable, or -1 with errno EAGAIN when the time ran out. */
static int epoll_ready(struct end *e, int spinning, int64_t end_ns)
{
    struct epoll_event ev;
    int n;

    for (;;) {
        n = epoll_wait(e->epfd, &ev, 1, spinning ? 0 : -1);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR)
            die(e->who, "epoll_wait", errno);
        if (spinning && end_ns >= 0 && now_ns() >= end_ns) {
            errno = EAGAIN;
            return -1;
        }
    }
}

/* The epoll way of recv_some's waits: epoll_wait, then one recv without waiting; a readiness
 * that recv finds gone (it never is, one reader per socket) waits again. */
static ssize_t recv_after_epoll(struct end *e, void *dst, size_t len)
{
    const int idle = e->cfg->idle;
    const int64_t spin_end = idle == IDLE_SPIN ? now_ns() + e->cfg->spin_ns : -1;
    int spinning = idle != IDLE_BLOCK;
    ssize_t r;

    for (;;) {
        if (epoll_ready(e, spinning, spin_end) < 0) {
            spinning = 0; /* the spin ran out: sleep in the kernel */
            continue;
        }
        r = recv(e->fd, dst, len, MSG_DONTWAIT);
        if (r >= 0 || !would_block(errno))
            return r;
    }
}

/* Read at least one byte into DST under the idle strategy and the end's wait. End of file is
 * an error here: the peer only closes after the last message. */
static size_t recv_some(struct end *e, void *dst, size_t len)
{
    ssize_t r = -1;
    int block = e->cfg->idle == IDLE_BLOCK;

    if (e->wait == WAIT_EPOLL) {
        r = recv_after_epoll(e, dst, len);
        block = 0;
    } else if (e->cfg->idle == IDLE_BUSY) {
        r = recv_spinning(e->fd, dst, len, -1);
    } else if (e->cfg->idle == IDLE_SPIN) {
        r = recv_spinning(e->fd, dst, len, now_ns() + e->cfg->spin_ns);
        block = r < 0 && errno == EAGAIN; /* the spin ran out: sleep in the kernel */
    }
    if (block) {
        do
            r = recv(e->fd, dst, len, 0);
        while (r < 0 && errno == EINTR);
    }
    if (r < 0)
        die(e->who, "recv", errno);
    if (r == 0)
        die(e->who, "recv: the peer closed the connection early", 0);
    return (size_t)r;
}

/*
 * The next message's body, which stays valid until the next call. Bytes past the message
 * (never there in a ping-pong, but a careful receiver does not assume so) stay buffered.
 */
static const uint8_t *recv_message(struct end *e)
{
    const int hlen = e->cfg->packet;
    const size_t total = (size_t)hlen + e->cfg->size;
    int checked = 0;
    const uint8_t *body;

    for (;;) {
        size_t avail = e->end - e->start;

        if (hlen > 0 && !checked && avail >= (size_t)hlen) {
            /* Validate the header as soon as it is complete, before waiting for a body
             * that may never come. */
            if (gt__get_be(e->buf + e->start, hlen) != e->cfg->size)
                die(e->who, "a packet header announces an unexpected length", 0);
            checked = 1;
        }
        if (avail >= total) {
            body = e->buf + e->start + hlen;
            e->start += total;
            if (e->start == e->end)
                e->start = e->end = 0; /* empty: the next read starts at the front */
            return body;
        }
        /* Not enough room left for this message: move the partial one to the front. */
        if (e->cap - e->start < total) {
            memmove(e->buf, e->buf + e->start, avail);
            e->start = 0;
            e->end = avail;
        }
        e->end += recv_some(e, e->buf + e->end, e->cap - e->end);
    }
}

/* Send header and body in one sendmsg(2); a short send (signal, huge body) continues. */
static void send_message(struct end *e, const uint8_t *body)
{
    uint8_t header[4];
    struct iovec iov[2];
    int n = ref_message_iov(iov, header, e->cfg->packet, body, e->cfg->size);

    if (ref_send_all(e->fd, iov, n) < 0)
        die(e->who, "sendmsg", errno);
}

static void end_init(struct end *e, const char *who, const struct config *cfg, int cpu, int wait)
{
    size_t need = (size_t)cfg->packet + cfg->size;

    e->who = who;
    e->cfg = cfg;
    e->fd = -1;
    e->cpu = cpu;
    e->wait = wait;
    e->epfd = -1;
    /* A message larger than the usual buffer gets a buffer that holds it whole, as a
     * careful program would grow its own. */
    e->cap = need > RX_BUFFER_SIZE ? need : RX_BUFFER_SIZE;
    e->start = e->end = 0;
    e->buf = malloc(e->cap);
    if (e->buf == NULL)
        die(who, "out of memory", 0);
}

/* E's socket is connected: TCP_NODELAY, and with the epoll wait, its epoll set. */
static void end_connected(struct end *e)
{
    struct epoll_event ev = {.events = EPOLLIN};

    set_nodelay(e->who, e->fd);
    if (e->wait != WAIT_EPOLL)
        return;
    e->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (e->epfd < 0)
        die(e->who, "epoll_create1", errno);
    ev.data.fd = e->fd;
    if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->fd, &ev) < 0)
        die(e->who, "epoll_ctl", errno);
}

static void end_close(struct end *e)
{
    if (e->epfd >= 0)
        close(e->epfd);
    close(e->fd);
}

struct server_arg {
    struct end end;
    int listen_fd;
};

static void *server_main(void *arg)
{
    struct server_arg *s = arg;
    struct end *e = &s->end;
    long i, total = e->cfg->warmup + e->cfg->count;

    pin(e->who, e->cpu);
    do
        e->fd = accept(s->listen_fd, NULL, NULL);
    while (e->fd < 0 && errno == EINTR);
    if (e->fd < 0)
        die(e->who, "accept", errno);
    end_connected(e);
    for (i = 0; i < total; i++)
        send_message(e, recv_message(e));
    end_close(e);
    return NULL;
}

struct client_arg {
    struct end end;
    struct sockaddr_in addr;
    struct client_result result;
};

/* The first (up to) 4 body bytes carry the round trip's number, so a lost, repeated or
 * reordered echo is caught rather than timed. Written before the clock starts. */
static void stamp(uint8_t *body, size_t size, uint32_t seq)
{
    uint8_t b[4];

    gt__put_be(b, seq, 4);
    memcpy(body, b, size < 4 ? size : 4);
}

static int stamped(const uint8_t *body, size_t size, uint32_t seq)
{
    uint8_t b[4];

    gt__put_be(b, seq, 4);
    return memcmp(body, b, size < 4 ? size : 4) == 0;
}

static void *client_main(void *arg)
{
    struct client_arg *c = arg;
    struct end *e = &c->end;
    const struct config *cfg = e->cfg;
    long i, total = cfg->warmup + cfg->count;
    int64_t t0, t1, phase_start = 0;
    const uint8_t *echo;
    uint8_t *payload;

    pin(e->who, e->cpu);
    payload = malloc(cfg->size > 0 ? cfg->size : 1);
    if (payload == NULL)
        die(e->who, "out of memory", 0);
    memset(payload, 0x5a, cfg->size);
    e->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (e->fd < 0)
        die(e->who, "socket", errno);
    if (connect(e->fd, (struct sockaddr *)&c->addr, sizeof(c->addr)) < 0)
        die(e->who, "connect", errno);
    end_connected(e);

    for (i = 0; i < total; i++) {
        stamp(payload, cfg->size, (uint32_t)i);
        t0 = now_ns();
        send_message(e, payload);
        echo = recv_message(e);
        t1 = now_ns();
        if (!stamped(echo, cfg->size, (uint32_t)i))
            die(e->who, "the echo does not match the message sent", 0);
        if (i == cfg->warmup)
            phase_start = t0;
        if (i >= cfg->warmup)
            c->result.samples[i - cfg->warmup] = t1 - t0;
        if (i == total - 1)
            c->result.phase_ns = t1 - phase_start;
    }
    end_close(e);
    free(payload);
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least PERMYRIAD/10000 of all at or below it. */
static int64_t percentile(const int64_t *sorted, long n, long permyriad)
{
    long k = (long)(((int64_t)n * permyriad + 9999) / 10000);

    if (k < 1)
        k = 1;
    return sorted[k - 1];
}

#define USAGE                                                                                      \
    "usage: pingpong_ref --packet 0|1|2|4 --size B --count N --warmup W "                          \
    "--idle block|busy|spin:US [--server-cpu C] [--client-cpu C] "                                 \
    "[--server-wait recv|epoll] [--client-wait recv|epoll] [--serve-only]"

static void parse_args(int argc, char **argv, struct config *cfg)
{
    int seen_packet = 0, seen_size = 0, seen_count = 0, seen_warmup = 0, seen_idle = 0;
    int64_t size = 0;
    int i;

    ref_program("pingpong_ref", USAGE);
    cfg->server_cpu = cfg->client_cpu = -1;
    cfg->spin_ns = 0;
    for (i = 1; i < argc; i++) {
        const char *opt = argv[i], *val;

        if (strcmp(opt, "--serve-only") == 0) {
            cfg->serve_only = 1;
            continue;
        }
        val = ref_option_value(argc, argv, &i);
        if (strcmp(opt, "--packet") == 0) {
            cfg->packet = ref_parse_packet(opt, val);
            seen_packet = 1;
        } else if (strcmp(opt, "--size") == 0) {
            size = ref_parse_num(opt, val, 0, MAX_SIZE);
            seen_size = 1;
        } else if (strcmp(opt, "--count") == 0) {
            cfg->count = ref_parse_num(opt, val, 1, MAX_COUNT);
            seen_count = 1;
        } else if (strcmp(opt, "--warmup") == 0) {
            cfg->warmup = ref_parse_num(opt, val, 0, MAX_WARMUP);
            seen_warmup = 1;
        } else if (strcmp(opt, "--idle") == 0) {
            if (strcmp(val, "block") == 0) {
                cfg->idle = IDLE_BLOCK;
            } else if (strcmp(val, "busy") == 0) {
                cfg->idle = IDLE_BUSY;
            } else if (strncmp(val, "spin:", 5) == 0) {
                cfg->idle = IDLE_SPIN;
                cfg->spin_ns = (int64_t)ref_parse_num(opt, val + 5, 0, MAX_SPIN_US) * 1000;
            } else {
                ref_usage("--idle must be block, busy or spin:US", val);
            }
            seen_idle = 1;
        } else if (strcmp(opt, "--server-cpu") == 0) {
            cfg->server_cpu = (int)ref_parse_num(opt, val, -1, CPU_SETSIZE - 1);
        } else if (strcmp(opt, "--client-cpu") == 0) {
            cfg->client_cpu = (int)ref_parse_num(opt, val, -1, CPU_SETSIZE - 1);
        } else if (strcmp(opt, "--server-wait") == 0 || strcmp(opt, "--client-wait") == 0) {
            int *wait = opt[2] == 's' ? &cfg->server_wait : &cfg->client_wait;

            if (strcmp(val, "recv") == 0)
                *wait = WAIT_RECV;
            else if (strcmp(val, "epoll") == 0)
                *wait = WAIT_EPOLL;
            else
                ref_usage("--server-wait and --client-wait must be recv or epoll", val);
        } else {
            ref_usage("unknown option", opt);
        }
    }
    if (!(seen_packet && seen_size && seen_count && seen_warmup && seen_idle))
        ref_usage("--packet, --size, --count, --warmup and --idle are required", NULL);
    /* The body must fit the header, and a raw message must have a byte to wait for. */
    ref_check_size(size, cfg->packet, cfg->packet == 0, MAX_SIZE);
    cfg->size = (size_t)size;
}

int main(int argc, char **argv)
{
    struct config cfg = {0};
    struct server_arg server;
    struct client_arg client;
    socklen_t len = sizeof(client.addr);
    pthread_t st, ct;
    int64_t *s;
    long n;
    int lfd, err;

    parse_args(argc, argv, &cfg);

    /* Listen before either thread starts, so the client's connect cannot come first. */
    memset(&client.addr, 0, sizeof(client.addr));
    client.addr.sin_family = AF_INET;
    client.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0)
        die("main", "socket", errno);
    if (bind(lfd, (struct sockaddr *)&client.addr, sizeof(client.addr)) < 0)
        die("main", "bind 127.0.0.1:0", errno);
    if (listen(lfd, 1) < 0)
        die("main", "listen", errno);
    if (getsockname(lfd, (struct sockaddr *)&client.addr, &len) < 0)
        die("main", "getsockname", errno);

    end_init(&server.end, "server", &cfg, cfg.server_cpu, cfg.server_wait);
    server.listen_fd = lfd;
    if (cfg.serve_only) {
        printf("listening on %d\n", ntohs(client.addr.sin_port));
        if (fflush(stdout) != 0)
            die("main", "writing the port", errno);
        server_main(&server);
        close(lfd);
        free(server.end.buf);
        return 0;
    }
    end_init(&client.end, "client", &cfg, cfg.client_cpu, cfg.client_wait);
    client.result.phase_ns = 0;
    client.result.samples = malloc((size_t)cfg.count * sizeof(int64_t));
    if (client.result.samples == NULL)
        die("main", "out of memory for the samples", 0);

    err = pthread_create(&st, NULL, server_main, &server);
    if (err != 0)
        die("main", "pthread_create", err);
    err = pthread_create(&ct, NULL, client_main, &client);
    if (err != 0)
        die("main", "pthread_create", err);
    pthread_join(ct, NULL);
    pthread_join(st, NULL);
    close(lfd);

    s = client.result.samples;
    n = cfg.count;
    qsort(s, (size_t)n, sizeof(*s), cmp_i64);
    printf("p50_ns=%" PRId64 " p90_ns=%" PRId64 " p99_ns=%" PRId64 " p999_ns=%" PRId64
           " max_ns=%" PRId64 " rtt_per_sec=%.0f\n",
           percentile(s, n, 5000), percentile(s, n, 9000), percentile(s, n, 9900),
           percentile(s, n, 9990), s[n - 1],
           (double)n * 1e9 / (double)(client.result.phase_ns > 0 ? client.result.phase_ns : 1));
    if (fflush(stdout) != 0)
        die("main", "writing the result", errno);
    free(s);
    free(server.end.buf);
    free(client.end.buf);
    return 0;
}
