/*
 * test_netns.c - gt_socket_netns without iproute2: entering the process's own namespace
 * exercises the helper thread's whole path (enter, create, return) under the sanitizers;
 * bad files are refused; the calling thread's namespace is the same afterwards.
 * (NetnsTest in Java covers real namespaces and veth pairs.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "gentcp.h"
#include "loopback.h"

#define PTR(p) ((int64_t)(intptr_t)(p))

static void thread_netns(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/thread-self/ns/net", out, cap - 1);

    CHECK(n > 0);
    out[n] = 0;
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
