/*
 * loopback.h - what the socket tests share: the port a handle is bound to, a connected pair,
 * and (on Linux) the count of open descriptors.
 */
#ifndef GENTCP_LOOPBACK_H
#define GENTCP_LOOPBACK_H

#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "gentcp.h"

#define LOOPBACK 0x7f000001

static inline int local_port(int64_t h)
{
    uint8_t rec[GT_SOCKADDR_SIZE];
    int32_t port;

    CHECK_EQ(gt_sockname(h, (int64_t)(intptr_t)rec, sizeof(rec)), 0);
    memcpy(&port, rec + 4, 4);
    return port;
}

/* Two connected sockets over loopback, both passive, and the listen socket that made them. */
struct pair {
    int64_t listen, client, server;
};

/* A pair whose client frames with CLIENT_PACKET and whose server (accepted, so it inherits the
 * listen socket's options) with SERVER_PACKET; the client's inet_backend is INET_BACKEND (an
 * option set before the connect). */
static inline struct pair make_pair_backend(int client_packet, int server_packet, int inet_backend)
{
    struct pair p;

    p.listen = gt_socket(AF_INET);
    CHECK(p.listen > 0);
    CHECK_EQ(gt_bind(p.listen, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(p.listen, 5), 0);
    CHECK_EQ(gt_setopt(p.listen, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_setopt(p.listen, GT_OPT_PACKET, server_packet), 0);
    p.client = gt_socket(AF_INET);
    CHECK(p.client > 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_PACKET, client_packet), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_INET_BACKEND, inet_backend), 0);
    CHECK_EQ(gt_connect(p.client, 0, LOOPBACK, local_port(p.listen), 5000), 0);
    p.server = gt_accept(p.listen, 5000);
    CHECK(p.server > 0);
    return p;
}

/* A pair as make_pair_backend's, the client on the default (inet) backend. */
static inline struct pair make_pair_of(int client_packet, int server_packet)
{
    return make_pair_backend(client_packet, server_packet, 0);
}

static inline void close_pair(struct pair *p)
{
    CHECK_EQ(gt_close(p->client), 0);
    CHECK_EQ(gt_close(p->server), 0);
    CHECK_EQ(gt_close(p->listen), 0);
}

static inline int64_t recv_into(int64_t h, int64_t length, int64_t timeout, void *buf, int64_t cap)
{
    return gt_recv(h, length, timeout, (int64_t)(intptr_t)buf, cap);
}

#ifdef __linux__
#include <dirent.h>

/* The descriptors this process has open (with the one that reads them). */
static inline int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    CHECK(d != NULL);
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n;
}
#endif

#endif
