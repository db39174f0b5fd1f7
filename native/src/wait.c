/*
 * wait.c - reading and waiting under a socket's idle strategy.
 *
 * The latency of a passive recv is set by how the thread waits, so this is the only place
 * that decides it:
 *   block  one blocking recv(2) when there is no time limit: the same single syscall a C
 *          program would make. With a time limit: ppoll(2), then a non-blocking recv.
 *   spin   non-blocking recv(2) in a loop for spin_ns, inside C (no FFI crossing per try),
 *          then as 'block'.
 *   busy   non-blocking recv(2) in a loop until data, the time limit or close; for threads
 *          pinned to their own core.
 * With receive timestamps on, each read is a recvmsg(2) that keeps them (tstamp.c).
 * Every path notices a concurrent gt_close(): close shuts the descriptor down, which ends a
 * blocking recv or ppoll at once, and the spinning loops test the closed mark each turn.
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include "internal.h"
#include "platform.h"

int64_t gt__now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t gt__deadline(int64_t timeout_ms)
{
    if (timeout_ms < 0 || timeout_ms > INT64_MAX / 2000000)
        return GT_NO_DEADLINE;
    return gt__now_ns() + timeout_ms * 1000000;
}

int gt__wait_fd(struct gt_sock *s, int fd, short events, int64_t deadline_ns)
{
    return gt__wait_fd_or_wake(s, fd, events, -1, deadline_ns);
}

int gt__wait_fd_or_wake(struct gt_sock *s, int fd, short events, int wake_fd, int64_t deadline_ns)
{
    struct pollfd pfd[2] = {{.fd = fd, .events = events}, {.fd = wake_fd, .events = POLLIN}};
    struct timespec ts, *tsp;
    int64_t left;
    int r;

    for (;;) {
        if (s != NULL && gt__is_closed(s))
            return -GT_ECLOSED;
        tsp = NULL;
        if (deadline_ns != GT_NO_DEADLINE) {
            left = deadline_ns - gt__now_ns();
            if (left <= 0)
                return -GT_ETIMEOUT;
            ts.tv_sec = left / 1000000000;
            ts.tv_nsec = left % 1000000000;
            tsp = &ts;
        }
        r = gt__poll_fds(pfd, wake_fd >= 0 ? 2 : 1, tsp);
        if (r < 0 && errno != EINTR)
            return -errno;
        /* Woken only by kernel timestamps on the error queue: moved aside, the wait goes on. */
        if (r == 1 && s != NULL && pfd[0].revents == POLLERR && gt__tstamp_drain(s) > 0)
            continue;
        if (r > 0)
            return s != NULL && gt__is_closed(s) ? -GT_ECLOSED : 1;
    }
}

/* The result of a recv(2) that did not fail with EAGAIN, as gt__read reports it. */
static int64_t read_result(struct gt_sock *s, ssize_t r, int err)
{
    /* A recv that ended because gt_close() shut the socket down is 'closed', not EOF. */
    if (gt__is_closed(s))
        return -GT_ECLOSED;
    return r >= 0 ? r : -err;
}

/* One recv(2) that does not wait: 0 if it would have (or was interrupted), else 1 with *OUT
 * its result as gt__read reports it. */
static int read_now(struct gt_sock *s, void *buf, size_t len, int64_t *out)
{
    ssize_t r = gt__sock_recv(s, buf, len, MSG_DONTWAIT);

    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    *out = read_result(s, r, errno);
    return 1;
}

/* Poll with non-blocking reads until END_NS. Returns as gt__read, or -GT_ETIMEOUT. */
static int64_t spin_read(struct gt_sock *s, void *buf, size_t len, int64_t end_ns)
{
    int64_t r;

    for (;;) {
        if (read_now(s, buf, len, &r))
            return r;
        if (gt__is_closed(s))
            return -GT_ECLOSED;
        /* Without a time limit there is no clock to read: one syscall per try, nothing else. */
        if (end_ns != GT_NO_DEADLINE && gt__now_ns() >= end_ns)
            return -GT_ETIMEOUT;
        gt__cpu_relax();
    }
}

int64_t gt__read(struct gt_sock *s, void *buf, size_t len, int64_t deadline_ns)
{
    int64_t r;

    if (s->opts.idle == GT_IDLE_BUSY)
        return spin_read(s, buf, len, deadline_ns);
    if (s->opts.idle == GT_IDLE_SPIN && s->opts.spin_ns > 0) {
        int64_t spin_end = gt__now_ns() + s->opts.spin_ns;

        r = spin_read(s, buf, len, spin_end < deadline_ns ? spin_end : deadline_ns);
        if (r != -GT_ETIMEOUT || gt__now_ns() >= deadline_ns)
            return r;
    }
    if (deadline_ns == GT_NO_DEADLINE) {
        r = GT_RETRY(gt__sock_recv(s, buf, len, 0));
        return read_result(s, r, errno);
    }
    for (;;) {
        if (read_now(s, buf, len, &r))
            return r;
        r = gt__wait_fd(s, s->fd, POLLIN, deadline_ns);
        if (r < 0)
            return r;
    }
}
