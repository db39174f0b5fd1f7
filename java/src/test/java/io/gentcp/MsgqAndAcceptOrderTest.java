package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.highMsgqWatermark;
import static io.gentcp.Option.lowMsgqWatermark;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Message-queue watermarks and the order of accept time-outs (reference 2.1, 2.5; tests 71-72). */
@Timeout(60)
class MsgqAndAcceptOrderTest
{
    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    @Test
    void msgqWatermarksAreOtpsAndKeepEachOther()
    {
        try (Pair p = Pair.of())
        {
            assertEquals(List.of(highMsgqWatermark(8192), lowMsgqWatermark(4096)),
                Inet.getopts(p.server, OptionName.HIGH_MSGQ_WATERMARK, OptionName.LOW_MSGQ_WATERMARK));
            Inet.setopts(p.server, highMsgqWatermark(100));
            assertEquals(lowMsgqWatermark(100), Inet.getopt(p.server, OptionName.LOW_MSGQ_WATERMARK));
            Inet.setopts(p.server, lowMsgqWatermark(500));
            assertEquals(highMsgqWatermark(500), Inet.getopt(p.server, OptionName.HIGH_MSGQ_WATERMARK));
        }
    }

    @Test
    void aSocketSendsNoMoreThanTheHighMarkAtATimeAndNothingIsLost()
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            Inet.setopts(p.server, highMsgqWatermark(3), active(true));
            for (int i = 0; i < 20; i++)
            {
                GenTcp.send(p.client, "m" + i);
            }
            for (int i = 0; i < 20; i++)
            {
                final Tcp m = assertInstanceOf(Tcp.class, Mailbox.current().receive(5_000));
                assertEquals("m" + i, new String((byte[])m.data()));
            }
        }
    }

    @Test
    void acceptTimeoutsFireInDeadlineOrder() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0);
        // 200 ms apart: a loaded machine may stall a thread for a while
        final long[] timeouts = {1000, 200, 800, 400, 600};
        final ConcurrentLinkedQueue<Long> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(timeouts.length);
        final List<Thread> acceptors = new ArrayList<>();
        try
        {
            for (final long t : timeouts)
            {
                final Thread a = new Thread(() ->
                {
                    try
                    {
                        GenTcp.accept(l, t);
                    }
                    catch (final GenTcpException e)
                    {
                        if (e.reason() == Reason.TIMEOUT)
                        {
                            order.add(t);
                        }
                    }
                    finally
                    {
                        done.countDown();
                    }
                });
                acceptors.add(a);
                a.start();
            }
            assertTrue(done.await(20, TimeUnit.SECONDS));
            assertEquals(List.of(200L, 400L, 600L, 800L, 1000L), new ArrayList<>(order));
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    /** One acceptor thread: its outcome, "accepted" or the reason, completes RESULT. */
    private static Thread acceptor(final ListenSocket l, final long timeoutMs, final CompletableFuture<String> result)
    {
        final Thread a = new Thread(() ->
        {
            try
            {
                GenTcp.close(GenTcp.accept(l, timeoutMs));
                result.complete("accepted");
            }
            catch (final GenTcpException e)
            {
                result.complete(e.reason().toString());
            }
        });
        a.start();
        return a;
    }

    /** OTP accept_timeouts_mixed: timeouts fire on time while other acceptors take connections. */
    @Test
    void acceptTimeoutsMixedWithAccepts() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0);
        try
        {
            final List<CompletableFuture<String>> r = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>(), new CompletableFuture<>());
            acceptor(l, 300, r.get(0));
            acceptor(l, 20_000, r.get(1));
            acceptor(l, 1_500, r.get(2));
            acceptor(l, 20_000, r.get(3));
            assertEquals("timeout", r.get(0).get(10, TimeUnit.SECONDS));
            final List<Socket> clients = new ArrayList<>();
            clients.add(GenTcp.connect("127.0.0.1", Inet.port(l), 5_000));
            // one of the three waiting acceptors takes it (OTP serves them first come, first
            // served; gentcp's race for it), and the short one ends on time either way
            assertEquals("accepted", CompletableFuture.anyOf(r.get(1), r.get(2), r.get(3)).get(10, TimeUnit.SECONDS));
            final String third = r.get(2).get(10, TimeUnit.SECONDS);
            assertTrue(third.equals("timeout") || third.equals("accepted"), third);
            // every acceptor still waiting takes the next connection that comes
            final int waiting = (r.get(1).isDone() ? 0 : 1) + (r.get(3).isDone() ? 0 : 1);
            for (int i = 0; i < waiting; i++)
            {
                clients.add(GenTcp.connect("127.0.0.1", Inet.port(l), 5_000));
            }
            assertEquals("accepted", r.get(1).get(10, TimeUnit.SECONDS));
            assertEquals("accepted", r.get(3).get(10, TimeUnit.SECONDS));
            assertEquals(clients.size(), r.stream().filter(f -> "accepted".equals(f.join())).count());
            clients.forEach(GenTcp::close);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    /** OTP several_accepts_in_one_go: {backlog, 8}, 8 acceptors, 8 connectors, all succeed. */
    @Test
    void eightAcceptorsAndEightConnectorsAllSucceed() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, backlog(8));
        try
        {
            final List<CompletableFuture<String>> accepted = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                accepted.add(new CompletableFuture<>());
                acceptor(l, 20_000, accepted.get(i));
            }
            final List<CompletableFuture<Socket>> connected = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                connected.add(CompletableFuture.supplyAsync(() -> GenTcp.connect("127.0.0.1", Inet.port(l), 5_000)));
            }
            for (int i = 0; i < 8; i++)
            {
                assertEquals("accepted", accepted.get(i).get(10, TimeUnit.SECONDS));
                GenTcp.close(connected.get(i).get(10, TimeUnit.SECONDS));
            }
        }
        finally
        {
            GenTcp.close(l);
        }
    }
}
