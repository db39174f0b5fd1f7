package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** recvBatch: many small packets per call, and nothing lost at its edges. */
@Timeout(60)
class RecvBatchTest
{
    /** The packets of a batch: [length][bytes]... between 0 and N. */
    private static List<String> packets(final ByteBuffer dst, final int n)
    {
        final List<String> out = new ArrayList<>();
        final ByteBuffer b = dst.duplicate().flip();
        int read = 0;
        while (read < n)
        {
            final byte[] bytes = new byte[b.getInt()];
            b.get(bytes);
            out.add(new String(bytes));
            read += 4 + bytes.length;
        }
        return out;
    }

    @Test
    void oneCallTakesEveryPacketAlreadyHere() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            final List<String> sent = new ArrayList<>();
            final StringBuilder raw = new StringBuilder();
            for (int i = 0; i < 100; i++)
            {
                final String m = "m" + i;
                sent.add(m);
                raw.append((char)0).append((char)m.length()).append(m);
            }
            // one write with all 100 frames, so they are all buffered after the first read
            Inet.setopts(p.client, packet(0));
            GenTcp.send(p.client, raw.toString());
            final ByteBuffer dst = ByteBuffer.allocateDirect(64 * 1024);
            final List<String> got = new ArrayList<>();
            int calls = 0;
            while (got.size() < 100 && calls < 100)
            {
                dst.clear();
                final int n = GenTcp.recvBatch(p.server, dst, 1000, 5_000);
                got.addAll(packets(dst, n));
                calls++;
            }
            assertEquals(sent, got);
            assertTrue(calls < 100, "a batch carried more than one packet: " + calls + " calls");
        }
    }

    @Test
    void maxPacketsAndRoomBoundABatchAndTheRestWaits()
    {
        try (Pair p = Pair.of(binary(), packet(1)))
        {
            Inet.setopts(p.client, packet(0));
            GenTcp.send(p.client, new byte[] {3, 'a', 'b', 'c', 3, 'd', 'e', 'f', 3, 'g', 'h', 'i'});
            final ByteBuffer dst = ByteBuffer.allocateDirect(64);
            assertEquals(14, GenTcp.recvBatch(p.server, dst, 2, 5_000));
            assertEquals(List.of("abc", "def"), packets(dst, 14));
            // room for exactly one packet
            final ByteBuffer small = ByteBuffer.allocateDirect(7);
            assertEquals(7, GenTcp.recvBatch(p.server, small, 10, 5_000));
            assertEquals(List.of("ghi"), packets(small, 7));
            // the first packet does not fit: nothing is taken, the room it needs comes back
            GenTcp.send(p.client, new byte[] {5, '1', '2', '3', '4', '5'});
            final ByteBuffer tiny = ByteBuffer.allocateDirect(6);
            assertEquals(-9, GenTcp.recvBatch(p.server, tiny, 10, 5_000));
            assertArrayEquals("12345".getBytes(), GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void anInvalidPacketAfterGoodOnesIsReportedOnTheNextCall()
    {
        try (Pair p = Pair.of(binary(), packet(1)))
        {
            Inet.setopts(p.server, packetSize(3));
            Inet.setopts(p.client, packet(0));
            GenTcp.send(p.client, new byte[] {2, 'o', 'k', 5, '1', '2', '3', '4', '5'});
            final ByteBuffer dst = ByteBuffer.allocateDirect(64);
            assertEquals(6, GenTcp.recvBatch(p.server, dst, 10, 5_000));
            assertEquals(List.of("ok"), packets(dst, 6));
            dst.clear();
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recvBatch(p.server, dst, 10, 5_000));
        }
    }

    @Test
    void badArguments()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            assertThrows(IllegalArgumentException.class,
                () -> GenTcp.recvBatch(p.server, ByteBuffer.allocate(64), 1, 0));
            assertThrows(IllegalArgumentException.class,
                () -> GenTcp.recvBatch(p.server, ByteBuffer.allocateDirect(4), 1, 0));
            assertThrows(IllegalArgumentException.class,
                () -> GenTcp.recvBatch(p.server, ByteBuffer.allocateDirect(64), 0, 0));
            assertReason(Reason.TIMEOUT, () -> GenTcp.recvBatch(p.server, ByteBuffer.allocateDirect(64), 1, 0));
        }
    }
}
