/*
 * platform.h - everything that differs between Linux, macOS and FreeBSD, decided here and
 * nowhere else. The other files ask for a gt__ helper (platform.c), a GT_ name or a GT_HAVE_
 * switch; they never test __linux__ or an OS option themselves.
 *
 * Linux keeps exactly the calls it had (accept4, SOCK_CLOEXEC, ppoll, MSG_NOSIGNAL): nothing
 * here adds a syscall to its send or receive path. Elsewhere:
 *   - no SOCK_CLOEXEC/accept4 (macOS): socket/accept, then fcntl. accept(2) on BSD hands the
 *     new socket the listener's O_NONBLOCK, which gentcp's connected sockets must not have.
 *   - SIGPIPE: macOS has no documented MSG_NOSIGNAL, so SO_NOSIGPIPE is set once on every
 *     socket gentcp creates, accepts or adopts, and sends pass no flag. FreeBSD has both.
 *   - no ppoll (macOS): poll(2) with the time left rounded up to whole milliseconds.
 *   - a kernel option the platform lacks is GT_ABSENT in the table, and answers enotsup.
 *
 * GT_PRETEND_NOT_LINUX (the GENTCP_PORTABLE_CHECK builds) takes the non-Linux branches on
 * Linux, so that CI proves they compile, and runs those it can (see CMakeLists.txt).
 */
#ifndef GENTCP_PLATFORM_H
#define GENTCP_PLATFORM_H

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#if defined(__linux__) && !defined(GT_PRETEND_NOT_LINUX)
#define GT_LINUX 1
#else
#define GT_LINUX 0
#endif

/* GT_PRETEND_NOT_LINUX alone (the compile check, never linked or run) takes macOS's way with
 * SIGPIPE, with a stand-in for the name Linux's headers lack; with GT_PRETEND_RUN as well (the
 * portable C tests, which do run on Linux) FreeBSD's, MSG_NOSIGNAL, which Linux has. */
#if defined(GT_PRETEND_NOT_LINUX) && !defined(GT_PRETEND_RUN) && !defined(SO_NOSIGPIPE)
#define SO_NOSIGPIPE 0x1022
#endif

/* A spinning wait's pause between two looks: it yields the core's pipeline to its sibling
 * hyper-thread and saves power (x86 PAUSE; on aarch64 ISB, which waits longer than YIELD). */
static inline void gt__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("isb" ::: "memory");
#endif
}

/* How a send asks for EPIPE instead of SIGPIPE. */
#if GT_LINUX || (defined(__FreeBSD__) && defined(MSG_NOSIGNAL)) || defined(GT_PRETEND_RUN)
#define GT_MSG_NOSIGNAL MSG_NOSIGNAL
#define GT_SO_NOSIGPIPE_NEEDED 0
#elif defined(SO_NOSIGPIPE)
#define GT_MSG_NOSIGNAL 0
#define GT_SO_NOSIGPIPE_NEEDED 1
#else
#error "gentcp: no way to suppress SIGPIPE per socket on this platform"
#endif

/* Linux-only features, each a whole call that answers enotsup elsewhere. */
#define GT_HAVE_NETNS GT_LINUX         /* setns(2) and /proc/thread-self/ns/net */
#define GT_HAVE_PKTOPTIONS GT_LINUX    /* getsockopt(IP_PKTOPTIONS) */
#define GT_HAVE_ABSTRACT_UNIX GT_LINUX /* AF_UNIX names starting with NUL, autobind */
#if GT_LINUX
#define GT_SO_BINDTODEVICE SO_BINDTODEVICE /* bind_to_device: Java asks for it by name */
#endif

/* ---- the kernel options table (options.c): the name, or GT_ABSENT (enotsup) ---- */
#define GT_ABSENT (-1)

#if GT_LINUX
#define GT_SO_PRIORITY SO_PRIORITY
#define GT_TCP_QUICKACK TCP_QUICKACK
#define GT_TCP_CORK TCP_CORK
#define GT_TCP_USER_TIMEOUT TCP_USER_TIMEOUT
#define GT_SO_MARK SO_MARK
#define GT_SO_INCOMING_CPU SO_INCOMING_CPU
#define GT_SO_BUSY_POLL SO_BUSY_POLL
/* fastopen is both halves or nothing (options.c): Linux's client half has its own option. */
#define GT_TCP_FASTOPEN TCP_FASTOPEN
#define GT_TCP_FASTOPEN_CONNECT TCP_FASTOPEN_CONNECT
#ifdef SO_PREFER_BUSY_POLL /* Linux 5.11 headers */
#define GT_SO_PREFER_BUSY_POLL SO_PREFER_BUSY_POLL
#endif
#endif

/* FreeBSD's TCP_NOPUSH holds partial segments back until it is cleared, as TCP_CORK does.
 * macOS has the name but does not implement it (tcp(4)): cork is enotsup there. */
#if !defined(GT_TCP_CORK) && defined(__FreeBSD__) && defined(TCP_NOPUSH)
#define GT_TCP_CORK TCP_NOPUSH
#endif
/* macOS calls the keep-alive idle time TCP_KEEPALIVE (seconds, as TCP_KEEPIDLE). */
#if !GT_LINUX && defined(__APPLE__) && defined(TCP_KEEPALIVE)
#define GT_TCP_KEEPIDLE TCP_KEEPALIVE
#endif
/* Options the BSDs have too, under the same name and meaning, wherever the headers have them. */
#if !defined(GT_TCP_KEEPIDLE) && defined(TCP_KEEPIDLE)
#define GT_TCP_KEEPIDLE TCP_KEEPIDLE
#endif
#ifdef TCP_KEEPINTVL
#define GT_TCP_KEEPINTVL TCP_KEEPINTVL
#endif
#ifdef TCP_KEEPCNT
#define GT_TCP_KEEPCNT TCP_KEEPCNT
#endif
#ifdef TCP_NOTSENT_LOWAT /* Linux, macOS */
#define GT_TCP_NOTSENT_LOWAT TCP_NOTSENT_LOWAT
#endif
#ifdef IP_RECVTOS
#define GT_IP_RECVTOS IP_RECVTOS
#endif
#ifdef IPV6_RECVTCLASS
#define GT_IPV6_RECVTCLASS IPV6_RECVTCLASS
#endif
#ifdef SO_REUSEPORT
#define GT_SO_REUSEPORT SO_REUSEPORT
#endif
/* OTP's reuseport_lb: a port shared with load balancing. FreeBSD names it SO_REUSEPORT_LB;
 * Linux's SO_REUSEPORT balances already (its plain reuseport may or may not, by OTP's terms). */
#if defined(SO_REUSEPORT_LB)
#define GT_SO_REUSEPORT_LB SO_REUSEPORT_LB
#elif GT_LINUX && defined(SO_REUSEPORT)
#define GT_SO_REUSEPORT_LB SO_REUSEPORT
#endif

#ifndef GT_SO_PRIORITY
#define GT_SO_PRIORITY GT_ABSENT
#endif
#ifndef GT_TCP_QUICKACK
#define GT_TCP_QUICKACK GT_ABSENT
#endif
#ifndef GT_TCP_CORK
#define GT_TCP_CORK GT_ABSENT
#endif
#ifndef GT_TCP_USER_TIMEOUT
#define GT_TCP_USER_TIMEOUT GT_ABSENT
#endif
#ifndef GT_SO_MARK
#define GT_SO_MARK GT_ABSENT
#endif
#ifndef GT_SO_INCOMING_CPU
#define GT_SO_INCOMING_CPU GT_ABSENT
#endif
#ifndef GT_SO_BUSY_POLL
#define GT_SO_BUSY_POLL GT_ABSENT
#endif
#ifndef GT_TCP_FASTOPEN
#define GT_TCP_FASTOPEN GT_ABSENT
#define GT_TCP_FASTOPEN_CONNECT GT_ABSENT
#endif
#ifndef GT_SO_PREFER_BUSY_POLL
#define GT_SO_PREFER_BUSY_POLL GT_ABSENT
#endif
#ifndef GT_TCP_KEEPIDLE
#define GT_TCP_KEEPIDLE GT_ABSENT
#endif
#ifndef GT_TCP_KEEPINTVL
#define GT_TCP_KEEPINTVL GT_ABSENT
#endif
#ifndef GT_TCP_KEEPCNT
#define GT_TCP_KEEPCNT GT_ABSENT
#endif
#ifndef GT_TCP_NOTSENT_LOWAT
#define GT_TCP_NOTSENT_LOWAT GT_ABSENT
#endif
#ifndef GT_IP_RECVTOS
#define GT_IP_RECVTOS GT_ABSENT
#endif
#ifndef GT_IPV6_RECVTCLASS
#define GT_IPV6_RECVTCLASS GT_ABSENT
#endif
#ifndef GT_SO_REUSEPORT
#define GT_SO_REUSEPORT GT_ABSENT
#endif /* Multipath TCP's protocol number (Linux 5.6; older headers lack the name). */
#if GT_LINUX && defined(IPPROTO_MPTCP)
#define GT_IPPROTO_MPTCP IPPROTO_MPTCP
#elif GT_LINUX
#define GT_IPPROTO_MPTCP 262
#endif

#ifndef GT_SO_REUSEPORT_LB
#define GT_SO_REUSEPORT_LB GT_ABSENT
#endif

/* ---- platform.c ---- */

/* A close-on-exec SOCK_STREAM socket (SIGPIPE suppressed where that is per socket), or -1 and
 * errno. */
int gt__socket_cloexec(int family);

/* accept(2) on the non-blocking listener LFD: a close-on-exec, *blocking* socket (SIGPIPE
 * suppressed where that is per socket), or -1 and errno (EAGAIN when nothing is pending). */
int gt__accept_cloexec(int lfd);

/* SO_NOSIGPIPE on a socket gentcp adopts, where the platform needs it; 0 or -errno. */
int gt__nosigpipe(int fd);

/* poll(2) for NFDS fds with a time limit of TS (NULL: none), as ppoll: > 0 ready, 0 timeout,
 * -1 and errno. */
int gt__poll_fds(struct pollfd *pfd, unsigned nfds, const struct timespec *ts);

/* A wake-up fd pair: RD turns readable, for good, once WR is signalled (Linux: one eventfd,
 * RD == WR; elsewhere a pipe). Both close-on-exec and non-blocking. 0 or -errno. */
int gt__wake_open(int *rd, int *wr);
void gt__wake_signal(int wr);
void gt__wake_close(int rd, int wr);

/* Ask that the calling thread's short timed waits end close to when asked (Linux's default
 * timer slack stretches them by up to 50 us). Best effort: a platform without the knob keeps
 * its own precision. */
void gt__thread_precise_timers(void);

/* send(2) and sendmsg(2), non-blocking or not as FLAGS say, with the same results (-1 and
 * errno on failure). On Linux they skip glibc's cancellation-point bracket around the system
 * call (two atomic operations on the thread's cancel state, a few percent of a small send over
 * loopback): gentcp's callers are JVM threads, which nobody cancels with pthread_cancel. Not
 * under AddressSanitizer, whose libc interceptors check the bytes sent. */
ssize_t gt__send(int fd, const void *buf, size_t len, int flags);
ssize_t gt__sendmsg(int fd, const struct msghdr *msg, int flags);

/* Name the calling thread, for top -H, ps and debuggers (Linux; elsewhere nothing). */
void gt__thread_name(const char *name);

/* Let the calling thread run on the CPUs the process was started with, whatever the pinning
 * of the thread that created it (a new thread inherits its creator's). Linux; elsewhere (and
 * should Linux refuse) it keeps its creator's. */
void gt__thread_use_process_cpus(void);

/* Retry a syscall expression while it fails with EINTR (every platform's). */
#define GT_RETRY(expr)                                                                             \
    ({                                                                                             \
        long gt_r_;                                                                                \
        do {                                                                                       \
            gt_r_ = (long)(expr);                                                                  \
        } while (gt_r_ == -1 && errno == EINTR);                                                   \
        gt_r_;                                                                                     \
    })

#endif /* GENTCP_PLATFORM_H */
