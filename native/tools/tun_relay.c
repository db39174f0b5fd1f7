/*
 * tun_relay - a delay line between two network namespaces, for the network-fault tests
 * (NetFaultDelayTest). Not part of libgentcp nor of the jar.
 *
 *   tun_relay NETNS_A DEV_A NETNS_B DEV_B DELAY_MS JITTER_MS SEED
 *
 * NETNS_A and NETNS_B are namespace files (/var/run/netns/NAME). DEV_A and DEV_B are persistent
 * TUN devices (ip tuntap add ... mode tun), one in each namespace, made and addressed by the
 * caller as two ends of a point-to-point link. A TUN descriptor stays bound to the namespace it
 * was attached in, so the relay enters each namespace in turn to attach its device, then moves
 * every IP packet read from one device to the other after DELAY_MS plus a jitter drawn
 * uniformly from [0, JITTER_MS) by a generator seeded with SEED. Packets leave in order of their
 * release time, so jitter larger than the gap between two packets reorders them.
 *
 * It writes "ready" on stdout once both devices are attached, and ends when its stdin closes or
 * on SIGTERM/SIGINT, writing its counts on stderr. The queue is bounded (GT_RELAY_MAX_PACKETS
 * packets, GT_RELAY_MAX_BYTES bytes): a packet that finds it full is dropped and counted, as a
 * router's full queue would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define GT_RELAY_MAX_PACKETS 8192
#define GT_RELAY_MAX_BYTES (16u << 20)
#define GT_RELAY_MTU 65536

struct packet {
    int64_t due_ns;
    uint64_t order; /* arrival order: ties leave first come, first served */
    int to;         /* 0: to device A, 1: to device B */
    size_t len;
    uint8_t *data;
};

struct relay {
    int tun[2];
    struct packet heap[GT_RELAY_MAX_PACKETS];
    size_t count;
    size_t bytes;
    uint64_t arrivals;
    int64_t delay_ns;
    int64_t jitter_ns;
    uint64_t rng;
    uint64_t moved, dropped, reordered, write_failed;
    uint64_t last_out_order[2];
};

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* xorshift64*: small, seeded, reproducible. */
static uint64_t next_random(struct relay *r)
{
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return r->rng * 2685821657736338717ull;
}

static int earlier(const struct packet *a, const struct packet *b)
{
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->order < b->order);
}

static void swap(struct packet *a, struct packet *b)
{
    struct packet t = *a;

    *a = *b;
    *b = t;
}

static void heap_push(struct relay *r, struct packet p)
{
    size_t i = r->count++;

    r->heap[i] = p;
    while (i > 0 && earlier(&r->heap[i], &r->heap[(i - 1) / 2])) {
        swap(&r->heap[i], &r->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static struct packet heap_pop(struct relay *r)
{
    struct packet top = r->heap[0];
    size_t i = 0;

    r->heap[0] = r->heap[--r->count];
    for (;;) {
        size_t l = 2 * i + 1, m = i;

        if (l < r->count && earlier(&r->heap[l], &r->heap[m]))
            m = l;
        if (l + 1 < r->count && earlier(&r->heap[l + 1], &r->heap[m]))
            m = l + 1;
        if (m == i)
            break;
        swap(&r->heap[i], &r->heap[m]);
        i = m;
    }
    return top;
}

/* Attaches the persistent TUN device NAME of the namespace in file NETNS: its fd, or -1. */
static int attach(const char *netns, const char *name)
{
    struct ifreq ifr;
    int ns, fd;

    ns = open(netns, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
        fprintf(stderr, "tun_relay: entering %s: %s\n", netns, strerror(errno));
        if (ns >= 0)
            close(ns);
        return -1;
    }
    close(ns);
    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "tun_relay: /dev/net/tun: %s\n", strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (strlen(name) >= sizeof(ifr.ifr_name)) {
        fprintf(stderr, "tun_relay: device name too long: %s\n", name);
        close(fd);
        return -1;
    }
    memcpy(ifr.ifr_name, name, strlen(name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tun_relay: attaching %s in %s: %s\n", name, netns, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads every packet waiting on device FROM into the queue. */
static void take(struct relay *r, int from, uint8_t *buf)
{
    for (;;) {
        ssize_t n = read(r->tun[from], buf, GT_RELAY_MTU);
        struct packet p;

        if (n <= 0)
            return; /* EAGAIN: nothing more for now */
        if (r->count == GT_RELAY_MAX_PACKETS || r->bytes + (size_t)n > GT_RELAY_MAX_BYTES ||
            (p.data = malloc((size_t)n)) == NULL) {
            r->dropped++;
            continue;
        }
        memcpy(p.data, buf, (size_t)n);
        p.len = (size_t)n;
        p.to = 1 - from;
        p.order = ++r->arrivals;
        p.due_ns = now_ns() + r->delay_ns +
                   (r->jitter_ns > 0 ? (int64_t)(next_random(r) % (uint64_t)r->jitter_ns) : 0);
        r->bytes += p.len;
        heap_push(r, p);
    }
}

/* Writes every packet whose time has come; the milliseconds until the next one's, or -1. */
static int release(struct relay *r)
{
    int64_t now = now_ns();

    while (r->count > 0 && r->heap[0].due_ns <= now) {
        struct packet p = heap_pop(r);

        if (write(r->tun[p.to], p.data, p.len) == (ssize_t)p.len)
            r->moved++;
        else
            r->write_failed++;
        if (p.order < r->last_out_order[p.to])
            r->reordered++;
        else
            r->last_out_order[p.to] = p.order;
        r->bytes -= p.len;
        free(p.data);
    }
    if (r->count == 0)
        return -1;
    return (int)((r->heap[0].due_ns - now + 999999) / 1000000);
}

static int parse_ms(const char *s, int64_t *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 0 || v > 60000)
        return -1;
    *out = (int64_t)v * 1000000;
    return 0;
}

int main(int argc, char **argv)
{
    static struct relay r;
    static uint8_t buf[GT_RELAY_MTU];
    sigset_t signals;
    struct pollfd fds[4];
    int sfd, stop = 0;

    if (argc != 8 || parse_ms(argv[5], &r.delay_ns) < 0 || parse_ms(argv[6], &r.jitter_ns) < 0) {
        fprintf(stderr, "usage: tun_relay NETNS_A DEV_A NETNS_B DEV_B DELAY_MS JITTER_MS SEED\n");
        return 2;
    }
    r.rng = strtoull(argv[7], NULL, 10) * 0x9e3779b97f4a7c15ull + 1;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGPIPE);
    if (sigprocmask(SIG_BLOCK, &signals, NULL) < 0 ||
        (sfd = signalfd(-1, &signals, SFD_CLOEXEC)) < 0) {
        perror("tun_relay: signalfd");
        return 1;
    }
    r.tun[0] = attach(argv[1], argv[2]);
    r.tun[1] = r.tun[0] < 0 ? -1 : attach(argv[3], argv[4]);
    if (r.tun[1] < 0)
        return 1;
    printf("ready\n");
    fflush(stdout);

    fds[0] = (struct pollfd){.fd = r.tun[0], .events = POLLIN};
    fds[1] = (struct pollfd){.fd = r.tun[1], .events = POLLIN};
    fds[2] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
    fds[3] = (struct pollfd){.fd = sfd, .events = POLLIN};
    while (!stop) {
        int timeout = release(&r);

        if (poll(fds, 4, timeout) < 0 && errno != EINTR) {
            perror("tun_relay: poll");
            break;
        }
        for (int i = 0; i < 2; i++)
            if (fds[i].revents & POLLIN)
                take(&r, i, buf);
        if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

            stop = n <= 0; /* stdin closed: the test that owns us is done */
        }
        if (fds[3].revents & POLLIN)
            stop = 1;
    }
    fprintf(stderr, "tun_relay: moved %llu reordered %llu dropped %llu write_failed %llu\n",
            (unsigned long long)r.moved, (unsigned long long)r.reordered,
            (unsigned long long)r.dropped, (unsigned long long)r.write_failed);
    while (r.count > 0)
        free(heap_pop(&r).data);
    return 0;
}
