/*
 * test_platform.c - what platform.h decides, checked on the build it is compiled into: the
 * Linux core, and on Linux also the portable core (GT_PRETEND_NOT_LINUX, see CMakeLists.txt),
 * whose non-Linux branches then run here for real.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "gentcp.h"
#include "internal.h"
#include "loopback.h"
#include "platform.h"

#define PTR(p) ((int64_t)(intptr_t)(p))
#define BIT(opt) ((uint64_t)1 << (opt))

static int fd_of(int64_t h)
{
    return SOCK_MEMBER(h, fd);
}

/* socket, accept: close-on-exec, and an accepted socket blocks although its listener does not
 * (BSD's accept hands the new socket the listener's O_NONBLOCK; gentcp must clear it). */
static void test_descriptor_modes(void)
{
    int64_t l = gt_socket(AF_INET), c = gt_socket(AF_INET), a;
    int lfd, afd;

    CHECK(l > 0 && c > 0);
    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    lfd = fd_of(l);
    CHECK(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(lfd, F_GETFL) & O_NONBLOCK);
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(l), 5000), 0);
    a = gt_accept(l, 5000);
    CHECK(a > 0);
    afd = fd_of(a);
    CHECK(fcntl(afd, F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(fcntl(afd, F_GETFL) & O_NONBLOCK, 0);
    CHECK(fcntl(fd_of(c), F_GETFD) & FD_CLOEXEC);
    CHECK_EQ(fcntl(fd_of(c), F_GETFL) & O_NONBLOCK, 0);
    /* a peer gone: the send fails (EPIPE -> closed), the process gets no SIGPIPE */
    CHECK_EQ(gt_close(a), 0);
    CHECK_EQ(gt_close(l), 0);
    {
        static uint8_t buf[65536];
        int64_t r = 0;
        int i;

        for (i = 0; i < 200 && r >= 0; i++)
            r = gt_send(c, PTR(buf), sizeof(buf));
        CHECK(r < 0);
    }
    CHECK_EQ(gt_close(c), 0);
}

/* gt__poll_fds never returns before its time limit (poll rounds milliseconds up). */
static void test_poll_timeout(void)
{
    int p[2];
    struct pollfd pfd;
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 1500000};
    int64_t t0, t1;

    CHECK_EQ(pipe(p), 0);
    pfd.fd = p[0];
    pfd.events = POLLIN;
    pfd.revents = 0;
    t0 = gt__now_ns();
    CHECK_EQ(gt__poll_fds(&pfd, 1, &ts), 0);
    t1 = gt__now_ns();
    CHECK(t1 - t0 >= 1500000);
    CHECK(t1 - t0 < 5000000000LL); /* a generous bound against a hang */
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(gt__poll_fds(&pfd, 1, NULL), 1);
    CHECK(pfd.revents & POLLIN);
    close(p[0]);
    close(p[1]);
}

/* An option the platform lacks answers enotsup, in setopt and getopt, and GT_OPTS_ABSENT names
 * exactly those; on Linux none. */
static void test_absent_options(void)
{
    static const int32_t linux_only[] = {
        GT_OPT_PRIORITY,     GT_OPT_QUICKACK,  GT_OPT_USER_TIMEOUT, GT_OPT_MARK,
        GT_OPT_INCOMING_CPU, GT_OPT_BUSY_POLL, GT_OPT_FASTOPEN,     GT_OPT_PREFER_BUSY_POLL};
    int64_t absent = gt_constant("GT_OPTS_ABSENT");
    int64_t h = gt_socket(AF_INET);
    int32_t opt;
    size_t i;

    CHECK(h > 0);
    CHECK(absent >= 0);
    if (GT_LINUX)
        CHECK_EQ(absent, 0);
    for (i = 0; i < sizeof(linux_only) / sizeof(linux_only[0]); i++)
        CHECK_EQ(!!((uint64_t)absent & BIT(linux_only[i])), !GT_LINUX);
    for (opt = 0; opt < 64; opt++) {
        if (!((uint64_t)absent & BIT(opt)))
            continue;
        CHECK_EQ(gt_setopt(h, opt, 1), -ENOTSUP);
        CHECK_EQ(gt_getopt(h, opt), -ENOTSUP);
    }
    /* options every platform has still work */
    CHECK_EQ(gt_setopt(h, GT_OPT_KEEPALIVE, 1), 0);
    CHECK_EQ(gt_getopt(h, GT_OPT_KEEPALIVE), 1);
    CHECK_EQ(gt_close(h), 0);
}

/* The Linux-only calls: enotsup elsewhere, after the same argument checks. */
static void test_linux_only_calls(void)
{
    static const char path[] = "/var/run/netns/none";
    int64_t out[GT_PKT_COUNT];
    int64_t h;

    if (!GT_HAVE_NETNS) {
        CHECK_EQ(gt_socket_netns(AF_INET, PTR(path), (int64_t)strlen(path)), -ENOTSUP);
        CHECK_EQ(gt_socket_netns(AF_INET, 0, 4), -EINVAL);
    }
    /* bind_to_device is a raw option in Java, which finds no SO_BINDTODEVICE here: enotsup */
    CHECK_EQ(gt_constant("SO_BINDTODEVICE") == INT64_MIN, !GT_LINUX);
    if (!GT_HAVE_PKTOPTIONS) {
        h = gt_socket(AF_INET);
        CHECK_EQ(gt_pktoptions(h, PTR(out), sizeof(out)), -ENOTSUP);
        CHECK_EQ(gt_close(h), 0);
    }
    if (!GT_LINUX
#if defined(__FreeBSD__)
        && 0
#endif
    )
        CHECK_EQ(gt_pin_thread(0), -ENOTSUP);
    else
        CHECK_EQ(gt_pin_thread(-1), 0);
}

/* Local names: paths everywhere; abstract names and autobind only where they exist. */
static void test_local_names(void)
{
    char path[64];
    uint8_t rec[GT_SOCKADDR_MAX];
    int64_t l = gt_socket(AF_UNIX), c = gt_socket(AF_UNIX), a;
    int32_t n;

    CHECK(l > 0 && c > 0);
    snprintf(path, sizeof(path), "/tmp/gentcp-platform-%d", (int)getpid());
    unlink(path);
    CHECK_EQ(gt_bind_local(l, PTR(path), (int64_t)strlen(path)), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    CHECK_EQ(gt_connect_local(c, PTR(path), (int64_t)strlen(path), 5000), 0);
    a = gt_accept(l, 5000);
    CHECK(a > 0);
    /* the client never bound: an unnamed socket, length 0 */
    CHECK_EQ(gt_sockname(c, PTR(rec), sizeof(rec)), 0);
    memcpy(&n, rec + 4, 4);
    CHECK_EQ(n, 0);
    CHECK_EQ(gt_close(a), 0);
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(gt_close(l), 0);
    unlink(path);
    if (!GT_HAVE_ABSTRACT_UNIX) {
        l = gt_socket(AF_UNIX);
        CHECK_EQ(gt_bind_local(l, 0, 0), -EINVAL);
        CHECK_EQ(gt_bind_local(l, PTR("\0abc"), 4), -EINVAL);
        CHECK_EQ(gt_close(l), 0);
    }
}

int main(void)
{
    test_descriptor_modes();
    test_poll_timeout();
    test_absent_options();
    test_linux_only_calls();
    test_local_names();
    CHECK_DONE();
}
