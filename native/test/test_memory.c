/*
 * test_memory.c - gt_memory_stats: the receive buffers, send queues and mailboxes the library
 * holds, counted exactly, and back to where they were once their sockets are closed.
 */
#include <stdlib.h>
#include <string.h>

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
    CHECK_EQ(m.v[GT_MEM_SENDQ_BYTES], base.v[GT_MEM_SENDQ_BYTES] + (int64_t)(s->qcap + s->qretired_cap));
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

int main(void)
{
    test_bad_arguments();
    test_receive_buffer();
    test_send_queue();
    test_retired_send_queue_block();
    test_mailbox();
    CHECK_DONE();
}
