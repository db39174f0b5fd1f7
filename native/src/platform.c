/*
 * platform.c - the calls that differ between Linux, macOS and FreeBSD (see platform.h for
 * what differs and why). Linux makes exactly the one syscall it always made.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "gentcp.h"
#include "platform.h"

#if GT_LINUX
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#if defined(__FreeBSD__) && !defined(GT_PRETEND_NOT_LINUX)
#include <sys/param.h>
#include <sys/cpuset.h>
#endif

#if !GT_LINUX
/* What SOCK_CLOEXEC, accept4 and MSG_NOSIGNAL give Linux in the call itself. A fork between
 * socket() and fcntl() can leak the descriptor into a child: a window Linux does not have. */
static int finish_socket(int fd, int clear_nonblock)
{
    int flags, err;

    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        goto fail;
    if (clear_nonblock) {
        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
            goto fail;
    }
    if (gt__nosigpipe(fd) < 0)
        goto fail;
    return fd;
fail:
    err = errno;
    close(fd);
    errno = err;
    return -1;
}
#endif

int gt__socket_cloexec(int family)
{
#if GT_LINUX
    return socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
#else
    int fd = socket(family, SOCK_STREAM, 0);

    return fd < 0 ? fd : finish_socket(fd, 0);
#endif
}

int gt__accept_cloexec(int lfd)
{
#if GT_LINUX
    return accept4(lfd, NULL, NULL, SOCK_CLOEXEC); /* the new fd is blocking */
#else
    /* BSD's accept(2) copies the listener's O_NONBLOCK to the new socket: clear it. */
    int fd = accept(lfd, NULL, NULL);

    return fd < 0 ? fd : finish_socket(fd, 1);
#endif
}

int gt__nosigpipe(int fd)
{
#if GT_SO_NOSIGPIPE_NEEDED
    int one = 1;

    if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) < 0)
        return -errno;
#else
    (void)fd;
#endif
    return 0;
}

int gt__poll_fds(struct pollfd *pfd, unsigned nfds, const struct timespec *ts)
{
#if GT_LINUX
    return ppoll(pfd, nfds, ts, NULL);
#else
    int ms = -1;

    /* Rounded up, so that a wait never ends before its deadline (the caller re-checks it). */
    if (ts != NULL) {
        if (ts->tv_sec >= INT_MAX / 1000 - 1)
            ms = INT_MAX;
        else
            ms = (int)(ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000);
    }
    return poll(pfd, nfds, ms);
#endif
}

int gt__wake_open(int *rd, int *wr)
{
#if GT_LINUX
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

    if (fd < 0)
        return -errno;
    *rd = *wr = fd;
    return 0;
#else
    int p[2], i, err;

    if (pipe(p) < 0)
        return -errno;
    for (i = 0; i < 2; i++) {
        if (fcntl(p[i], F_SETFD, FD_CLOEXEC) < 0 || fcntl(p[i], F_SETFL, O_NONBLOCK) < 0) {
            err = errno;
            close(p[0]);
            close(p[1]);
            return -err;
        }
    }
    *rd = p[0];
    *wr = p[1];
    return 0;
#endif
}

void gt__wake_signal(int wr)
{
#if GT_LINUX
    uint64_t one = 1;

    (void)!write(wr, &one, sizeof(one));
#else
    (void)!write(wr, "", 1);
#endif
}

void gt__wake_close(int rd, int wr)
{
    close(rd);
    if (wr != rd)
        close(wr);
}

/* Under AddressSanitizer, libc's calls: its interceptors check the buffers they read. */
#if GT_LINUX && !defined(__SANITIZE_ADDRESS__)
#define GT_DIRECT_SEND 1
#else
#define GT_DIRECT_SEND 0
#endif

ssize_t gt__send(int fd, const void *buf, size_t len, int flags)
{
#if GT_DIRECT_SEND
    return syscall(SYS_sendto, fd, buf, len, flags, NULL, 0);
#else
    return send(fd, buf, len, flags);
#endif
}

ssize_t gt__sendmsg(int fd, const struct msghdr *msg, int flags)
{
#if GT_DIRECT_SEND
    return syscall(SYS_sendmsg, fd, msg, flags);
#else
    return sendmsg(fd, msg, flags);
#endif
}

void gt__thread_precise_timers(void)
{
#if GT_LINUX
    /* 1 us: the slack a timer may be deferred by so that the kernel can batch wake-ups. */
    (void)prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
#endif
}

void gt__thread_name(const char *name)
{
#if GT_LINUX
    /* At most 15 characters, which is all top -H and /proc/PID/task/TID/comm show. */
    (void)pthread_setname_np(pthread_self(), name);
#else
    (void)name; /* macOS and FreeBSD spell it differently; unverified there, so not tried */
#endif
}

void gt__thread_use_process_cpus(void)
{
#if GT_LINUX
    long conf = sysconf(_SC_NPROCESSORS_CONF);
    int cpus = conf > CPU_SETSIZE ? (int)conf : CPU_SETSIZE; /* beyond 1024 CPUs too */
    cpu_set_t *set = CPU_ALLOC(cpus);
    size_t size = CPU_ALLOC_SIZE(cpus);

    if (set == NULL)
        return;
    /* The main thread's set (its id is the process id) is the one the process was started
     * with, taskset's for instance; the calling thread's may be a pinned sender's. */
    if (sched_getaffinity(getpid(), size, set) == 0)
        (void)sched_setaffinity(0, size, set);
    CPU_FREE(set);
#endif
}

/*
 * gt_pin_thread: keep the calling thread on one CPU. Not part of gen_tcp, but part of running
 * it fast: a busy-polling receiver owns a core, and a ping-pong's latency depends on whether
 * its two ends share one (a wake-up across cores costs tens of microseconds on small VMs).
 * Benchmarks pin both ends so that every implementation they compare runs with the same
 * placement.
 */
#if GT_LINUX || (defined(__FreeBSD__) && !defined(GT_PRETEND_NOT_LINUX))
#if GT_LINUX
typedef cpu_set_t gt_cpuset;
#else
typedef cpuset_t gt_cpuset;
#endif

int32_t gt_pin_thread(int64_t cpu)
{
    gt_cpuset set;
    long n, i;

    CPU_ZERO(&set);
    if (cpu >= 0) {
        if (cpu >= CPU_SETSIZE)
            return -EINVAL;
        CPU_SET((int)cpu, &set);
    } else {
        n = sysconf(_SC_NPROCESSORS_CONF);
        for (i = 0; i < n && i < CPU_SETSIZE; i++)
            CPU_SET((int)i, &set);
    }
#if GT_LINUX
    /* pid 0: the calling thread (Linux applies affinity per thread). */
    if (sched_setaffinity(0, sizeof(set), &set) < 0)
        return -errno;
#else
    /* id -1 with CPU_WHICH_TID: the calling thread. */
    if (cpuset_setaffinity(CPU_LEVEL_WHICH, CPU_WHICH_TID, -1, sizeof(set), &set) < 0)
        return -errno;
#endif
    return 0;
}
#else
int32_t gt_pin_thread(int64_t cpu)
{
    /* macOS offers only affinity tags (hints), no pinning: say so rather than pretend. */
    (void)cpu;
    return -ENOTSUP;
}
#endif
