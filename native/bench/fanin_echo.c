/*
 * fanin_echo.c - the floor of `gentcp fanin`: a one-thread epoll echo server for {packet, 4},
 * what a careful C program serving many connections does.
 *
 *   fanin_echo [--port P] [--backlog N] [--cpu C]
 *
 * Listens on 127.0.0.1:P (0, the default, picks a free port) with a listen queue of N (default
 * 1024; the kernel caps it at net.core.somaxconn), prints "listening on PORT" and serves until
 * it is killed. Non-blocking sockets, level-triggered epoll, TCP_NODELAY on every connection.
 * Per wake-up of a connection: one recv(2) of what is there (after the partial packet it kept),
 * and every complete packet it now has echoed in one send(2) straight from the read buffer (an
 * echo is the packet unchanged, header and all). A partial packet is kept for the next wake-up;
 * what the kernel does not take is kept and sent on EPOLLOUT, reading that connection paused
 * meanwhile. A peer's close or reset ends its connection quietly; a header above MAX_PACKET
 * ends it with a line to stderr. Errors of the listener or the poller exit 1; a bad command
 * line exits 2.
 *
 * Linux only (epoll, accept4).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4, CPU_SET, sched_setaffinity */
#endif
#include <arpa/inet.h>
#include <errno.h>
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
#define READ_SIZE (64 * 1024)
#define MAX_PACKET (64 * 1024 * 1024)
/* Events per epoll_wait: enough to take a busy server's whole ready list at once, so that
 * sockets are served oldest first (with 1,024 at 10,000 connections, p99 was twice p50). */
#define EVENTS 16384
#define ACCEPTS_PER_WAKEUP 1024

struct conn {
    uint8_t *keep; /* a partial packet, or echoes the kernel did not take yet */
    size_t keep_len, keep_cap;
    int sending; /* KEEP holds echoes to send, not a partial packet */
};

static struct conn *conns; /* by descriptor */
static size_t conns_cap;
static uint8_t *rbuf; /* the read buffer, shared: a kept partial packet, then READ_SIZE */
static size_t rbuf_cap;
static int ep;

#define USAGE "usage: fanin_echo [--port P] [--backlog N] [--cpu C]"

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap > 0 ? *cap : 16;

    if (need <= *cap)
        return p;
    while (n < need)
        n *= 2;
    p = realloc(p, n * elem);
    if (p == NULL)
        ref_die("out of memory", 0);
    if (elem > 1)
        memset((char *)p + *cap * elem, 0, (n - *cap) * elem);
    *cap = n;
    return p;
}

static void keep(struct conn *c, const uint8_t *p, size_t len, int sending)
{
    c->keep = grow(c->keep, &c->keep_cap, len, 1);
    memmove(c->keep, p, len);
    c->keep_len = len;
    c->sending = sending;
}

static void watch(int fd, int op, uint32_t events)
{
    struct epoll_event ev;

    ev.events = events;
    ev.data.fd = fd;
    if (epoll_ctl(ep, op, fd, &ev) < 0)
        ref_die("epoll_ctl", errno);
}

static void drop(int fd)
{
    struct conn *c = &conns[fd];

    close(fd); /* leaves the epoll set with its last descriptor */
    free(c->keep);
    memset(c, 0, sizeof(*c));
}

/* Whether the peer went away (an ordinary end), rather than something this server did wrong. */
static int peer_gone(int err)
{
    return err == ECONNRESET || err == EPIPE || err == ENOTCONN || err == ETIMEDOUT;
}

/* Sends P[0, LEN); keeps what the kernel did not take and waits for EPOLLOUT. 0, or -1 when
 * the connection ended. */
static int send_or_keep(int fd, const uint8_t *p, size_t len)
{
    ssize_t r;
    size_t off = 0;

    while (off < len) {
        r = send(fd, p + off, len - off, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (!peer_gone(errno))
                fprintf(stderr, "fanin_echo: send: %s\n", strerror(errno));
            drop(fd);
            return -1;
        }
        off += (size_t)r;
    }
    if (off < len) {
        keep(&conns[fd], p + off, len - off, 1);
        watch(fd, EPOLL_CTL_MOD, EPOLLOUT);
    }
    return 0;
}

static void on_writable(int fd)
{
    struct conn *c = &conns[fd];
    ssize_t r;

    do
        r = send(fd, c->keep, c->keep_len, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        if (!peer_gone(errno))
            fprintf(stderr, "fanin_echo: send: %s\n", strerror(errno));
        drop(fd);
        return;
    }
    memmove(c->keep, c->keep + r, c->keep_len - (size_t)r);
    c->keep_len -= (size_t)r;
    if (c->keep_len == 0) {
        c->sending = 0;
        watch(fd, EPOLL_CTL_MOD, EPOLLIN);
    }
}

static void on_readable(int fd)
{
    struct conn *c = &conns[fd];
    size_t have = c->keep_len, off = 0;
    uint64_t len;
    ssize_t r;

    rbuf = grow(rbuf, &rbuf_cap, have + READ_SIZE, 1);
    memcpy(rbuf, c->keep, have);
    do
        r = recv(fd, rbuf + have, READ_SIZE, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (r <= 0) {
        if (r < 0 && !peer_gone(errno))
            fprintf(stderr, "fanin_echo: recv: %s\n", strerror(errno));
        drop(fd);
        return;
    }
    have += (size_t)r;
    /* The complete packets at the front: their echo is these very bytes. */
    while (have - off >= HEADER) {
        len = gt__get_be(rbuf + off, HEADER);
        if (len > MAX_PACKET) {
            fprintf(stderr,
                    "fanin_echo: a header announces %llu bytes, more than %d: connection closed\n",
                    (unsigned long long)len, MAX_PACKET);
            drop(fd);
            return;
        }
        if (have - off < HEADER + len)
            break;
        off += HEADER + (size_t)len;
    }
    c->keep_len = 0;
    if (off > 0 && send_or_keep(fd, rbuf, off) < 0)
        return;
    if (off < have) {
        if (c->sending) {
            /* The kernel's send buffer is full: keep the partial packet after the echoes (an
             * echo's bytes out are its bytes in, so they may leave together). */
            c->keep = grow(c->keep, &c->keep_cap, c->keep_len + have - off, 1);
            memcpy(c->keep + c->keep_len, rbuf + off, have - off);
            c->keep_len += have - off;
        } else {
            keep(c, rbuf + off, have - off, 0);
        }
    }
}

static void on_listener(int lfd)
{
    int i, fd, one = 1;

    for (i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
        fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            ref_die("accept4", errno);
        }
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
            ref_die("setsockopt(TCP_NODELAY)", errno);
        conns = grow(conns, &conns_cap, (size_t)fd + 1, sizeof(*conns));
        watch(fd, EPOLL_CTL_ADD, EPOLLIN);
    }
}

int main(int argc, char **argv)
{
    struct sockaddr_in addr;
    socklen_t alen = sizeof(addr);
    static struct epoll_event events[EVENTS];
    long port = 0, backlog = 1024, cpu = -1;
    int i, n, lfd, one = 1;

    ref_program("fanin_echo", USAGE);
    for (i = 1; i < argc; i++) {
        const char *opt = argv[i], *val;

        val = ref_option_value(argc, argv, &i);
        if (strcmp(opt, "--port") == 0)
            port = ref_parse_num(opt, val, 0, 65535);
        else if (strcmp(opt, "--backlog") == 0)
            backlog = ref_parse_num(opt, val, 1, 1 << 30);
        else if (strcmp(opt, "--cpu") == 0)
            cpu = ref_parse_num(opt, val, -1, CPU_SETSIZE - 1);
        else
            ref_usage("unknown option", opt);
    }
    if (cpu >= 0 && ref_pin(0, (int)cpu) < 0)
        ref_die("sched_setaffinity", errno);
    ref_raise_fd_limit(); /* as many connections as the hard limit allows */

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0)
        ref_die("socket", errno);
    if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
        ref_die("setsockopt(SO_REUSEADDR)", errno);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
        ref_die("bind 127.0.0.1", errno);
    if (listen(lfd, (int)backlog) < 0)
        ref_die("listen", errno);
    if (getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0)
        ref_die("getsockname", errno);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        ref_die("epoll_create1", errno);
    watch(lfd, EPOLL_CTL_ADD, EPOLLIN);
    printf("listening on %d\n", ntohs(addr.sin_port));
    if (fflush(stdout) != 0)
        ref_die("writing the port", errno);

    for (;;) {
        n = ref_epoll_wait(ep, events, EVENTS, -1);
        for (i = 0; i < n; i++) {
            int fd = events[i].data.fd;

            if (fd == lfd)
                on_listener(lfd);
            else if (conns[fd].sending)
                on_writable(fd);
            else
                on_readable(fd);
        }
    }
}
