/*
 * test_adopt.c - gt_socket_fd ({fd, Fd}): listening, connected and fresh descriptors are
 * adopted; what is not a stream socket, or is a gentcp socket already, is refused and stays
 * the caller's. The protocol of an adopted descriptor is its own (gt_socket_fd_protocol).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gentcp.h"
#include "loopback.h"
#include "platform.h"

static struct sockaddr_in loopback_at(int port)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(LOOPBACK);
    return sin;
}

static void test_listening_and_connected(void)
{
    struct sockaddr_in sin = loopback_at(0);
    int lfd = socket(AF_INET, SOCK_STREAM, 0), cfd = socket(AF_INET, SOCK_STREAM, 0);
    int64_t l, c, s;
    char buf[4];

    CHECK_EQ(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    CHECK_EQ(listen(lfd, 5), 0);
    l = gt_socket_fd(lfd);
    CHECK(l > 0);
    CHECK_EQ(gt_socket_fd(lfd), -EBUSY); /* one owner only */
    CHECK_EQ(gt_listen(l, 10), 0);       /* listening already: a new backlog */
    CHECK(fcntl(lfd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(lfd, F_GETFD) & FD_CLOEXEC);

    sin = loopback_at(local_port(l));
    CHECK_EQ(connect(cfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    c = gt_socket_fd(cfd);
    CHECK(c > 0);
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(l), 1000), -EISCONN);
    CHECK_EQ(gt_setopt(c, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    s = gt_accept(l, 5000);
    CHECK(s > 0);
    CHECK_EQ(gt_setopt(s, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_send(c, (int64_t)(intptr_t) "abc", 3), 0);
    CHECK_EQ(gt_recv(s, 3, 5000, (int64_t)(intptr_t)buf, sizeof(buf)), 3);
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(fcntl(cfd, F_GETFD), -1); /* gentcp closed it (nothing reopened it in between:
                                        * this test opens nothing concurrently) */
    CHECK_EQ(gt_close(s), 0);
    CHECK_EQ(gt_close(l), 0);
}

static void test_refused(void)
{
    int pipefd[2], udp = socket(AF_INET, SOCK_DGRAM, 0), fresh = socket(AF_INET, SOCK_STREAM, 0);
    int64_t h;

    CHECK_EQ(gt_socket_fd(-1), -EBADF);
    CHECK_EQ(gt_socket_fd((int64_t)1 << 40), -EBADF);
    CHECK_EQ(pipe(pipefd), 0);
    CHECK_EQ(gt_socket_fd(pipefd[0]), -ENOTSOCK);
    CHECK_EQ(gt_socket_fd(udp), -ESOCKTNOSUPPORT);
    CHECK_EQ(close(pipefd[0]), 0); /* still the caller's */
    CHECK_EQ(close(pipefd[1]), 0);
    CHECK_EQ(close(udp), 0);
    CHECK_EQ(gt_socket_fd(pipefd[0]), -EBADF);
    /* a fresh socket: then bound and listening as a new one */
    h = gt_socket_fd(fresh);
    CHECK(h > 0);
    CHECK_EQ(gt_bind(h, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(h, 5), 0);
    CHECK(local_port(h) > 0);
    CHECK_EQ(gt_close(h), 0);
}

/* An adopted descriptor's protocol is its own: gt_getopt answers it, gt_setopt cannot change
 * it, and gt_socket_fd_protocol refuses a descriptor of another protocol, which then stays the
 * caller's. */
static void test_protocol_is_the_descriptors_own(void)
{
    int tcp = socket(AF_INET, SOCK_STREAM, 0), mptcp, fl;
    int64_t h;

    CHECK(tcp >= 0);
    CHECK_EQ(gt_socket_fd_protocol(tcp, 2), -EINVAL);
    CHECK_EQ(gt_socket_fd_protocol(tcp, GT_PROTOCOL_MPTCP), -EINVAL);
    fl = fcntl(tcp, F_GETFL);
    CHECK(fl >= 0 && !(fl & O_NONBLOCK)); /* still the caller's, as it was */
    h = gt_socket_fd_protocol(tcp, GT_PROTOCOL_TCP);
    CHECK(h > 0);
    CHECK_EQ(gt_getopt(h, GT_OPT_PROTOCOL), GT_PROTOCOL_TCP);
    CHECK_EQ(gt_setopt(h, GT_OPT_PROTOCOL, GT_PROTOCOL_TCP), 0); /* its own: nothing to do */
#if GT_LINUX
    CHECK_EQ(gt_setopt(h, GT_OPT_PROTOCOL, GT_PROTOCOL_MPTCP), -EINVAL); /* not made again */
#else
    CHECK_EQ(gt_setopt(h, GT_OPT_PROTOCOL, GT_PROTOCOL_MPTCP), -ENOTSUP);
#endif
    CHECK_EQ(gt_getopt(h, GT_OPT_PROTOCOL), GT_PROTOCOL_TCP);
    CHECK_EQ(gt_close(h), 0);

    mptcp = socket(AF_INET, SOCK_STREAM, 262); /* IPPROTO_MPTCP, made by "other code" */
    if (mptcp < 0) {
        printf("test_adopt: the kernel refuses MPTCP (errno %d): its descriptors not checked\n",
               errno);
    } else {
#if GT_LINUX
        CHECK_EQ(gt_socket_fd_protocol(mptcp, GT_PROTOCOL_TCP), -EINVAL);
        CHECK(fcntl(mptcp, F_GETFD) >= 0); /* still open, the caller's */
        h = gt_socket_fd(mptcp);
        CHECK(h > 0);
        CHECK_EQ(gt_getopt(h, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP);
        CHECK_EQ(gt_setopt(h, GT_OPT_PROTOCOL, GT_PROTOCOL_TCP), -EINVAL);
        CHECK_EQ(gt_getopt(h, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP);
        CHECK_EQ(gt_bind(h, 0, LOOPBACK, 0), 0); /* usable as a fresh socket */
        CHECK_EQ(gt_listen(h, 5), 0);
        CHECK_EQ(gt_close(h), 0);
        mptcp = socket(AF_INET, SOCK_STREAM, 262);
        CHECK(mptcp >= 0);
        h = gt_socket_fd_protocol(mptcp, GT_PROTOCOL_MPTCP);
        CHECK(h > 0);
        CHECK_EQ(gt_getopt(h, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP);
        CHECK_EQ(gt_close(h), 0);
#else
        /* Without MPTCP in gentcp (the portable build on Linux) a stream socket is TCP. */
        h = gt_socket_fd(mptcp);
        CHECK(h > 0);
        CHECK_EQ(gt_getopt(h, GT_OPT_PROTOCOL), GT_PROTOCOL_TCP);
        CHECK_EQ(gt_close(h), 0);
#endif
    }
#if GT_LINUX
    {
        /* A stream socket of another protocol is no TCP socket: refused, still the caller's. */
        int sctp = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

        if (sctp < 0) {
            printf("test_adopt: no SCTP here (errno %d): that refusal not checked\n", errno);
        } else {
            CHECK_EQ(gt_socket_fd(sctp), -EPROTONOSUPPORT);
            CHECK_EQ(close(sctp), 0);
        }
    }
#endif
}

/* Two threads adopting one descriptor at once: at most one of them may own it. */
struct race {
    int fd;
    pthread_barrier_t *go;
    int64_t h;
};

static void *adopt_after_barrier(void *arg)
{
    struct race *r = arg;

    pthread_barrier_wait(r->go);
    r->h = gt_socket_fd(r->fd);
    return NULL;
}

static void test_one_owner_under_a_race(void)
{
    pthread_barrier_t go;
    int i, both = 0, neither = 0;

    pthread_barrier_init(&go, NULL, 2);
    for (i = 0; i < 2000; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct race a = {fd, &go, 0}, b = {fd, &go, 0};
        pthread_t ta, tb;

        CHECK(fd >= 0);
        pthread_create(&ta, NULL, adopt_after_barrier, &a);
        pthread_create(&tb, NULL, adopt_after_barrier, &b);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        both += a.h > 0 && b.h > 0;
        neither += a.h <= 0 && b.h <= 0;
        if (a.h > 0)
            CHECK_EQ(gt_close(a.h), 0);
        if (b.h > 0)
            CHECK_EQ(gt_close(b.h), 0);
        if (a.h <= 0 && b.h <= 0)
            close(fd);
    }
    CHECK_EQ(both, 0);
    CHECK_EQ(neither, 0);
    pthread_barrier_destroy(&go);
}

int main(void)
{
    test_listening_and_connected();
    test_refused();
    test_protocol_is_the_descriptors_own();
    test_one_owner_under_a_race();
    CHECK_DONE();
}
