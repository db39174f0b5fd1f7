/*
 * ending.c - what the calls of a connected socket are told once its connection ends, as OTP
 * 25's inet driver tells them (measured, scenario by scenario; see the README's receiving and
 * closing rules).
 *
 * The end is news to the first call that meets it, and that call answers it: 'closed', or
 * econnreset for a reset with show_econnreset (the owner of an active socket hears tcp_closed,
 * after tcp_error econnreset for such a reset). Who met it decides what follows:
 *
 *  - recv met the peer's close or reset. With exit_on_close the connection is given up; without
 *    it (a half-close) it is not: each later recv meets the end again and answers 'closed', and
 *    sends still go to the kernel. Send is owed one 'closed', unless the end was a reset that
 *    recv reported as econnreset (OTP owes it only for a close).
 *  - The owner of an active socket heard it: the same, with exit_on_close terminating the
 *    socket as OTP's port exits (every call then answers 'closed', options einval).
 *  - A send failed (the peer reset or closed, our own shutdown(write), a kernel timeout...). The
 *    connection is given up whatever exit_on_close, and recv is owed the end. A reset that the
 *    send reported as econnreset makes the owed answers econnreset. gentcp's recv first reads
 *    what the kernel still holds; OTP's drops it (a deliberate difference).
 *  - recv met a kernel error (etimedout from keepalive or user_timeout, ehostunreach...): recv
 *    answers it and gives the connection up as GT_DEAD_ERROR (recv.c), nothing owed, as OTP 25.
 *  - A framing error or a cut packet (GT_DEAD_ERROR, set where they happen): given up, nothing
 *    owed to recv or send. When recv met it (emsgsize, enomem: gt__socket_fail), the owner is
 *    owed tcp_closed: should the socket turn active, it hears it, and with exit_on_close the
 *    socket is then done, as OTP 25's port after its tcp_closed.
 *
 * Once the connection is given up, each side answers what it is still owed, once, then
 * enotconn; recv's answer settles send's too. The flags are atomics: the receive side (under
 * recv_busy) and the send side (under send_lock) set each other's.
 */
#include "internal.h"

int gt__port_gone(struct gt_sock *s)
{
    return atomic_load(&s->terminated);
}

void gt__end_init(struct gt_sock *s)
{
    atomic_store(&s->dead, GT_ALIVE);
    atomic_store(&s->terminated, 0);
    atomic_store(&s->recv_owed, 0);
    atomic_store(&s->send_owed, 0);
    atomic_store(&s->end_reset, 0);
    atomic_store(&s->owner_owed, 0);
}

/* Give the connection up at its end, unless it is already (or gentcp ended it). Whoever gives
 * it up first (its CAS) met the end first: a recv and a failing send racing each other agree
 * through it on which of them answers 'closed' and which is owed it (gt__end_met_by_recv,
 * gt__end_met_by_send). */
static void give_up(struct gt_sock *s)
{
    int alive = GT_ALIVE;

    atomic_compare_exchange_strong(&s->dead, &alive, GT_DEAD_EOF);
}

int64_t gt__end_owed(struct gt_sock *s, int recv)
{
    if (!atomic_exchange(recv ? &s->recv_owed : &s->send_owed, 0))
        return -ENOTCONN;
    if (!recv)
        return atomic_load(&s->end_reset) ? -ECONNRESET : -GT_ECLOSED;
    atomic_store(&s->send_owed, 0);
    return atomic_exchange(&s->end_reset, 0) ? -ECONNRESET : -GT_ECLOSED;
}

void (*gt__end_recv_race)(struct gt_sock *s);

/* A passive recv found the stream at its end without a complete packet: its answer. The caller
 * holds recv_busy. */
int64_t gt__end_met_by_recv(struct gt_sock *s)
{
    int reset = s->reset && s->opts.show_econnreset;
    int alive = GT_ALIVE;

    if (atomic_load(&s->dead) != GT_ALIVE)
        return gt__end_owed(s, 1); /* given up already: told once, by an earlier call or now */
    if (gt__end_recv_race != NULL)
        gt__end_recv_race(s); /* a test's failing send, here where it can race this recv */
    /* Owed to send before the connection is given up, so that a send failing meanwhile, if it
     * loses the race below, finds it (gt__end_met_by_send). */
    if (!reset)
        atomic_store(&s->send_owed, 1);
    s->reset = 0; /* told now, or by the send below: a later look (half-close) finds a plain end */
    if (s->opts.exit_on_close && !atomic_compare_exchange_strong(&s->dead, &alive, GT_DEAD_EOF)) {
        /* A send failed meanwhile and gave the connection up first: it met the end, this recv
         * is told what it owed recv, and send is owed nothing. */
        atomic_store(&s->send_owed, 0);
        return gt__end_owed(s, 1);
    }
    atomic_store(&s->recv_owed, 0); /* ... and so is what a send failing meanwhile owed recv */
    return reset ? -ECONNRESET : -GT_ECLOSED;
}

/* The owner of an active socket is being told the end (tcp_closed; RESET_SHOWN: after
 * tcp_error econnreset), in place of recv. The caller holds recv_busy. */
void gt__end_met_by_owner(struct gt_sock *s, int reset_shown)
{
    s->reset = 0;
    atomic_store(&s->recv_owed, 0);
    atomic_store(&s->owner_owed, 0);
    if (!reset_shown && atomic_load(&s->dead) == GT_ALIVE)
        atomic_store(&s->send_owed, 1);
    if (s->opts.exit_on_close) {
        give_up(s);
        atomic_store(&s->terminated, 1); /* with this tcp_closed, OTP's port exits */
    }
}

/* A send's write failed on the connection (RESET: the peer reset it, gt__write_was_reset):
 * the sender's answer. The caller holds send_lock. */
int64_t gt__end_met_by_send(struct gt_sock *s, int reset)
{
    int shown = reset && s->opts.show_econnreset;
    int alive = GT_ALIVE, had_reset, had_owed;

    /* Given up since this send began (by an earlier send, a recv, or gentcp): it is told what
     * send is owed, once 'closed' if a recv met the end, then enotconn. */
    if (atomic_load(&s->dead) != GT_ALIVE)
        return gt__end_owed(s, 0);
    /* Owed to recv before the connection is given up, so that a recv that loses the race below
     * finds them (gt__end_met_by_recv). */
    had_reset = shown ? atomic_exchange(&s->end_reset, 1) : -1;
    had_owed = atomic_exchange(&s->recv_owed, 1);
    if (atomic_compare_exchange_strong(&s->dead, &alive, GT_DEAD_EOF))
        return shown ? -ECONNRESET : -GT_ECLOSED;
    /* A recv met the end first (or gentcp ended the connection) meanwhile: undo the above
     * (only a send, under send_lock, sets them) and answer as above. */
    atomic_store(&s->recv_owed, had_owed);
    if (had_reset >= 0)
        atomic_store(&s->end_reset, had_reset);
    return gt__end_owed(s, 0);
}
