/*
 * epoll.c - the Linux backend of poller.h: an epoll set plus an eventfd for wake-ups.
 *
 * The eventfd sits in the epoll set like any other fd, under the reserved token, so a wake
 * is just "the eventfd became readable": it needs no lock, works before, during or after a
 * wait (the counter stays non-zero until a wait reads it, so no wake is lost), and several
 * wakes collapse into one read.
 *
 * Request bits map as IN -> EPOLLIN|EPOLLRDHUP, OUT -> EPOLLOUT. EPOLLRDHUP goes with IN
 * only: it is level-triggered like the rest, so asking for it with OUT alone would make a
 * writer's wait return at once, forever, after the peer shut down its writing side.
 * EPOLLHUP and EPOLLERR cannot be masked by epoll; they are reported as GT_POLL_HUP and
 * GT_POLL_ERR, and EPOLLRDHUP as GT_POLL_HUP too. GT_POLL_ONESHOT is EPOLLONESHOT, which
 * disarms the fd (HUP and ERR included) once reported until EPOLL_CTL_MOD arms it again.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "poller.h"

/*
 * epoll_wait writes its records straight into the caller's events, which gt__poller_wait then
 * converts in place, last to first: a struct gt_poll_event is at least as big as a struct
 * epoll_event (12 bytes, packed, on x86_64; 16 elsewhere), so event I, written at
 * I * sizeof(struct gt_poll_event), never covers a record J < I not yet read (it ends at
 * J * 12 + 12 <= I * 12). No batch on the stack, so one wait can take a whole ready list of
 * thousands, which serving them in the kernel's order (oldest first) needs: see mailbox.h.
 */
_Static_assert(sizeof(struct gt_poll_event) >= sizeof(struct epoll_event),
               "the events are converted in place");

/* A pending error queue is EPOLLERR: reported as GT_POLL_ERR. */
const int gt__poller_sees_error_queue = 1;

struct gt_poller {
    int epfd;
    int wakefd;
};

static uint32_t to_epoll(uint32_t events)
{
    uint32_t e = 0;

    if (events & GT_POLL_IN)
        e |= EPOLLIN | EPOLLRDHUP;
    if (events & GT_POLL_OUT)
        e |= EPOLLOUT;
    if (events & GT_POLL_ONESHOT)
        e |= EPOLLONESHOT;
    return e;
}

static uint32_t from_epoll(uint32_t e)
{
    uint32_t events = 0;

    if (e & EPOLLIN)
        events |= GT_POLL_IN;
    if (e & EPOLLOUT)
        events |= GT_POLL_OUT;
    if (e & (EPOLLHUP | EPOLLRDHUP))
        events |= GT_POLL_HUP;
    if (e & EPOLLERR)
        events |= GT_POLL_ERR;
    return events;
}

/*
 * epoll_wait counts in whole milliseconds. Truncating would end a wait early (1 ns would
 * become 0: a busy poll instead of a sleep, and a caller looping until its deadline would
 * spin through its last millisecond), so round up: the wait lasts at least TIMEOUT_NS and
 * at most ~1 ms more. The kernel arms an absolute CLOCK_MONOTONIC timer from the ms value,
 * so it never fires before it either. Beyond INT_MAX ms (~24.8 days) the wait is cut at
 * INT_MAX and returns 0, which poller.h allows.
 */
static int timeout_to_ms(int64_t timeout_ns)
{
    if (timeout_ns < 0)
        return -1;
    if (timeout_ns >= (int64_t)INT_MAX * 1000000)
        return INT_MAX;
    return (int)((timeout_ns + 999999) / 1000000);
}

/*
 * epoll_pwait2 (Linux 5.11) takes a timespec, so a wait of microseconds lasts microseconds
 * rather than a rounded-up millisecond: the I/O thread's delay_send ticks need that. Called
 * through syscall(2), since the libc wrapper is younger than the kernel call. A kernel
 * without it (ENOSYS, or EPERM from a seccomp filter that does not know it) is remembered,
 * and every later wait rounds to milliseconds as above.
 */
static int pwait2_missing;

/* Built against kernel headers older than 5.11 the number is missing, but the call may still
 * be there at run time: it is 441 on the architectures the jar is built for. */
#if !defined(SYS_epoll_pwait2) && (defined(__x86_64__) || defined(__aarch64__))
#define SYS_epoll_pwait2 441
#endif

static int wait_ns(int epfd, struct epoll_event *batch, int max, int64_t timeout_ns)
{
#ifdef SYS_epoll_pwait2
    struct timespec ts;
    long n;

    if (timeout_ns >= 0 && timeout_ns < (int64_t)INT_MAX * 1000000 &&
        !__atomic_load_n(&pwait2_missing, __ATOMIC_RELAXED)) {
        ts.tv_sec = (time_t)(timeout_ns / 1000000000);
        ts.tv_nsec = (long)(timeout_ns % 1000000000);
        n = syscall(SYS_epoll_pwait2, epfd, batch, max, &ts, NULL, 0);
        if (n >= 0 || (errno != ENOSYS && errno != EPERM))
            return (int)n;
        __atomic_store_n(&pwait2_missing, 1, __ATOMIC_RELAXED);
    }
#endif
    return epoll_wait(epfd, batch, max, timeout_to_ms(timeout_ns));
}

int gt__poller_open(struct gt_poller **out)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = GT_POLL_TOKEN_RESERVED};
    struct gt_poller *p = malloc(sizeof(*p));

    if (p == NULL)
        return -ENOMEM;
    p->wakefd = -1;
    p->epfd = epoll_create1(EPOLL_CLOEXEC);
    /* Non-blocking: a wake must never block (the counter could only fill up after ~2^64
     * wakes with no wait, and then a wake is pending anyway), nor a drain that finds the
     * counter already read by another waiting thread. */
    if (p->epfd >= 0)
        p->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return gt__poller_opened(
        p, p->wakefd >= 0 && epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->wakefd, &ev) == 0, out);
}

/* Also a failed open's way out: -1 marks what it did not open. */
void gt__poller_close(struct gt_poller *p)
{
    if (p == NULL)
        return;
    if (p->wakefd >= 0)
        close(p->wakefd);
    if (p->epfd >= 0)
        close(p->epfd);
    free(p);
}

/*
 * The wake-up channel is not the caller's: the fd number can only reach us through a caller
 * bug (a stale number of an fd it closed, which the kernel then gave to the eventfd), and
 * changing or removing it would silently break wake-ups. Answer as if it were unknown.
 */
static int ctl(struct gt_poller *p, int op, int fd, uint32_t events, uint64_t token)
{
    struct epoll_event ev = {.events = to_epoll(events), .data.u64 = token};

    if (!gt__poll_request_valid(events, token))
        return -EINVAL;
    if (fd == p->wakefd)
        return op == EPOLL_CTL_ADD ? -EEXIST : -ENOENT;
    return epoll_ctl(p->epfd, op, fd, &ev) < 0 ? -errno : 0;
}

int gt__poller_add(struct gt_poller *p, int fd, uint32_t events, uint64_t token)
{
    return ctl(p, EPOLL_CTL_ADD, fd, events, token);
}

int gt__poller_modify(struct gt_poller *p, int fd, uint32_t events, uint64_t token)
{
    return ctl(p, EPOLL_CTL_MOD, fd, events, token);
}

int gt__poller_remove(struct gt_poller *p, int fd)
{
    /* Ignored for DEL, but kernels before 2.6.9 insist on a non-NULL pointer. */
    struct epoll_event ev = {0};

    if (fd == p->wakefd)
        return -ENOENT;
    return epoll_ctl(p->epfd, EPOLL_CTL_DEL, fd, &ev) < 0 ? -errno : 0;
}

/* Reset the wake counter so that the next wait sleeps again. EAGAIN means another waiting
 * thread read it first: that is fine, the wake has been seen. */
static void drain_wake(struct gt_poller *p)
{
    uint64_t count;
    ssize_t r;

    r = GT_RETRY(read(p->wakefd, &count, sizeof(count)));
    (void)r;
}

int gt__poller_wait(struct gt_poller *p, struct gt_poll_event *events, int max, int64_t timeout_ns)
{
    const unsigned char *raw = (const unsigned char *)events;
    struct epoll_event e;
    int n, i, woken = -1;

    if (max < 1)
        return -EINVAL;
    n = wait_ns(p->epfd, (struct epoll_event *)events, max, timeout_ns);
    if (n < 0)
        return errno == EINTR ? 0 : -errno;
    for (i = n - 1; i >= 0; i--) {
        memcpy(&e, raw + (size_t)i * sizeof(e), sizeof(e));
        if (e.data.u64 == GT_POLL_TOKEN_RESERVED)
            woken = i;
        events[i].token = e.data.u64;
        events[i].events = from_epoll(e.events);
    }
    if (woken >= 0) { /* the wake fd is registered once, so at most one such record */
        drain_wake(p);
        memmove(events + woken, events + woken + 1, (size_t)(n - 1 - woken) * sizeof(*events));
        n--;
    }
    return n;
}

/* The epoll descriptor: the wake eventfd is registered in it, so a wake makes it readable too. */
int gt__poller_fd(const struct gt_poller *p)
{
    return p->epfd;
}

int gt__poller_wake(struct gt_poller *p)
{
    const uint64_t one = 1;
    int saved = errno, r = 0;
    ssize_t n;

    n = GT_RETRY(write(p->wakefd, &one, sizeof(one)));
    /* EAGAIN: the counter is full, so a wake is already pending. */
    if (n < 0 && errno != EAGAIN)
        r = -errno;
    /* Callable from a signal handler, which must not change the errno it interrupted. */
    errno = saved;
    return r;
}
