package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.highMsgqWatermark;
import static io.gentcp.Option.lowMsgqWatermark;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
        final long[] timeouts = {500, 100, 400, 200, 300};
        final ConcurrentLinkedQueue<Long> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(timeouts.length);
        final List<Thread> acceptors = new ArrayList<>();
        try
        {
            for (final long t : timeouts)
            {
                final Thread a = new Thread(() -> {
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
            assertEquals(List.of(100L, 200L, 300L, 400L, 500L), new ArrayList<>(order));
        }
        finally
        {
            GenTcp.close(l);
        }
    }
}
