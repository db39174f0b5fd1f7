/*
 * throughput_ref.c - the C reference that `gentcp throughput` measures gentcp against: one
 * direction of bulk data over one TCP connection on 127.0.0.1, one end per process.
 *
 *   throughput_ref sink  --packet 0|1|2|4 [--cpu C] [--nodelay 0|1]
 *   throughput_ref blast --port P --packet 0|1|2|4 --size B --bytes N [--cpu C] [--nodelay 0|1]
 *
 * sink listens on 127.0.0.1 with an ephemeral port, prints "listening on PORT", accepts one
 * connection and reads until the peer shuts down its writing side; then it closes and prints
 *
 *   bytes=N packets=N ns=N
 *
 * (body bytes, packets or reads, and the nanoseconds from accept to end of file). blast
 * connects, sends N body bytes in sends of B (the last one shorter when B does not divide N),
 * shuts down writing, waits for the peer to close, and prints the same line (ns from connect to
 * the peer's close, packets = sends). Either end discards whatever the other sends it.
 * Any error prints one line to stderr and exits 1; a bad command line, 2.
 *
 * What each end does is what a careful C program would do, so that its figures are the bar
 * gentcp is held to:
 *  - raw (--packet 0): the sender write(2)s B bytes at a time; the receiver read(2)s up to
 *    256 KiB at a time and counts each read as a packet.
 *  - {packet, 1|2|4}: each message leaves in one sendmsg(2), its big-endian length header and
 *    its body as two iovecs (no copy, no second syscall). The receiver reads up to 256 KiB at a
 *    time and cuts the complete packets out of its buffer in place (a bigger packet grows it).
 *  - Kernel defaults otherwise (Nagle on, default buffer sizes), as for every peer it is
 *    compared with; --nodelay 1 sets TCP_NODELAY on the connection, as `throughput --nodelay`
 *    does at every end. --cpu pins the process (sched_setaffinity; -1, the default, leaves it).
 * Every loop ends at end of file, an error, or when N bytes are sent.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* CPU_SET, sched_setaffinity */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "ref_util.h"

#define READ_SIZE (256 * 1024)
#define MAX_BODY (64 * 1024 * 1024) /* gentcp's largest receive (GT_MAX_RECV_LENGTH) */
#define MAX_BYTES (INT64_C(1) << 50)

struct config {
    int blast;     /* 1: blast, 0: sink */
    int port;      /* blast: the sink's port */
    int packet;    /* 0, 1, 2 or 4: the header length */
    size_t size;   /* blast: body bytes per send */
    int64_t bytes; /* blast: body bytes in all */
    int cpu;       /* -1: not pinned */
    int nodelay;   /* 1: TCP_NODELAY on the connection */
};

struct totals {
    int64_t bytes, packets, ns;
};

static void pin(int cpu)
{
    if (cpu >= 0 && ref_pin(0, cpu) < 0)
        ref_die("sched_setaffinity", errno);
}

static void set_nodelay(int fd, const struct config *cfg)
{
    int on = 1;

    if (cfg->nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) < 0)
        ref_die("setsockopt TCP_NODELAY", errno);
}

/* One read(2), retried on EINTR: the byte count, 0 at end of file. */
static size_t read_some(int fd, uint8_t *dst, size_t len)
{
    ssize_t r;

    do
        r = read(fd, dst, len);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        ref_die("read", errno);
    return (size_t)r;
}

/* Reads until end of file, counting reads as packets. */
static void sink_raw(int fd, struct totals *t)
{
    uint8_t *buf = malloc(READ_SIZE);
    size_t n;

    if (buf == NULL)
        ref_die("out of memory", 0);
    while ((n = read_some(fd, buf, READ_SIZE)) > 0) {
        t->bytes += (int64_t)n;
        t->packets++;
    }
    free(buf);
}

/* Reads until end of file and frames in place: complete packets are counted where they lie,
 * a partial one moves to the front only when the space behind it runs short. */
static void sink_framed(int fd, int hlen, struct totals *t)
{
    size_t cap = READ_SIZE, start = 0, end = 0, n;
    uint8_t *buf = malloc(cap);

    if (buf == NULL)
        ref_die("out of memory", 0);
    for (;;) {
        size_t need = (size_t)hlen;

        /* Count every complete packet already buffered. */
        while (end - start >= (size_t)hlen) {
            uint64_t body = gt__get_be(buf + start, hlen);

            if (body > MAX_BODY)
                ref_die("a packet header announces more than 64 MiB", 0);
            need = (size_t)hlen + (size_t)body;
            if (end - start < need)
                break;
            t->bytes += (int64_t)body;
            t->packets++;
            start += need;
            need = (size_t)hlen;
        }
        if (start == end) {
            start = end = 0;
        } else if (cap - start < need || cap - end < READ_SIZE / 4) {
            memmove(buf, buf + start, end - start);
            end -= start;
            start = 0;
        }
        if (need > cap) {
            uint8_t *bigger = realloc(buf, need);

            if (bigger == NULL)
                ref_die("out of memory", 0);
            buf = bigger;
            cap = need;
        }
        n = read_some(fd, buf + end, cap - end);
        if (n == 0)
            break;
        end += n;
    }
    if (end != start)
        ref_die("the peer closed in the middle of a packet", 0);
    free(buf);
}

static void run_sink(const struct config *cfg, struct totals *t)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    int64_t t0;
    int lfd, fd;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0)
        ref_die("socket", errno);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        ref_die("bind 127.0.0.1:0", errno);
    if (listen(lfd, 1) < 0)
        ref_die("listen", errno);
    if (getsockname(lfd, (struct sockaddr *)&addr, &len) < 0)
        ref_die("getsockname", errno);
    printf("listening on %d\n", ntohs(addr.sin_port));
    if (fflush(stdout) != 0)
        ref_die("writing the port", errno);
    do
        fd = accept(lfd, NULL, NULL);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        ref_die("accept", errno);
    close(lfd);
    set_nodelay(fd, cfg);
    t0 = now_ns();
    if (cfg->packet == 0)
        sink_raw(fd, t);
    else
        sink_framed(fd, cfg->packet, t);
    t->ns = now_ns() - t0;
    close(fd);
}

static void run_blast(const struct config *cfg, struct totals *t)
{
    struct sockaddr_in addr;
    uint8_t header[4], *body, *drain;
    struct iovec iov[2];
    int64_t t0, left = cfg->bytes;
    int fd, n;

    body = malloc(cfg->size > 0 ? cfg->size : 1);
    drain = malloc(READ_SIZE);
    if (body == NULL || drain == NULL)
        ref_die("out of memory", 0);
    memset(body, 0x5a, cfg->size);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)cfg->port);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        ref_die("socket", errno);
    set_nodelay(fd, cfg);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        ref_die("connect", errno);
    t0 = now_ns();
    while (left > 0) {
        size_t chunk = (int64_t)cfg->size < left ? cfg->size : (size_t)left;

        n = ref_message_iov(iov, header, cfg->packet, body, chunk);
        if (ref_send_all(fd, iov, n) < 0)
            ref_die("sendmsg", errno);
        left -= (int64_t)chunk;
        t->bytes += (int64_t)chunk;
        t->packets++;
    }
    if (shutdown(fd, SHUT_WR) < 0)
        ref_die("shutdown", errno);
    while (read_some(fd, drain, READ_SIZE) > 0)
        ; /* the peer has nothing to say; its close is what we wait for */
    t->ns = now_ns() - t0;
    close(fd);
    free(drain);
    free(body);
}

#define USAGE                                                                                      \
    "usage: throughput_ref sink --packet 0|1|2|4 [--cpu C] [--nodelay 0|1]\n"                      \
    "       throughput_ref blast --port P --packet 0|1|2|4 --size B --bytes N [--cpu C]"           \
    " [--nodelay 0|1]"

static void parse_args(int argc, char **argv, struct config *cfg)
{
    int seen_port = 0, seen_packet = 0, seen_size = 0, seen_bytes = 0;
    int64_t size = 0;
    int i;

    ref_program("throughput_ref", USAGE);
    if (argc < 2)
        ref_usage("sink or blast is required", NULL);
    if (strcmp(argv[1], "blast") == 0)
        cfg->blast = 1;
    else if (strcmp(argv[1], "sink") != 0)
        ref_usage("unknown mode", argv[1]);
    cfg->cpu = -1;
    for (i = 2; i < argc; i++) {
        const char *opt = argv[i], *val;

        val = ref_option_value(argc, argv, &i);
        if (strcmp(opt, "--packet") == 0) {
            cfg->packet = ref_parse_packet(opt, val);
            seen_packet = 1;
        } else if (strcmp(opt, "--cpu") == 0) {
            cfg->cpu = (int)ref_parse_num(opt, val, -1, CPU_SETSIZE - 1);
        } else if (strcmp(opt, "--nodelay") == 0) {
            cfg->nodelay = (int)ref_parse_num(opt, val, 0, 1);
        } else if (cfg->blast && strcmp(opt, "--port") == 0) {
            cfg->port = (int)ref_parse_num(opt, val, 1, 65535);
            seen_port = 1;
        } else if (cfg->blast && strcmp(opt, "--size") == 0) {
            size = ref_parse_num(opt, val, 1, MAX_BODY);
            seen_size = 1;
        } else if (cfg->blast && strcmp(opt, "--bytes") == 0) {
            cfg->bytes = ref_parse_num(opt, val, 0, MAX_BYTES);
            seen_bytes = 1;
        } else {
            ref_usage("unknown option", opt);
        }
    }
    if (!seen_packet)
        ref_usage("--packet is required", NULL);
    if (cfg->blast && !(seen_port && seen_size && seen_bytes))
        ref_usage("blast needs --port, --size and --bytes", NULL);
    if (cfg->blast)
        ref_check_size(size, cfg->packet, 1, MAX_BODY);
    cfg->size = (size_t)size;
}

int main(int argc, char **argv)
{
    struct config cfg = {0};
    struct totals t = {0, 0, 0};

    parse_args(argc, argv, &cfg);
    pin(cfg.cpu);
    if (cfg.blast)
        run_blast(&cfg, &t);
    else
        run_sink(&cfg, &t);
    printf("bytes=%" PRId64 " packets=%" PRId64 " ns=%" PRId64 "\n", t.bytes, t.packets, t.ns);
    if (fflush(stdout) != 0)
        ref_die("writing the result", errno);
    return 0;
}
