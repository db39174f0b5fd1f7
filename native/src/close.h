/*
 * close.h - closing and socket failure (close.c): the one place of the core that calls up into
 * the others, and that any file may call (see internal.h's layers).
 */
#ifndef GENTCP_CLOSE_H
#define GENTCP_CLOSE_H

#include <stdint.h>

struct gt_sock;

/* Drop the reference gt__acquire gave; the last one out of a closed socket finalizes it. */
void gt__release(struct gt_sock *s);
/* gt_close; LINGER 0: no waiting for queued data (a mailbox closing the sockets it owns). */
int32_t gt__close(int64_t handle, int linger);
/* The socket cannot take its next packet (emsgsize, enomem): the connection is given up. */
void gt__socket_fail(struct gt_sock *s);

#endif /* GENTCP_CLOSE_H */
