package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.once;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Active modes and their messages (reference 2.1, tests 22-30): the sequences, not just arrivals. */
@Timeout(60)
class ActiveModeTest
{
    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    private static Object next()
    {
        return Mailbox.current().receive(5_000);
    }

    private static void nothingFor(final long ms)
    {
        assertReason(Reason.TIMEOUT, () -> Mailbox.current().receive(ms));
    }

    private static String text(final Object data)
    {
        return data instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : (String)data;
    }

    @Test
    void activeOnceDeliversOneMessageThenThePacketWaitsForReArming()
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            GenTcp.send(p.client, "first");
            GenTcp.send(p.client, "second");
            Inet.setopts(p.server, active(once()));
            final Tcp first = assertInstanceOf(Tcp.class, next());
            assertEquals(p.server, first.socket());
            assertArrayEquals("first".getBytes(), (byte[])first.data());
            assertEquals(Active.FALSE, Inet.getopt(p.server, OptionName.ACTIVE).value());
            nothingFor(100);
            Inet.setopts(p.server, active(once()));
            assertEquals("second", text(assertInstanceOf(Tcp.class, next()).data()));
        }
    }

    @Test
    void activeTrueStreamsEveryPacketThenTcpClosed()
    {
        try (Pair p = Pair.of(packet(4)))
        {
            Inet.setopts(p.server, active(true));
            for (int i = 0; i < 100; i++)
            {
                GenTcp.send(p.client, "m" + i);
            }
            GenTcp.close(p.client);
            for (int i = 0; i < 100; i++)
            {
                final Tcp m = assertInstanceOf(Tcp.class, next());
                assertEquals("m" + i, m.data()); // list mode: a String
            }
            assertEquals(new TcpClosed(p.server), next());
            nothingFor(50);
        }
    }

    @Test
    void activeNCountsDownToTcpPassive()
    {
        try (Pair p = Pair.of(binary(), packet(1)))
        {
            for (int i = 0; i < 5; i++)
            {
                GenTcp.send(p.client, "p" + i);
            }
            Inet.setopts(p.server, active(3));
            assertEquals("p0", text(((Tcp)next()).data()));
            assertEquals("p1", text(((Tcp)next()).data()));
            assertEquals("p2", text(((Tcp)next()).data()));
            assertEquals(new TcpPassive(p.server), next());
            assertEquals(Active.FALSE, Inet.getopt(p.server, OptionName.ACTIVE).value());
            nothingFor(50);
            Inet.setopts(p.server, active(2));
            assertEquals("p3", text(((Tcp)next()).data()));
            assertEquals("p4", text(((Tcp)next()).data()));
            assertEquals(new TcpPassive(p.server), next());
        }
    }

    @Test
    void activeNArithmeticAsOtp()
    {
        final ListenSocket l = GenTcp.listen(0, active(3));
        try
        {
            assertEquals(active(3), Inet.getopt(l, OptionName.ACTIVE));
            Inet.setopts(l, active(5));
            assertEquals(active(8), Inet.getopt(l, OptionName.ACTIVE));
            Inet.setopts(l, active(-2));
            assertEquals(active(6), Inet.getopt(l, OptionName.ACTIVE));
            assertReason(Reason.EINVAL, () -> Inet.setopts(l, active(32767)));
            assertEquals(active(6), Inet.getopt(l, OptionName.ACTIVE));
            Inet.setopts(l, active(-6));
            assertEquals(new TcpPassive(l), next());
            assertEquals(active(false), Inet.getopt(l, OptionName.ACTIVE));
            // {active, 0} on a passive socket still says tcp_passive
            Inet.setopts(l, active(0));
            assertEquals(new TcpPassive(l), next());
            Inet.setopts(l, active(once()), active(2));
            assertEquals(active(2), Inet.getopt(l, OptionName.ACTIVE));
            Inet.setopts(l, active(true));
            assertEquals(active(true), Inet.getopt(l, OptionName.ACTIVE));
            nothingFor(20);
        }
        finally
        {
            GenTcp.close(l);
        }
        // listen(0, [{active, 0}]) sends tcp_passive at once
        final ListenSocket zero = GenTcp.listen(0, active(0));
        assertEquals(new TcpPassive(zero), next());
        GenTcp.close(zero);
    }

    @Test
    void aPeerCloseSeenWhilePassiveComesAsTcpClosedOnceActiveAgain()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.close(p.client);
            nothingFor(100);
            Inet.setopts(p.server, active(1));
            assertEquals(new TcpClosed(p.server), next());
        }
    }

    @Test
    void aPacketOverPacketSizeIsTcpErrorThenTcpClosed()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            Inet.setopts(p.server, packetSize(3), active(true));
            GenTcp.send(p.client, "abc");
            GenTcp.send(p.client, "abcd");
            assertEquals("abc", text(((Tcp)next()).data()));
            assertEquals(new TcpError(p.server, Reason.EMSGSIZE), next());
            assertEquals(new TcpClosed(p.server), next());
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 5_000));
        }
    }

    @Test
    void httpSocketsSendHttpMessages()
    {
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, packet(PacketType.HTTP_BIN), active(true));
            GenTcp.send(p.client, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals("{http_request,'GET',{abs_path,<<47,120>>},{1,1}}", ((Http)next()).packet().toString());
            assertEquals("{http_header,14,'Host',<<72,111,115,116>>,<<104>>}", ((Http)next()).packet().toString());
            assertEquals(HttpEoh.INSTANCE, ((Http)next()).packet());
        }
    }

    @Test
    void recvOnAnActiveSocketIsEinvalAndDataIsNotLost()
    {
        try (Pair p = Pair.of(binary(), active(true)))
        {
            assertReason(Reason.EINVAL, () -> GenTcp.recv(p.server, 0, 0));
            GenTcp.send(p.client, "x");
            assertEquals("x", text(((Tcp)next()).data()));
        }
    }

    @Test
    void messagesFromOtherThreadsArriveInOrderWithSocketMessages() throws Exception
    {
        final Mailbox me = Mailbox.current();
        CompletableFuture.runAsync(() ->
        {
            for (int i = 0; i < 1000; i++)
            {
                me.send("hello " + i);
            }
        }).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals("hello " + i, next());
        }
        final IllegalStateException e = CompletableFuture.supplyAsync(() -> assertThrows(IllegalStateException.class,
            () -> me.receive(0))).get(10, TimeUnit.SECONDS);
        assertEquals(true, e.getMessage().startsWith("receive"));
    }

    @Test
    void activeNBoundsAndModeChangesAsOtp()
    {
        final ListenSocket l = GenTcp.listen(0, active(false));
        try
        {
            Inet.setopts(l, active(Active.MAX_COUNT));
            assertEquals(active(Active.MAX_COUNT), Inet.getopt(l, OptionName.ACTIVE));
            assertReason(Reason.EINVAL, () -> Inet.setopts(l, active(1))); // past 32767
            assertEquals(active(Active.MAX_COUNT), Inet.getopt(l, OptionName.ACTIVE));
            Inet.setopts(l, active(Active.MIN_COUNT)); // down to 0 and below: passive
            assertEquals(new TcpPassive(l), next());
            assertEquals(active(false), Inet.getopt(l, OptionName.ACTIVE));
            Inet.setopts(l, active(5), active(once()));
            assertEquals(active(once()), Inet.getopt(l, OptionName.ACTIVE));
            nothingFor(20);
        }
        finally
        {
            GenTcp.close(l);
        }
        // N outside -32768..32767 cannot even be written down
        assertThrows(IllegalArgumentException.class, () -> active(Active.MAX_COUNT + 1));
        assertThrows(IllegalArgumentException.class, () -> active(Active.MIN_COUNT - 1));
    }

    /** OTP active_n_closed: bulk data, {active, 10} re-armed on each tcp_passive, every byte, then tcp_closed. */
    @Test
    void activeNReArmedOnTcpPassiveGetsEveryByteThenTcpClosed() throws Exception
    {
        final int chunk = 50 * 1024;
        final int chunks = 200;
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, active(10));
            final CompletableFuture<Void> sender = CompletableFuture.runAsync(() ->
            {
                final byte[] data = new byte[chunk];
                for (int i = 0; i < chunks; i++)
                {
                    data[0] = (byte)i;
                    GenTcp.send(p.client, data);
                }
                GenTcp.close(p.client);
            });
            long bytes = 0;
            int passives = 0;
            for (int i = 0; i < 1_000_000; i++)
            {
                final Object m = next();
                if (m instanceof Tcp t)
                {
                    bytes += ((byte[])t.data()).length;
                }
                else if (m instanceof TcpPassive)
                {
                    passives++;
                    Inet.setopts(p.server, active(10));
                }
                else
                {
                    assertEquals(new TcpClosed(p.server), m);
                    break;
                }
            }
            sender.get(10, TimeUnit.SECONDS);
            assertEquals((long)chunk * chunks, bytes);
            assertEquals(true, passives > 0, "the count ran out at least once");
            nothingFor(50);
        }
    }

    /** OTP data_before_close: 256 KiB then close: an active receiver counts every byte before tcp_closed. */
    @Test
    void everyByteBeforeTheCloseArrivesBeforeTcpClosed() throws Exception
    {
        final int total = 256 * 1024;
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, active(true));
            final CompletableFuture<Void> sender = CompletableFuture.runAsync(() ->
            {
                GenTcp.send(p.client, new byte[total]);
                GenTcp.close(p.client);
            });
            long bytes = 0;
            Object m = next();
            for (int i = 0; i < total && m instanceof Tcp t; i++, m = next())
            {
                bytes += ((byte[])t.data()).length;
            }
            assertEquals(new TcpClosed(p.server), m);
            assertEquals(total, bytes);
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    /** OTP active_once_closed: one tcp_closed, and after it the socket is gone. */
    @Test
    void afterTcpClosedTheSocketIsGoneAndNoSecondTcpClosedComes()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.close(p.client);
            // sends go on until the reset of the peer's close surfaces
            boolean failed = false;
            for (int i = 0; i < 10_000 && !failed; i++)
            {
                try
                {
                    GenTcp.send(p.server, "after the peer left");
                }
                catch (final GenTcpException e)
                {
                    assertEquals(Reason.CLOSED, e.reason());
                    failed = true;
                }
            }
            assertEquals(true, failed, "a send failed with closed");
            Inet.setopts(p.server, active(once()));
            assertEquals(new TcpClosed(p.server), next());
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.server, active(once())));
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.server, active(true)));
            nothingFor(100);
            // what a closed port answers (reference 2.1)
            assertReason(Reason.CLOSED, () -> GenTcp.send(p.server, "x"));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 0));
            assertReason(Reason.CLOSED, () -> GenTcp.shutdown(p.server, GenTcp.How.WRITE));
            assertReason(Reason.EINVAL, () -> Inet.getopts(p.server, OptionName.ACTIVE));
            assertReason(Reason.EINVAL, () -> Inet.peername(p.server));
            assertReason(Reason.EINVAL, () -> Inet.port(p.server));
        }
    }

    @Test
    void aTcpClosedAfterActiveDataLeavesTheSocketClosedForEveryCall()
    {
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, "last");
            GenTcp.close(p.client);
            assertEquals("last", text(((Tcp)next()).data()));
            assertEquals(new TcpClosed(p.server), next());
            assertReason(Reason.CLOSED, () -> GenTcp.send(p.server, "x"));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 0));
            assertReason(Reason.CLOSED, () -> GenTcp.controllingProcess(p.server, Mailbox.current()));
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.server, active(once())));
            assertReason(Reason.EINVAL, () -> Inet.sockname(p.server));
        }
    }

    @Test
    void closingAnActiveSocketOurselvesSendsNoTcpClosed()
    {
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, active(true));
            GenTcp.close(p.server);
            nothingFor(100);
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 5_000));
        }
    }

    @Test
    void recvIsEinvalInEveryActiveForm()
    {
        try (Pair p = Pair.of(binary()))
        {
            for (final Option mode : new Option[] {active(true), active(once()), active(7)})
            {
                Inet.setopts(p.server, mode);
                assertReason(Reason.EINVAL, () -> GenTcp.recv(p.server, 0, 0));
                Inet.setopts(p.server, active(false));
            }
            GenTcp.send(p.client, "still here");
            assertEquals("still here", text(GenTcp.recv(p.server, 0, 5_000)));
        }
    }
}
