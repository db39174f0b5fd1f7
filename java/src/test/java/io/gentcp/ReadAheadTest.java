package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {read_ahead, false} (OTP 27.1): a passive recv takes from the kernel no byte past the packet
 * it returns, which recv_oct (the bytes read from the kernel) shows whatever has arrived: the
 * next packet stays in the kernel until the next recv.
 */
@Timeout(60)
class ReadAheadTest
{
    private static byte[] framed4(final byte[] body)
    {
        final byte[] out = new byte[4 + body.length];
        out[0] = (byte)(body.length >>> 24);
        out[1] = (byte)(body.length >>> 16);
        out[2] = (byte)(body.length >>> 8);
        out[3] = (byte)body.length;
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void defaultIsTrueAndAcceptedSocketsInheritIt()
    {
        try (Pair p = Pair.of())
        {
            assertEquals(Option.readAhead(true), Inet.getopt(p.server, OptionName.READ_AHEAD));
        }
        try (Pair p = Pair.of(Option.readAhead(false)))
        {
            assertEquals(Option.readAhead(false), Inet.getopt(p.server, OptionName.READ_AHEAD));
        }
    }

    @Test
    void packet4ReadsNoFurtherThanThePacketsEnd()
    {
        try (Pair p = Pair.rawClient(PacketType.of(4), Option.readAhead(false)))
        {
            final byte[] one = "first packet".getBytes(StandardCharsets.US_ASCII);
            final byte[] two = "the second one".getBytes(StandardCharsets.US_ASCII);
            GenTcp.send(p.client, concat(framed4(one), framed4(two))); // one write: both in the kernel together
            assertArrayEquals(one, GenTcp.<byte[]>recv(p.server, 0, 5_000));
            assertEquals(4 + one.length, Inet.getstat(p.server).recvOct());
            assertArrayEquals(two, GenTcp.<byte[]>recv(p.server, 0, 5_000));
            assertEquals(8 + one.length + two.length, Inet.getstat(p.server).recvOct());
        }
    }

    @Test
    void activeOnceDeliversAPacketWithoutReadingTheNext()
    {
        try (Pair p = Pair.rawClient(PacketType.of(4), Option.readAhead(false)))
        {
            final byte[] one = "first packet".getBytes(StandardCharsets.US_ASCII);
            final byte[] two = "the second one".getBytes(StandardCharsets.US_ASCII);
            GenTcp.send(p.client, concat(framed4(one), framed4(two))); // one write: both in the kernel together
            Inet.setopts(p.server, Option.active(Active.ONCE));
            final Tcp first = (Tcp)Mailbox.current().receive(5_000);
            assertArrayEquals(one, first.binary());
            assertEquals(4 + one.length, Inet.getstat(p.server).recvOct());
            Inet.setopts(p.server, Option.active(Active.ONCE));
            assertArrayEquals(two, ((Tcp)Mailbox.current().receive(5_000)).binary());
            assertEquals(8 + one.length + two.length, Inet.getstat(p.server).recvOct());
        }
        finally
        {
            Mailbox.current().close();
        }
    }

    /**
     * With {read_ahead, false} on a TYPE socket whose peer wrote SENT at once: each recv (of
     * LENGTHS, in order) returns its piece of SENT and has taken from the kernel only the bytes up
     * to its end.
     */
    private static void assertEachRecvReadsNoFurther(final PacketType type, final String sent, final int... lengths)
    {
        try (Pair p = Pair.rawClient(type, Option.readAhead(false)))
        {
            GenTcp.send(p.client, sent.getBytes(StandardCharsets.US_ASCII));
            int end = 0;
            for (final int length : lengths)
            {
                final int next = length > 0 ? end + length : sent.indexOf('\n', end) + 1;
                assertArrayEquals(sent.substring(end, next).getBytes(StandardCharsets.US_ASCII),
                    GenTcp.<byte[]>recv(p.server, length, 5_000));
                end = next;
                assertEquals(end, Inet.getstat(p.server).recvOct());
            }
        }
    }

    @Test
    void rawWithALengthReadsThatMany()
    {
        assertEachRecvReadsNoFurther(PacketType.RAW, "abcdefghij", 3, 7);
    }

    @Test
    void lineReadsUpToItsDelimiter()
    {
        assertEachRecvReadsNoFurther(PacketType.LINE, "one\ntwo\n", 0, 0);
    }

    @Test
    void turningItBackOnReadsAheadAgain()
    {
        try (Pair p = Pair.rawClient(PacketType.of(2), Option.readAhead(false)))
        {
            Inet.setopts(p.server, Option.readAhead(true));
            assertEquals(Option.readAhead(true), Inet.getopt(p.server, OptionName.READ_AHEAD));
            GenTcp.send(p.client, new byte[] {0, 1, 'x'});
            assertArrayEquals(new byte[] {'x'}, GenTcp.<byte[]>recv(p.server, 0, 5_000));
        }
    }
}
