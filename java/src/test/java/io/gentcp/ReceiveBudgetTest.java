package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.internal.Native;

/**
 * The receive budget (issue 15, item 1): a bound, process-wide, on what receive buffers hold
 * toward packets not yet complete. A packet that would pass it fails as one over packet_size
 * does, on its own connection alone; every charge comes back.
 */
@Timeout(120)
class ReceiveBudgetTest
{
    private static final long MIB = 1L << 20;

    @AfterEach
    void restore()
    {
        Inet.setReceiveBudget(Native.RECEIVE_BUDGET_DEFAULT);
        Mailbox.current().close();
    }

    private static byte[] header(final long claim)
    {
        return new byte[] {(byte)(claim >>> 24), (byte)(claim >>> 16), (byte)(claim >>> 8), (byte)claim};
    }

    private static long charged()
    {
        return Inet.nativeMemory().receiveBudgetCharged();
    }

    @Test
    void theDefaultIs512MiBAndTheSetterChecksItsArgument()
    {
        assertEquals(512 * MIB, Inet.receiveBudget());
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> Inet.setReceiveBudget(-1));
        assertTrue(negative.getMessage().startsWith("bytes: "), negative.getMessage());
        final IllegalArgumentException absurd = assertThrows(IllegalArgumentException.class,
            () -> Inet.setReceiveBudget(Long.MAX_VALUE));
        assertTrue(absurd.getMessage().startsWith("bytes: "), absurd.getMessage());
        assertEquals(512 * MIB, Inet.receiveBudget());
        Inet.setReceiveBudget(0);
        assertEquals(0, Inet.receiveBudget());
        Inet.setReceiveBudget(1L << 50);
        assertEquals(1L << 50, Inet.receiveBudget());
    }

    /** A 1 GiB claim, trickled, under the default budget: emsgsize; another connection goes on. */
    @Test
    void aHugeClaimIsEmsgsizeInPassiveModeAndOthersGoOn()
    {
        try (Pair hostile = Pair.rawClient(PacketType.of(4)); Pair other = Pair.rawClient(PacketType.of(4)))
        {
            final long base = charged();
            GenTcp.send(other.client, header(100_000));
            GenTcp.send(other.client, new byte[1000]);
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(other.server, 0, 100));
            assertTrue(charged() > base);
            GenTcp.send(hostile.client, header(1L << 30));
            for (int i = 0; i < 10; i++)
            {
                GenTcp.send(hostile.client, new byte[100]);
            }
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(hostile.server, 0, 10_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(hostile.server, 0, 1_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(hostile.client, 0, 10_000));
            GenTcp.send(other.client, new byte[99_000]);
            assertEquals(100_000, ((byte[])GenTcp.recv(other.server, 0, 10_000)).length);
            assertEquals(base, charged());
        }
    }

    /** Active mode: TcpError emsgsize, then TcpClosed; the budget's charge comes back. */
    @Test
    void aClaimPastTheBudgetIsTcpErrorThenTcpClosedInActiveMode()
    {
        Inet.setReceiveBudget(10 * MIB);
        try (Pair p = Pair.rawClient(PacketType.of(4)))
        {
            final long base = charged();
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, header(20 * MIB));
            GenTcp.send(p.client, new byte[1000]);
            final TcpError error = assertInstanceOf(TcpError.class, Mailbox.current().receive(10_000));
            assertEquals(Reason.EMSGSIZE, error.reason());
            assertEquals(p.server, error.socket());
            assertEquals(new TcpClosed(p.server), Mailbox.current().receive(10_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 10_000));
            assertEquals(base, charged());
        }
    }

    /** A partial packet is charged; closing its socket gives the charge back. */
    @Test
    void closingGivesTheChargeBack()
    {
        final long base = charged();
        try (Pair p = Pair.rawClient(PacketType.of(4), Option.buffer(1000)))
        {
            GenTcp.send(p.client, header(1_000_000));
            GenTcp.send(p.client, new byte[10]);
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 0, 200));
            assertEquals(base + 1_000_004 - 1000, charged());
        }
        assertEquals(base, charged());
    }

    /** A socket's first 'buffer' bytes are free: with a budget of 0 a partial packet within them waits. */
    @Test
    void theFirstBufferBytesAreNotCharged()
    {
        Inet.setReceiveBudget(0);
        try (Pair p = Pair.rawClient(PacketType.of(4), Option.buffer(4096)))
        {
            GenTcp.send(p.client, header(4000));
            GenTcp.send(p.client, new byte[10]);
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 0, 200));
            GenTcp.send(p.client, new byte[3990]);
            assertEquals(4000, ((byte[])GenTcp.recv(p.server, 0, 10_000)).length);
            GenTcp.send(p.client, header(5000));
            GenTcp.send(p.client, new byte[10]);
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 10_000));
        }
    }

    /** Lines come in pieces of 'buffer' bytes whatever packet_size says: never charged. */
    @Test
    void aLongLineIsNeverCharged()
    {
        Inet.setReceiveBudget(0);
        try (Pair p = Pair.rawClient(PacketType.LINE, packetSize(1 << 20)))
        {
            final byte[] line = new byte[100_000];
            Arrays.fill(line, (byte)'x');
            line[line.length - 1] = '\n';
            GenTcp.send(p.client, line);
            int got = 0;
            for (int i = 0; i < 1000 && got < line.length; i++)
            {
                got += ((byte[])GenTcp.recv(p.server, 0, 10_000)).length;
                assertEquals(0, charged());
            }
            assertEquals(line.length, got);
        }
    }

    /** An HTTP line bounded by a large packet_size: past 'buffer' it is charged, past the budget emsgsize. */
    @Test
    void anEndlessHttpLineIsBoundedByTheBudget()
    {
        Inet.setReceiveBudget(64 * 1024);
        try (Pair p = Pair.rawClient(PacketType.HTTPH_BIN, packetSize(64 * MIB)))
        {
            final long base = charged();
            final byte[] chunk = "X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .getBytes(StandardCharsets.US_ASCII);
            GenTcpException failed = null;
            for (int i = 0; i < 10_000 && failed == null; i++)
            {
                GenTcp.send(p.client, chunk);
                try
                {
                    GenTcp.recv(p.server, 0, 0);
                }
                catch (final GenTcpException e)
                {
                    if (e.reason() != Reason.TIMEOUT)
                    {
                        failed = e;
                    }
                }
            }
            assertEquals(Reason.EMSGSIZE, failed == null ? null : failed.reason());
            assertEquals(base, charged());
        }
    }

    /** The property sets the budget at start-up; a value that is not a byte count stops the load, saying why. */
    @Test
    void thePropertySetsTheBudgetAndGarbageStopsTheLoad() throws Exception
    {
        assertEquals("budget 1000", runChild("-Dgentcp.receive.budget=1000"));
        final String garbage = runChild("-Dgentcp.receive.budget=lots");
        assertTrue(garbage.startsWith("unavailable: gentcp: -Dgentcp.receive.budget=lots: not a number of bytes"),
            garbage);
        final String negative = runChild("-Dgentcp.receive.budget=-5");
        assertTrue(negative.startsWith("unavailable: gentcp: -Dgentcp.receive.budget=-5"), negative);
    }

    private static String runChild(final String property) throws Exception
    {
        final List<String> command = ChildJvm.command(List.of(property), ReceiveBudgetChild.class, List.of());
        final File log = File.createTempFile("gentcp-budget", ".log");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child did not end");
            final String out = Files.readString(log.toPath()).trim();
            assertEquals(0, process.exitValue(), out);
            return out;
        }
        finally
        {
            Files.deleteIfExists(log.toPath());
        }
    }
}
