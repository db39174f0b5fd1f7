/*
 * sys/event.h of the kqueue emulation: the part of the BSD kqueue(2) interface that
 * native/src/kqueue.c uses, implemented over epoll, eventfd and fstat in kqueue_emu.c.
 *
 * It exists only so that the kqueue backend's code paths run on Linux, where CI runs; it is
 * never part of a release build. The names, flag values and the layout of struct kevent are
 * FreeBSD's (macOS has the same names; its data field is an intptr_t, the same size on the
 * 64-bit targets gentcp supports). What is modelled, and what is refused as not modelled, is
 * listed in kqueue_emu.c and checked by native/test/test_kqueue_emu.c.
 */
#ifndef GENTCP_KQUEUE_EMU_SYS_EVENT_H
#define GENTCP_KQUEUE_EMU_SYS_EVENT_H

#include <stdint.h>
#include <time.h>

struct kevent {
    uintptr_t ident; /* the fd for READ/WRITE; any number for USER */
    int16_t filter;  /* EVFILT_* */
    uint16_t flags;  /* EV_* */
    uint32_t fflags; /* filter flags: NOTE_* for USER; the socket error with EV_EOF */
    int64_t data;    /* EV_ERROR: the errno of a failed change (0 for a receipt) */
    void *udata;     /* the caller's, returned as given */
};

#define EV_SET(kevp, a, b, c, d, e, f)                                                             \
    do {                                                                                           \
        struct kevent *ev_set_ = (kevp);                                                           \
        ev_set_->ident = (a);                                                                      \
        ev_set_->filter = (b);                                                                     \
        ev_set_->flags = (c);                                                                      \
        ev_set_->fflags = (d);                                                                     \
        ev_set_->data = (e);                                                                       \
        ev_set_->udata = (f);                                                                      \
    } while (0)

#define EVFILT_READ (-1)
#define EVFILT_WRITE (-2)
#define EVFILT_USER (-11)

/* Actions. */
#define EV_ADD 0x0001
#define EV_DELETE 0x0002
#define EV_ENABLE 0x0004
#define EV_DISABLE 0x0008
/* Flags kept with the knote. */
#define EV_ONESHOT 0x0010
#define EV_CLEAR 0x0020
#define EV_RECEIPT 0x0040
#define EV_DISPATCH 0x0080
/* Returned. */
#define EV_ERROR 0x4000
#define EV_EOF 0x8000

/* EVFILT_USER: how a change combines its fflags with the knote's, and the trigger. */
#define NOTE_FFNOP 0x00000000
#define NOTE_FFAND 0x40000000
#define NOTE_FFOR 0x80000000
#define NOTE_FFCOPY 0xc0000000
#define NOTE_FFCTRLMASK 0xc0000000
#define NOTE_FFLAGSMASK 0x00ffffff
#define NOTE_TRIGGER 0x01000000

int kqueue(void);
int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist,
           int nevents, const struct timespec *timeout);

#endif /* GENTCP_KQUEUE_EMU_SYS_EVENT_H */
