/*
 * test_local.c - AF_UNIX (OTP's `local`) sockets through the ABI: names made and reported,
 * bad names refused, autobind, TCP options refused, a round trip.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gentcp.h"

#define PTR(p) ((int64_t)(intptr_t)(p))

/* The name in a gt_sockname/gt_peername record; returns its length. */
static int32_t name_of(int64_t h, int peer, uint8_t *name)
{
    uint8_t rec[GT_SOCKADDR_MAX];
    int32_t family, len;

    CHECK_EQ(peer ? gt_peername(h, PTR(rec), sizeof(rec)) : gt_sockname(h, PTR(rec), sizeof(rec)),
             0);
    memcpy(&family, rec, 4);
    memcpy(&len, rec + 4, 4);
    CHECK_EQ(family, AF_UNIX);
    CHECK(len >= 0 && len <= GT_SOCKADDR_MAX - 8);
    memcpy(name, rec + 8, (size_t)len);
    return len;
}

static void test_bad_names(void)
{
    int64_t h = gt_socket(AF_UNIX);
    char long_path[108], abstract_long[109];
    uint8_t rec[GT_SOCKADDR_SIZE];

    CHECK(h > 0);
    memset(long_path, 'x', sizeof(long_path));
    CHECK_EQ(gt_bind_local(h, PTR(long_path), 108), -EINVAL); /* no room for the NUL */
    CHECK_EQ(gt_bind_local(h, PTR("a\0b"), 3), -EINVAL);      /* NUL inside a path */
    memset(abstract_long, 'y', sizeof(abstract_long));
    abstract_long[0] = 0;
    CHECK_EQ(gt_bind_local(h, PTR(abstract_long), 109), -EINVAL); /* over sun_path */
    CHECK_EQ(gt_bind_local(h, 0, 4), -EINVAL);
    CHECK_EQ(gt_bind_local(h, PTR("/x"), -1), -EINVAL);
    /* an IP address on a local socket, and a local one on an IP socket */
    CHECK_EQ(gt_bind(h, 0, 0x7f000001, 0), -EAFNOSUPPORT);
    /* the record of a local name needs GT_SOCKADDR_MAX bytes */
    CHECK_EQ(gt_bind_local(h, 0, 0), 0);
    CHECK_EQ(gt_sockname(h, PTR(rec), sizeof(rec)), -EINVAL);
    CHECK_EQ(gt_close(h), 0);
    h = gt_socket(AF_INET);
    CHECK_EQ(gt_bind_local(h, PTR("\0n"), 2), -EAFNOSUPPORT);
    CHECK_EQ(gt_connect_local(h, PTR("\0n"), 2, 100), -EAFNOSUPPORT);
    CHECK_EQ(gt_close(h), 0);
}

static void test_abstract_round_trip(void)
{
    static const char server_name[] = "\0gentcp-test-local-server";
    static const char client_name[] = "\0gentcp-test-local-client";
    uint8_t name[GT_SOCKADDR_MAX];
    int64_t l = gt_socket(AF_UNIX), c, s;
    char buf[8];

    CHECK(l > 0);
    CHECK_EQ(gt_setopt(l, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_setopt(l, GT_OPT_NODELAY, 1), -ENOTSUP);
    CHECK_EQ(gt_getopt(l, GT_OPT_NODELAY), -EAFNOSUPPORT);
    CHECK_EQ(gt_setopt(l, GT_OPT_KEEPIDLE, 10), -ENOTSUP);
    CHECK_EQ(gt_getopt(l, GT_OPT_TOS), -EAFNOSUPPORT);
    CHECK_EQ(gt_bind_local(l, PTR(server_name), sizeof(server_name) - 1), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    CHECK_EQ(name_of(l, 0, name), (int32_t)sizeof(server_name) - 1);
    CHECK(memcmp(name, server_name, sizeof(server_name) - 1) == 0);

    c = gt_socket(AF_UNIX);
    CHECK_EQ(gt_setopt(c, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_bind_local(c, PTR(client_name), sizeof(client_name) - 1), 0);
    CHECK_EQ(gt_connect_local(c, PTR(server_name), sizeof(server_name) - 1, 5000), 0);
    s = gt_accept(l, 5000);
    CHECK(s > 0);
    CHECK_EQ(name_of(s, 1, name), (int32_t)sizeof(client_name) - 1);
    CHECK(memcmp(name, client_name, sizeof(client_name) - 1) == 0);
    CHECK_EQ(gt_send(c, PTR("ping"), 4), 0);
    CHECK_EQ(gt_recv(s, 4, 5000, PTR(buf), sizeof(buf)), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(gt_recv(s, 0, 5000, PTR(buf), sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(gt_close(s), 0);
    CHECK_EQ(gt_close(l), 0);
}

static void test_path_and_autobind(void)
{
    char path[64];
    uint8_t name[GT_SOCKADDR_MAX];
    int64_t l = gt_socket(AF_UNIX), c;
    int32_t n;

    snprintf(path, sizeof(path), "/tmp/gentcp-test-local-%d", (int)getpid());
    unlink(path);
    CHECK_EQ(gt_bind_local(l, PTR(path), (int64_t)strlen(path)), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    CHECK_EQ(name_of(l, 0, name), (int32_t)strlen(path)); /* a path comes back without its NUL */
    CHECK(memcmp(name, path, strlen(path)) == 0);
    c = gt_socket(AF_UNIX);
    CHECK_EQ(gt_connect_local(c, PTR(path), (int64_t)strlen(path), 5000), 0);
    CHECK_EQ(name_of(c, 0, name), 0); /* an unnamed client */
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(gt_close(l), 0);
    CHECK_EQ(unlink(path), 0);
    c = gt_socket(AF_UNIX);
    CHECK_EQ(gt_connect_local(c, PTR(path), (int64_t)strlen(path), 100), -ENOENT);
    CHECK_EQ(gt_close(c), 0);

    l = gt_socket(AF_UNIX);
    CHECK_EQ(gt_bind_local(l, 0, 0), 0); /* autobind: an abstract name the kernel picks */
    CHECK_EQ(gt_listen(l, 5), 0);
    n = name_of(l, 0, name);
    CHECK(n > 1 && name[0] == 0);
    CHECK_EQ(gt_close(l), 0);
}

int main(void)
{
    test_bad_names();
    test_abstract_round_trip();
    test_path_and_autobind();
    CHECK_DONE();
}
