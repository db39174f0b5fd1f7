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

/* OTP's INET_DEF_BUFFER. */
#define GT_DEFAULT_BUFFER 1460

/* OTP's defaults: a new socket's options (an accepted one then takes its listener's, see
 * gt__opts_inherit). */
static void opts_default(struct gt_opts *o)
{
    o->mode = 0;
    o->packet = GT_PACKET_RAW;
    o->delimiter = '\n';
    o->exit_on_close = 1;
    o->header = 0;
    o->deliver = 0;
    o->linger = 0;
    o->high_msgq = 8192; /* OTP's defaults */
    o->low_msgq = 4096;
    o->show_econnreset = 0;
    o->packet_size = 0;
    o->buffer = GT_DEFAULT_BUFFER;
    o->idle = GT_IDLE_BLOCK;
    o->spin_ns = 0;
    o->nodelay = 0;
    o->reuseaddr = 0;
    o->recbuf = 0;
    o->sndbuf = 0;
    o->send_timeout = GT_SEND_TIMEOUT_INFINITY;
    o->send_timeout_close = 0;
    o->delay_send = 0;
    o->high_watermark = 8192; /* OTP's INET_HIGH_WATERMARK / INET_LOW_WATERMARK */
    o->low_watermark = 4096;
    o->socket_backend = 0;
    o->set_mask = 0;
}

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
    opts_default(&s->opts);
    atomic_store(&s->recv_busy, 0);
    atomic_store(&s->park_registered, 0);
    s->park_in = s->park_out = 0; /* no arm can come before the handle is returned */
    s->send_claimed = 0;
    s->gathered_by = 0;
    s->send_parked = 0;
    atomic_store(&s->linger_parked, 0);
    s->connecting = 0;
    s->rbuf = NULL;
    s->rbuf_lent = 0;
    s->rstart = s->rend = s->rcap = 0;
    s->big_run = 0;
    s->eof = 0;
    s->reset = 0;
    s->read_error = 0;
    s->shut_wr = 0;
    s->http_state = 0;
    atomic_store(&s->http_restart, 0);
    s->qbuf = NULL;
    s->qstart = s->qend = s->qcap = 0;
    s->send_err = 0;
    s->shut_pending = 0;
    s->io_watched = 0;
    s->send_waiters = 0;
    s->delay_listed = 0;
    s->delay_active = 0;
    s->delay_looks = 0;
    atomic_store(&s->write_reset, 0);
    gt__end_init(s);
    atomic_store(&s->active, GT_ACTIVE_TRUE); /* OTP's default */
    atomic_store(&s->owner, 0);
    s->registered_in = 0;
    s->armed = 0;
    s->closed_told_active = 0;
    atomic_store(&s->passive_owed, 0);
    atomic_store(&s->moving, 0);
    s->mb = NULL;
    memset(&s->stats, 0, sizeof(s->stats));
    *out = s;
    return h;
}
