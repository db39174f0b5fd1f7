/*
 * loopback.h - what the socket tests share: the port a handle is bound to, a connected pair,
 * closing handles with each close checked (CLOSE_ALL), a socket's member read as the core
 * reads it (SOCK_MEMBER), and (on Linux, from fds.h) the count of open descriptors.
 */
#ifndef GENTCP_LOOPBACK_H
#define GENTCP_LOOPBACK_H

#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "fds.h"
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

/* Closes the N handles at HANDLES in order, checking each close. */
static inline void close_handles(const int64_t *handles, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        CHECK_EQ(gt_close(handles[i]), 0);
}

/* CLOSE_ALL(a, b, ...): closes the handles a, b, ... in order, checking each close. */
#define CLOSE_ALL(...)                                                                             \
    close_handles((const int64_t[]){__VA_ARGS__},                                                  \
                  sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

static inline void close_pair(struct pair *p)
{
    CLOSE_ALL(p->client, p->server, p->listen);
}

/* Member MEMBER of handle H's socket, read while holding a reference to it as the core reads it
 * (gt__acquire, struct gt_sock: for the tests that include internal.h). */
#define SOCK_MEMBER(h, member)                                                                     \
    ({                                                                                             \
        struct gt_sock *sock_member_s_ = gt__acquire(h);                                           \
        __typeof__(sock_member_s_->member) sock_member_v_;                                         \
                                                                                                   \
        CHECK(sock_member_s_ != NULL);                                                             \
        sock_member_v_ = sock_member_s_->member;                                                   \
        gt__release(sock_member_s_);                                                               \
        sock_member_v_;                                                                            \
    })

static inline int64_t recv_into(int64_t h, int64_t length, int64_t timeout, void *buf, int64_t cap)
{
    return gt_recv(h, length, timeout, (int64_t)(intptr_t)buf, cap);
}

#endif
