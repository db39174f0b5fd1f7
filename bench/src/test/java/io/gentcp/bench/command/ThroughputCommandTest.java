package io.gentcp.bench.command;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gentcp.GenTcp;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.PacketType;
import io.gentcp.bench.Placement;
import io.gentcp.bench.ToolRun;
import io.gentcp.bench.reference.ThroughputRef;
import io.gentcp.bench.transfer.Transfer;

/** The throughput command: its two tables, each pairing's counts, and the C reference's failures. */
@Timeout(300)
class ThroughputCommandTest
{
    private final ToolRun tool = new ToolRun();

    @Test
    void printsTwoTablesOfSixRowsEachOverItsCRow()
    {
        final List<String> lines = tool.succeed("throughput", "--bytes", "4194304", "--messages", "3000", "--cpus",
            "0,1");
        assertEquals(1 + 2 * 8, lines.size(), String.join("\n", lines));
        assertEquals("placement: receiver cpu 0, sender cpu 1", lines.get(0));
        assertEquals("raw, 65536-byte sends, 4194304 bytes", lines.get(1));
        assertEquals("{packet,4}, 1024-byte messages, one send each, 3000 messages", lines.get(9));
        assertTables(lines, 2, 10);
    }

    private static void assertTables(final List<String> lines, final int... tables)
    {
        final String[] names = {"C -> C", "gentcp -> C", "gentcp delay_send -> C", "C -> gentcp", "java.nio -> C",
            "C -> java.nio"};
        for (final int table : tables)
        {
            assertEquals(ThroughputCommand.TABLE_HEADER, lines.get(table));
            for (int i = 0; i < names.length; i++)
            {
                final String row = lines.get(table + 1 + i);
                assertTrue(row.startsWith(names[i] + " "), row);
                assertTrue(row.substring(22).matches(" *\\d+\\.\\d +\\d+ +\\d+\\.\\d\\d"), row);
            }
            assertTrue(lines.get(table + 1).endsWith(" 1.00"), lines.get(table + 1));
        }
    }

    @Test
    void withRunsEachRowIsTheMedian()
    {
        final List<String> lines = tool.succeed("throughput", "--bytes", "1048576", "--messages", "1000", "--runs",
            "3");
        assertEquals(2 * 8, lines.size(), String.join("\n", lines));
        assertEquals("raw, 65536-byte sends, 1048576 bytes, median of 3 runs", lines.get(0));
        assertEquals("{packet,4}, 1024-byte messages, one send each, 1000 messages, median of 3 runs", lines.get(8));
        assertTrue(lines.get(2).startsWith("C -> C ") && lines.get(2).endsWith(" 1.00"), lines.get(2));
    }

    @Test
    void withNodelayEveryEndSetsIt()
    {
        final List<String> lines = tool.succeed("throughput", "--bytes", "1048576", "--nodelay", "--messages", "1000");
        assertEquals(1 + 2 * 8, lines.size(), String.join("\n", lines));
        assertEquals("nodelay: TCP_NODELAY at every end", lines.get(0));
        assertTables(lines, 2, 10);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyPairingDeliversEveryPacketWithAndWithoutNodelay(final boolean nodelay) throws Exception
    {
        try (ThroughputRef ref = ThroughputRef.extract())
        {
            for (final ThroughputCommand.Impl[] pair : ThroughputCommand.ROWS)
            {
                final Transfer t = ThroughputCommand.transfer(ref, pair[0], pair[1], PacketType.FOUR, 1024, 2_000_000,
                    Placement.ANY, nodelay);
                assertEquals(new Transfer(2_000_000, (2_000_000 + 1023) / 1024, 0),
                    new Transfer(t.bytes(), t.packets(), 0), pair[0] + " -> " + pair[1]);
            }
        }
    }

    @Test
    void aCReferenceEndTakesNodelay() throws Exception
    {
        try (ThroughputRef ref = ThroughputRef.extract(); ThroughputRef.End sink = ref.sink(PacketType.FOUR, -1, true);
            ThroughputRef.End blast = ref.blast(sink.port(), PacketType.FOUR, 100, 1000, -1, true))
        {
            assertEquals(new Transfer(1000, 10, 0), counts(blast.await()));
            assertEquals(new Transfer(1000, 10, 0), counts(sink.await()));
        }
    }

    private static Transfer counts(final Transfer t)
    {
        return new Transfer(t.bytes(), t.packets(), 0);
    }

    @Test
    void theMedian()
    {
        assertEquals(2.0, ThroughputCommand.median(new double[] {3, 1, 2}));
        assertEquals(2.5, ThroughputCommand.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, ThroughputCommand.median(new double[] {7}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "1", "2", "4"})
    void everyPairingDeliversEveryByteAndPacket(final String type) throws Exception
    {
        final PacketType packet = PacketType.of(type);
        final int size = packet == PacketType.ONE ? 255 : 1000;
        final long bytes = 300_001;
        try (ThroughputRef ref = ThroughputRef.extract())
        {
            for (final ThroughputCommand.Impl[] pair : ThroughputCommand.ROWS)
            {
                // transfer() itself fails when the receiver's counts differ from the sender's
                final Transfer t =
                    ThroughputCommand.transfer(ref, pair[0], pair[1], packet, size, bytes, Placement.ANY);
                assertEquals(bytes, t.bytes(), pair[0] + " -> " + pair[1]);
                if (packet != PacketType.RAW)
                {
                    assertEquals((bytes + size - 1) / size, t.packets(), pair[0] + " -> " + pair[1]);
                }
            }
        }
    }

    @Test
    void aCSenderWithNoOneListeningFails() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false));
        final int port = Inet.port(l);
        GenTcp.close(l);
        try (ThroughputRef ref = ThroughputRef.extract();
            ThroughputRef.End blast = ref.blast(port, PacketType.RAW, 10, 10, -1))
        {
            final IOException e = assertThrows(IOException.class, blast::await);
            assertEquals("C reference: throughput_ref exited with status 1", e.getMessage());
        }
    }
}
