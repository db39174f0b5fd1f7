/*
 * kqueue_emu.c - kqueue(2) and kevent(2) over epoll, for running native/src/kqueue.c on Linux.
 *
 * A test fixture, not a port: it models the BSD behaviour that the backend relies on, faithfully
 * where it models it, and answers EINVAL for what it does not model rather than pretend.
 *
 * Modelled (the BSD manual page's rules, tested in native/test/test_kqueue_emu.c):
 *  - kqueue() gives a close-on-exec descriptor; kevent() applies the changelist in order, then
 *    collects events. A failed change is written to the eventlist as EV_ERROR with the errno in
 *    data, and the other changes still apply; with no room left for it, kevent fails with that
 *    errno. EV_RECEIPT writes such an entry (data 0) for a change that worked too. When any
 *    such entry was written, kevent returns them at once without waiting for events.
 *  - A knote is (ident, filter). EV_ADD creates it, enabled unless EV_DISABLE is given, or
 *    updates an existing one (udata, flags) without changing whether it is enabled; EV_ENABLE
 *    and EV_DISABLE switch that. EV_DELETE, EV_ENABLE or EV_DISABLE of a knote that does not
 *    exist is ENOENT; a READ/WRITE change for a descriptor that is not open is EBADF.
 *  - EVFILT_READ and EVFILT_WRITE are level-triggered: reported on every kevent while the
 *    condition holds. EV_EOF is set when the peer will send no more (READ), or when nothing
 *    can be sent any more (WRITE); with it, fflags holds the socket's pending error.
 *    EV_ONESHOT deletes the knote once it has been reported.
 *  - Closing a descriptor makes its knotes vanish: a later change for its number is EBADF
 *    (closed) or ENOENT (reused for another file), and no event of the closed file is reported
 *    even while a dup of it keeps it alive (epoll would go on reporting it).
 *  - EVFILT_USER: NOTE_TRIGGER (in EV_ADD or a later change) triggers; the low 24 bits of
 *    fflags combine with NOTE_FFNOP/FFAND/FFOR/FFCOPY; a triggered, enabled knote is reported
 *    until, with EV_CLEAR, reporting resets it. A trigger with nothing else in the call takes no
 *    lock, so it can be made from a signal handler as on BSD, where kevent is a system call.
 *  - The timeout: NULL waits for ever, zero just looks, anything else waits at least that long
 *    (rounded up to epoll's milliseconds) unless events come; a signal ends the wait with EINTR.
 *
 * Not modelled: EV_CLEAR and EV_DISPATCH on READ/WRITE and other filters (EVFILT_TIMER
 * included: the backend does not use them) are refused with EINVAL; descriptors epoll cannot
 * watch (regular files) with epoll's EPERM; kevent's data for READ/WRITE (bytes readable or
 * writable on BSD) is 0.
 *
 * The socket error in fflags: BSD reads so_error without clearing it. Linux has no such read:
 * SO_ERROR and recv both clear the error, and a reset read that way would make the next recv
 * see a clean end instead of ECONNRESET. So when epoll says an error is pending (EPOLLERR), the
 * emulation infers it from TCP_INFO, which changes nothing: a connection that never received
 * the peer's SYN options was refused (ECONNREFUSED), or timed out if nothing came back at all
 * (ETIMEDOUT); one that was established was reset (ECONNRESET). Errors of other kinds (an
 * established connection timing out, ICMP) carry ECONNRESET here, and EIO for non-TCP sockets:
 * the value differs from BSD's, never its presence.
 *
 * Lifetime: the emulated kqueue is the epoll descriptor; its state lives in a table indexed by
 * that number. close(kq) cannot be seen, so the state of a closed kqueue (and the eventfd it
 * holds) is freed by the next kqueue() call, which finds it dead: its epoll no longer holds its
 * own eventfd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sys/event.h"
#include "../now_ns.h"

#define EMU_MAX_KQ 65536        /* kqueue descriptors above this number are refused (EMFILE) */
#define EMU_USER_MAX 8          /* EVFILT_USER knotes per kqueue */
#define EMU_BATCH 64            /* epoll events fetched per epoll_wait */
#define EMU_USER_TAG UINT64_MAX /* the epoll data of the kqueue's own eventfd */

enum { RD = 0, WR = 1 };

struct emu_knote {
    int present;
    int enabled;
    uint16_t flags; /* EV_ONESHOT, EV_RECEIPT as registered */
    void *udata;
};

/* The knotes of one descriptor, and the file they belong to. */
struct emu_fd {
    dev_t dev;
    ino_t ino;
    uint32_t interest; /* epoll events registered; 0 = not in the epoll set */
    unsigned flip;     /* alternates READ/WRITE first when only one fits */
    struct emu_knote k[2];
};

struct emu_user {
    atomic_int present;
    atomic_uintptr_t ident;
    atomic_int triggered;
    atomic_uint fflags;
    int enabled;
    uint16_t flags;
    void *udata;
};

struct emu_kq {
    int epfd;
    int evfd; /* readable while a user knote may be triggered */
    pthread_mutex_t lock;
    struct emu_fd **fds; /* indexed by descriptor */
    size_t nfds;
    struct emu_user user[EMU_USER_MAX];
    struct emu_kq *next; /* all kqueues, for the sweep of closed ones */
};

static _Atomic(struct emu_kq *) kq_table[EMU_MAX_KQ];
static struct emu_kq *kq_all;
static pthread_mutex_t kq_all_lock = PTHREAD_MUTEX_INITIALIZER;

/* Alive while its epoll set still holds its eventfd: adding it again then says EEXIST. A
 * closed epoll says EBADF; a number reused by another epoll accepts it, so take it out. */
static int kq_alive(struct emu_kq *kq)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = EMU_USER_TAG};

    if (epoll_ctl(kq->epfd, EPOLL_CTL_ADD, kq->evfd, &ev) < 0)
        return errno == EEXIST;
    epoll_ctl(kq->epfd, EPOLL_CTL_DEL, kq->evfd, &ev);
    return 0;
}

static void kq_free(struct emu_kq *kq)
{
    size_t i;

    for (i = 0; i < kq->nfds; i++)
        free(kq->fds[i]);
    free(kq->fds);
    close(kq->evfd);
    pthread_mutex_destroy(&kq->lock);
    free(kq);
}

/* Free the state of every kqueue closed since (kq_all_lock held). */
static void sweep_locked(void)
{
    struct emu_kq **pp = &kq_all, *kq;

    while ((kq = *pp) != NULL) {
        if (kq_alive(kq)) {
            pp = &kq->next;
            continue;
        }
        *pp = kq->next;
        if (atomic_load(&kq_table[kq->epfd]) == kq)
            atomic_store(&kq_table[kq->epfd], NULL);
        kq_free(kq);
    }
}

int kqueue(void)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = EMU_USER_TAG};
    struct emu_kq *kq;
    int err;

    kq = calloc(1, sizeof(*kq));
    if (kq == NULL) {
        errno = ENOMEM;
        return -1;
    }
    kq->evfd = -1;
    pthread_mutex_init(&kq->lock, NULL);
    pthread_mutex_lock(&kq_all_lock);
    sweep_locked();
    kq->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (kq->epfd < 0)
        goto fail;
    if (kq->epfd >= EMU_MAX_KQ) {
        errno = EMFILE;
        goto fail;
    }
    kq->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (kq->evfd < 0 || epoll_ctl(kq->epfd, EPOLL_CTL_ADD, kq->evfd, &ev) < 0)
        goto fail;
    kq->next = kq_all;
    kq_all = kq;
    atomic_store(&kq_table[kq->epfd], kq);
    pthread_mutex_unlock(&kq_all_lock);
    return kq->epfd;

fail:
    err = errno;
    pthread_mutex_unlock(&kq_all_lock);
    if (kq->evfd >= 0)
        close(kq->evfd);
    if (kq->epfd >= 0)
        close(kq->epfd);
    pthread_mutex_destroy(&kq->lock);
    free(kq);
    errno = err;
    return -1;
}

static struct emu_kq *kq_lookup(int fd)
{
    if (fd < 0 || fd >= EMU_MAX_KQ)
        return NULL;
    return atomic_load(&kq_table[fd]);
}

/* ---- READ / WRITE ------------------------------------------------------------------------ */

static uint32_t interest_of(const struct emu_fd *e)
{
    uint32_t want = 0;

    if (e->k[RD].present && e->k[RD].enabled)
        want |= EPOLLIN | EPOLLRDHUP;
    if (e->k[WR].present && e->k[WR].enabled)
        want |= EPOLLOUT;
    return want;
}

/*
 * Make the epoll registration of FD match its enabled knotes: 0 or the errno of epoll_ctl
 * (EPERM for a file epoll cannot watch, such as a regular file, which kqueue would accept:
 * not modelled). With no enabled knote, FD leaves the set: epoll reports EPOLLHUP/EPOLLERR even
 * for an empty interest, and a disabled knote must stay silent without making every wait spin.
 */
static int sync_interest(struct emu_kq *kq, int fd, struct emu_fd *e)
{
    struct epoll_event ev = {.events = interest_of(e), .data.u64 = (uint64_t)fd};
    int r;

    if (ev.events == e->interest)
        return 0;
    if (ev.events == 0)
        r = epoll_ctl(kq->epfd, EPOLL_CTL_DEL, fd, &ev);
    else if (e->interest == 0)
        r = epoll_ctl(kq->epfd, EPOLL_CTL_ADD, fd, &ev);
    else
        r = epoll_ctl(kq->epfd, EPOLL_CTL_MOD, fd, &ev);
    if (r < 0)
        return errno;
    e->interest = ev.events;
    return 0;
}

/* Forget FD's knotes (the lock held). */
static void drop_fd(struct emu_kq *kq, int fd)
{
    struct emu_fd *e = kq->fds[fd];
    struct epoll_event ev = {0};

    if (e->interest != 0)
        epoll_ctl(kq->epfd, EPOLL_CTL_DEL, fd, &ev);
    free(e);
    kq->fds[fd] = NULL;
}

/*
 * The knotes of FD, if FD still names the file they were made for. A closed descriptor's
 * knotes vanish on BSD; here they are found stale on their next use and dropped. *ERR says
 * why there are none: EBADF (not open) or ENOENT.
 */
static struct emu_fd *fd_knotes(struct emu_kq *kq, int fd, struct stat *st, int *err)
{
    struct emu_fd *e = (size_t)fd < kq->nfds ? kq->fds[fd] : NULL;

    if (fstat(fd, st) < 0) {
        *err = EBADF;
        if (e != NULL)
            drop_fd(kq, fd);
        return NULL;
    }
    *err = ENOENT;
    if (e != NULL && (e->dev != st->st_dev || e->ino != st->st_ino)) {
        drop_fd(kq, fd);
        e = NULL;
    }
    return e;
}

static int fd_change(struct emu_kq *kq, const struct kevent *kev)
{
    struct emu_knote *k, before;
    struct emu_fd *e;
    struct stat st;
    int fd = (int)kev->ident, err, slot = kev->filter == EVFILT_READ ? RD : WR;

    if (kev->ident > INT32_MAX)
        return EBADF;
    if (kev->flags & (EV_CLEAR | EV_DISPATCH))
        return EINVAL; /* not modelled: edge-triggered socket filters */
    e = fd_knotes(kq, fd, &st, &err);
    if (e == NULL && err == EBADF)
        return EBADF;
    if (!(kev->flags & EV_ADD) && (e == NULL || !e->k[slot].present))
        return err;
    if (e == NULL) {
        if ((size_t)fd >= kq->nfds) {
            size_t n = kq->nfds ? kq->nfds : 64;
            struct emu_fd **grown;

            while (n <= (size_t)fd)
                n *= 2;
            grown = realloc(kq->fds, n * sizeof(*grown));
            if (grown == NULL)
                return ENOMEM;
            memset(grown + kq->nfds, 0, (n - kq->nfds) * sizeof(*grown));
            kq->fds = grown;
            kq->nfds = n;
        }
        e = calloc(1, sizeof(*e));
        if (e == NULL)
            return ENOMEM;
        e->dev = st.st_dev;
        e->ino = st.st_ino;
        kq->fds[fd] = e;
    }
    k = &e->k[slot];
    before = *k;
    if (kev->flags & EV_DELETE) {
        k->present = 0;
    } else {
        if (kev->flags & EV_ADD) {
            if (!k->present)
                k->enabled = 1;
            k->present = 1;
            k->flags = kev->flags & (EV_ONESHOT | EV_RECEIPT);
            k->udata = kev->udata;
        }
        if (kev->flags & EV_DISABLE)
            k->enabled = 0;
        else if (kev->flags & EV_ENABLE)
            k->enabled = 1;
    }
    err = sync_interest(kq, fd, e);
    if (err != 0)
        *k = before; /* the change did not happen */
    if (!e->k[RD].present && !e->k[WR].present)
        drop_fd(kq, fd);
    return err;
}

/* The pending error of FD, read without clearing it (see the head of this file). */
static uint32_t socket_error(int fd)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    memset(&ti, 0, sizeof(ti));
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
        len < offsetof(struct tcp_info, tcpi_segs_in) + sizeof(ti.tcpi_segs_in))
        return EIO;
    if (ti.tcpi_options != 0)
        return ECONNRESET;
    return ti.tcpi_segs_in == 0 ? ETIMEDOUT : ECONNREFUSED;
}

/* What epoll said of FD, as the events of its enabled knotes (the lock held). */
static int fd_events(struct emu_kq *kq, int fd, uint32_t got, struct kevent *out, int room)
{
    static const uint32_t active[2] = {EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR,
                                       EPOLLOUT | EPOLLHUP | EPOLLERR};
    static const uint32_t eof[2] = {EPOLLRDHUP | EPOLLHUP, EPOLLHUP};
    struct emu_fd *e;
    struct stat st;
    int err, n = 0, i;

    e = fd_knotes(kq, fd, &st, &err);
    if (e == NULL)
        return 0; /* removed meanwhile, or an event of a closed file that a dup keeps alive */
    e->flip ^= 1;
    for (i = 0; i < 2 && n < room; i++) {
        int slot = i ^ (int)e->flip;
        struct emu_knote *k = &e->k[slot];
        struct kevent *ev = &out[n];

        if (!k->present || !k->enabled || !(got & active[slot]))
            continue;
        EV_SET(ev, (uintptr_t)fd, slot == RD ? EVFILT_READ : EVFILT_WRITE, k->flags, 0, 0,
               k->udata);
        if (got & eof[slot]) {
            ev->flags |= EV_EOF;
            if (got & EPOLLERR)
                ev->fflags = socket_error(fd);
        }
        if (k->flags & EV_ONESHOT)
            k->present = 0;
        n++;
    }
    /* EV_ONESHOT may have removed one: only ever less interest, which cannot fail. */
    if (!e->k[RD].present && !e->k[WR].present)
        drop_fd(kq, fd);
    else
        sync_interest(kq, fd, e);
    return n;
}

/* ---- USER -------------------------------------------------------------------------------- */

static struct emu_user *user_find(struct emu_kq *kq, uintptr_t ident)
{
    int i;

    for (i = 0; i < EMU_USER_MAX; i++)
        if (atomic_load(&kq->user[i].present) && atomic_load(&kq->user[i].ident) == ident)
            return &kq->user[i];
    return NULL;
}

/* Make a wait notice the user knotes; keeps errno (see the trigger path). */
static void user_kick(struct emu_kq *kq)
{
    const uint64_t one = 1;
    int saved = errno;
    ssize_t r = write(kq->evfd, &one, sizeof(one)); /* EAGAIN: a kick is pending anyway */

    (void)r;
    errno = saved;
}

static void user_fflags(struct emu_user *u, uint32_t fflags)
{
    uint32_t v = fflags & NOTE_FFLAGSMASK, old = atomic_load(&u->fflags);

    switch (fflags & NOTE_FFCTRLMASK) {
    case NOTE_FFAND:
        atomic_store(&u->fflags, old & v);
        break;
    case NOTE_FFOR:
        atomic_fetch_or(&u->fflags, v);
        break;
    case NOTE_FFCOPY:
        atomic_store(&u->fflags, v);
        break;
    default: /* NOTE_FFNOP */
        break;
    }
}

static int user_change(struct emu_kq *kq, const struct kevent *kev)
{
    struct emu_user *u = user_find(kq, kev->ident);
    int i;

    if (kev->flags & EV_DISPATCH)
        return EINVAL;
    if (u == NULL) {
        if (!(kev->flags & EV_ADD))
            return ENOENT;
        for (i = 0; i < EMU_USER_MAX && atomic_load(&kq->user[i].present); i++)
            ;
        if (i == EMU_USER_MAX)
            return ENOMEM;
        u = &kq->user[i];
        atomic_store(&u->triggered, 0);
        atomic_store(&u->fflags, 0);
        atomic_store(&u->ident, kev->ident);
        u->enabled = 1;
        atomic_store(&u->present, 1);
    }
    if (kev->flags & EV_DELETE) {
        atomic_store(&u->present, 0);
        return 0;
    }
    if (kev->flags & EV_ADD) {
        u->flags = kev->flags & (EV_ONESHOT | EV_CLEAR | EV_RECEIPT);
        u->udata = kev->udata;
    }
    if (kev->flags & EV_DISABLE)
        u->enabled = 0;
    else if (kev->flags & EV_ENABLE)
        u->enabled = 1;
    user_fflags(u, kev->fflags);
    if (kev->fflags & NOTE_TRIGGER)
        atomic_store(&u->triggered, 1);
    if (u->enabled && atomic_load(&u->triggered))
        user_kick(kq);
    return 0;
}

/* The triggered, enabled user knotes, after the eventfd said there may be some (lock held). */
static int user_events(struct emu_kq *kq, struct kevent *out, int room)
{
    uint64_t count;
    ssize_t r;
    int i, n = 0, more = 0;

    /* Read the kick before looking: a trigger after this read kicks again, so none is lost. */
    r = read(kq->evfd, &count, sizeof(count));
    (void)r;
    for (i = 0; i < EMU_USER_MAX; i++) {
        struct emu_user *u = &kq->user[i];

        if (!atomic_load(&u->present) || !u->enabled || !atomic_load(&u->triggered))
            continue;
        if (n == room) {
            more = 1;
            continue;
        }
        EV_SET(&out[n], atomic_load(&u->ident), EVFILT_USER, u->flags, atomic_load(&u->fflags), 0,
               u->udata);
        n++;
        if (u->flags & EV_CLEAR) {
            atomic_store(&u->triggered, 0);
            atomic_store(&u->fflags, 0);
        } else {
            more = 1; /* level: still triggered for the next wait */
        }
        if (u->flags & EV_ONESHOT)
            atomic_store(&u->present, 0);
    }
    if (more)
        user_kick(kq);
    return n;
}

/*
 * The signal-safe path: a call that only triggers user knotes (no other flags, no eventlist)
 * sets their flags and kicks the eventfd without the lock, as a system call would.
 */
static int trigger_only(struct emu_kq *kq, const struct kevent *changes, int n, int *done)
{
    int i;

    *done = 0;
    for (i = 0; i < n; i++)
        if (changes[i].filter != EVFILT_USER || changes[i].flags != 0 ||
            changes[i].fflags != NOTE_TRIGGER)
            return 0;
    for (i = 0; i < n; i++) {
        struct emu_user *u = user_find(kq, changes[i].ident);

        if (u == NULL) {
            errno = ENOENT;
            *done = -1;
            return 1;
        }
        atomic_store(&u->triggered, 1);
    }
    user_kick(kq);
    return 1;
}

/* ---- kevent ------------------------------------------------------------------------------ */

/* Milliseconds for epoll_wait until DEADLINE (< 0: none), rounded up so as never to end early. */
static int wait_ms(int64_t deadline)
{
    int64_t left;

    if (deadline < 0)
        return -1;
    left = deadline - now_ns();
    if (left <= 0)
        return 0;
    if (left >= (int64_t)1000000 * 1000000)
        return 1000000000; /* ~11 days per epoll_wait; the loop goes on */
    return (int)((left + 999999) / 1000000);
}

static int apply_changes(struct emu_kq *kq, const struct kevent *changes, int nchanges,
                         struct kevent *out, int nevents)
{
    int i, n = 0;

    for (i = 0; i < nchanges; i++) {
        const struct kevent *c = &changes[i];
        int err;

        if (c->filter == EVFILT_READ || c->filter == EVFILT_WRITE)
            err = fd_change(kq, c);
        else if (c->filter == EVFILT_USER)
            err = user_change(kq, c);
        else
            err = EINVAL;
        if (err == 0 && !(c->flags & EV_RECEIPT))
            continue;
        if (n == nevents) {
            if (err == 0)
                continue; /* a receipt with no room is dropped, as on BSD */
            errno = err;
            return -1;
        }
        out[n] = *c;
        out[n].flags = EV_ERROR;
        out[n].data = err;
        n++;
    }
    return n;
}

int kevent(int kqfd, const struct kevent *changes, int nchanges, struct kevent *events, int nevents,
           const struct timespec *timeout)
{
    struct emu_kq *kq = kq_lookup(kqfd);
    struct epoll_event batch[EMU_BATCH];
    int64_t deadline = -1;
    int i, n, got, done;

    if (kq == NULL) {
        errno = EBADF;
        return -1;
    }
    if (nchanges < 0 || nevents < 0 || (nchanges > 0 && changes == NULL) ||
        (nevents > 0 && events == NULL) ||
        (timeout != NULL &&
         (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000))) {
        errno = EINVAL;
        return -1;
    }
    if (nchanges > 0 && nevents == 0 && trigger_only(kq, changes, nchanges, &done))
        return done;
    if (nchanges > 0) {
        pthread_mutex_lock(&kq->lock);
        n = apply_changes(kq, changes, nchanges, events, nevents);
        pthread_mutex_unlock(&kq->lock);
        if (n != 0)
            return n; /* errors or receipts: returned at once */
    }
    if (nevents == 0)
        return 0;
    if (timeout != NULL)
        deadline = now_ns() + (int64_t)timeout->tv_sec * 1000000000 + timeout->tv_nsec;
    for (;;) {
        got = epoll_wait(kq->epfd, batch, nevents < EMU_BATCH ? nevents : EMU_BATCH,
                         wait_ms(deadline));
        if (got < 0)
            return -1; /* EINTR included, as kevent */
        n = 0;
        pthread_mutex_lock(&kq->lock);
        for (i = 0; i < got && n < nevents; i++) {
            if (batch[i].data.u64 == EMU_USER_TAG)
                n += user_events(kq, events + n, nevents - n);
            else
                n +=
                    fd_events(kq, (int)batch[i].data.u64, batch[i].events, events + n, nevents - n);
        }
        pthread_mutex_unlock(&kq->lock);
        /* Nothing to say (a stale or disabled knote, a kick already taken): wait on, as the
         * kernel would, until the time is up. */
        if (n > 0 || (deadline >= 0 && now_ns() >= deadline))
            return n;
    }
}
