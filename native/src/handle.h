/*
 * handle.h - the slot table (handle.c): slots, handles, references, generations and pins,
 * and nothing else of a socket. The layer above the base (see internal.h).
 */
#ifndef GENTCP_HANDLE_H
#define GENTCP_HANDLE_H

#include <stdatomic.h>
#include <stdint.h>

#include "sock.h"

/* A socket's state packs what every call checks, so that acquiring it is one CAS:
 *   bits 32..62 generation, bit 31 closed, bits 0..30 references (calls in flight). */
#define GT_STATE_COUNT_MASK ((uint64_t)0x7fffffff)
#define GT_STATE_CLOSED ((uint64_t)1 << 31)
#define GT_STATE_GEN_SHIFT 32

/* A slot for a new socket of descriptor FD (-1: a mailbox): its handle, or -errno. *OUT is its
 * socket, *FIRST whether the slot is new (zeroed, its locks not made yet); a reused slot holds
 * what its last socket left. Only sock.c calls it (gt__sock_new). */
int64_t gt__slot_alloc(int fd, struct gt_sock **out, int *first);
int64_t gt__handle_of(const struct gt_sock *s);
struct gt_sock *gt__acquire(int64_t handle);
/* The socket of HANDLE, closed or not, for a caller that holds a reference to it already
 * (gt_park_begin's): NULL only if HANDLE is not a live handle. */
struct gt_sock *gt__held(int64_t handle);
/* The slot HANDLE names, or NULL, without a reference and without reading the socket: its
 * socket may be another by now. For prefetching only (gt__active_prefetch). */
struct gt_sock *gt__slot_peek(int64_t handle);
int gt__is_closed(const struct gt_sock *s);
int gt__fd_owned(int fd); /* whether a socket of the table (open or closing) holds FD */
/* A message naming S (acquired by the caller) may still be delivered; and, by its handle, it
 * no longer can. A slot is reused only once every pin is gone. */
void gt__pin(struct gt_sock *s);
void gt__unpin(int64_t handle);
/* Mark HANDLE's socket closed and take a reference to it in one step: NULL if HANDLE is not a
 * live handle or was closed already. No call can acquire it from then on. */
struct gt_sock *gt__slot_close(int64_t handle);
/* How many references are held on S (the calls inside it, the closer's). */
uint32_t gt__slot_refs(const struct gt_sock *s);
/* Drop a reference to S: 1 when it was the last one of a closed socket, whose caller must then
 * give back what it holds and gt__slot_recycle it (close.c's gt__release does both). Inline:
 * every call ends with it. */
static inline int gt__slot_unref(struct gt_sock *s)
{
    uint64_t prev = atomic_fetch_sub(&s->state, 1);

    return ((prev - 1) & (GT_STATE_CLOSED | GT_STATE_COUNT_MASK)) == GT_STATE_CLOSED;
}
/* S, closed and left by everyone, takes its next generation (its handles go stale), and its
 * slot is reused once no message names it (pins). */
void gt__slot_recycle(struct gt_sock *s);

#endif /* GENTCP_HANDLE_H */
