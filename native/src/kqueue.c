/*
 * kqueue.c - the BSD/macOS backend of poller.h: a kqueue, with an EVFILT_USER knote for
 * wake-ups. POSIX and kqueue(2) only, so that it builds unchanged on macOS and FreeBSD; on
 * Linux it is compiled against the emulation in native/test/kqueue_emu to run its code paths.
 *
 * Every registered fd has both its READ and its WRITE knote, each enabled or disabled as the
 * request says, udata = the token. So add is one kevent call whatever the events, and the kernel
 * checks the fd (EBADF) even for "0 events"; modify rewrites both knotes (EV_ADD updates udata,
 * EV_ENABLE/EV_DISABLE set the state); remove deletes both. Knotes are level-triggered (no
 * EV_CLEAR), as poller.h promises. GT_POLL_ONESHOT adds EV_ONESHOT to both: an enabled knote
 * is deleted once reported, and modify (EV_ADD) makes it again. With both directions asked,
 * each knote fires once on its own: an arm may be reported twice, once per direction.
 *
 * kqueue cannot say whether an fd is registered already (EV_ADD of an existing knote just
 * updates it), so the backend keeps its own table, indexed by fd, to answer EEXIST/ENOENT as
 * the contract says. It is guarded by a mutex that add/modify/remove take; wait and wake do not.
 *
 * Events: READ -> GT_POLL_IN, WRITE -> GT_POLL_OUT, one entry per fd (the two filters' events
 * merged). EV_EOF -> GT_POLL_HUP: on READ it means the peer sends no more, on WRITE that nothing
 * can be sent any more, so a writer is not woken by a peer that only shut down its writing side.
 * EV_EOF with a socket error in fflags (ECONNRESET, ECONNREFUSED...) -> GT_POLL_ERR as well; the
 * error itself stays on the socket for the operation that follows to report.
 *
 * The wake knote (ident 0, EV_CLEAR) is reset by the wait that reports it, so several triggers
 * before a wait merge into one and a trigger made while nobody waits is kept for the next wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "poller.h"

_Static_assert(sizeof(void *) >= sizeof(uint64_t), "tokens travel in kevent's udata");

/* Entries fetched per kevent call, on the stack so that several threads may wait at once.
 * A bigger MAX is served over several waits (level-triggered: nothing is lost). */
#define GT_KQ_BATCH 64
#define GT_KQ_WAKE_IDENT 0
/* The longest single wait (poller.h lets a wait end early with 0): far below any time_t limit. */
#define GT_KQ_MAX_WAIT_S 86400

struct gt_kq_reg {
    uint8_t used;
};

/* No kqueue platform has an error queue (nor does the emulation tell one apart). */
const int gt__poller_sees_error_queue = 0;

struct gt_poller {
    int kq;
    pthread_mutex_t lock; /* regs */
    struct gt_kq_reg *regs;
    size_t nregs;
};

int gt__poller_open(struct gt_poller **out)
{
    struct gt_poller *p = calloc(1, sizeof(*p));
    struct kevent kev;

    if (p == NULL)
        return -ENOMEM;
    pthread_mutex_init(&p->lock, NULL);
    /* kqueue descriptors are not inherited by fork, but exec after a vfork-like spawn still
     * needs the flag to be sure. */
    p->kq = kqueue();
    EV_SET(&kev, GT_KQ_WAKE_IDENT, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, NULL);
    return gt__poller_opened(p,
                             p->kq >= 0 && fcntl(p->kq, F_SETFD, FD_CLOEXEC) == 0 &&
                                 kevent(p->kq, &kev, 1, NULL, 0, NULL) == 0,
                             out);
}

/* Also a failed open's way out: kq is -1 if kqueue() failed. */
void gt__poller_close(struct gt_poller *p)
{
    if (p == NULL)
        return;
    if (p->kq >= 0)
        close(p->kq);
    pthread_mutex_destroy(&p->lock);
    free(p->regs);
    free(p);
}

/* The entry of FD, growing the table to hold it (the lock held). NULL when out of memory. */
static struct gt_kq_reg *reg_of(struct gt_poller *p, int fd)
{
    struct gt_kq_reg *grown;
    size_t n;

    if ((size_t)fd < p->nregs)
        return &p->regs[fd];
    n = p->nregs ? p->nregs : 64;
    while (n <= (size_t)fd)
        n *= 2;
    grown = realloc(p->regs, n * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    memset(grown + p->nregs, 0, (n - p->nregs) * sizeof(*grown));
    p->regs = grown;
    p->nregs = n;
    return &p->regs[fd];
}

/*
 * Apply the two changes of FD's knotes. EV_RECEIPT makes kevent answer each change in the
 * eventlist, data = 0 or its errno, and return without collecting events. Returns 0 or
 * -errno of the first change that failed.
 */
static int apply(struct gt_poller *p, int fd, uint16_t action, uint32_t events, uint64_t token)
{
    struct kevent ch[2], res[2];
    void *udata = (void *)(uintptr_t)token;
    uint16_t rd = action, wr = action;
    int n, i;

    if (action == EV_ADD) {
        rd |= (events & GT_POLL_IN) ? EV_ENABLE : EV_DISABLE;
        wr |= (events & GT_POLL_OUT) ? EV_ENABLE : EV_DISABLE;
        if (events & GT_POLL_ONESHOT) {
            rd |= EV_ONESHOT;
            wr |= EV_ONESHOT;
        }
    }
    EV_SET(&ch[0], (uintptr_t)fd, EVFILT_READ, rd | EV_RECEIPT, 0, 0, udata);
    EV_SET(&ch[1], (uintptr_t)fd, EVFILT_WRITE, wr | EV_RECEIPT, 0, 0, udata);
    n = kevent(p->kq, ch, 2, res, 2, NULL);
    if (n < 0)
        return -errno;
    for (i = 0; i < n; i++)
        if ((res[i].flags & EV_ERROR) && res[i].data != 0)
            return -(int)res[i].data;
    return 0;
}

int gt__poller_add(struct gt_poller *p, int fd, uint32_t events, uint64_t token)
{
    struct gt_kq_reg *r;
    int rc;

    if (!gt__poll_request_valid(events, token))
        return -EINVAL;
    if (fd < 0)
        return -EBADF;
    if (fd == p->kq) /* our own descriptor: only a stale number can bring it here */
        return -EEXIST;
    pthread_mutex_lock(&p->lock);
    r = reg_of(p, fd);
    if (r == NULL) {
        rc = -ENOMEM;
    } else if (r->used) {
        rc = -EEXIST;
    } else {
        rc = apply(p, fd, EV_ADD, events, token);
        if (rc == 0)
            r->used = 1;
        else /* one knote may have been made before the other failed */
            apply(p, fd, EV_DELETE, 0, 0);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int gt__poller_modify(struct gt_poller *p, int fd, uint32_t events, uint64_t token)
{
    int rc;

    if (!gt__poll_request_valid(events, token))
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    if (fd < 0 || (size_t)fd >= p->nregs || !p->regs[fd].used)
        rc = -ENOENT;
    else
        rc = apply(p, fd, EV_ADD, events, token);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int gt__poller_remove(struct gt_poller *p, int fd)
{
    int rc;

    pthread_mutex_lock(&p->lock);
    if (fd < 0 || (size_t)fd >= p->nregs || !p->regs[fd].used) {
        rc = -ENOENT;
    } else {
        /* Forgotten even if the kernel refuses (a caller that closed the fd first: its knotes
         * are gone already), so the number can be registered again. */
        p->regs[fd].used = 0;
        rc = apply(p, fd, EV_DELETE, 0, 0);
        /* A GT_POLL_ONESHOT knote that fired is gone already (EV_ONESHOT deletes it). */
        if (rc == -ENOENT)
            rc = 0;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static uint32_t from_kevent(const struct kevent *kev)
{
    uint32_t events = kev->filter == EVFILT_READ ? GT_POLL_IN : GT_POLL_OUT;

    if (kev->flags & EV_EOF) {
        events |= GT_POLL_HUP;
        if (kev->fflags != 0)
            events |= GT_POLL_ERR;
    }
    return events;
}

int gt__poller_wait(struct gt_poller *p, struct gt_poll_event *events, int max, int64_t timeout_ns)
{
    struct kevent batch[GT_KQ_BATCH];
    uintptr_t fds[GT_KQ_BATCH];
    struct timespec ts, *tsp = NULL;
    int n, i, j, count;

    if (max < 1)
        return -EINVAL;
    if (max > GT_KQ_BATCH)
        max = GT_KQ_BATCH;
    if (timeout_ns >= 0) {
        if (timeout_ns >= (int64_t)GT_KQ_MAX_WAIT_S * 1000000000) {
            ts.tv_sec = GT_KQ_MAX_WAIT_S;
            ts.tv_nsec = 0;
        } else {
            ts.tv_sec = (time_t)(timeout_ns / 1000000000);
            ts.tv_nsec = (long)(timeout_ns % 1000000000);
        }
        tsp = &ts;
    }
    /* One fd may come as a READ and a WRITE entry, merged below into one event: fetching MAX
     * entries never yields more than MAX events. */
    n = kevent(p->kq, NULL, 0, batch, max, tsp);
    if (n < 0)
        return errno == EINTR ? 0 : -errno;
    count = 0;
    for (i = 0; i < n; i++) {
        if (batch[i].filter == EVFILT_USER)
            continue; /* the wake: reset by being reported (EV_CLEAR) */
        for (j = 0; j < count && fds[j] != batch[i].ident; j++)
            ;
        if (j == count) {
            fds[count] = batch[i].ident;
            events[count].token = (uint64_t)(uintptr_t)batch[i].udata;
            events[count].events = 0;
            count++;
        }
        events[j].events |= from_kevent(&batch[i]);
    }
    return count;
}

/* The kqueue descriptor: a triggered EVFILT_USER is a pending event, which makes it readable too. */
int gt__poller_fd(const struct gt_poller *p)
{
    return p->kq;
}

int gt__poller_wake(struct gt_poller *p)
{
    struct kevent kev;
    int saved = errno, r = 0;

    EV_SET(&kev, GT_KQ_WAKE_IDENT, EVFILT_USER, 0, NOTE_TRIGGER, 0, NULL);
    if (kevent(p->kq, &kev, 1, NULL, 0, NULL) < 0)
        r = -errno;
    /* Callable from a signal handler, which must not change the errno it interrupted. */
    errno = saved;
    return r;
}
