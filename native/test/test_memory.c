/*
 * test_memory.c - gt_memory_stats: the receive buffers, send queues and mailboxes the library
 * holds, counted exactly, and back to where they were once their sockets are closed; and the
 * receive budget (gt_set_receive_budget): what it charges, when it refuses a packet, and that
 * every charge comes back.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "check.h"
#include "gentcp.h"
#include "internal.h"
#include "loopback.h"

struct mem {
    int64_t v[GT_MEM_STAT_COUNT];
};

static struct mem mem_now(void)
{
    struct mem m;

    CHECK_EQ(gt_memory_stats((int64_t)(intptr_t)m.v, sizeof(m.v)), 0);
    return m;
}

static void check_same(const struct mem *a, const struct mem *b)
{
    int i;

    for (i = 0; i < GT_MEM_STAT_COUNT; i++)
        CHECK_EQ(a->v[i], b->v[i]);
}

static int64_t send_bytes(int64_t h, const void *buf, int64_t len)
{
    return gt_send(h, (int64_t)(intptr_t)buf, len);
}

static void test_bad_arguments(void)
{
    int64_t v[GT_MEM_STAT_COUNT];

    CHECK_EQ(gt_memory_stats(0, sizeof(v)), -EINVAL);
    CHECK_EQ(gt_memory_stats((int64_t)(intptr_t)v, sizeof(v) - 1), -EINVAL);
}

/* A partial packet buffered by a timed-out recv holds a receive buffer; closing gives it back. */
static void test_receive_buffer(void)
{
    const struct mem base = mem_now();
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    uint8_t head[4 + 1000] = {0, 1, 0, 0}; /* claims 65536 bytes, sends 1000 */
    uint8_t buf[16];
    struct mem m;

    CHECK_EQ(send_bytes(p.client, head, sizeof(head)), 0);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    m = mem_now();
    CHECK_EQ(m.v[GT_MEM_RBUF_BLOCKS], base.v[GT_MEM_RBUF_BLOCKS] + 1);
    CHECK(m.v[GT_MEM_RBUF_BYTES] >= base.v[GT_MEM_RBUF_BYTES] + 65536 + 4);
    CHECK_EQ(m.v[GT_MEM_SENDQ_BLOCKS], base.v[GT_MEM_SENDQ_BLOCKS]);
    close_pair(&p);
    m = mem_now();
    check_same(&base, &m);
}

/* A send queue that the peer does not drain holds its blocks until the socket closes. */
static void test_send_queue(void)
{
    const struct mem base = mem_now();
    const int64_t len = 1 << 20;
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    uint8_t *data = calloc(1, (size_t)len);
    struct mem m;
    int64_t r;

    CHECK(data != NULL);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SEND_TIMEOUT, 0), 0);
    CHECK_EQ(gt_setopt(p.client, GT_OPT_SNDBUF, 4096), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_RECBUF, 4096), 0);
    r = send_bytes(p.client, data, len); /* what the kernel does not take is queued */
    CHECK(r == 0 || r == -GT_ETIMEOUT);
    m = mem_now();
    CHECK(m.v[GT_MEM_SENDQ_BLOCKS] >= base.v[GT_MEM_SENDQ_BLOCKS] + 1);
    CHECK(m.v[GT_MEM_SENDQ_BYTES] > base.v[GT_MEM_SENDQ_BYTES]);
    CHECK_EQ(gt_close(p.server), 0); /* first: the client's close then drops its queue */
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(gt_close(p.listen), 0);
    free(data);
    m = mem_now();
    check_same(&base, &m);
}

/* A queue moved while the I/O thread writes from it leaves the old block retired: counted
 * until the writer frees it. */
static void test_retired_send_queue_block(void)
{
    const struct mem base = mem_now();
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_RAW);
    struct gt_sock *s = gt__acquire(p.client);
    uint8_t a[3000] = {1}, b[2000] = {2};
    struct iovec v;
    struct mem m;

    CHECK(s != NULL);
    pthread_mutex_lock(&s->send_lock);
    v.iov_base = a;
    v.iov_len = sizeof(a);
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    s->qstart = 1000;
    s->io_writing = 1; /* as if the I/O thread were writing from this block */
    v.iov_base = b;
    v.iov_len = sizeof(b);
    CHECK_EQ(gt__sendq_append(s, &v, 1, 0), 0);
    CHECK(s->qretired != NULL);
    m = mem_now();
    CHECK_EQ(m.v[GT_MEM_SENDQ_BLOCKS], base.v[GT_MEM_SENDQ_BLOCKS] + 2);
    CHECK_EQ(m.v[GT_MEM_SENDQ_BYTES],
             base.v[GT_MEM_SENDQ_BYTES] + (int64_t)(s->qcap + s->qretired_cap));
    s->io_writing = 0;
    CHECK(gt__sendq_write_out(s, SIZE_MAX) >= 0); /* frees the retired block */
    m = mem_now();
    CHECK_EQ(m.v[GT_MEM_SENDQ_BLOCKS], base.v[GT_MEM_SENDQ_BLOCKS] + (s->qbuf != NULL));
    pthread_mutex_unlock(&s->send_lock);
    gt__release(s);
    close_pair(&p);
    m = mem_now();
    check_same(&base, &m);
}

/* A mailbox with an active socket and messages, one of them held in a block of its own. */
static void test_mailbox(void)
{
    const struct mem base = mem_now();
    struct pair p = make_pair_of(GT_PACKET_4, GT_PACKET_4);
    const int64_t mb = gt_mailbox_open();
    static uint8_t big[4 + 100000], dst[1 << 12];
    int64_t r = 0, held = 0;
    struct mem m;
    int tries;

    CHECK(mb > 0);
    m = mem_now();
    CHECK_EQ(m.v[GT_MEM_MAILBOX_BLOCKS], base.v[GT_MEM_MAILBOX_BLOCKS] + 1);
    CHECK_EQ(gt_mailbox_adopt(mb, p.server), 0);
    CHECK_EQ(send_bytes(p.client, big, 100000), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_ACTIVE, GT_ACTIVE_TRUE), 0);
    /* Bounded: each receive waits up to a second for the packet. */
    for (tries = 0; tries < 10 && r <= 0; tries++)
        r = gt_mailbox_receive(mb, 1000, (int64_t)(intptr_t)dst, GT_MSG_MIN_CAP);
    CHECK_EQ(r, GT_MSG_HEADER);
    memcpy(&r, dst, 4);
    CHECK_EQ(r & 0xffffffff, GT_MSG_HELD);
    memcpy(&held, dst + 8, 8);
    m = mem_now();
    CHECK(m.v[GT_MEM_MAILBOX_BLOCKS] >= base.v[GT_MEM_MAILBOX_BLOCKS] + 3); /* state, owned, held */
    CHECK(m.v[GT_MEM_MAILBOX_BYTES] >= base.v[GT_MEM_MAILBOX_BYTES] + 100000);
    CHECK_EQ(gt_mailbox_release(held), 0);
    m = mem_now();
    CHECK(m.v[GT_MEM_MAILBOX_BYTES] < base.v[GT_MEM_MAILBOX_BYTES] + 100000);
    CHECK_EQ(gt_close(mb), 0); /* closes the socket it owns */
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(gt_close(p.listen), 0);
    m = mem_now();
    check_same(&base, &m);
}

static int64_t charged(void)
{
    return mem_now().v[GT_MEM_BUDGET_CHARGED];
}

/* A {packet, 4} header claiming LEN bytes, and the first SENT of them, from P's raw client. */
static void send_claim(struct pair *p, uint32_t len, size_t sent)
{
    uint8_t *b = calloc(1, 4 + sent);

    CHECK(b != NULL);
    gt__put_be(b, len, 4);
    CHECK_EQ(send_bytes(p->client, b, (int64_t)(4 + sent)), 0);
    free(b);
}

static void test_budget_setting(void)
{
    CHECK_EQ(gt_receive_budget(), GT_RECEIVE_BUDGET_DEFAULT);
    CHECK_EQ(gt_set_receive_budget(-1), -EINVAL);
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_MAX + 1), -EINVAL);
    CHECK_EQ(gt_receive_budget(), GT_RECEIVE_BUDGET_DEFAULT);
    CHECK_EQ(gt_set_receive_budget(0), 0);
    CHECK_EQ(gt_receive_budget(), 0);
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_MAX), 0);
    CHECK_EQ(gt_receive_budget(), GT_RECEIVE_BUDGET_MAX);
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_DEFAULT), 0);
}

/* A partial packet is charged what it claims past 'buffer'; taking it gives that back, and so
 * does dropping it at the end of the stream or at close. */
static void test_charge_comes_back(void)
{
    static uint8_t buf[200000];
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    const int64_t base = charged();

    CHECK_EQ(gt_setopt(p.server, GT_OPT_BUFFER, 1000), 0);
    send_claim(&p, 100000, 10);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(charged(), base + 100004 - 1000);
    CHECK_EQ(send_bytes(p.client, buf, 100000 - 10), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)) & GT_RECV_BYTES_MASK, 100000);
    CHECK_EQ(charged(), base); /* taken */

    send_claim(&p, 100000, 10);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(charged(), base + 100004 - 1000);
    CHECK_EQ(gt_shutdown(p.client, SHUT_WR), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(charged(), base); /* dropped with the stream's end */
    close_pair(&p);

    p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    send_claim(&p, 100000, 10);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK(charged() > base);
    close_pair(&p);
    CHECK_EQ(charged(), base); /* dropped at close */
}

/* A socket whose stream has ended, or that has failed, reads no more: the buffer a partial
 * packet grew goes back then, not only at close. Otherwise a peer could trickle a packet up to
 * the budget, end the connection (its charge comes back), and do it again on another while
 * the owner has not closed the first: resident memory past the budget, one budget a time. */
static void test_an_ended_stream_gives_its_buffer_back(void)
{
    static uint8_t buf[4096];
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    const struct mem base = mem_now();

    send_claim(&p, 1000000, 10);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK(mem_now().v[GT_MEM_RBUF_BYTES] >= base.v[GT_MEM_RBUF_BYTES] + 1000000);
    CHECK_EQ(gt_shutdown(p.client, SHUT_WR), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED);
    CHECK_EQ(mem_now().v[GT_MEM_RBUF_BYTES], base.v[GT_MEM_RBUF_BYTES]); /* before any close */
    CHECK_EQ(mem_now().v[GT_MEM_RBUF_BLOCKS], base.v[GT_MEM_RBUF_BLOCKS]);
    close_pair(&p);

    /* the same when the socket fails (here: a receive abandoned mid-packet, enomem) */
    p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    send_claim(&p, 1000000, 10);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK(mem_now().v[GT_MEM_RBUF_BYTES] >= base.v[GT_MEM_RBUF_BYTES] + 1000000);
    CHECK_EQ(gt_recv_abandon(p.server), -ENOMEM);
    CHECK_EQ(mem_now().v[GT_MEM_RBUF_BYTES], base.v[GT_MEM_RBUF_BYTES]);
    CHECK_EQ(mem_now().v[GT_MEM_BUDGET_CHARGED], base.v[GT_MEM_BUDGET_CHARGED]);
    close_pair(&p);
}

/* The first 'buffer' bytes of a packet are free: with a budget of 0 a partial packet that fits
 * them waits for its rest, one that does not is emsgsize. (A packet that arrives whole in one
 * read is never partial: it is taken from the read's room, never charged.) */
static void test_buffer_bytes_are_free(void)
{
    static uint8_t buf[4096];
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);

    CHECK_EQ(gt_set_receive_budget(0), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_BUFFER, 2000), 0);
    send_claim(&p, 1990, 10);
    CHECK_EQ(recv_into(p.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    CHECK_EQ(send_bytes(p.client, buf, 1980), 0);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)) & GT_RECV_BYTES_MASK, 1990);
    send_claim(&p, 2500, 10);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -EMSGSIZE);
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(recv_into(p.client, 0, 5000, buf, sizeof(buf)), -GT_ECLOSED); /* the peer's view */
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_DEFAULT), 0);
    close_pair(&p);
}

/* The budget is shared: a packet that would take the sum past it fails on its own socket,
 * which is closed; the socket already charged goes on and completes its packet. */
static void test_the_budget_is_shared(void)
{
    static uint8_t buf[100000];
    struct pair a = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    struct pair b = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    const int64_t base = charged();

    CHECK_EQ(gt_set_receive_budget(base + 150000), 0);
    send_claim(&a, 100000, 10);
    CHECK_EQ(recv_into(a.server, 0, 100, buf, sizeof(buf)), -GT_ETIMEOUT);
    send_claim(&b, 100000, 10);
    CHECK_EQ(recv_into(b.server, 0, 5000, buf, sizeof(buf)), -EMSGSIZE);
    CHECK_EQ(recv_into(b.server, 0, 5000, buf, sizeof(buf)), -ENOTCONN);
    CHECK_EQ(send_bytes(a.client, buf, 100000 - 10), 0);
    CHECK_EQ(recv_into(a.server, 0, 5000, buf, sizeof(buf)) & GT_RECV_BYTES_MASK, 100000);
    CHECK_EQ(charged(), base);
    /* with A's charge back, the same claim fits again */
    send_claim(&a, 100000, 100000);
    CHECK_EQ(recv_into(a.server, 0, 5000, buf, sizeof(buf)) & GT_RECV_BYTES_MASK, 100000);
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_DEFAULT), 0);
    close_pair(&a);
    close_pair(&b);
    CHECK_EQ(charged(), base);
}

/* Lines come in pieces of 'buffer' bytes whatever packet_size says (OTP's trunc_len): a line
 * never grows a buffer past it, nothing is charged. An HTTP line is bounded by packet_size
 * when that is set: past 'buffer' it is charged as it grows, and refused past the budget. */
static void test_lines_and_http_lines(void)
{
    static uint8_t line[20000], buf[30000];
    const int64_t base = charged();
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_LINE);
    int64_t got = 0, r;
    int i;

    memset(line, 'x', sizeof(line));
    line[sizeof(line) - 1] = '\n';
    CHECK_EQ(gt_set_receive_budget(base + 10000), 0);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET_SIZE, 1 << 20), 0);
    CHECK_EQ(send_bytes(p.client, line, sizeof(line)), 0);
    for (i = 0; i < 100 && got < (int64_t)sizeof(line); i++) {
        r = recv_into(p.server, 0, 5000, buf, sizeof(buf));
        CHECK(r > 0);
        CHECK((r & GT_RECV_BYTES_MASK) <= 1460);
        got += r & GT_RECV_BYTES_MASK;
        CHECK_EQ(charged(), base);
    }
    CHECK_EQ(got, (int64_t)sizeof(line));
    close_pair(&p);

    p = make_pair_of(GT_PACKET_RAW, GT_PACKET_HTTPH_BIN);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_PACKET_SIZE, 1 << 20), 0);
    CHECK_EQ(send_bytes(p.client, line, sizeof(line) - 1), 0); /* no end: 19999 bytes */
    CHECK_EQ(recv_into(p.server, 0, 5000, buf, sizeof(buf)), -EMSGSIZE);
    CHECK_EQ(charged(), base);
    close_pair(&p);
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_DEFAULT), 0);
}

/* Active mode: tcp_error emsgsize, then tcp_closed, as for a packet over packet_size. */
static void test_active_mode(void)
{
    static uint8_t box[4096];
    struct pair p = make_pair_of(GT_PACKET_RAW, GT_PACKET_4);
    const int64_t mb = gt_mailbox_open(), base = charged();
    int32_t kinds[2] = {0, 0}, reason = 0;
    int64_t n = 0, pos = 0, handle;
    int got = 0, tries;

    CHECK(mb > 0);
    CHECK_EQ(gt_set_receive_budget(base + 50000), 0);
    CHECK_EQ(gt_mailbox_adopt(mb, p.server), 0);
    send_claim(&p, 100000, 10);
    CHECK_EQ(gt_setopt(p.server, GT_OPT_ACTIVE, GT_ACTIVE_TRUE), 0);
    for (tries = 0; tries < 10 && got < 2; tries++) {
        n = gt_mailbox_receive(mb, 1000, (int64_t)(intptr_t)box, sizeof(box));
        for (pos = 0; n > 0 && pos < n && got < 2; pos += GT_MSG_HEADER, got++) {
            memcpy(&kinds[got], box + pos, 4);
            memcpy(&handle, box + pos + 8, 8);
            CHECK_EQ(handle, p.server);
            if (got == 0)
                memcpy(&reason, box + pos + 4, 4);
        }
    }
    CHECK_EQ(got, 2);
    CHECK_EQ(kinds[0], GT_MSG_TCP_ERROR);
    CHECK_EQ(reason, EMSGSIZE);
    CHECK_EQ(kinds[1], GT_MSG_TCP_CLOSED);
    CHECK_EQ(charged(), base);
    CHECK_EQ(recv_into(p.client, 0, 5000, box, sizeof(box)), -GT_ECLOSED); /* the peer's view */
    CHECK_EQ(gt_set_receive_budget(GT_RECEIVE_BUDGET_DEFAULT), 0);
    CHECK_EQ(gt_close(mb), 0);
    CHECK_EQ(gt_close(p.client), 0);
    CHECK_EQ(gt_close(p.listen), 0);
}

int main(void)
{
    test_bad_arguments();
    test_receive_buffer();
    test_send_queue();
    test_retired_send_queue_block();
    test_mailbox();
    test_budget_setting();
    test_charge_comes_back();
    test_an_ended_stream_gives_its_buffer_back();
    test_buffer_bytes_are_free();
    test_the_budget_is_shared();
    test_lines_and_http_lines();
    test_active_mode();
    CHECK_DONE();
}
