/*
 * options.c - gt_setopt/gt_getopt: the options gentcp keeps itself and the kernel options
 * it passes through, and their inheritance on accept. OTP's defaults are set where a socket
 * is made (sock.c).
 *
 * Every option is one row of the table below: its name (gt_constant answers GT_OPT_<name>,
 * and GT_OPT_<name>_MIN / _MAX, from it, so Java hard-codes no id and no bound), its range,
 * where it is kept, and the kernel option it sets, if any. What a row cannot say is in
 * valid(), set_kernel() and after_set(): the special cases, and no others.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "platform.h"

/* How an option is handled. */
enum how {
    HOW_KEPT,   /* gentcp's own: kept in a field of struct gt_opts, read back from it */
    HOW_KERNEL, /* setsockopt, remembered for accepted sockets, read back from the kernel */
    HOW_ACTIVE, /* {active, ...}: set_active */
};

#define GT_NO_FIELD UINT16_MAX /* a kernel option kept in gt_opts.kernel[opt] */

struct gt_row {
    const char *name; /* GT_OPT_<name> */
    int32_t opt;
    enum how how;
    int64_t min, max;   /* gt_setopt's range: EINVAL outside (valid() may refuse more) */
    uint16_t field;     /* offsetof(struct gt_opts, ...), or GT_NO_FIELD */
    uint8_t wide;       /* the field is an int64, else an int32 */
    int level, sockopt; /* HOW_KERNEL: the option set; sockopt GT_ABSENT (platform.h) where
                         * this platform lacks it: enotsup, never a silent no-op */
    int family;         /* HOW_KERNEL: the only family it is for, or 0 */
    int32_t pair;       /* one mark of a high/low pair: the other one, which setting this one
                         * moves so that low <= high holds (OTP's coupling), or 0 */
    uint8_t high;       /* this is the pair's high mark */
};

#define FIELD(f) .field = offsetof(struct gt_opts, f), .wide = sizeof(((struct gt_opts *)0)->f) == 8
/* clang-format 14 would break these brace initialisers apart. */
/* clang-format off */
#define KEPT(n, lo, hi, f) {#n, GT_OPT_##n, HOW_KEPT, (lo), (hi), FIELD(f)}
#define HIGH_MARK(n, lo, hi, f, low) \
    {#n, GT_OPT_##n, HOW_KEPT, (lo), (hi), FIELD(f), .pair = GT_OPT_##low, .high = 1}
#define LOW_MARK(n, lo, hi, f, high) \
    {#n, GT_OPT_##n, HOW_KEPT, (lo), (hi), FIELD(f), .pair = GT_OPT_##high}
#define KERNEL(n, lvl, so, hi, fam) \
    {#n, GT_OPT_##n, HOW_KERNEL, 0, (hi), .field = GT_NO_FIELD, .level = (lvl), \
     .sockopt = (so), .family = (fam)}
/* clang-format on */
#define FLAG 1        /* a kernel option's range: a boolean ... */
#define NUM INT32_MAX /* ... or an int */

static const struct gt_row options[] = {
    KEPT(MODE, GT_MODE_LIST, GT_MODE_BINARY, mode),
    KEPT(PACKET, GT_PACKET_RAW, GT_PACKET_HTTPH_BIN, packet),
    KEPT(PACKET_SIZE, 0, GT_OPT_PACKET_SIZE_MAX, packet_size),
    KEPT(BUFFER, 0, INT32_MAX, buffer),
    {"ACTIVE", GT_OPT_ACTIVE, HOW_ACTIVE, GT_ACTIVE_ADD(-32768), GT_ACTIVE_ADD(32767),
     .field = GT_NO_FIELD},
    KERNEL(NODELAY, IPPROTO_TCP, TCP_NODELAY, FLAG, 0),
    KERNEL(REUSEADDR, SOL_SOCKET, SO_REUSEADDR, FLAG, 0),
    KERNEL(RECBUF, SOL_SOCKET, SO_RCVBUF, NUM, 0),
    KERNEL(SNDBUF, SOL_SOCKET, SO_SNDBUF, NUM, 0),
    KEPT(IDLE, GT_IDLE_BLOCK, GT_IDLE_BUSY, idle),
    KEPT(SPIN_NS, 0, INT64_MAX, spin_ns),
    KEPT(LINE_DELIMITER, 0, GT_OPT_LINE_DELIMITER_MAX, delimiter),
    KEPT(EXIT_ON_CLOSE, 0, 1, exit_on_close),
    KEPT(SHOW_ECONNRESET, 0, 1, show_econnreset),
    KEPT(HEADER, 0, INT32_MAX, header),
    KEPT(DELIVER, 0, 1, deliver),
    HIGH_MARK(HIGH_MSGQ_WATERMARK, 1, GT_OPT_MSGQ_WATERMARK_MAX, high_msgq, LOW_MSGQ_WATERMARK),
    LOW_MARK(LOW_MSGQ_WATERMARK, 1, GT_OPT_MSGQ_WATERMARK_MAX, low_msgq, HIGH_MSGQ_WATERMARK),
    KEPT(SEND_TIMEOUT, 0, INT32_MAX, send_timeout),
    KEPT(SEND_TIMEOUT_CLOSE, 0, 1, send_timeout_close),
    KEPT(DELAY_SEND, 0, 1, delay_send),
    HIGH_MARK(HIGH_WATERMARK, 0, INT32_MAX, high_watermark, LOW_WATERMARK),
    LOW_MARK(LOW_WATERMARK, 0, INT32_MAX, low_watermark, HIGH_WATERMARK),
    KEPT(INET_BACKEND, 0, 1, socket_backend),
    KERNEL(KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE, FLAG, 0),
    KERNEL(DONTROUTE, SOL_SOCKET, SO_DONTROUTE, FLAG, 0),
    KERNEL(PRIORITY, SOL_SOCKET, GT_SO_PRIORITY, NUM, 0),
    KERNEL(TOS, IPPROTO_IP, IP_TOS, NUM, AF_INET),
    KERNEL(TTL, IPPROTO_IP, IP_TTL, NUM, AF_INET),
    KERNEL(TCLASS, IPPROTO_IPV6, IPV6_TCLASS, NUM, AF_INET6),
    KERNEL(IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY, FLAG, AF_INET6),
    KERNEL(RECVTOS, IPPROTO_IP, GT_IP_RECVTOS, FLAG, AF_INET),
    KERNEL(RECVTTL, IPPROTO_IP, IP_RECVTTL, FLAG, AF_INET),
    KERNEL(RECVTCLASS, IPPROTO_IPV6, GT_IPV6_RECVTCLASS, FLAG, AF_INET6),
    KERNEL(REUSEPORT, SOL_SOCKET, GT_SO_REUSEPORT, FLAG, 0),
    KERNEL(QUICKACK, IPPROTO_TCP, GT_TCP_QUICKACK, FLAG, 0),
    KERNEL(CORK, IPPROTO_TCP, GT_TCP_CORK, FLAG, 0),
    KERNEL(NOTSENT_LOWAT, IPPROTO_TCP, GT_TCP_NOTSENT_LOWAT, NUM, 0),
    KERNEL(USER_TIMEOUT, IPPROTO_TCP, GT_TCP_USER_TIMEOUT, NUM, 0),
    KERNEL(KEEPIDLE, IPPROTO_TCP, GT_TCP_KEEPIDLE, NUM, 0),
    KERNEL(KEEPINTVL, IPPROTO_TCP, GT_TCP_KEEPINTVL, NUM, 0),
    KERNEL(KEEPCNT, IPPROTO_TCP, GT_TCP_KEEPCNT, NUM, 0),
    KERNEL(MARK, SOL_SOCKET, GT_SO_MARK, NUM, 0),
    KERNEL(INCOMING_CPU, SOL_SOCKET, GT_SO_INCOMING_CPU, NUM, 0),
    KERNEL(BUSY_POLL, SOL_SOCKET, GT_SO_BUSY_POLL, NUM, 0),
    /* GT_LINGER(on, seconds): kept whole (close.c reads it), set as a struct linger */
    {"LINGER", GT_OPT_LINGER, HOW_KERNEL, 0, GT_LINGER(1, INT32_MAX), FIELD(linger),
     .level = SOL_SOCKET, .sockopt = SO_LINGER},
    KERNEL(FASTOPEN, IPPROTO_TCP, GT_TCP_FASTOPEN, NUM, 0),
    KERNEL(PREFER_BUSY_POLL, SOL_SOCKET, GT_SO_PREFER_BUSY_POLL, FLAG, 0),
    KEPT(READ_AHEAD, 0, 1, read_ahead),
    KERNEL(REUSEPORT_LB, SOL_SOCKET, GT_SO_REUSEPORT_LB, FLAG, 0),
    KEPT(EXCLUSIVEADDRUSE, 0, 1, exclusiveaddruse),
    KEPT(PROTOCOL, 0, 1, protocol),
    KEPT(TIMESTAMPING, 0, GT_TIMESTAMPING_ALL, timestamping),
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))
#define BIT(opt) ((uint64_t)1 << (opt)) /* an option's bit in gt_opts.set_mask */

static const struct gt_row *option(int32_t opt)
{
    size_t i;

    for (i = 0; i < OPTION_COUNT; i++)
        if (options[i].opt == opt)
            return &options[i];
    return NULL;
}

/* What the socket keeps of option R (opts_lock held, or a load of one field). */
static int64_t kept(const struct gt_opts *o, const struct gt_row *r)
{
    const char *at = (const char *)o + r->field;

    if (r->field == GT_NO_FIELD)
        return o->kernel[r->opt];
    return r->wide ? *(const _Atomic int64_t *)at : *(const _Atomic int32_t *)at;
}

static void keep(struct gt_opts *o, const struct gt_row *r, int64_t value)
{
    char *at = (char *)o + r->field;

    if (r->opt == GT_OPT_BUFFER && value < 1)
        value = 1; /* OTP keeps at least one byte */
    if (r->field == GT_NO_FIELD)
        o->kernel[r->opt] = (int32_t)value;
    else if (r->wide)
        *(_Atomic int64_t *)at = value;
    else
        *(_Atomic int32_t *)at = (int32_t)value;
}

static int set_int_sockopt(int fd, int level, int name, int64_t value)
{
    int v = (int)value;

    if (setsockopt(fd, level, name, &v, sizeof(v)) < 0)
        return -errno;
    return 0;
}

/* Option R's VALUE on descriptor FD: linger as the struct it is, the others as an int. */
static int apply(int fd, const struct gt_row *r, int64_t value)
{
    if (r->opt == GT_OPT_LINGER) {
        struct linger l = {.l_onoff = GT_LINGER_ON(value), .l_linger = GT_LINGER_SECS(value)};

        return setsockopt(fd, r->level, r->sockopt, &l, sizeof(l)) < 0 ? -errno : 0;
    }
    return set_int_sockopt(fd, r->level, r->sockopt, value);
}

/* Whether option R is for another kind of socket than S: an option of the other address
 * family, or a TCP one on a local socket (which is no TCP socket). */
static int wrong_family(const struct gt_sock *s, const struct gt_row *r)
{
    return (r->family != 0 && r->family != s->family) ||
           (s->family == AF_UNIX && r->level == IPPROTO_TCP);
}

/* The special cases of setting: 0 when VALUE is one option R takes on S now, else -code. */
static int valid(const struct gt_sock *s, const struct gt_row *r, int64_t value)
{
    if (r->opt == GT_OPT_SEND_TIMEOUT && value == GT_SEND_TIMEOUT_INFINITY)
        return 0;
    if (value < r->min || value > r->max)
        return -EINVAL;
    switch (r->opt) {
    case GT_OPT_PACKET:
        return value == GT_PACKET_2 + 1 ? -EINVAL : 0; /* the gap before GT_PACKET_4 */
    case GT_OPT_LINGER:
        return (uint32_t)value > INT32_MAX ? -EINVAL : 0; /* seconds: a non-negative int */
    case GT_OPT_INET_BACKEND:
    case GT_OPT_PROTOCOL:
        return s->kind != GT_KIND_FRESH ? -EINVAL : 0; /* chosen when the socket is made (OTP) */
    default:
        return 0;
    }
}

/* A kernel option on descriptor FD of S (opts_lock held), with its special cases: 0 or -code. */
static int set_kernel(struct gt_sock *s, int fd, const struct gt_row *r, int64_t value)
{
    const struct gt_opts *o = &s->opts;
    int rc;

    if (r->sockopt == GT_ABSENT)
        return -ENOTSUP;
    if (r->family != 0 && r->family != s->family)
        return -EAFNOSUPPORT;
    if (wrong_family(s, r))
        return -ENOTSUP; /* a TCP option on a local socket (OTP: nodelay is enotsup there) */
    if (r->opt == GT_OPT_NODELAY && s->kind == GT_KIND_LISTEN)
        return 0; /* a listen socket only records it, for the sockets it accepts */
    rc = apply(fd, r, value);
    /* Whether a fresh socket will listen or connect is not known yet: arm the client side too
     * (TCP_FASTOPEN_CONNECT only matters to connect, TCP_FASTOPEN only to listen). */
    if (rc == 0 && r->opt == GT_OPT_FASTOPEN && s->kind == GT_KIND_FRESH) {
        rc = set_int_sockopt(fd, IPPROTO_TCP, GT_TCP_FASTOPEN_CONNECT, value > 0);
        if (rc < 0) /* all or nothing: take back the listen half (kernels before 4.11) */
            apply(fd, r, o->set_mask & BIT(r->opt) ? kept(o, r) : 0);
    }
    return rc;
}

/* What setting R to VALUE does besides, once kept (opts_lock held). */
static void after_set(struct gt_sock *s, const struct gt_row *r, int64_t value)
{
    struct gt_opts *o = &s->opts;

    if (r->pair != 0) {
        const struct gt_row *other = option(r->pair);
        const int64_t v = kept(o, other);

        if (r->high ? v > value : v < value)
            keep(o, other, value);
    }
    if (r->opt == GT_OPT_PACKET) /* a new packet type starts with a request or response line */
        atomic_store_explicit(&s->http_restart, 1, memory_order_relaxed); /* (rbuf.c) */
    /* OTP: setting recbuf raises 'buffer' to match, unless 'buffer' was set. */
    if (r->opt == GT_OPT_RECBUF && !(o->set_mask & BIT(GT_OPT_BUFFER)))
        keep(o, option(GT_OPT_BUFFER), value);
}

#ifdef GT_IPPROTO_MPTCP
/* Whether FD has an address of its own (bound, or given one by a connect). */
static int is_bound(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return 1;
    switch (ss.ss_family) {
    case AF_INET:
        return ((const struct sockaddr_in *)&ss)->sin_port != 0;
    case AF_INET6:
        return ((const struct sockaddr_in6 *)&ss)->sin6_port != 0;
    default:
        return len > sizeof(sa_family_t); /* a local socket's name */
    }
}
#endif

int gt__protocol_socket(int family, int32_t protocol)
{
    int fd;

    if (protocol == GT_PROTOCOL_TCP) {
        fd = gt__socket_cloexec(family);
        return fd < 0 ? -errno : fd;
    }
#ifdef GT_IPPROTO_MPTCP
    fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, GT_IPPROTO_MPTCP);
    if (fd < 0) /* kernels before 5.6 know no protocol above 255: einval */
        return errno == EINVAL ? -EPROTONOSUPPORT : -errno;
    return fd;
#else
    return -ENOTSUP; /* no IPPROTO_MPTCP here */
#endif
}

int gt__own_protocol(int fd)
{
#ifdef GT_IPPROTO_MPTCP
    int proto;
    socklen_t len = sizeof(proto);

    if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0)
        return -errno;
    if (proto == GT_IPPROTO_MPTCP)
        return GT_PROTOCOL_MPTCP;
    return proto == IPPROTO_TCP || proto == 0 ? GT_PROTOCOL_TCP : -EPROTONOSUPPORT; /* SCTP */
#else
    (void)fd;
    return GT_PROTOCOL_TCP;
#endif
}

void gt__opts_protocol(struct gt_sock *s, int32_t protocol, int fixed)
{
    atomic_store_explicit(&s->opts.protocol, protocol, memory_order_relaxed);
    /* The protocol's bit is set by nothing else (set_option_locked leaves it): reopen reads it
     * as "fixed: not to be made again here". */
    if (fixed)
        s->opts.set_mask |= BIT(GT_OPT_PROTOCOL);
}

/*
 * {protocol, P} on a fresh socket (opts_lock held): the socket made again with P's protocol on
 * the same descriptor number, as if it had been made so, and the kernel options set so far
 * applied to it again. Setting the protocol it has already is nothing to do.
 */
static int reopen(struct gt_sock *s, int64_t value)
{
#ifdef GT_IPPROTO_MPTCP
    int fd, rc = 0;
    size_t i;

    if (value == kept(&s->opts, option(GT_OPT_PROTOCOL)))
        return 0;
    /* An adopted descriptor's protocol is its own: another socket in its place would not be
     * the one its maker (perhaps another process, sharing it) handed over. One made in another
     * namespace would be made again in the caller's. */
    if (s->opts.set_mask & BIT(GT_OPT_PROTOCOL))
        return -EINVAL;
    /* Too late once bound or connecting: the socket made again would be neither. */
    if (s->connecting || is_bound(s->fd))
        return -EINVAL;
    fd = gt__protocol_socket(s->family, (int32_t)value);
    if (fd < 0)
        return fd;
    /* The options set so far, on the new socket first: on any failure the old one stays. */
    for (i = 0; rc == 0 && i < OPTION_COUNT; i++) {
        const struct gt_row *r = &options[i];

        if (r->how == HOW_KERNEL && (s->opts.set_mask & BIT(r->opt)))
            rc = set_kernel(s, fd, r, kept(&s->opts, r));
    }
    if (rc == 0 && dup3(fd, s->fd, O_CLOEXEC) < 0)
        rc = -errno;
    close(fd);
    if (rc == 0 && s->opts.timestamping != 0) /* a kept option with a kernel side */
        rc = gt__tstamp_set(s, s->opts.timestamping);
    return rc;
#else
    (void)s;
    return value ? -ENOTSUP : 0; /* no IPPROTO_MPTCP here */
#endif
}

/* Every option but active, with opts_lock held: checked, applied, kept, marked as set. */
static int set_option_locked(struct gt_sock *s, const struct gt_row *r, int64_t value)
{
    int rc = valid(s, r, value);

    if (rc == 0 && r->how == HOW_KERNEL)
        rc = set_kernel(s, s->fd, r, value);
    if (rc == 0 && r->opt == GT_OPT_PROTOCOL)
        rc = reopen(s, value);
    if (rc == 0 && r->opt == GT_OPT_TIMESTAMPING)
        rc = gt__tstamp_set(s, value);
    if (rc == 0) {
        keep(&s->opts, r, value);
        if (r->opt != GT_OPT_PROTOCOL) /* its bit: an adopted descriptor's (gt__opts_protocol) */
            s->opts.set_mask |= BIT(r->opt);
        after_set(s, r, value);
    }
    return rc;
}

/* Bit (1 << GT_OPT_x) for each kernel option this platform lacks. */
static int64_t absent_mask(void)
{
    int64_t mask = 0;
    size_t i;

    for (i = 0; i < OPTION_COUNT; i++)
        if (options[i].how == HOW_KERNEL && options[i].sockopt == GT_ABSENT)
            mask |= (int64_t)1 << options[i].opt;
    if (!gt__tstamp_supported())
        mask |= (int64_t)1 << GT_OPT_TIMESTAMPING;
    return mask;
}

int64_t gt__opts_constant(const char *name)
{
    const char *rest;
    size_t i;

    if (strcmp(name, "GT_OPTS_ABSENT") == 0)
        return absent_mask();
    if (strncmp(name, "GT_OPT_", strlen("GT_OPT_")) != 0)
        return INT64_MIN;
    rest = name + strlen("GT_OPT_");
    for (i = 0; i < OPTION_COUNT; i++) {
        const struct gt_row *r = &options[i];
        const size_t len = strlen(r->name);

        if (strncmp(rest, r->name, len) != 0)
            continue;
        if (rest[len] == '\0')
            return r->opt;
        if (r->how == HOW_ACTIVE) /* no range: set_active's rules */
            continue;
        if (strcmp(rest + len, "_MIN") == 0)
            return r->min;
        if (strcmp(rest + len, "_MAX") == 0)
            return r->max;
    }
    return INT64_MIN;
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
    s->opts.set_mask |= BIT(GT_OPT_ACTIVE);
    pthread_mutex_unlock(&s->opts_lock);
    gt__active_changed(s, passive); /* after the unlock: opts_lock is a leaf */
    return 0;
}

/* The socket of HANDLE for an option call, or NULL: OTP answers einval for options on a
 * closed socket. */
static struct gt_sock *acquire_open(int64_t handle)
{
    struct gt_sock *s = gt__acquire(handle);

    if (s != NULL && gt__port_gone(s)) {
        gt__release(s);
        return NULL;
    }
    return s;
}

int32_t gt_setopt(int64_t handle, int32_t opt, int64_t value)
{
    const struct gt_row *r = option(opt);
    struct gt_sock *s = acquire_open(handle);
    int rc;

    if (s == NULL)
        return -EINVAL;
    if (r == NULL) {
        rc = -EINVAL;
    } else if (r->how == HOW_ACTIVE) {
        rc = set_active(s, value); /* a CAS of its own, and it delivers: not under the lock */
    } else {
        pthread_mutex_lock(&s->opts_lock);
        rc = set_option_locked(s, r, value);
        pthread_mutex_unlock(&s->opts_lock);
    }
    gt__release(s);
    return rc;
}

static int64_t get_int_sockopt(int fd, int level, int name)
{
    int v = 0;
    socklen_t len = sizeof(v);

    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno;
    return v;
}

/* A kernel option as the kernel has it (a boolean's nonzero read as 1), or -code: one of
 * the other family is EAFNOSUPPORT, which getopts skips. */
static int64_t get_kernel(struct gt_sock *s, const struct gt_row *r)
{
    int64_t v;

    if (wrong_family(s, r))
        return -EAFNOSUPPORT;
    if (r->sockopt == GT_ABSENT)
        return -ENOTSUP;
    if (r->opt == GT_OPT_NODELAY && s->kind == GT_KIND_LISTEN) {
        pthread_mutex_lock(&s->opts_lock); /* only recorded there (set_kernel) */
        v = kept(&s->opts, r);
        pthread_mutex_unlock(&s->opts_lock);
        return v;
    }
    v = get_int_sockopt(s->fd, r->level, r->sockopt);
    return v > 0 && r->max == FLAG ? 1 : v;
}

int64_t gt_getopt(int64_t handle, int32_t opt)
{
    const struct gt_row *r = option(opt);
    struct gt_sock *s = acquire_open(handle);
    int64_t v;

    if (s == NULL)
        return -EINVAL;
    if (r == NULL)
        v = -EINVAL;
    else if (r->how == HOW_ACTIVE)
        v = atomic_load(&s->active);
    else if (r->opt == GT_OPT_TIMESTAMPING && !gt__tstamp_supported())
        v = -ENOTSUP; /* absent, as the kernel options this platform lacks */
    else if (r->field != GT_NO_FIELD || r->how == HOW_KEPT) /* one load: no lock */
        v = kept(&s->opts, r);
    else
        v = get_kernel(s, r);
    gt__release(s);
    return v;
}

/* Kernel options that only a bind uses. */
static int binding_only(const struct gt_row *r)
{
    return r->opt == GT_OPT_REUSEADDR || r->opt == GT_OPT_REUSEPORT ||
           r->opt == GT_OPT_REUSEPORT_LB;
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
    size_t i;

    pthread_mutex_lock(&parent->opts_lock);
    *c = parent->opts;
    pthread_mutex_unlock(&parent->opts_lock);
    atomic_store(&child->active, atomic_load(&parent->active));
    /* OTP does not pass line_delimiter on (inet_drv's tcp_inet_copy leaves it out). */
    c->delimiter = '\n';
    c->set_mask &= ~BIT(GT_OPT_LINE_DELIMITER);
    /* An MPTCP listener hands a client that did not ask for MPTCP a plain TCP socket: the
     * child's protocol is its own (one getsockopt per accept, on MPTCP listeners only). */
    if (c->protocol == GT_PROTOCOL_MPTCP && gt__own_protocol(child->fd) == GT_PROTOCOL_TCP)
        c->protocol = GT_PROTOCOL_TCP;
    for (i = 0; i < OPTION_COUNT; i++) {
        const struct gt_row *r = &options[i];

        /* reuseaddr and reuseport are for binding: a connected socket has no use for them,
         * and setting them would cost every accept a system call. */
        if (r->how == HOW_KERNEL && !binding_only(r) && (c->set_mask & BIT(r->opt)))
            apply(child->fd, r, kept(c, r));
    }
    /* With the ring its transmit stamps need; without memory for it, receive stamps only (the
     * kernel copied those from the listen socket), and getopts says so. */
    if (c->timestamping != 0 && gt__tstamp_set(child, c->timestamping) < 0)
        c->timestamping &= GT_TIMESTAMPING_RX_SOFTWARE | GT_TIMESTAMPING_RX_HARDWARE;
}

/* The socket of HANDLE for a raw option call, or NULL; LEVEL and NAME must be ints, and the
 * bytes at ADDR (LEN of them, at most 64 KiB) there. */
static struct gt_sock *acquire_raw(int64_t handle, int64_t level, int64_t name, int64_t addr,
                                   int64_t len)
{
    struct gt_sock *s = acquire_open(handle);

    if (s != NULL && (s->kind == GT_KIND_MAILBOX || level < 0 || level > INT32_MAX || name < 0 ||
                      name > INT32_MAX || len < 0 || len > 65536 || (len > 0 && addr == 0))) {
        gt__release(s);
        return NULL;
    }
    return s;
}

/*
 * {raw, Protocol, OptionNum, ValueBin}: any setsockopt the table does not name, the value
 * passed as the bytes given (the caller's buffer, read during the call only). A failure is the
 * call's result, never a logged warning.
 */
/*
 * Whether a raw option would have the kernel queue messages on the socket's error queue
 * (timestamps, zero-copy completions, ICMP errors). While that queue holds any, poll reports
 * POLLERR at once, so every wait of gentcp's would wake and spin: gentcp's waits empty it only
 * for the stamps GT_OPT_TIMESTAMPING asked for (tstamp.c), which is how timestamps are had.
 */
static int fills_error_queue(int64_t level, int64_t name)
{
    switch (level) {
    case SOL_SOCKET:
#ifdef SO_TIMESTAMPING
        if (name == SO_TIMESTAMPING)
            return 1;
#endif
#ifdef SO_TIMESTAMPING_NEW
        if (name == SO_TIMESTAMPING_NEW)
            return 1;
#endif
#ifdef SO_ZEROCOPY
        if (name == SO_ZEROCOPY)
            return 1;
#endif
        return 0;
#ifdef IP_RECVERR
    case IPPROTO_IP:
        return name == IP_RECVERR;
#endif
#ifdef IPV6_RECVERR
    case IPPROTO_IPV6:
        return name == IPV6_RECVERR;
#endif
    default:
        return 0;
    }
}

int32_t gt_setopt_raw(int64_t handle, int64_t level, int64_t name, int64_t value, int64_t len)
{
    struct gt_sock *s = acquire_raw(handle, level, name, value, len);
    int rc = 0;

    if (s == NULL)
        return -EINVAL;
    if (fills_error_queue(level, name))
        rc = -ENOTSUP;
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
    struct gt_sock *s = acquire_raw(handle, level, name, dst, cap);
    socklen_t len = (socklen_t)cap;
    int rc;

    if (s == NULL)
        return -EINVAL;
    rc = getsockopt(s->fd, (int)level, (int)name, (void *)(intptr_t)dst, &len) < 0 ? -errno
                                                                                   : (int)len;
    gt__release(s);
    return rc;
}
