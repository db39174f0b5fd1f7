/*
 * poller.h - readiness notification for many descriptors, and a way to interrupt a wait.
 *
 * One header, one backend file per platform; the build (CMakeLists.txt) picks the backend
 * and no other file may know which one it is. So nothing below depends on a particular
 * kernel interface, and every behaviour promised is one that a readiness API of the epoll
 * or the kqueue kind can give.
 *
 * Contract shared by every backend:
 *  - Functions return 0 (or a count) on success and -errno on failure; errno is not left
 *    for the caller to read.
 *  - Registrations are level-triggered: as long as an fd is ready for something it asked
 *    for, every wait reports it again. Nothing is consumed by being reported (unless it
 *    asked for GT_POLL_ONESHOT).
 *  - GT_POLL_HUP and GT_POLL_ERR are reported, never requested (add/modify refuse them):
 *    the kernel may report them for any registered fd. GT_POLL_HUP means the peer will send
 *    no more (it closed, or shut its writing side down) and is reported only to
 *    registrations that ask for GT_POLL_IN, or when the connection is gone both ways;
 *    a registration for GT_POLL_OUT alone is not woken over and over by a peer that merely
 *    stopped writing. Either bit means: try the operation, its result says what happened.
 *  - A token is any value but GT_POLL_TOKEN_RESERVED, which the backend keeps for its
 *    wake-up channel; wait never returns it.
 *  - Remove an fd before closing it. Some kernels drop a closed fd by themselves and some
 *    do not (Linux keeps it registered while a dup of it is open), so relying on either
 *    is a bug.
 *  - One poller may be used by several threads at once: add/modify/remove/wake from any
 *    thread, and wait from several threads (level-triggered, the same ready fd may then be
 *    reported to more than one of them; the poller does not share work out). A wake makes at
 *    least one wait return; one made while nobody waits makes the next wait return at once,
 *    so a wake is never lost. Several wakes before a wait may be merged into one.
 *  - gt__poller_close must be called once, after every other call on the poller returned.
 */
#ifndef GENTCP_POLLER_H
#define GENTCP_POLLER_H

#include <errno.h>
#include <stdint.h>

struct gt_poller; /* opaque: its layout belongs to the backend */

#define GT_POLL_IN 0x1  /* readable, or a listen socket has a connection to accept */
#define GT_POLL_OUT 0x2 /* writable, or a non-blocking connect finished (well or not) */
#define GT_POLL_HUP 0x4 /* peer closed / hang-up (reported, never requested) */
#define GT_POLL_ERR 0x8 /* error pending on the fd (reported, never requested) */
/* Requested with GT_POLL_IN, GT_POLL_OUT or both (neither: -EINVAL): the fd is reported once,
 * with whatever it is ready for, and then disarmed: it reports nothing more until modify arms
 * it again, so of several threads waiting only one hears of it. With both directions a
 * backend may disarm each on its own (kqueue's two knotes): the fd is then reported at most
 * once per direction per arm. It stays
 * registered (remove it before closing it). As for any registration, one made or re-armed
 * while the fd is ready already is reported by the next wait: "arm, then sleep" loses no
 * readiness that came before the arm. */
#define GT_POLL_ONESHOT 0x10

/* The one token value callers may not use (add/modify answer -EINVAL). */
#define GT_POLL_TOKEN_RESERVED UINT64_MAX

struct gt_poll_event {
    uint64_t token;  /* as given to add/modify */
    uint32_t events; /* GT_POLL_* bits */
};

/* Whether add and modify take EVENTS and TOKEN (else they answer -EINVAL): IN and/or OUT, or
 * nothing; ONESHOT only with a direction; never the reserved token. Every backend's check. */
static inline int gt__poll_request_valid(uint32_t events, uint64_t token)
{
    if (events & GT_POLL_ONESHOT) {
        if ((events & (GT_POLL_IN | GT_POLL_OUT)) == 0)
            return 0;
        events &= ~(uint32_t)GT_POLL_ONESHOT;
    }
    return (events & ~(uint32_t)(GT_POLL_IN | GT_POLL_OUT)) == 0 && token != GT_POLL_TOKEN_RESERVED;
}

/* A new poller, with its wake-up channel, in *OUT. Its descriptors are close-on-exec. */
int gt__poller_open(struct gt_poller **out);

/* Release the poller. The fds registered in it are not closed. NULL is accepted. */
void gt__poller_close(struct gt_poller *p);

/* The end of a backend's gt__poller_open, whose last step made P READY (1) or failed (0, errno
 * set): P in *OUT and 0, or P closed (what it had opened so far) and -errno. */
static inline int gt__poller_opened(struct gt_poller *p, int ready, struct gt_poller **out)
{
    int err = errno;

    if (ready) {
        *out = p;
        return 0;
    }
    gt__poller_close(p);
    return -err;
}

/* Register FD for EVENTS (GT_POLL_IN and/or GT_POLL_OUT, or 0 to keep it registered while
 * asking for nothing; whether HUP/ERR still arrive then depends on the backend; or one of
 * them with GT_POLL_ONESHOT), reported with TOKEN. -EEXIST if FD is registered already, -EINVAL for other event bits or the
 * reserved token. */
int gt__poller_add(struct gt_poller *p, int fd, uint32_t events, uint64_t token);

/* Replace the events and token of a registered FD (-ENOENT if it is not registered). */
int gt__poller_modify(struct gt_poller *p, int fd, uint32_t events, uint64_t token);

/* Unregister FD (-ENOENT if it is not registered). Events of FD already collected by a
 * concurrent wait in another thread may still be returned by that wait. */
int gt__poller_remove(struct gt_poller *p, int fd);

/*
 * Wait at most TIMEOUT_NS (< 0: no limit, 0: just look) for events and write at most MAX
 * of them (MAX >= 1, else -EINVAL) to EVENTS. Returns how many were written.
 *
 * 0 means the time ran out, or the wait was cut short: by a wake (consumed here, never
 * reported as an event), by a signal (EINTR is not an error here), or by the backend's
 * longest single wait. So a caller with a deadline re-checks its clock after a 0; it never
 * needs to after a timeout, because the wait never ends before TIMEOUT_NS has passed.
 * The backend may round the timeout up to its clock's granularity (1 ms on Linux kernels
 * before 5.11, which lack epoll_pwait2) to keep that promise, so a short timeout may last up
 * to one granule longer.
 *
 * Fewer than MAX events may be returned while more fds are ready; being level-triggered,
 * the others are reported by the next wait.
 */
int gt__poller_wait(struct gt_poller *p, struct gt_poll_event *events, int max, int64_t timeout_ns);

/* A descriptor of P's own that polls readable (in another poller: P itself can be watched)
 * while a wait on P would return at once: a registered fd is ready for what it asked, or a
 * wake has not been consumed yet. Owned by P: never close or register it elsewhere than
 * for reading, and remove it from any poller before gt__poller_close. */
int gt__poller_fd(const struct gt_poller *p);

/* Make a current or the next wait return. Callable from any thread, and from a signal
 * handler (it makes one write(2)-like system call and keeps errno). 0 or -errno. */
int gt__poller_wake(struct gt_poller *p);

/* Whether the backend reports a socket whose error queue holds an entry (a kernel timestamp)
 * with GT_POLL_ERR, so that its waiters can empty the queue (tstamp.c): epoll does; kqueue
 * platforms have no error queue. */
extern const int gt__poller_sees_error_queue;

#endif /* GENTCP_POLLER_H */
