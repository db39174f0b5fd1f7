/*
 * sock.c - a new socket: a slot of the table (handle.c) with every field set as a socket
 * starts, OTP's option defaults among them. Every socket and mailbox is made here.
 *
 * A slot is reused as it was left: close.c gives back what a socket held (its descriptor,
 * buffers, registrations), and the fields are set again here. Its locks are made once, when
 * the slot is first used, and live as long as the slot (never freed).
 */
#include <string.h>

#include "internal.h"

/* OTP's defaults: a new socket's options (an accepted one then takes its listener's, see
 * gt__opts_inherit). What is not named is 0: off, none, unlimited, not set. */
static const struct gt_opts opts_default = {
    .packet = GT_PACKET_RAW,
    .delimiter = '\n',
    .exit_on_close = 1,
    .high_msgq = 8192, /* OTP's high_msgq_watermark and low_msgq_watermark */
    .low_msgq = 4096,
    .buffer = 1460, /* OTP's INET_DEF_BUFFER */
    .idle = GT_IDLE_BLOCK,
    .send_timeout = GT_SEND_TIMEOUT_INFINITY,
    .high_watermark = 8192, /* OTP's INET_HIGH_WATERMARK / INET_LOW_WATERMARK */
    .low_watermark = 4096,
    .read_ahead = 1, /* OTP 27.1's default */
};

int64_t gt__sock_new(int fd, int family, struct gt_sock **out)
{
    struct gt_sock *s;
    int first;
    int64_t h = gt__slot_alloc(fd, &s, &first);

    if (h < 0)
        return h;
    /* The slot is ours alone until the handle is returned (see gt__slot_alloc). */
    if (first) {
        pthread_mutex_init(&s->send_lock, NULL);
        pthread_mutex_init(&s->opts_lock, NULL);
        pthread_mutex_init(&s->park_lock, NULL);
        pthread_cond_init(&s->send_cond, NULL);
        s->wake_rd = s->wake_wr = -1;
    }
    s->family = family;
    s->kind = GT_KIND_FRESH;
    s->opts = opts_default;
    /* The receive side (rbuf.c, recv.c, active.c). */
    atomic_store(&s->recv_busy, 0);
    s->rbuf = NULL;
    s->rstart = s->rend = s->rcap = 0;
    s->rbuf_lent = s->big_run = 0;
    s->eof = s->reset = s->read_error = s->shut_wr = s->http_state = 0;
    atomic_store(&s->http_restart, 0);
    /* The send side (send.c, sendq.c, iothread.c). */
    s->qbuf = NULL;
    s->qstart = s->qend = s->qcap = 0;
    s->send_err = s->shut_pending = s->io_watched = s->send_waiters = 0;
    s->delay_listed = s->delay_active = s->delay_looks = 0;
    s->gathered_by = 0;
    atomic_store(&s->write_reset, 0);
    gt__end_init(s);
    /* Active delivery and the owner (active.c, mailbox.c). */
    atomic_store(&s->active, GT_ACTIVE_TRUE); /* OTP's default */
    atomic_store(&s->owner, 0);
    s->registered_in = 0;
    s->armed = 0;
    s->closed_told_active = 0;
    atomic_store(&s->passive_owed, 0);
    atomic_store(&s->moving, 0);
    s->mb = NULL;
    /* Parked waits (parking.c, send.c, close.c, tcp.c). */
    atomic_store(&s->park_registered, 0);
    s->park_in = s->park_out = 0; /* no arm can come before the handle is returned */
    s->send_claimed = s->send_parked = 0;
    atomic_store(&s->linger_parked, 0);
    s->connecting = 0;
    memset(&s->stats, 0, sizeof(s->stats));
    *out = s;
    return h;
}
