package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.inet6;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.recvtclass;
import static io.gentcp.Option.recvtos;
import static io.gentcp.Option.recvttl;
import static io.gentcp.Option.tclass;
import static io.gentcp.Option.tos;
import static io.gentcp.Option.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pktoptions: the TOS, TTL and traffic class the peer sent, as the reader's kernel recorded them. */
@Timeout(60)
class PktOptionsTest
{
    private static PktOptions pktoptions(final InetSocket socket)
    {
        return (PktOptions)Inet.getopt(socket, OptionName.PKTOPTIONS).value();
    }

    @Test
    void theReaderSeesThePeersTosAndTtl()
    {
        final ListenSocket l = GenTcp.listen(0, active(false), recvtos(true), recvttl(true));
        try
        {
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, active(false), tos(0x28), ttl(33));
            final Socket s = GenTcp.accept(l, 5_000);
            GenTcp.send(c, "x");
            assertEquals("x", GenTcp.recv(s, 0, 5_000)); // the segment has arrived and been read
            final PktOptions seen = pktoptions(s);
            assertEquals(OptionalInt.of(0x28), seen.tos());
            assertEquals(OptionalInt.of(33), seen.ttl());
            assertEquals("[{tos,40},{ttl,33}]", seen.toString());
            // the sender asked for nothing: it has no values
            assertEquals("[]", pktoptions(c).toString());
            // (Linux keeps an IPv4 connection's values from its handshake; IPv6 follows each segment)
            GenTcp.close(c);
            GenTcp.close(s);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void anIpv6ReaderSeesTheTrafficClass()
    {
        final ListenSocket l = GenTcp.listen(0, inet6(), ip("::1"), active(false), recvtclass(true));
        try
        {
            final Socket c = GenTcp.connect("::1", Inet.port(l), 5_000, active(false), tclass(0x20));
            final Socket s = GenTcp.accept(l, 5_000);
            GenTcp.send(c, "x");
            assertEquals("x", GenTcp.recv(s, 0, 5_000));
            assertEquals(OptionalInt.of(0x20), pktoptions(s).tclass());
            assertTrue(pktoptions(s).tos().isEmpty());
            // the last segment's value: setopts on the sender changes what the reader sees next
            Inet.setopts(c, tclass(0x10));
            GenTcp.send(c, "y");
            assertEquals("y", GenTcp.recv(s, 0, 5_000));
            assertEquals(OptionalInt.of(0x10), pktoptions(s).tclass());
            GenTcp.close(c);
            GenTcp.close(s);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void readOnlyAndAbsentOnLocalSockets()
    {
        try (Pair p = Pair.of())
        {
            assertReason(Reason.EINVAL,
                () -> Inet.setopts(p.client, OptionCoverageTest.SAMPLES.get(OptionName.PKTOPTIONS).option()));
        }
        final ListenSocket l = GenTcp.listen(0, Option.local());
        try
        {
            assertNull(Inet.getopt(l, OptionName.PKTOPTIONS));
        }
        finally
        {
            GenTcp.close(l);
        }
    }
}
