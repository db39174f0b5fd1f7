/*
 * test_options.c - options changed from several threads at once: two threads setting different
 * options of one socket lose none of the changes, and options changed while other threads send,
 * receive and deliver to a mailbox leave every packet whole and in order. Run under
 * ThreadSanitizer too (test_options_tsan), which sees an unguarded access even when the
 * interleaving that would lose a change did not happen.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "gentcp.h"
#include "http.h"
#include "internal.h"
#include "loopback.h"
#include "platform.h"

/* An option and the value a thread gives it in round R (always valid, never a default). */
struct change {
    int32_t opt;
    int64_t (*value)(int r);
};

static int64_t bool_of(int r)
{
    return r & 1 ? 0 : 1;
}
static int64_t size_of(int r)
{
    return 1000 + r;
}
static int64_t byte_of(int r)
{
    return 'a' + r % 26;
}
static int64_t idle_of(int r)
{
    return r & 1 ? GT_IDLE_SPIN : GT_IDLE_BLOCK;
}
static int64_t packet_of(int r)
{
    return r & 1 ? GT_PACKET_2 : GT_PACKET_LINE;
}
static int64_t timeout_of(int r)
{
    return 60000 + r;
}
static int64_t high_of(int r)
{
    return 1 << 20 | r;
} /* never below the other thread's low */
static int64_t low_of(int r)
{
    return 1000 + r;
}
static int64_t active_of(int r)
{
    return r & 1 ? GT_ACTIVE_FALSE : GT_ACTIVE_TRUE;
}

/* Two threads, different options (and so different bits of the set mask). */
static const struct change changes_a[] = {
    {GT_OPT_MODE, bool_of},           {GT_OPT_BUFFER, size_of},
    {GT_OPT_HEADER, size_of},         {GT_OPT_DELIVER, bool_of},
    {GT_OPT_EXIT_ON_CLOSE, bool_of},  {GT_OPT_PACKET_SIZE, size_of},
    {GT_OPT_SPIN_NS, size_of},        {GT_OPT_LINE_DELIMITER, byte_of},
    {GT_OPT_HIGH_WATERMARK, high_of}, {GT_OPT_HIGH_MSGQ_WATERMARK, size_of},
};
static const struct change changes_b[] = {
    {GT_OPT_SEND_TIMEOUT, timeout_of},
    {GT_OPT_DELAY_SEND, bool_of},
    {GT_OPT_SEND_TIMEOUT_CLOSE, bool_of},
    {GT_OPT_SHOW_ECONNRESET, bool_of},
    {GT_OPT_IDLE, idle_of},
    {GT_OPT_PACKET, packet_of},
    {GT_OPT_LOW_WATERMARK, low_of},
    {GT_OPT_LOW_MSGQ_WATERMARK, low_of},
    {GT_OPT_ACTIVE, active_of},
};
#define N_A (sizeof(changes_a) / sizeof(changes_a[0]))
#define N_B (sizeof(changes_b) / sizeof(changes_b[0]))

#define ROUNDS 5000

/* Each round the two setters start together on a fresh socket: both spin on the round number
 * (a blocking wait would wake one long after the other had finished), and the main thread
 * spins until both have finished it (no pthread_barrier: macOS has none). */
struct round {
    _Atomic int64_t socket; /* this round's socket, stored before the round number */
    atomic_int number;      /* 1 + the round under way */
    atomic_int finished;    /* setters' rounds finished, both counted */
};

struct setter {
    const struct change *changes;
    size_t n;
    struct round *round;
};

/* Spin until *V is N or more (bounded: 10 s, yielding now and then to the other threads). */
static void await_value(atomic_int *v, int n)
{
    int64_t limit = gt__now_ns() + 10 * 1000000000LL;
    long spins = 0;

    while (atomic_load(v) < n) {
        if (++spins % 1024 == 0) {
            CHECK(gt__now_ns() < limit);
            sched_yield();
        }
    }
}

static void *set_options(void *arg)
{
    struct setter *st = arg;
    int r;
    size_t i;

    for (r = 0; r < ROUNDS; r++) {
        await_value(&st->round->number, r + 1);
        for (i = 0; i < st->n; i++)
            CHECK_EQ(gt_setopt(atomic_load(&st->round->socket), st->changes[i].opt,
                               st->changes[i].value(r)),
                     0);
        atomic_fetch_add(&st->round->finished, 1);
    }
    return NULL;
}

/* Every change of round R stuck, and every option is marked as set. */
static void check_round(int64_t h, int r)
{
    struct gt_sock *s;
    uint64_t mask = 0;
    size_t i;

    for (i = 0; i < N_A; i++) {
        CHECK_EQ(gt_getopt(h, changes_a[i].opt), changes_a[i].value(r));
        mask |= (uint64_t)1 << changes_a[i].opt;
    }
    for (i = 0; i < N_B; i++) {
        CHECK_EQ(gt_getopt(h, changes_b[i].opt), changes_b[i].value(r));
        mask |= (uint64_t)1 << changes_b[i].opt;
    }
    s = gt__acquire(h);
    CHECK(s != NULL);
    CHECK_EQ(s->opts.set_mask & mask, mask);
    gt__release(s);
    /* The public face of a lost mark: recbuf raises 'buffer' only when it was never set. */
    CHECK_EQ(gt_setopt(h, GT_OPT_RECBUF, 65536), 0);
    CHECK_EQ(gt_getopt(h, GT_OPT_BUFFER), size_of(r));
}

static void test_concurrent_setopts_lose_no_change(void)
{
    static struct round rd;
    struct setter a = {changes_a, N_A, &rd};
    struct setter b = {changes_b, N_B, &rd};
    pthread_t ta, tb;
    int r;

    atomic_init(&rd.number, 0);
    atomic_init(&rd.finished, 0);
    CHECK_EQ(pthread_create(&ta, NULL, set_options, &a), 0);
    CHECK_EQ(pthread_create(&tb, NULL, set_options, &b), 0);
    for (r = 0; r < ROUNDS; r++) {
        int64_t h = gt_socket(AF_INET);

        CHECK(h > 0);
        atomic_store(&rd.socket, h);
        atomic_store(&rd.number, r + 1);
        await_value(&rd.finished, 2 * (r + 1));
        check_round(h, r);
        CHECK_EQ(gt_close(h), 0);
    }
    CHECK_EQ(pthread_join(ta, NULL), 0);
    CHECK_EQ(pthread_join(tb, NULL), 0);
}

/* A connected pair, both ends passive with PACKET, small kernel buffers on the client (so that
 * its queue and watermarks come into play). */
static void connected_pair(int packet, int64_t *client, int64_t *server)
{
    int64_t l = gt_socket(AF_INET);

    *client = gt_socket(AF_INET);
    CHECK(l > 0 && *client > 0);
    CHECK_EQ(gt_setopt(l, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_setopt(l, GT_OPT_PACKET, packet), 0);
    CHECK_EQ(gt_setopt(*client, GT_OPT_ACTIVE, GT_ACTIVE_FALSE), 0);
    CHECK_EQ(gt_setopt(*client, GT_OPT_PACKET, packet), 0);
    CHECK_EQ(gt_setopt(*client, GT_OPT_SNDBUF, 4096), 0);
    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    CHECK_EQ(gt_connect(*client, 0, LOOPBACK, local_port(l), 5000), 0);
    *server = gt_accept(l, 5000);
    CHECK(*server > 0);
    CHECK_EQ(gt_close(l), 0);
}

#define PACKETS 20000

/* Packet I: its number, then bytes (uint8_t)I, 4 .. 1003 bytes in all. */
static size_t packet_len(int i)
{
    return 4 + (size_t)(i * 7919 % 1000);
}

static void *send_packets(void *arg)
{
    int64_t h = *(int64_t *)arg;
    uint8_t buf[1004];
    int i;

    for (i = 0; i < PACKETS; i++) {
        memcpy(buf, &i, 4);
        memset(buf + 4, (uint8_t)i, packet_len(i) - 4);
        CHECK_EQ(gt_send(h, (int64_t)(intptr_t)buf, (int64_t)packet_len(i)), 0);
    }
    return NULL;
}

/* Options read by the send path (on the sender's socket) and by the receive or delivery path
 * (on the receiver's), none of which changes what goes over the wire. */
struct changer {
    int64_t sender, receiver;
    int mailbox; /* the receiver is active, in a mailbox */
    atomic_int stop;
    int rounds;
};

static void *change_options(void *arg)
{
    struct changer *c = arg;
    int r;

    for (r = 0; r < 20000 && !atomic_load(&c->stop); r++) {
        CHECK_EQ(gt_setopt(c->sender, GT_OPT_HIGH_WATERMARK, r & 1 ? 2048 : 65536), 0);
        CHECK_EQ(gt_setopt(c->sender, GT_OPT_LOW_WATERMARK, r & 1 ? 1024 : 4096), 0);
        CHECK_EQ(gt_setopt(c->sender, GT_OPT_DELAY_SEND, r & 1), 0);
        CHECK_EQ(
            gt_setopt(c->sender, GT_OPT_SEND_TIMEOUT, r & 1 ? 60000 : GT_SEND_TIMEOUT_INFINITY), 0);
        CHECK_EQ(gt_setopt(c->sender, GT_OPT_SHOW_ECONNRESET, r & 1), 0);
        CHECK_EQ(gt_setopt(c->sender, GT_OPT_LINGER, r & 1 ? (int64_t)1 << 32 | 5 : 0), 0);
        CHECK_EQ(gt_setopt(c->receiver, GT_OPT_PACKET, GT_PACKET_4), 0); /* the same again */
        CHECK_EQ(gt_setopt(c->receiver, GT_OPT_PACKET_SIZE, r & 1 ? 1 << 20 : 0), 0);
        CHECK_EQ(gt_setopt(c->receiver, GT_OPT_BUFFER, r & 1 ? 1460 : 65536), 0);
        CHECK_EQ(gt_setopt(c->receiver, GT_OPT_EXIT_ON_CLOSE, r & 1), 0);
        CHECK_EQ(gt_setopt(c->receiver, GT_OPT_SHOW_ECONNRESET, r & 1), 0);
        if (c->mailbox) {
            CHECK_EQ(gt_setopt(c->receiver, GT_OPT_HIGH_MSGQ_WATERMARK, r & 1 ? 1 : 8192), 0);
            CHECK_EQ(gt_setopt(c->receiver, GT_OPT_DELIVER, r & 1), 0);
            CHECK_EQ(gt_setopt(c->receiver, GT_OPT_MODE, 1), 0);
        }
        sched_yield(); /* the sender and the receiver need the cores more */
    }
    c->rounds = r;
    return NULL;
}

/* Packet I arrived as LEN bytes at DATA: in order, whole. */
static void check_packet(int i, const uint8_t *data, int64_t len)
{
    int seq;
    int64_t j;

    CHECK_EQ(len, (int64_t)packet_len(i));
    memcpy(&seq, data, 4);
    CHECK_EQ(seq, i);
    for (j = 4; j < len; j++)
        if (data[j] != (uint8_t)i)
            CHECK_EQ(data[j], (uint8_t)i);
}

/* Once every packet arrived: the sender TS has ended; stop the changer TC, which must have
 * changed options meanwhile, and close the pair. */
static void stop_changing(struct changer *c, pthread_t ts, pthread_t tc)
{
    CHECK_EQ(pthread_join(ts, NULL), 0);
    atomic_store(&c->stop, 1);
    CHECK_EQ(pthread_join(tc, NULL), 0);
    CHECK(c->rounds > 0);
    CHECK_EQ(gt_close(c->sender), 0);
    CHECK_EQ(gt_close(c->receiver), 0);
}

static void test_setopts_while_sending_and_receiving(void)
{
    struct changer c = {.mailbox = 0};
    pthread_t ts, tc;
    uint8_t buf[2048];
    int i;

    connected_pair(GT_PACKET_4, &c.sender, &c.receiver);
    atomic_init(&c.stop, 0);
    CHECK_EQ(pthread_create(&tc, NULL, change_options, &c), 0);
    CHECK_EQ(pthread_create(&ts, NULL, send_packets, &c.sender), 0);
    for (i = 0; i < PACKETS; i++)
        check_packet(i, buf, gt_recv(c.receiver, 0, 30000, (int64_t)(intptr_t)buf, sizeof(buf)));
    stop_changing(&c, ts, tc);
}

/* The same with the receiver active in a mailbox: the delivery path reads its options. */
static void test_setopts_while_a_mailbox_receives(void)
{
    static uint8_t box[1 << 18];
    struct changer c = {.mailbox = 1};
    int64_t mb = gt_mailbox_open(), n, pos;
    pthread_t ts, tc;
    int i = 0, turns;

    CHECK(mb > 0);
    connected_pair(GT_PACKET_4, &c.sender, &c.receiver);
    CHECK_EQ(gt_mailbox_adopt(mb, c.receiver), 0);
    CHECK_EQ(gt_setopt(c.receiver, GT_OPT_ACTIVE, GT_ACTIVE_TRUE), 0);
    atomic_init(&c.stop, 0);
    CHECK_EQ(pthread_create(&tc, NULL, change_options, &c), 0);
    CHECK_EQ(pthread_create(&ts, NULL, send_packets, &c.sender), 0);
    for (turns = 0; i < PACKETS && turns < 10 * PACKETS; turns++) {
        n = gt_mailbox_receive(mb, 30000, (int64_t)(intptr_t)box, sizeof(box));
        CHECK(n > 0);
        for (pos = 0; pos < n;) {
            int32_t kind;
            int64_t handle, len;

            memcpy(&kind, box + pos, 4);
            memcpy(&handle, box + pos + 8, 8);
            memcpy(&len, box + pos + 16, 8);
            CHECK_EQ(kind, GT_MSG_TCP);
            CHECK_EQ(handle, c.receiver);
            check_packet(i++, box + pos + GT_MSG_HEADER, len);
            pos += (int64_t)GT_MSG_SIZE(len);
        }
    }
    CHECK_EQ(i, PACKETS);
    stop_changing(&c, ts, tc);
    CHECK_EQ(gt_close(mb), 0);
}

struct toggler {
    int64_t h;
    atomic_int stop;
    atomic_int done; /* how many times it was set so far */
    int last;        /* the value set last */
};

/* Toggle nodelay on T->h until told to stop (bounded: 100,000 times). nodelay's setopt looks
 * at what the socket is (a listen socket only records it), which connect changes. */
static void *toggle_nodelay(void *arg)
{
    struct toggler *t = arg;
    int i;

    for (i = 0; i < 100000 && !atomic_load(&t->stop); i++) {
        t->last = i & 1;
        CHECK_EQ(gt_setopt(t->h, GT_OPT_NODELAY, t->last), 0);
        CHECK(gt_getopt(t->h, GT_OPT_NODELAY) >= 0);
        atomic_store(&t->done, i + 1);
    }
    return NULL;
}

/* setopts while another thread connects (and so changes what the socket is). */
static void test_setopts_while_connecting(void)
{
    struct toggler t;
    int64_t l = gt_socket(AF_INET), s;
    pthread_t th;

    t.h = gt_socket(AF_INET);
    atomic_init(&t.stop, 0);
    atomic_init(&t.done, 0);
    CHECK(l > 0 && t.h > 0);
    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    CHECK_EQ(pthread_create(&th, NULL, toggle_nodelay, &t), 0);
    await_value(&t.done, 10); /* the connect comes in the middle of the toggling */
    CHECK_EQ(gt_connect(t.h, 0, LOOPBACK, local_port(l), 5000), 0);
    atomic_store(&t.stop, 1);
    CHECK_EQ(pthread_join(th, NULL), 0);
    CHECK_EQ(gt_getopt(t.h, GT_OPT_NODELAY), t.last);
    s = gt_accept(l, 5000);
    CHECK(s > 0);
    CHECK_EQ(gt_close(s), 0);
    CHECK_EQ(gt_close(t.h), 0);
    CHECK_EQ(gt_close(l), 0);
}

/* The kind of the HTTP packet a recv on H gives (GT_HTTP_*). */
static int64_t http_kind(int64_t h)
{
    static int64_t out[(GT_HTTP_IO_BYTES + 256) / 8];
    int64_t r = gt_recv(h, 0, 5000, (int64_t)(intptr_t)out, sizeof(out));

    CHECK(r > (int64_t)GT_HTTP_IO_BYTES);
    return out[GT_DECODE_HTTP_KIND];
}

/* setopts({packet, http}) starts the HTTP state over even between a request line and its
 * headers (the receive side applies it: see http_restart); without it the next request line
 * would be read as a header. */
static void test_setting_the_packet_type_starts_http_over(void)
{
    static const char first[] = "GET /a HTTP/1.1\r\n";
    static const char second[] = "GET /b HTTP/1.1\r\n";
    int64_t client, server;

    connected_pair(GT_PACKET_RAW, &client, &server);
    CHECK_EQ(gt_setopt(server, GT_OPT_PACKET, GT_PACKET_HTTP), 0);
    CHECK_EQ(gt_send(client, (int64_t)(intptr_t)first, (int64_t)strlen(first)), 0);
    CHECK_EQ(http_kind(server), GT_HTTP_REQUEST); /* headers next */
    CHECK_EQ(gt_setopt(server, GT_OPT_PACKET, GT_PACKET_HTTP), 0);
    CHECK_EQ(gt_send(client, (int64_t)(intptr_t)second, (int64_t)strlen(second)), 0);
    CHECK_EQ(http_kind(server), GT_HTTP_REQUEST);
    CHECK_EQ(gt_close(client), 0);
    CHECK_EQ(gt_close(server), 0);
}

/* gt_constant answers each option's id and range from options.c's table, by name, and
 * gt_setopt takes the range's ends and refuses the values just outside it. */
static void test_the_table_names_ids_and_ranges(void)
{
    static const struct {
        const char *name;
        int32_t opt;
    } named[] = {
#define NAMED(n) {#n, GT_OPT_##n}
        NAMED(MODE),
        NAMED(PACKET),
        NAMED(PACKET_SIZE),
        NAMED(LINE_DELIMITER),
        NAMED(HIGH_MSGQ_WATERMARK),
        NAMED(SPIN_NS),
        NAMED(NODELAY),
        NAMED(REUSEADDR),
        NAMED(LINGER), /* not the kernel's int options: they take what the kernel takes */
        NAMED(READ_AHEAD),
        NAMED(EXCLUSIVEADDRUSE),
#undef NAMED
    };
    char name[64];
    int64_t s = gt_socket(AF_INET);
    size_t i;

    CHECK(s > 0);
    for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        int64_t min, max;

        snprintf(name, sizeof(name), "GT_OPT_%s", named[i].name);
        CHECK_EQ(gt_constant(name), named[i].opt);
        snprintf(name, sizeof(name), "GT_OPT_%s_MIN", named[i].name);
        min = gt_constant(name);
        snprintf(name, sizeof(name), "GT_OPT_%s_MAX", named[i].name);
        max = gt_constant(name);
        CHECK(min >= 0 && min <= max);
        CHECK_EQ(gt_setopt(s, named[i].opt, min - 1), -EINVAL);
        if (max < INT64_MAX)
            CHECK_EQ(gt_setopt(s, named[i].opt, max + 1), -EINVAL);
        CHECK_EQ(gt_setopt(s, named[i].opt, max), 0);
        CHECK_EQ(gt_setopt(s, named[i].opt, min), 0);
    }
    CHECK_EQ(gt_constant("GT_OPT_PACKET_SIZE_MAX"), GT_OPT_PACKET_SIZE_MAX);
    CHECK_EQ(gt_constant("GT_OPT_LINE_DELIMITER_MAX"), GT_OPT_LINE_DELIMITER_MAX);
    CHECK_EQ(gt_constant("GT_OPT_LOW_MSGQ_WATERMARK_MAX"), GT_OPT_MSGQ_WATERMARK_MAX);
    CHECK_EQ(gt_constant("GT_OPT_PACKET_SIZ"), INT64_MIN);
    CHECK_EQ(gt_constant("GT_OPT_PACKET_SIZE_MID"), INT64_MIN);
    CHECK_EQ(gt_constant("GT_OPT_ACTIVE_MAX"), INT64_MIN); /* active's rules are set_active's */
    CHECK_EQ(gt_constant("GT_OPT_ACTIVE"), GT_OPT_ACTIVE);
    CHECK_EQ(gt_constant("GT_OPT_PREFER_BUSY_POLL"), GT_OPT_PREFER_BUSY_POLL);
    CHECK_EQ(gt_constant("GT_OPT_TOS_MAX"), INT32_MAX);
    CHECK_EQ(gt_close(s), 0);
}

static int64_t recv_oct(int64_t h)
{
    int64_t stats[GT_STAT_COUNT];

    CHECK_EQ(gt_getstat(h, (int64_t)(intptr_t)stats, (int32_t)sizeof(stats)), 0);
    return stats[GT_STAT_RECV_OCT];
}

/* {read_ahead, false} (OTP 27.1): a recv of one {packet, 4} packet reads no byte of the next
 * one, which was sent with it (recv_oct counts what was read from the kernel); on by default,
 * and accepted sockets take the listener's. */
static void test_read_ahead_false_reads_one_packet(void)
{
    static const char two[] = "\0\0\0\5hello\0\0\0\3abc";
    int64_t client, server;
    uint8_t buf[16];

    connected_pair(GT_PACKET_4, &client, &server);
    CHECK_EQ(gt_getopt(server, GT_OPT_READ_AHEAD), 1);
    CHECK_EQ(gt_setopt(server, GT_OPT_READ_AHEAD, 0), 0);
    CHECK_EQ(gt_getopt(server, GT_OPT_READ_AHEAD), 0);
    CHECK_EQ(gt_setopt(server, GT_OPT_READ_AHEAD, 2), -EINVAL);
    CHECK_EQ(gt_setopt(client, GT_OPT_PACKET, GT_PACKET_RAW), 0);
    CHECK_EQ(gt_send(client, (int64_t)(intptr_t)two, (int64_t)sizeof(two) - 1), 0);
    CHECK_EQ(gt_recv(server, 0, 5000, (int64_t)(intptr_t)buf, sizeof(buf)), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(recv_oct(server), 9);
    CHECK_EQ(gt_recv(server, 0, 5000, (int64_t)(intptr_t)buf, sizeof(buf)), 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    CHECK_EQ(recv_oct(server), 16);
    CHECK_EQ(gt_close(client), 0);
    CHECK_EQ(gt_close(server), 0);
}

/* reuseport_lb and exclusiveaddruse (OTP 26): the first is the kernel's (SO_REUSEPORT on
 * Linux), the second kept and read back with no effect, as OTP has it off Windows. */
static void test_reuseport_lb_and_exclusiveaddruse(void)
{
    int64_t s = gt_socket(AF_INET);

    CHECK(s > 0);
    CHECK_EQ(gt_getopt(s, GT_OPT_EXCLUSIVEADDRUSE), 0);
    CHECK_EQ(gt_setopt(s, GT_OPT_EXCLUSIVEADDRUSE, 1), 0);
    CHECK_EQ(gt_getopt(s, GT_OPT_EXCLUSIVEADDRUSE), 1);
    if (GT_SO_REUSEPORT_LB == GT_ABSENT) {
        CHECK_EQ(gt_setopt(s, GT_OPT_REUSEPORT_LB, 1), -ENOTSUP);
    } else {
        CHECK_EQ(gt_getopt(s, GT_OPT_REUSEPORT_LB), 0);
        CHECK_EQ(gt_setopt(s, GT_OPT_REUSEPORT_LB, 1), 0);
        CHECK_EQ(gt_getopt(s, GT_OPT_REUSEPORT_LB), 1);
    }
#if GT_LINUX
    CHECK_EQ(gt_getopt(s, GT_OPT_REUSEPORT), 1); /* one and the same setting on Linux */
#endif
    CHECK_EQ(gt_close(s), 0);
}

/* {protocol, mptcp} (OTP 28) on a fresh socket: made again as IPPROTO_MPTCP, keeping the
 * kernel options set before; EINVAL once connected. Where the kernel refuses MPTCP the
 * refusal is the result (and this says so); ENOTSUP without IPPROTO_MPTCP. */
static void test_protocol_mptcp(void)
{
    int64_t s = gt_socket(AF_INET);
    int rc;

    CHECK(s > 0);
    CHECK_EQ(gt_setopt(s, GT_OPT_PROTOCOL, 0), 0); /* TCP already: nothing to do */
    CHECK_EQ(gt_setopt(s, GT_OPT_NODELAY, 1), 0);
    rc = gt_setopt(s, GT_OPT_PROTOCOL, 1);
#if GT_LINUX
    if (rc == -EPROTONOSUPPORT || rc == -ENOPROTOOPT || rc == -EINVAL) {
        printf("test_protocol_mptcp: the kernel refuses MPTCP (%d), skipped\n", rc);
        CHECK_EQ(gt_close(s), 0);
        return;
    }
    int proto = 0;

    CHECK_EQ(rc, 0);
    CHECK_EQ(gt_getopt(s, GT_OPT_PROTOCOL), 1);
    CHECK_EQ(gt_getopt_raw(s, SOL_SOCKET, SO_PROTOCOL, (int64_t)(intptr_t)&proto, sizeof(proto)),
             (int32_t)sizeof(proto));
    CHECK_EQ(proto, 262);                      /* IPPROTO_MPTCP */
    CHECK_EQ(gt_getopt(s, GT_OPT_NODELAY), 1); /* applied to the new socket again */
#else
    CHECK_EQ(rc, -ENOTSUP);
#endif
    CHECK_EQ(gt_close(s), 0);
    /* Bound: making it again would lose the address, so the protocol can no longer change. */
    s = gt_socket(AF_INET);
    CHECK(s > 0);
    CHECK_EQ(gt_bind(s, 0, 0x7f000001, 0), 0);
#if GT_LINUX
    CHECK_EQ(gt_setopt(s, GT_OPT_PROTOCOL, 1), -EINVAL);
#endif
    CHECK_EQ(gt_close(s), 0);
    {
        int64_t client, server;

        connected_pair(GT_PACKET_RAW, &client, &server);
        CHECK_EQ(gt_setopt(client, GT_OPT_PROTOCOL, 1), -EINVAL);
        CHECK_EQ(gt_setopt(server, GT_OPT_PROTOCOL, 0), -EINVAL);
        CHECK_EQ(gt_close(client), 0);
        CHECK_EQ(gt_close(server), 0);
    }
}

/* gt_socket_protocol: the socket made with its protocol at once, which gt_getopt answers; a
 * socket so made can still be made again with the other one, as gt_socket's can. */
static void test_socket_protocol(void)
{
    int64_t l, c, a;
    int proto = 0;

    CHECK_EQ(gt_socket_protocol(AF_INET, 2), -EINVAL);
    CHECK_EQ(gt_socket_protocol(AF_INET, GT_PROTOCOL_OWN), -EINVAL); /* for gt_socket_fd only */
    CHECK_EQ(gt_socket_protocol(12345, GT_PROTOCOL_TCP), -EAFNOSUPPORT);
    l = gt_socket_protocol(AF_INET, GT_PROTOCOL_TCP);
    CHECK(l > 0);
    CHECK_EQ(gt_getopt(l, GT_OPT_PROTOCOL), GT_PROTOCOL_TCP);
    CHECK_EQ(gt_close(l), 0);
    l = gt_socket_protocol(AF_INET, GT_PROTOCOL_MPTCP);
#if GT_LINUX
    CHECK_EQ(gt_socket_protocol(AF_UNIX, GT_PROTOCOL_MPTCP), -EPROTONOSUPPORT);
    if (l == -EPROTONOSUPPORT || l == -ENOPROTOOPT) {
        printf("test_socket_protocol: the kernel refuses MPTCP (%d), skipped\n", (int)l);
        return;
    }
    CHECK(l > 0);
    CHECK_EQ(gt_getopt(l, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP);
    CHECK_EQ(gt_getopt_raw(l, SOL_SOCKET, SO_PROTOCOL, (int64_t)(intptr_t)&proto, sizeof(proto)),
             (int32_t)sizeof(proto));
    CHECK_EQ(proto, 262);                                          /* IPPROTO_MPTCP */
    CHECK_EQ(gt_setopt(l, GT_OPT_PROTOCOL, GT_PROTOCOL_MPTCP), 0); /* its own: nothing to do */
    CHECK_EQ(gt_bind(l, 0, LOOPBACK, 0), 0);
    CHECK_EQ(gt_listen(l, 5), 0);
    c = gt_socket_protocol(AF_INET, GT_PROTOCOL_MPTCP);
    CHECK(c > 0);
    CHECK_EQ(gt_setopt(c, GT_OPT_PROTOCOL, GT_PROTOCOL_TCP), 0); /* made again: TCP */
    CHECK_EQ(gt_getopt_raw(c, SOL_SOCKET, SO_PROTOCOL, (int64_t)(intptr_t)&proto, sizeof(proto)),
             (int32_t)sizeof(proto));
    CHECK_EQ(proto, IPPROTO_TCP);
    CHECK_EQ(gt_setopt(c, GT_OPT_PROTOCOL, GT_PROTOCOL_MPTCP), 0); /* and MPTCP again */
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(l), 5000), 0);
    a = gt_accept(l, 5000);
    CHECK(a > 0);
    CHECK_EQ(gt_getopt_raw(c, SOL_SOCKET, SO_PROTOCOL, (int64_t)(intptr_t)&proto, sizeof(proto)),
             (int32_t)sizeof(proto));
    CHECK_EQ(proto, 262);
    CHECK_EQ(gt_getopt(c, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP);
    CHECK_EQ(gt_getopt(a, GT_OPT_PROTOCOL), GT_PROTOCOL_MPTCP); /* the listener's */
    CHECK_EQ(gt_close(a), 0);
    CHECK_EQ(gt_close(c), 0);
    /* A plain TCP client: the MPTCP listener hands out a TCP socket, and says so. */
    c = gt_socket(AF_INET);
    CHECK(c > 0);
    CHECK_EQ(gt_connect(c, 0, LOOPBACK, local_port(l), 5000), 0);
    a = gt_accept(l, 5000);
    CHECK(a > 0);
    CHECK_EQ(gt_getopt_raw(a, SOL_SOCKET, SO_PROTOCOL, (int64_t)(intptr_t)&proto, sizeof(proto)),
             (int32_t)sizeof(proto));
    CHECK_EQ(proto, IPPROTO_TCP);
    CHECK_EQ(gt_getopt(a, GT_OPT_PROTOCOL), GT_PROTOCOL_TCP);
    CHECK_EQ(gt_close(a), 0);
    CHECK_EQ(gt_close(c), 0);
    CHECK_EQ(gt_close(l), 0);
#else
    (void)c;
    (void)a;
    (void)proto;
    CHECK_EQ(l, -ENOTSUP);
#endif
}

/* The raw options that would fill the error queue, which gentcp never reads (and whose unread
 * entries make poll report POLLERR at once, so every wait would spin), are refused; the others
 * still pass. */
static void test_raw_options_that_fill_the_error_queue_are_refused(void)
{
    int64_t client, server;
    int on = 1;
    const int64_t addr = (int64_t)(intptr_t)&on;

    connected_pair(GT_PACKET_RAW, &client, &server);
#ifdef SO_TIMESTAMPING
    CHECK_EQ(gt_setopt_raw(client, SOL_SOCKET, SO_TIMESTAMPING, addr, sizeof(on)), -ENOTSUP);
#endif
#ifdef SO_ZEROCOPY
    CHECK_EQ(gt_setopt_raw(client, SOL_SOCKET, SO_ZEROCOPY, addr, sizeof(on)), -ENOTSUP);
#endif
#ifdef IP_RECVERR
    CHECK_EQ(gt_setopt_raw(client, IPPROTO_IP, IP_RECVERR, addr, sizeof(on)), -ENOTSUP);
#endif
    CHECK_EQ(gt_setopt_raw(client, SOL_SOCKET, SO_KEEPALIVE, addr, sizeof(on)), 0);
    CHECK_EQ(gt_close(client), 0);
    CHECK_EQ(gt_close(server), 0);
}

int main(void)
{
    test_raw_options_that_fill_the_error_queue_are_refused();
    test_read_ahead_false_reads_one_packet();
    test_reuseport_lb_and_exclusiveaddruse();
    test_protocol_mptcp();
    test_socket_protocol();
    test_the_table_names_ids_and_ranges();
    test_setting_the_packet_type_starts_http_over();
    test_setopts_while_connecting();
    test_concurrent_setopts_lose_no_change();
    test_setopts_while_sending_and_receiving();
    test_setopts_while_a_mailbox_receives();
    CHECK_DONE();
}
