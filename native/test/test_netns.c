/*
 * test_netns.c - gt_socket_netns without iproute2: entering the process's own namespace
 * exercises the helper thread's whole path (enter, create, return) under the sanitizers;
 * bad files are refused; the calling thread's namespace is the same afterwards. With
 * {protocol, mptcp} the socket is made MPTCP inside the namespace: one whose MPTCP is turned
 * off refuses it while the caller's makes it. (NetnsTest in Java covers real namespaces and
 * veth pairs.)
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "gentcp.h"
#include "loopback.h"
#include "platform.h"

#define PTR(p) ((int64_t)(intptr_t)(p))

static void thread_netns(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/thread-self/ns/net", out, cap - 1);

    CHECK(n > 0);
    out[n] = 0;
}

static int protocol_of(int64_t h)
{
    int proto = -1;

    CHECK_EQ(gt_getopt_raw(h, SOL_SOCKET, SO_PROTOCOL, PTR(&proto), sizeof(proto)),
             (int32_t)sizeof(proto));
    return proto;
}

#if GT_HAVE_NETNS
/* A new network namespace with MPTCP turned off in it: a helper thread unshares one, writes
 * its net.mptcp.enabled, and hands back a descriptor of it (or -errno); the namespace lives
 * as long as that descriptor. */
static void *new_netns_without_mptcp(void *arg)
{
    int *out = arg, sysctl;

    if (unshare(CLONE_NEWNET) < 0) {
        *out = -errno;
        return NULL;
    }
    sysctl = open("/proc/sys/net/mptcp/enabled", O_WRONLY | O_CLOEXEC); /* this namespace's */
    if (sysctl < 0 || write(sysctl, "0", 1) != 1) { /* a read-only /proc/sys (a container) */
        *out = -errno;
        if (sysctl >= 0)
            close(sysctl);
        return NULL;
    }
    close(sysctl);
    *out = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    CHECK(*out >= 0);
    return NULL; /* the thread ends, and with it its stay in the namespace */
}
#endif

/* {netns, Path} with {protocol, mptcp}: made as IPPROTO_MPTCP by the helper thread, inside. */
static void test_protocol(const char *own, int64_t own_len)
{
    int64_t l, c, a;

    CHECK_EQ(gt_socket_netns_protocol(AF_INET, PTR(own), own_len, 2), -EINVAL);
    l = gt_socket_netns_protocol(AF_INET, PTR(own), own_len, GT_PROTOCOL_MPTCP);
    if (l == -EPROTONOSUPPORT || l == -ENOPROTOOPT) {
        printf("test_netns: the kernel refuses MPTCP (%d): {protocol, mptcp} not checked\n",
               (int)l);
        return;
    }
    CHECK(l > 0);
    CHECK_EQ(protocol_of(l), 262); /* IPPROTO_MPTCP */
    CHECK_EQ(gt_getopt(l, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP);
    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    c = gt_socket_netns_protocol(AF_INET, PTR(own), own_len, GT_PROTOCOL_MPTCP);
    CHECK(c > 0);
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(l), 5000), 0);
    a = gt_accept(l, 5000);
    CHECK(a > 0);
    CHECK_EQ(protocol_of(c), 262);
    CHECK_EQ(gt_setopt(c, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_setopt(a, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    {
        char buf[8];

        CHECK_EQ(gt_send(c, PTR("mptcp"), 5), 0);
        CHECK_EQ(gt_recv(a, 5, 5000, PTR(buf), sizeof(buf)), 5);
        CHECK(memcmp(buf, "mptcp", 5) == 0);
    }
    CHECK_EQ(gt_close(a), 0);
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(gt_close(l), 0);

#if GT_HAVE_NETNS
    char path[64];
    pthread_t t;
    int ns = -1;

    CHECK_EQ(pthread_create(&t, NULL, new_netns_without_mptcp, &ns), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    if (ns < 0) {
        printf("test_netns: no namespace of our own (%d): MPTCP inside it not checked\n", ns);
        return;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", ns);
    /* Made in the caller's namespace, it would be made: inside, MPTCP is off. */
    CHECK_EQ(gt_socket_netns_protocol(AF_INET, PTR(path), (int64_t)strlen(path), GT_PROTOCOL_MPTCP),
             -ENOPROTOOPT);
    l = gt_socket_protocol(AF_INET, GT_PROTOCOL_MPTCP);
    CHECK(l > 0);
    CHECK_EQ(gt_close(l), 0);
    l = gt_socket_netns_protocol(AF_INET, PTR(path), (int64_t)strlen(path), GT_PROTOCOL_TCP);
    CHECK(l > 0);
    CHECK_EQ(protocol_of(l), IPPROTO_TCP);
    CHECK_EQ(gt_getopt(l, GT_OPT_PROTOCOL), GT_PROTOCOL_TCP);
    /* Made again by gt_setopt, it would be made in the caller's namespace: refused. */
    CHECK_EQ(gt_setopt(l, GT_OPT_PROTOCOL, GT_PROTOCOL_MPTCP), -EINVAL);
    CHECK_EQ(protocol_of(l), IPPROTO_TCP);
    CHECK_EQ(gt_close(l), 0);
    close(ns);
#endif
}

int main(void)
{
    static const char own[] = "/proc/self/ns/net";
    static const char mnt[] = "/proc/self/ns/mnt";
    static const char none[] = "/nonexistent/netns";
    char before[64], after[64];
    int64_t h;

    thread_netns(before, sizeof(before));
    h = gt_socket_netns(AF_INET, PTR(own), sizeof(own) - 1);
    if (h == -EPERM) {
        printf(
            "test_netns: not allowed to enter a namespace (not root): only the refusals checked\n");
    } else {
        CHECK(h > 0);
        CHECK_EQ(gt_bind(h, 0, LOOPBACK, 0), 0);
        CHECK_EQ(gt_listen(h, 5), 0);
        CHECK(local_port(h) > 0);
        CHECK_EQ(gt_close(h), 0);
        CHECK_EQ(gt_socket_netns(AF_INET, PTR(mnt), sizeof(mnt) - 1),
                 -EINVAL); /* no network namespace */
        test_protocol(own, sizeof(own) - 1);
    }
    CHECK_EQ(gt_socket_netns(AF_INET, PTR(none), sizeof(none) - 1), -ENOENT);
    {
        /* A FIFO nobody writes to: opening it must not wait for a writer (the caller would
         * hang in native code); it is refused as not a namespace. */
        char fifo[64];

        snprintf(fifo, sizeof(fifo), "/tmp/gentcp-test-netns-%d", (int)getpid());
        CHECK_EQ(mkfifo(fifo, 0600), 0);
        h = gt_socket_netns(AF_INET, PTR(fifo), (int64_t)strlen(fifo));
        CHECK(h == -EINVAL || h == -EPERM);
        unlink(fifo);
    }
    CHECK_EQ(gt_socket_netns(AF_INET, PTR("a\0b"), 3), -EINVAL);
    CHECK_EQ(gt_socket_netns(AF_INET, 0, 4), -EINVAL);
    CHECK_EQ(gt_socket_netns(AF_INET, PTR(own), 0), -EINVAL);
    CHECK_EQ(gt_socket_netns(12345, PTR(own), sizeof(own) - 1), -EAFNOSUPPORT);
    thread_netns(after, sizeof(after));
    CHECK(strcmp(before, after) == 0);
    CHECK_DONE();
}
