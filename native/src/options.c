/*
 * options.c - gt_setopt/gt_getopt: the options gentcp keeps itself and the kernel options
 * it passes through, and their inheritance on accept. OTP's defaults are set where a socket
 * is made (sock.c).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "internal.h"
#include "platform.h"

static int is_packet_type(int64_t v)
{
    return v >= GT_PACKET_RAW && v <= GT_PACKET_HTTPH_BIN && v != 3;
}

/*
 * {active, true | false | once} replace the mode; {active, N} adds N to the count (a mode
 * other than a count counts as 0), OTP's arithmetic: over 32767 is einval and changes
 * nothing; at 0 or below the socket turns passive and the owner gets tcp_passive, even if it
 * was passive already.
 */
static int set_active(struct gt_sock *s, int64_t value)
{
    int32_t old, next;
    int passive = 0;

    if (value != GT_ACTIVE_FALSE && value != GT_ACTIVE_TRUE && value != GT_ACTIVE_ONCE &&
        (value < GT_ACTIVE_ADD(-32768) || value > GT_ACTIVE_ADD(32767)))
        return -EINVAL;
    old = atomic_load(&s->active);
    do {
        if (value < GT_ACTIVE_ADD(-32768)) {
            next = (int32_t)value;
            passive = 0;
        } else {
            int64_t sum = (old >= 1 && old <= 32767 ? old : 0) + (value - GT_ACTIVE_ADD(0));

            if (sum > 32767)
                return -EINVAL;
            passive = sum <= 0;
            next = passive ? GT_ACTIVE_FALSE : (int32_t)sum;
        }
    } while (!atomic_compare_exchange_weak(&s->active, &old, next));
    pthread_mutex_lock(&s->opts_lock);
    s->opts.set_mask |= (uint64_t)1 << GT_OPT_ACTIVE;
    pthread_mutex_unlock(&s->opts_lock);
    gt__active_changed(s, passive); /* after the unlock: opts_lock is a leaf */
    return 0;
}

/* The kernel options gentcp passes through: option, level, name, boolean?, family (0: any).
 * Every option has its row on every platform; where the platform lacks it, name is GT_ABSENT
 * (platform.h) and the option answers enotsup, never a silent no-op. */
struct gt_kernel_opt {
    int opt, level, name, boolean, family;
};

static const struct gt_kernel_opt kernel_opts[] = {
    {GT_OPT_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE, 1, 0},
    {GT_OPT_DONTROUTE, SOL_SOCKET, SO_DONTROUTE, 1, 0},
    {GT_OPT_PRIORITY, SOL_SOCKET, GT_SO_PRIORITY, 0, 0},
    {GT_OPT_TOS, IPPROTO_IP, IP_TOS, 0, AF_INET},
    {GT_OPT_TTL, IPPROTO_IP, IP_TTL, 0, AF_INET},
    {GT_OPT_TCLASS, IPPROTO_IPV6, IPV6_TCLASS, 0, AF_INET6},
    {GT_OPT_IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY, 1, AF_INET6},
    {GT_OPT_RECVTOS, IPPROTO_IP, GT_IP_RECVTOS, 1, AF_INET},
    {GT_OPT_RECVTTL, IPPROTO_IP, IP_RECVTTL, 1, AF_INET},
    {GT_OPT_RECVTCLASS, IPPROTO_IPV6, GT_IPV6_RECVTCLASS, 1, AF_INET6},
    {GT_OPT_REUSEPORT, SOL_SOCKET, GT_SO_REUSEPORT, 1, 0},
    {GT_OPT_QUICKACK, IPPROTO_TCP, GT_TCP_QUICKACK, 1, 0},
    {GT_OPT_CORK, IPPROTO_TCP, GT_TCP_CORK, 1, 0},
    {GT_OPT_NOTSENT_LOWAT, IPPROTO_TCP, GT_TCP_NOTSENT_LOWAT, 0, 0},
    {GT_OPT_USER_TIMEOUT, IPPROTO_TCP, GT_TCP_USER_TIMEOUT, 0, 0},
    {GT_OPT_KEEPIDLE, IPPROTO_TCP, GT_TCP_KEEPIDLE, 0, 0},
    {GT_OPT_KEEPINTVL, IPPROTO_TCP, GT_TCP_KEEPINTVL, 0, 0},
    {GT_OPT_KEEPCNT, IPPROTO_TCP, GT_TCP_KEEPCNT, 0, 0},
    {GT_OPT_MARK, SOL_SOCKET, GT_SO_MARK, 0, 0},
    {GT_OPT_INCOMING_CPU, SOL_SOCKET, GT_SO_INCOMING_CPU, 0, 0},
    {GT_OPT_BUSY_POLL, SOL_SOCKET, GT_SO_BUSY_POLL, 0, 0},
    {GT_OPT_FASTOPEN, IPPROTO_TCP, GT_TCP_FASTOPEN, 0, 0},
    {GT_OPT_PREFER_BUSY_POLL, SOL_SOCKET, GT_SO_PREFER_BUSY_POLL, 1, 0},
};

static const struct gt_kernel_opt *kernel_opt(int32_t opt)
{
    size_t i;

    for (i = 0; i < sizeof(kernel_opts) / sizeof(kernel_opts[0]); i++)
        if (kernel_opts[i].opt == opt)
            return &kernel_opts[i];
    return NULL;
}

int64_t gt__opts_absent(void)
{
    int64_t mask = 0;
    size_t i;

    for (i = 0; i < sizeof(kernel_opts) / sizeof(kernel_opts[0]); i++)
        if (kernel_opts[i].name == GT_ABSENT)
            mask |= (int64_t)1 << kernel_opts[i].opt;
    return mask;
}

static int set_int_sockopt(int fd, int level, int name, int64_t value);

/* Set a table option: checked, applied to the descriptor, remembered for accepted sockets
 * (opts_lock held). */
static int set_kernel(struct gt_sock *s, const struct gt_kernel_opt *k, int64_t value)
{
    int rc;

    if (value < 0 || value > INT32_MAX || (k->boolean && value > 1))
        return -EINVAL;
    if (k->name == GT_ABSENT)
        return -ENOTSUP;
    if (k->family != 0 && k->family != s->family)
        return -EAFNOSUPPORT;
    if (s->family == AF_UNIX && k->level == IPPROTO_TCP)
        return -ENOTSUP; /* a local socket is no TCP socket */
    rc = set_int_sockopt(s->fd, k->level, k->name, value);
    /* Whether a fresh socket will listen or connect is not known yet: arm the client side too
     * (TCP_FASTOPEN_CONNECT only matters to connect, TCP_FASTOPEN only to listen). */
    if (rc == 0 && k->opt == GT_OPT_FASTOPEN && s->kind == GT_KIND_FRESH) {
        rc = set_int_sockopt(s->fd, IPPROTO_TCP, GT_TCP_FASTOPEN_CONNECT, value > 0);
        if (rc < 0) /* all or nothing: take back the listen half (kernels before 4.11) */
            set_int_sockopt(s->fd, k->level, k->name,
                            s->opts.set_mask & ((uint64_t)1 << k->opt) ? s->opts.kernel[k->opt] : 0);
    }
    if (rc == 0) {
        s->opts.kernel[k->opt] = (int32_t)value;
        s->opts.set_mask |= (uint64_t)1 << k->opt;
    }
    return rc;
}

static int set_int_sockopt(int fd, int level, int name, int64_t value)
{
    int v = (int)value;

    if (setsockopt(fd, level, name, &v, sizeof(v)) < 0)
        return -errno;
    return 0;
}

static int64_t get_int_sockopt(int fd, int level, int name)
{
    int v = 0;
    socklen_t len = sizeof(v);

    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno;
    return v;
}

/* Every option but active, with opts_lock held: checked, applied, stored, marked as set. */
static int set_option_locked(struct gt_sock *s, int32_t opt, int64_t value)
{
    struct gt_opts *o = &s->opts;
    const struct gt_kernel_opt *k = kernel_opt(opt);
    int rc = 0;

    if (k != NULL)
        return set_kernel(s, k, value);
    switch (opt) {
    case GT_OPT_MODE:
        if (value != 0 && value != 1)
            return -EINVAL;
        o->mode = (int32_t)value;
        break;
    case GT_OPT_PACKET:
        if (!is_packet_type(value))
            return -EINVAL;
        o->packet = (int32_t)value;
        /* a new packet type starts with a request or response line (rbuf.c) */
        atomic_store_explicit(&s->http_restart, 1, memory_order_relaxed);
        break;
    case GT_OPT_LINE_DELIMITER:
        if (value < 0 || value > 255)
            return -EINVAL;
        o->delimiter = (int32_t)value;
        break;
    case GT_OPT_EXIT_ON_CLOSE:
        if (value != 0 && value != 1)
            return -EINVAL;
        o->exit_on_close = (int32_t)value;
        break;
    case GT_OPT_SHOW_ECONNRESET:
        if (value != 0 && value != 1)
            return -EINVAL;
        o->show_econnreset = (int32_t)value;
        break;
    case GT_OPT_HEADER:
        if (value < 0 || value > INT32_MAX)
            return -EINVAL;
        o->header = value;
        break;
    case GT_OPT_DELIVER:
        if (value != 0 && value != 1)
            return -EINVAL;
        o->deliver = (int32_t)value;
        break;
    case GT_OPT_LINGER: {
        struct linger l = {.l_onoff = (int)(value >> 32), .l_linger = (int)(value & 0x7fffffff)};

        if (value < 0 || (value >> 32) > 1 || (value & 0xffffffff) > INT32_MAX)
            return -EINVAL;
        if (setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0)
            return -errno;
        o->linger = value;
        break;
    }
    case GT_OPT_HIGH_MSGQ_WATERMARK:
    case GT_OPT_LOW_MSGQ_WATERMARK:
        /* OTP range-checks these (1 .. 2^27-1 here) and keeps low <= high by moving the
         * other one, as it does for the send watermarks. */
        if (value < 1 || value > (1 << 27) - 1)
            return -EINVAL;
        if (opt == GT_OPT_HIGH_MSGQ_WATERMARK) {
            o->high_msgq = value;
            if (o->low_msgq > value)
                o->low_msgq = value;
        } else {
            o->low_msgq = value;
            if (o->high_msgq < value)
                o->high_msgq = value;
        }
        break;
    case GT_OPT_SEND_TIMEOUT:
        if (value < 0 || (value > INT32_MAX && value != GT_SEND_TIMEOUT_INFINITY))
            return -EINVAL;
        o->send_timeout = value;
        break;
    case GT_OPT_SEND_TIMEOUT_CLOSE:
    case GT_OPT_DELAY_SEND:
    case GT_OPT_INET_BACKEND:
        if (value != 0 && value != 1)
            return -EINVAL;
        if (opt == GT_OPT_INET_BACKEND && s->kind != GT_KIND_FRESH)
            return -EINVAL; /* chosen when the socket is made, as OTP's */
        if (opt == GT_OPT_DELAY_SEND)
            o->delay_send = (int32_t)value;
        else if (opt == GT_OPT_INET_BACKEND)
            o->socket_backend = (int32_t)value;
        else
            o->send_timeout_close = (int32_t)value;
        break;
    case GT_OPT_HIGH_WATERMARK:
    case GT_OPT_LOW_WATERMARK:
        /* OTP's coupling: a high mark below the low one lowers the low one, a low mark above
         * the high one raises the high one, so low <= high always holds. */
        if (value < 0 || value > INT32_MAX)
            return -EINVAL;
        if (opt == GT_OPT_HIGH_WATERMARK) {
            o->high_watermark = value;
            if (o->low_watermark > value)
                o->low_watermark = value;
        } else {
            o->low_watermark = value;
            if (o->high_watermark < value)
                o->high_watermark = value;
        }
        break;
    case GT_OPT_PACKET_SIZE:
        if (value < 0 || value > UINT32_MAX)
            return -EINVAL;
        o->packet_size = value;
        break;
    case GT_OPT_BUFFER:
        if (value < 0 || value > INT32_MAX)
            return -EINVAL;
        o->buffer = value < 1 ? 1 : value; /* OTP keeps at least one byte */
        break;
    case GT_OPT_IDLE:
        if (value != GT_IDLE_BLOCK && value != GT_IDLE_SPIN && value != GT_IDLE_BUSY)
            return -EINVAL;
        o->idle = (int32_t)value;
        break;
    case GT_OPT_SPIN_NS:
        if (value < 0)
            return -EINVAL;
        o->spin_ns = value;
        break;
    case GT_OPT_NODELAY:
        if (value != 0 && value != 1)
            return -EINVAL;
        if (s->family == AF_UNIX)
            return -ENOTSUP; /* OTP: nodelay on a local socket is enotsup */
        if (s->kind != GT_KIND_LISTEN) /* a listen socket only records it for accept */
            rc = set_int_sockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, value);
        if (rc == 0)
            o->nodelay = (int32_t)value;
        break;
    case GT_OPT_REUSEADDR:
        if (value != 0 && value != 1)
            return -EINVAL;
        rc = set_int_sockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, value); /* the kernel keeps it */
        break;
    case GT_OPT_RECBUF:
        if (value < 0 || value > INT32_MAX)
            return -EINVAL;
        rc = set_int_sockopt(s->fd, SOL_SOCKET, SO_RCVBUF, value);
        if (rc == 0) {
            o->recbuf = value;
            /* OTP: setting recbuf raises 'buffer' to match, unless 'buffer' was set. */
            if (!(o->set_mask & ((uint64_t)1 << GT_OPT_BUFFER)))
                o->buffer = value < 1 ? 1 : value;
        }
        break;
    case GT_OPT_SNDBUF:
        if (value < 0 || value > INT32_MAX)
            return -EINVAL;
        rc = set_int_sockopt(s->fd, SOL_SOCKET, SO_SNDBUF, value);
        if (rc == 0)
            o->sndbuf = value;
        break;
    default:
        return -EINVAL;
    }
    if (rc == 0)
        o->set_mask |= (uint64_t)1 << opt;
    return rc;
}

int32_t gt_setopt(int64_t handle, int32_t opt, int64_t value)
{
    struct gt_sock *s = gt__acquire(handle);
    int rc;

    if (s == NULL || gt__port_gone(s)) {
        /* OTP answers einval for options on a closed socket. */
        if (s != NULL)
            gt__release(s);
        return -EINVAL;
    }
    if (opt == GT_OPT_ACTIVE) {
        rc = set_active(s, value); /* a CAS of its own, and it delivers: not under the lock */
    } else {
        pthread_mutex_lock(&s->opts_lock);
        rc = set_option_locked(s, opt, value);
        pthread_mutex_unlock(&s->opts_lock);
    }
    gt__release(s);
    return rc;
}

int64_t gt_getopt(int64_t handle, int32_t opt)
{
    struct gt_sock *s = gt__acquire(handle);
    const struct gt_opts *o;
    int64_t v;

    if (s == NULL || gt__port_gone(s)) {
        if (s != NULL)
            gt__release(s);
        return -EINVAL;
    }
    o = &s->opts;
    if (kernel_opt(opt) != NULL) {
        const struct gt_kernel_opt *k = kernel_opt(opt);

        v = (k->family != 0 && k->family != s->family) ||
                    (s->family == AF_UNIX && k->level == IPPROTO_TCP)
                ? -EAFNOSUPPORT
            : k->name == GT_ABSENT ? -ENOTSUP
                                   : get_int_sockopt(s->fd, k->level, k->name);
        if (v > 0 && k->boolean)
            v = 1;
        gt__release(s);
        return v;
    }
    switch (opt) {
    case GT_OPT_MODE: v = o->mode; break;
    case GT_OPT_PACKET: v = o->packet; break;
    case GT_OPT_LINE_DELIMITER: v = o->delimiter; break;
    case GT_OPT_EXIT_ON_CLOSE: v = o->exit_on_close; break;
    case GT_OPT_SHOW_ECONNRESET: v = o->show_econnreset; break;
    case GT_OPT_HEADER: v = o->header; break;
    case GT_OPT_DELIVER: v = o->deliver; break;
    case GT_OPT_HIGH_MSGQ_WATERMARK: v = o->high_msgq; break;
    case GT_OPT_LINGER: v = o->linger; break;
    case GT_OPT_LOW_MSGQ_WATERMARK: v = o->low_msgq; break;
    case GT_OPT_PACKET_SIZE: v = o->packet_size; break;
    case GT_OPT_SEND_TIMEOUT: v = o->send_timeout; break;
    case GT_OPT_SEND_TIMEOUT_CLOSE: v = o->send_timeout_close; break;
    case GT_OPT_DELAY_SEND: v = o->delay_send; break;
    case GT_OPT_INET_BACKEND: v = o->socket_backend; break;
    case GT_OPT_HIGH_WATERMARK: v = o->high_watermark; break;
    case GT_OPT_LOW_WATERMARK: v = o->low_watermark; break;
    case GT_OPT_BUFFER: v = o->buffer; break;
    case GT_OPT_ACTIVE: v = atomic_load(&s->active); break;
    case GT_OPT_IDLE: v = o->idle; break;
    case GT_OPT_SPIN_NS: v = o->spin_ns; break;
    case GT_OPT_NODELAY:
        if (s->family == AF_UNIX) {
            v = -EAFNOSUPPORT;
            break;
        }
        v = s->kind == GT_KIND_LISTEN ? o->nodelay
                                      : get_int_sockopt(s->fd, IPPROTO_TCP, TCP_NODELAY);
        if (v > 0)
            v = 1;
        break;
    case GT_OPT_REUSEADDR:
        v = get_int_sockopt(s->fd, SOL_SOCKET, SO_REUSEADDR);
        if (v > 0)
            v = 1;
        break;
    case GT_OPT_RECBUF: v = get_int_sockopt(s->fd, SOL_SOCKET, SO_RCVBUF); break;
    case GT_OPT_SNDBUF: v = get_int_sockopt(s->fd, SOL_SOCKET, SO_SNDBUF); break;
    default: v = -EINVAL; break;
    }
    gt__release(s);
    return v;
}

/*
 * An accepted socket starts with the listen socket's options, as OTP's do (inet_drv copies
 * its own fields; prim_inet copies the rest with getopts/setopts). Kernel options the user
 * set on the listen socket are applied to the new descriptor explicitly rather than relying
 * on what each kernel happens to copy. The copy is taken under the parent's opts_lock, so that
 * a setopts on the listen socket meanwhile is in it whole or not at all; CHILD is not yet
 * visible to any other thread.
 */
void gt__opts_inherit(struct gt_sock *child, struct gt_sock *parent)
{
    struct gt_opts *c = &child->opts;

    pthread_mutex_lock(&parent->opts_lock);
    *c = parent->opts;
    pthread_mutex_unlock(&parent->opts_lock);
    atomic_store(&child->active, atomic_load(&parent->active));
    /* OTP does not pass line_delimiter on (inet_drv's tcp_inet_copy leaves it out). */
    c->delimiter = '\n';
    c->set_mask &= ~((uint64_t)1 << GT_OPT_LINE_DELIMITER);
    if (c->set_mask & ((uint64_t)1 << GT_OPT_NODELAY))
        set_int_sockopt(child->fd, IPPROTO_TCP, TCP_NODELAY, c->nodelay);
    if (c->set_mask & ((uint64_t)1 << GT_OPT_RECBUF))
        set_int_sockopt(child->fd, SOL_SOCKET, SO_RCVBUF, c->recbuf);
    if (c->set_mask & ((uint64_t)1 << GT_OPT_SNDBUF))
        set_int_sockopt(child->fd, SOL_SOCKET, SO_SNDBUF, c->sndbuf);
    if (c->set_mask & ((uint64_t)1 << GT_OPT_LINGER)) {
        const int64_t linger = c->linger;
        struct linger l = {.l_onoff = (int)(linger >> 32), .l_linger = (int)(linger & 0x7fffffff)};

        setsockopt(child->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    for (size_t i = 0; i < sizeof(kernel_opts) / sizeof(kernel_opts[0]); i++) {
        const struct gt_kernel_opt *k = &kernel_opts[i];

        if (c->set_mask & ((uint64_t)1 << k->opt))
            set_int_sockopt(child->fd, k->level, k->name, c->kernel[k->opt]);
    }
}

/*
 * {raw, Protocol, OptionNum, ValueBin}: any setsockopt the table does not name, the value
 * passed as the bytes given (the caller's buffer, read during the call only). A failure is the
 * call's result, never a logged warning.
 */
int32_t gt_setopt_raw(int64_t handle, int64_t level, int64_t name, int64_t value, int64_t len)
{
    struct gt_sock *s = gt__acquire(handle);
    int rc = 0;

    if (s == NULL || gt__port_gone(s) || s->kind == GT_KIND_MAILBOX) {
        if (s != NULL)
            gt__release(s);
        return -EINVAL;
    }
    if (level < 0 || level > INT32_MAX || name < 0 || name > INT32_MAX || len < 0 ||
        len > 65536 || (len > 0 && value == 0))
        rc = -EINVAL;
    else if (setsockopt(s->fd, (int)level, (int)name, (const void *)(intptr_t)value,
                        (socklen_t)len) < 0)
        rc = -errno;
    gt__release(s);
    return rc;
}

/* {raw, Protocol, OptionNum, Size} in getopts: up to CAP bytes of the option into DST;
 * returns how many the kernel gave, or -code. */
int32_t gt_getopt_raw(int64_t handle, int64_t level, int64_t name, int64_t dst, int64_t cap)
{
    struct gt_sock *s = gt__acquire(handle);
    socklen_t len;
    int rc;

    if (s == NULL || gt__port_gone(s) || s->kind == GT_KIND_MAILBOX) {
        if (s != NULL)
            gt__release(s);
        return -EINVAL;
    }
    if (level < 0 || level > INT32_MAX || name < 0 || name > INT32_MAX || cap < 0 ||
        cap > 65536 || (cap > 0 && dst == 0)) {
        gt__release(s);
        return -EINVAL;
    }
    len = (socklen_t)cap;
    rc = getsockopt(s->fd, (int)level, (int)name, (void *)(intptr_t)dst, &len) < 0 ? -errno
                                                                                  : (int)len;
    gt__release(s);
    return rc;
}
