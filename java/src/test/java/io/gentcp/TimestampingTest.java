package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.Timestamping.RX_SOFTWARE;
import static io.gentcp.Option.Timestamping.TX_ACK;
import static io.gentcp.Option.Timestamping.TX_SCHED;
import static io.gentcp.Option.Timestamping.TX_SOFTWARE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {timestamping, Flags}: kernel receive stamps on passive and active sockets, transmit stamps
 * read with Inet.txTimestamps, on loopback with the software clock; and the errors. The kqueue
 * backend (over its emulation here) answers enotsup, as every kqueue platform does.
 */
@Timeout(60)
class TimestampingTest
{
    /** Whether this run's libgentcp is the kqueue-emulated build (see java/pom.xml). */
    private static final boolean KQUEUE = System.getProperty("gentcp.library.path", "").contains("kqueue-emu");
    private static final long MS = 1_000_000L;
    private static final int TRIES = 250; // each a 20-ms wait at most: 5 s

    private static long nowNanos()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Test
    void theOptionReadsBackAndIsInherited()
    {
        if (KQUEUE)
        {
            try (Pair p = Pair.of())
            {
                assertReason(Reason.ENOTSUP, () -> Inet.setopts(p.client, Option.timestamping(RX_SOFTWARE)));
                assertReason(Reason.ENOTSUP, () -> Inet.getopts(p.client, OptionName.TIMESTAMPING));
            }
            return;
        }
        try (Pair p = Pair.of(Option.timestamping(RX_SOFTWARE, TX_ACK)))
        {
            assertEquals(Set.of(RX_SOFTWARE, TX_ACK), Inet.getopts(p.server, OptionName.TIMESTAMPING).get(0).value());
            Inet.setopts(p.client, Option.timestamping());
            assertEquals(Set.of(), Inet.getopts(p.client, OptionName.TIMESTAMPING).get(0).value());
            assertEquals("{timestamping,[rx_software, tx_ack]}",
                Option.timestamping(TX_ACK, RX_SOFTWARE).toString());
        }
    }

    @Test
    void aPassiveReceiveReportsItsReadsStamp()
    {
        if (KQUEUE)
        {
            return; // theOptionReadsBackAndIsInherited checks enotsup
        }
        try (Pair p = Pair.of(Option.binary(), Option.packet(PacketType.of(2))))
        {
            assertEquals(0, Inet.receiveTimestamp(p.server).software()); // no stamped read yet
            Inet.setopts(p.server, Option.timestamping(RX_SOFTWARE));
            final long before = firstStampedExchange(p);
            final RxTimestamp stamp = Inet.receiveTimestamp(p.server);
            assertSame(p.server, stamp.socket());
            assertTrue(stamp.software() >= before - MS && stamp.software() <= nowNanos() + MS, stamp.toString());
            assertEquals(0, stamp.hardware()); // loopback stamps no hardware time
        }
    }

    /**
     * The first socket of the system to ask has the kernel turn receive stamps on from a work
     * queue: exchanges until a stamped read, bounded. The time just before the last one.
     */
    private static long firstStampedExchange(final Pair p)
    {
        for (int i = 0; i < 100_000; i++)
        {
            final long before = nowNanos();
            GenTcp.send(p.client, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, GenTcp.<byte[]>recv(p.server, 0, 5_000));
            if (Inet.receiveTimestamp(p.server).software() != 0)
            {
                return before;
            }
        }
        throw new AssertionError("no stamped read in 100000 exchanges");
    }

    @Test
    void anActiveSocketsPacketsComeAfterTheirStamps()
    {
        if (KQUEUE)
        {
            return;
        }
        final Mailbox mailbox = Mailbox.current();
        try (Pair p = Pair.of(Option.binary(), Option.packet(PacketType.of(2))))
        {
            Inet.setopts(p.server, Option.timestamping(RX_SOFTWARE));
            firstStampedExchange(p); // the kernel's stamps are on now
            Inet.setopts(p.server, Option.active(Active.TRUE));
            final long before = nowNanos();
            GenTcp.send(p.client, new byte[] {7});
            GenTcp.send(p.client, new byte[] {8, 9});
            final List<Object> got = new ArrayList<>();
            while (got.stream().filter(m -> m instanceof Tcp).count() < 2)
            {
                got.add(mailbox.receive(5_000));
            }
            // every packet right after its stamp, of the same socket; a read may bring both
            assertInstanceOf(RxTimestamp.class, got.get(0));
            assertInstanceOf(Tcp.class, got.get(1));
            assertInstanceOf(RxTimestamp.class, got.get(2));
            assertInstanceOf(Tcp.class, got.get(3));
            assertEquals(4, got.size());
            for (final Object m : List.of(got.get(0), got.get(2)))
            {
                final RxTimestamp stamp = (RxTimestamp)m;
                assertSame(p.server, stamp.socket());
                assertTrue(stamp.software() >= before - MS && stamp.software() <= nowNanos() + MS, stamp.toString());
            }
            assertArrayEquals(new byte[] {8, 9}, ((Tcp)got.get(3)).binary());

            // a handler hears each stamp just before its packet, and is counted the packets only
            final List<Object> heard = new ArrayList<>();
            final MailboxHandler handler = new MailboxHandler()
            {
                @Override
                public void onData(final Socket socket, final ByteBuffer data)
                {
                    heard.add(data.remaining());
                }

                @Override
                public void onMessage(final Object message)
                {
                    heard.add(message);
                }

                @Override
                public void onTimestamp(final Socket socket, final long software, final long hardware)
                {
                    assertSame(p.server, socket);
                    assertNotEquals(0, software);
                    heard.add("stamp");
                }
            };
            GenTcp.send(p.client, new byte[] {1, 2, 3});
            int handed = 0;
            for (int i = 0; i < TRIES && handed == 0; i++)
            {
                handed = mailbox.receive(handler, 10, 20);
            }
            assertEquals(1, handed);
            assertEquals(List.of("stamp", 3), heard);
        }
        finally
        {
            mailbox.close();
        }
    }

    @Test
    void aSendsLastByteIsStampedInTheQueueOnTheWireAndAcked()
    {
        if (KQUEUE)
        {
            return;
        }
        try (Pair p = Pair.of(Option.binary()))
        {
            Inet.setopts(p.client, Option.timestamping(TX_SCHED, TX_SOFTWARE, TX_ACK));
            long before = nowNanos();
            GenTcp.send(p.client, new byte[100]);
            assertEquals(100, GenTcp.<byte[]>recv(p.server, 100, 5_000).length);
            checkStamps(stampsOf(p.client, 99), before);
            // with stamps on, the exchange goes on both ways: no wait fails on them
            GenTcp.send(p.server, new byte[] {1});
            assertArrayEquals(new byte[] {1}, GenTcp.<byte[]>recv(p.client, 0, 5_000));
            before = nowNanos();
            GenTcp.send(p.client, new byte[50]);
            assertEquals(50, GenTcp.<byte[]>recv(p.server, 50, 5_000).length);
            checkStamps(stampsOf(p.client, 149), before);
        }
    }

    @Test
    void onAVirtualThreadTheStampsWakeAParkedReceiveWithoutFailingIt()
    {
        VirtualThreadTest.assumeVirtualThreads(TimestampingTest.class);
        if (KQUEUE)
        {
            return;
        }
        try (Pair p = Pair.of(Option.binary()))
        {
            Inet.setopts(p.client, Option.timestamping(TX_SCHED, TX_SOFTWARE, TX_ACK));
            final java.util.concurrent.atomic.AtomicReference<Object> result =
                new java.util.concurrent.atomic.AtomicReference<>();
            final long before = nowNanos();
            // the virtual thread's timed receives park in the parking poller, which the stamps wake
            final Thread t = VirtualThreadTest.startVirtual(() ->
            {
                try
                {
                    GenTcp.send(p.client, new byte[100]);
                    result.set(stampsOf(p.client, 99));
                }
                catch (final Throwable e)
                {
                    result.set(e);
                }
            });
            assertEquals(100, GenTcp.<byte[]>recv(p.server, 100, 5_000).length);
            VirtualThreadTest.join(t);
            assertFalse(result.get() instanceof Throwable, String.valueOf(result.get()));
            @SuppressWarnings("unchecked")
            final Map<TxTimestamp.Kind, Long> at = (Map<TxTimestamp.Kind, Long>)result.get();
            checkStamps(at, before);
        }
    }

    /**
     * SOCKET's stamps of byte OFFSET by kind, read until its ACK is in; between reads, a timed
     * receive that the stamps wake and that must time out all the same.
     */
    private static Map<TxTimestamp.Kind, Long> stampsOf(final Socket socket, final long offset)
    {
        final Map<TxTimestamp.Kind, Long> at = new EnumMap<>(TxTimestamp.Kind.class);
        for (int i = 0; i < TRIES && !at.containsKey(TxTimestamp.Kind.ACK); i++)
        {
            for (final TxTimestamp t : Inet.txTimestamps(socket))
            {
                assertNotEquals(TxTimestamp.Kind.LOST, t.kind(), t.toString());
                if (t.offset() == offset)
                {
                    at.put(t.kind(), t.nanos());
                }
            }
            if (!at.containsKey(TxTimestamp.Kind.ACK))
            {
                assertReason(Reason.TIMEOUT, () -> GenTcp.recv(socket, 0, 20));
            }
        }
        return at;
    }

    private static void checkStamps(final Map<TxTimestamp.Kind, Long> at, final long before)
    {
        final String all = at.toString();
        assertTrue(at.keySet().containsAll(Set.of(TxTimestamp.Kind.SCHED, TxTimestamp.Kind.SOFTWARE,
            TxTimestamp.Kind.ACK)), all);
        assertTrue(at.get(TxTimestamp.Kind.SCHED) >= before - MS, all);
        assertTrue(at.get(TxTimestamp.Kind.SCHED) <= at.get(TxTimestamp.Kind.SOFTWARE), all);
        assertTrue(at.get(TxTimestamp.Kind.SOFTWARE) <= at.get(TxTimestamp.Kind.ACK), all);
        assertTrue(at.get(TxTimestamp.Kind.ACK) <= nowNanos() + MS, all);
    }

    @Test
    void badArguments()
    {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Option.timestamping((Option.Timestamping[])null));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Option.timestamping(RX_SOFTWARE, null));
        assertTrue(e.getMessage().contains("flags"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inet.txTimestamps(null));
        assertTrue(e.getMessage().contains("socket"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inet.receiveTimestamp(null));
        assertTrue(e.getMessage().contains("socket"), e.getMessage());
        final ListenSocket local = GenTcp.listen(0, Option.local(), Option.active(false));
        try
        {
            assertReason(Reason.ENOTSUP, () -> Inet.setopts(local, Option.timestamping(RX_SOFTWARE)));
        }
        finally
        {
            GenTcp.close(local);
        }
        final Pair p = Pair.of();
        try (p)
        {
            if (KQUEUE)
            {
                assertReason(Reason.ENOTSUP, () -> Inet.txTimestamps(p.client));
                assertReason(Reason.ENOTSUP, () -> Inet.receiveTimestamp(p.client));
            }
            else
            {
                assertEquals(List.of(), Inet.txTimestamps(p.client)); // the option off: none
                assertEquals(0, Inet.receiveTimestamp(p.client).software());
            }
        }
        assertReason(Reason.EINVAL, () -> Inet.txTimestamps(p.client));
        assertReason(Reason.EINVAL, () -> Inet.receiveTimestamp(p.client));
    }
}
