/*
 * fanin_load.c - the load generator of `gentcp fanin`: many {packet, 4} echo connections to one
 * server process, from one thread of one process.
 *
 *   fanin_load --port P --connections N [--inflight K] [--size B] [--seconds S]
 *              [--warmup-seconds W] [--server-pid PID] [--cpu C] [--server-cpu C]
 *
 * Opens N non-blocking TCP connections to 127.0.0.1:P (TCP_NODELAY), at most MAX_CONNECTING
 * handshakes outstanding at once (a listen queue holds at most net.core.somaxconn), then keeps
 * K requests of B body bytes in flight on each: every echo that comes back is checked byte for
 * byte and answered by the next request at once. The body carries the connection's index and
 * the request's sequence number (then bytes that follow from both), so an echo sent to the
 * wrong connection, reordered, lost or altered is caught. W seconds of warm-up, then S seconds
 * are measured: the round trips that end in that window, each one's latency (send of the
 * request to its echo being whole, CLOCK_MONOTONIC) kept in a log-linear histogram, and the
 * server process's CPU time (utime and stime of /proc/PID/stat) at both ends of the window.
 * The one line on stdout:
 *
 *   msgs=.. seconds=.. msg_per_s=.. p50_ns=.. p99_ns=.. p999_ns=.. server_cpu_ns=..
 *   server_user_ns=.. server_sys_ns=.. connections=.. errors=0
 *
 * (server_cpu_ns is user + system; the three are -1 without --server-pid; a percentile is the upper edge of its histogram
 * bucket, within 1/32 above the true value). Any mismatch, reset, close or failed connect
 * prints its reason to stderr and exits 1; a bad command line exits 2.
 *
 * --cpu pins this thread; --server-cpu pins every thread the server process has when the run
 * starts (threads they start later inherit it). Every loop is bounded: connecting by
 * CONNECT_TIMEOUT_NS, the run by its windows, each wait by epoll_wait's timeout.
 *
 * Linux only (epoll, /proc).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* CPU_SET, sched_setaffinity, accept4 */
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ref_util.h"

#define HEADER 4
#define MIN_SIZE 8 /* the connection index and the sequence number */
#define MAX_SIZE (1024 * 1024)
#define MAX_CONNECTIONS 1000000L
#define MAX_INFLIGHT 1024L
#define MAX_SECONDS 3600L
#define MAX_CONNECTING 256                     /* handshakes outstanding at once */
#define CONNECT_TIMEOUT_NS (60LL * 1000000000) /* for all N connections */
#define EVENTS 1024
#define FDS_TO_SPARE 16 /* stdio, the epoll instance, /proc files */

/* The latency histogram: values below 2^SUB_BITS have a bucket each; above, each power of two
 * is cut into 2^SUB_BITS buckets. */
#define SUB_BITS 5
#define SUB_COUNT (1 << SUB_BITS)
#define BUCKETS ((64 - SUB_BITS + 1) * SUB_COUNT)

struct config {
    int port;
    long connections;
    long inflight;
    long size;
    long seconds;
    long warmup_seconds;
    long server_pid; /* 0: not given */
    int cpu;         /* -1: not pinned */
    int server_cpu;
};

enum state { CONNECTING, CONNECTED };

struct conn {
    int fd;
    int state;
    uint32_t sent;     /* requests sent: the next request's sequence number */
    uint32_t received; /* echoes received: the next echo's sequence number */
    int64_t *sent_ns;  /* [inflight]: when request seq was sent, at seq % inflight */
    uint8_t *rx;       /* one message: the echo being read */
    size_t rx_len;
    uint8_t *tx; /* requests not yet taken by the kernel */
    size_t tx_len;
    int out_watched; /* EPOLLOUT is asked for: TX holds what the kernel did not take */
};

struct load {
    struct config cfg;
    size_t msg_len; /* HEADER + size */
    struct conn *conns;
    int ep;
    int64_t window_start, window_end; /* the measured window; 0 before it is known */
    long msgs;                        /* round trips that ended in the window */
    uint64_t hist[BUCKETS];
};

static void die_conn(long index, const char *what, int err)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "connection %ld: %s", index, what);
    ref_die(msg, err);
}

#define USAGE                                                                                      \
    "usage: fanin_load --port P --connections N [--inflight K] [--size B] [--seconds S] "          \
    "[--warmup-seconds W] [--server-pid PID] [--cpu C] [--server-cpu C]"

static void parse_args(int argc, char **argv, struct config *cfg)
{
    int i;

    ref_program("fanin_load", USAGE);
    cfg->port = 0;
    cfg->connections = 0;
    cfg->inflight = 1;
    cfg->size = 64;
    cfg->seconds = 5;
    cfg->warmup_seconds = 2;
    cfg->server_pid = 0;
    cfg->cpu = cfg->server_cpu = -1;
    for (i = 1; i < argc; i++) {
        const char *opt = argv[i], *val;

        val = ref_option_value(argc, argv, &i);
        if (strcmp(opt, "--port") == 0)
            cfg->port = (int)ref_parse_num(opt, val, 1, 65535);
        else if (strcmp(opt, "--connections") == 0)
            cfg->connections = ref_parse_num(opt, val, 1, MAX_CONNECTIONS);
        else if (strcmp(opt, "--inflight") == 0)
            cfg->inflight = ref_parse_num(opt, val, 1, MAX_INFLIGHT);
        else if (strcmp(opt, "--size") == 0)
            cfg->size = ref_parse_num(opt, val, MIN_SIZE, MAX_SIZE);
        else if (strcmp(opt, "--seconds") == 0)
            cfg->seconds = ref_parse_num(opt, val, 1, MAX_SECONDS);
        else if (strcmp(opt, "--warmup-seconds") == 0)
            cfg->warmup_seconds = ref_parse_num(opt, val, 0, MAX_SECONDS);
        else if (strcmp(opt, "--server-pid") == 0)
            cfg->server_pid = ref_parse_num(opt, val, 1, 1L << 30);
        else if (strcmp(opt, "--cpu") == 0)
            cfg->cpu = (int)ref_parse_num(opt, val, -1, CPU_SETSIZE - 1);
        else if (strcmp(opt, "--server-cpu") == 0)
            cfg->server_cpu = (int)ref_parse_num(opt, val, -1, CPU_SETSIZE - 1);
        else
            ref_usage("unknown option", opt);
    }
    if (cfg->port == 0 || cfg->connections == 0)
        ref_usage("--port and --connections are required", NULL);
    if (cfg->server_cpu >= 0 && cfg->server_pid == 0)
        ref_usage("--server-cpu needs --server-pid", NULL);
}

/* Lets this process open N sockets: the soft descriptor limit raised to the hard one. */
static void raise_fd_limit(long n)
{
    rlim_t limit = ref_raise_fd_limit();

    if (limit != RLIM_INFINITY && (rlim_t)n + FDS_TO_SPARE > limit) {
        fprintf(stderr,
                "fanin_load: %ld connections need %ld descriptors, but the open-file limit "
                "(ulimit -Hn) is %llu\n",
                n, n + FDS_TO_SPARE, (unsigned long long)limit);
        exit(1);
    }
}

static void pin_tid(pid_t tid, int cpu, const char *who)
{
    char msg[128];

    if (ref_pin(tid, cpu) < 0) {
        if (errno == ESRCH && tid != 0)
            return; /* the thread ended meanwhile */
        snprintf(msg, sizeof(msg), "sched_setaffinity(%s %d, cpu %d)", who, (int)tid, cpu);
        ref_die(msg, errno);
    }
}

/* Pins every thread PID has now to CPU. */
static void pin_process(long pid, int cpu)
{
    char path[64];
    DIR *dir;
    struct dirent *d;
    long pinned = 0;

    snprintf(path, sizeof(path), "/proc/%ld/task", pid);
    dir = opendir(path);
    if (dir == NULL)
        ref_die("opendir /proc/PID/task of the server", errno);
    while ((d = readdir(dir)) != NULL && pinned < 100000) {
        if (d->d_name[0] < '0' || d->d_name[0] > '9')
            continue;
        pin_tid((pid_t)strtol(d->d_name, NULL, 10), cpu, "server thread");
        pinned++;
    }
    closedir(dir);
}

/* The CPU time of process PID so far, in ns (clock-tick resolution). */
struct cpu_time {
    int64_t user_ns, sys_ns;
};

static struct cpu_time process_cpu(long pid)
{
    struct cpu_time t;
    char path[64], buf[2048], *p;
    unsigned long long utime, stime;
    long ticks = sysconf(_SC_CLK_TCK);
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    f = fopen(path, "re");
    if (f == NULL)
        ref_die("the server process is gone (/proc/PID/stat)", errno);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name, in parentheses, may hold spaces: fields are counted after its ')'.
     * Field 3 (state) is the first there; utime and stime are fields 14 and 15. */
    p = strrchr(buf, ')');
    if (p == NULL || ticks <= 0 ||
        sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) !=
            2)
        ref_die("cannot read utime and stime from /proc/PID/stat", 0);
    t.user_ns = (int64_t)(utime * (1000000000ULL / (unsigned long long)ticks));
    t.sys_ns = (int64_t)(stime * (1000000000ULL / (unsigned long long)ticks));
    return t;
}

static int bucket_of(uint64_t v)
{
    int msb;

    if (v < SUB_COUNT)
        return (int)v;
    msb = 63 - __builtin_clzll(v);
    return (msb - SUB_BITS + 1) * SUB_COUNT + (int)((v >> (msb - SUB_BITS)) & (SUB_COUNT - 1));
}

/* The largest value bucket B holds. */
static uint64_t bucket_top(int b)
{
    int group = b / SUB_COUNT, sub = b % SUB_COUNT, shift;

    if (group == 0)
        return (uint64_t)b;
    shift = group - 1;
    return (((uint64_t)(SUB_COUNT + sub) << shift) | ((1ULL << shift) - 1));
}

/* Nearest rank over the histogram: the top of the bucket holding the PERMYRIAD/10000 rank. */
static uint64_t percentile(const struct load *l, long permyriad)
{
    uint64_t rank = ((uint64_t)l->msgs * (uint64_t)permyriad + 9999) / 10000, seen = 0;
    int b;

    if (rank < 1)
        rank = 1;
    for (b = 0; b < BUCKETS; b++) {
        seen += l->hist[b];
        if (seen >= rank)
            return bucket_top(b);
    }
    return 0;
}

/* The byte at offset I (>= MIN_SIZE) of request SEQ's body on connection INDEX. */
static inline uint8_t body_byte(long index, uint32_t seq, size_t i)
{
    return (uint8_t)((uint32_t)index * 31u + seq * 7u + (uint32_t)i);
}

static void fill_request(uint8_t *p, const struct load *l, long index, uint32_t seq)
{
    size_t i, size = (size_t)l->cfg.size;

    gt__put_be(p, size, HEADER);
    gt__put_be(p + HEADER, (uint64_t)index, 4);
    gt__put_be(p + HEADER + 4, seq, 4);
    for (i = MIN_SIZE; i < size; i++)
        p[HEADER + i] = body_byte(index, seq, i);
}

/* Dies unless MSG is request SEQ of connection INDEX, byte for byte. */
static void check_echo(const struct load *l, long index, uint32_t seq, const uint8_t *msg)
{
    char what[160];
    size_t i, size = (size_t)l->cfg.size;
    uint64_t len = gt__get_be(msg, HEADER), who = gt__get_be(msg + HEADER, 4);
    uint64_t got = gt__get_be(msg + HEADER + 4, 4);

    if (len != size) {
        snprintf(what, sizeof(what),
                 "echo mismatch: a header announces %" PRIu64 " bytes, %zu were sent", len, size);
        die_conn(index, what, 0);
    }
    if (who != (uint64_t)index || got != seq) {
        snprintf(what, sizeof(what),
                 "echo mismatch: expected request %" PRIu32
                 " of this connection, got request %" PRIu64 " of connection %" PRIu64,
                 seq, got, who);
        die_conn(index, what, 0);
    }
    for (i = MIN_SIZE; i < size; i++) {
        if (msg[HEADER + i] != body_byte(index, seq, i)) {
            snprintf(what, sizeof(what),
                     "echo mismatch: request %" PRIu32 " differs at body byte %zu", seq, i);
            die_conn(index, what, 0);
        }
    }
}

static void watch(struct load *l, long index, int op, uint32_t events)
{
    struct epoll_event ev;

    ev.events = events;
    ev.data.u64 = (uint64_t)index;
    if (epoll_ctl(l->ep, op, l->conns[index].fd, &ev) < 0)
        die_conn(index, "epoll_ctl", errno);
}

/* After a send or recv of connection INDEX failed (errno): 1 to try again at once (EINTR), 0 when
 * the socket can take or give no more now; any other error ends the run, naming CALL. */
static int retry_now(long index, const char *call)
{
    if (errno == EINTR)
        return 1;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        die_conn(index, call, errno);
    return 0;
}

/* Hands the kernel what it takes of C's unsent requests; asks for EPOLLOUT while some remain. */
static void flush(struct load *l, long index)
{
    struct conn *c = &l->conns[index];
    ssize_t r;
    size_t off = 0;

    while (off < c->tx_len) {
        r = send(c->fd, c->tx + off, c->tx_len - off, MSG_NOSIGNAL);
        if (r < 0) {
            if (retry_now(index, "send"))
                continue;
            break;
        }
        off += (size_t)r;
    }
    if (off > 0) {
        memmove(c->tx, c->tx + off, c->tx_len - off);
        c->tx_len -= off;
    }
    if ((c->tx_len > 0) != c->out_watched) {
        c->out_watched = c->tx_len > 0;
        watch(l, index, EPOLL_CTL_MOD, c->out_watched ? EPOLLIN | EPOLLOUT : EPOLLIN);
    }
}

/* Queues the connection's next request and stamps its send time. */
static void queue_request(struct load *l, long index, int64_t now)
{
    struct conn *c = &l->conns[index];

    fill_request(c->tx + c->tx_len, l, index, c->sent);
    c->tx_len += l->msg_len;
    c->sent_ns[c->sent % (uint32_t)l->cfg.inflight] = now;
    c->sent++;
}

static void record(struct load *l, int64_t sent, int64_t now)
{
    if (l->window_start == 0 || now < l->window_start || now >= l->window_end)
        return;
    l->msgs++;
    l->hist[bucket_of((uint64_t)(now - sent))]++;
}

/* Reads what is there; every whole echo is checked, recorded and answered by a new request. */
static void on_readable(struct load *l, long index)
{
    struct conn *c = &l->conns[index];
    uint8_t buf[64 * 1024];
    ssize_t r;
    size_t off, take;
    int64_t now;
    int queued = 0;

    for (;;) {
        r = recv(c->fd, buf, sizeof(buf), 0);
        if (r < 0) {
            if (retry_now(index, "recv"))
                continue;
            break;
        }
        if (r == 0)
            die_conn(index, "the server closed the connection", 0);
        now = now_ns();
        for (off = 0; off < (size_t)r; off += take) {
            take = l->msg_len - c->rx_len;
            if (take > (size_t)r - off)
                take = (size_t)r - off;
            memcpy(c->rx + c->rx_len, buf + off, take);
            c->rx_len += take;
            if (c->rx_len >= HEADER && gt__get_be(c->rx, HEADER) != (uint64_t)l->cfg.size)
                check_echo(l, index, c->received, c->rx); /* names the bad header now */
            if (c->rx_len < l->msg_len)
                continue;
            if (c->received == c->sent)
                die_conn(index, "an echo of a request never sent", 0);
            check_echo(l, index, c->received, c->rx);
            record(l, c->sent_ns[c->received % (uint32_t)l->cfg.inflight], now);
            c->received++;
            c->rx_len = 0;
            queue_request(l, index, now_ns());
            queued = 1;
        }
        if ((size_t)r < sizeof(buf))
            break; /* the kernel had no more: no need for a recv that says EAGAIN */
    }
    if (queued)
        flush(l, index);
}

static void start_connect(struct load *l, long index, const struct sockaddr_in *addr)
{
    struct conn *c = &l->conns[index];
    int one = 1;

    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        die_conn(index, "socket", errno);
    if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
        die_conn(index, "setsockopt(TCP_NODELAY)", errno);
    if (connect(c->fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0 && errno != EINPROGRESS)
        die_conn(index, "connect", errno);
    c->state = CONNECTING;
    watch(l, index, EPOLL_CTL_ADD, EPOLLOUT);
}

/* Opens every connection, at most MAX_CONNECTING handshakes at a time. */
static void connect_all(struct load *l)
{
    struct sockaddr_in addr;
    struct epoll_event events[EVENTS];
    long next = 0, connected = 0, pending = 0;
    int64_t deadline = now_ns() + CONNECT_TIMEOUT_NS;
    int i, n, err;
    socklen_t len;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)l->cfg.port);
    while (connected < l->cfg.connections) {
        while (next < l->cfg.connections && pending < MAX_CONNECTING) {
            start_connect(l, next++, &addr);
            pending++;
        }
        if (now_ns() >= deadline) {
            fprintf(stderr, "fanin_load: only %ld of %ld connections were made within %lld s\n",
                    connected, l->cfg.connections, CONNECT_TIMEOUT_NS / 1000000000);
            exit(1);
        }
        n = ref_epoll_wait(l->ep, events, EVENTS, 100);
        for (i = 0; i < n; i++) {
            long index = (long)events[i].data.u64;
            struct conn *c = &l->conns[index];

            err = 0;
            len = sizeof(err);
            if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
                die_conn(index, "getsockopt(SO_ERROR)", errno);
            if (err != 0)
                die_conn(index, "connect", err);
            c->state = CONNECTED;
            watch(l, index, EPOLL_CTL_MOD, EPOLLIN);
            pending--;
            connected++;
        }
    }
}

/* Serves readiness until END: echoes in, requests out. */
static void run_until(struct load *l, int64_t end)
{
    struct epoll_event events[EVENTS];
    int i, n, timeout_ms;
    int64_t now;

    while ((now = now_ns()) < end) {
        timeout_ms = (int)((end - now) / 1000000) + 1;
        n = ref_epoll_wait(l->ep, events, EVENTS, timeout_ms);
        for (i = 0; i < n; i++) {
            long index = (long)events[i].data.u64;

            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                on_readable(l, index);
            if (events[i].events & EPOLLOUT)
                flush(l, index);
        }
    }
}

static void *alloc(size_t n)
{
    void *p = calloc(1, n);

    if (p == NULL)
        ref_die("out of memory", 0);
    return p;
}

int main(int argc, char **argv)
{
    static struct load l; /* the histogram is large: not on the stack */
    struct config *cfg = &l.cfg;
    struct cpu_time cpu_start = {-1, -1}, cpu_end = {-1, -1};
    int64_t user_ns = -1, sys_ns = -1, seconds_ns, now;
    long i, k;
    struct linger hard = {1, 0};

    parse_args(argc, argv, cfg);
    raise_fd_limit(cfg->connections);
    if (cfg->cpu >= 0)
        pin_tid(0, cfg->cpu, "this thread");
    if (cfg->server_cpu >= 0)
        pin_process(cfg->server_pid, cfg->server_cpu);
    l.msg_len = HEADER + (size_t)cfg->size;
    l.conns = alloc((size_t)cfg->connections * sizeof(*l.conns));
    for (i = 0; i < cfg->connections; i++) {
        l.conns[i].fd = -1;
        l.conns[i].sent_ns = alloc((size_t)cfg->inflight * sizeof(int64_t));
        l.conns[i].rx = alloc(l.msg_len);
        l.conns[i].tx = alloc((size_t)cfg->inflight * l.msg_len);
    }
    l.ep = epoll_create1(EPOLL_CLOEXEC);
    if (l.ep < 0)
        ref_die("epoll_create1", errno);

    connect_all(&l);
    now = now_ns();
    for (i = 0; i < cfg->connections; i++) {
        for (k = 0; k < cfg->inflight; k++)
            queue_request(&l, i, now);
        flush(&l, i);
    }
    run_until(&l, now + cfg->warmup_seconds * 1000000000LL);

    seconds_ns = cfg->seconds * 1000000000LL;
    if (cfg->server_pid != 0)
        cpu_start = process_cpu(cfg->server_pid);
    l.window_start = now_ns();
    l.window_end = l.window_start + seconds_ns;
    run_until(&l, l.window_end);
    if (cfg->server_pid != 0) {
        cpu_end = process_cpu(cfg->server_pid);
        user_ns = cpu_end.user_ns - cpu_start.user_ns;
        sys_ns = cpu_end.sys_ns - cpu_start.sys_ns;
    }

    /* Reset rather than close: no TIME_WAIT left behind to hold the ephemeral ports of the
     * next run. A server sees a reset or an end of file: either ends the connection. */
    for (i = 0; i < cfg->connections; i++) {
        setsockopt(l.conns[i].fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
        close(l.conns[i].fd);
    }
    printf("msgs=%ld seconds=%.3f msg_per_s=%.0f p50_ns=%" PRIu64 " p99_ns=%" PRIu64
           " p999_ns=%" PRIu64 " server_cpu_ns=%" PRId64 " server_user_ns=%" PRId64
           " server_sys_ns=%" PRId64 " connections=%ld errors=0\n",
           l.msgs, (double)seconds_ns / 1e9, (double)l.msgs * 1e9 / (double)seconds_ns,
           percentile(&l, 5000), percentile(&l, 9900), percentile(&l, 9990),
           user_ns < 0 ? -1 : user_ns + sys_ns, user_ns, sys_ns, cfg->connections);
    if (fflush(stdout) != 0)
        ref_die("writing the result", errno);
    if (l.msgs == 0) {
        fprintf(stderr, "fanin_load: no round trip ended in the measured window\n");
        return 1;
    }
    return 0;
}
