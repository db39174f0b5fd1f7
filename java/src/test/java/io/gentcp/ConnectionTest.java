package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.inet6;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.reuseaddr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** listen, accept, connect and addresses (reference section 2.5). */
@Timeout(60)
class ConnectionTest
{
    @Test
    void portZeroPicksAFreePortAndNamesAgreeAcrossThePair()
    {
        try (Pair p = Pair.of(binary()))
        {
            final int port = Inet.port(p.listen);
            assertTrue(port > 0);
            assertEquals(port, Inet.peername(p.client).getPort());
            assertEquals(Inet.sockname(p.client), Inet.peername(p.server));
            assertEquals(Inet.sockname(p.server), Inet.peername(p.client));
            assertEquals(InetAddress.getLoopbackAddress(), Inet.peername(p.client).getAddress());
            assertReason(Reason.ENOTCONN, () -> Inet.peername(p.listen));
        }
    }

    @Test
    void aPortInUseIsEaddrinuseEvenWithReuseaddr()
    {
        try (ListenSocket first = GenTcp.listen(0, reuseaddr(true)))
        {
            assertReason(Reason.EADDRINUSE, () -> GenTcp.listen(Inet.port(first), reuseaddr(true)));
        }
    }

    @Test
    void connectingToAClosedPortIsEconnrefused()
    {
        final ListenSocket l = GenTcp.listen(0);
        final int port = Inet.port(l);
        GenTcp.close(l);
        assertReason(Reason.ECONNREFUSED, () -> GenTcp.connect("127.0.0.1", port, 5_000));
    }

    @Test
    void anUnknownHostIsNxdomain()
    {
        assertReason(Reason.NXDOMAIN, () -> GenTcp.connect("non-existing-host-xxx.invalid", 80, 5_000));
    }

    @Test
    void acceptTimesOut()
    {
        try (ListenSocket l = GenTcp.listen(0))
        {
            final long start = System.nanoTime();
            assertReason(Reason.TIMEOUT, () -> GenTcp.accept(l, 200));
            final long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 190 && ms < 5_000, "accept(L, 200) took " + ms + " ms");
        }
    }

    @Test
    void aConnectThatTheListenerCannotQueueTimesOut()
    {
        // Nobody accepts and the backlog is full: the kernel drops further SYNs, so a connect waits.
        final ListenSocket l = GenTcp.listen(0, backlog(0));
        final java.util.List<Socket> queued = new java.util.ArrayList<>();
        Reason seen = null;
        try
        {
            for (int i = 0; i < 16 && seen == null; i++)
            {
                try
                {
                    queued.add(GenTcp.connect("127.0.0.1", Inet.port(l), 300));
                }
                catch (final GenTcpException e)
                {
                    seen = e.reason();
                }
            }
            assertEquals(Reason.TIMEOUT, seen);
        }
        finally
        {
            queued.forEach(GenTcp::close);
            GenTcp.close(l);
        }
    }

    @Test
    void connectFromAChosenSourcePortShowsInPeername()
    {
        SourcePort.assertConnectsFromAFreePort(ip("127.0.0.1"), reuseaddr(true));
    }

    @Test
    void ipv6LiteralsAndTheInet6Option()
    {
        assumeTrue(hasIpv6Loopback(), "no ::1 on this machine");
        final ListenSocket l = GenTcp.listen(0, inet6(), ip("::1"), active(false), binary(), packet(4));
        try
        {
            final Socket c = GenTcp.connect("::1", Inet.port(l), 5_000, binary(), packet(4));
            final Socket s = GenTcp.accept(l, 5_000);
            GenTcp.send(c, "over six");
            assertArrayEquals("over six".getBytes(), GenTcp.recv(s, 0, 5_000));
            final InetSocketAddress peer = Inet.peername(s);
            assertEquals(InetAddress.getByName("::1"), peer.getAddress());
            GenTcp.close(c);
            GenTcp.close(s);
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new AssertionError(e);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void hostNamesResolve()
    {
        try (Pair p = Pair.of())
        {
            final Socket c = GenTcp.connect("localhost", Inet.port(p.listen), 5_000);
            final Socket s = GenTcp.accept(p.listen, 5_000);
            assertNotEquals(0, Inet.port(c));
            GenTcp.close(c);
            GenTcp.close(s);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingHappens()
    {
        assertThrows(IllegalArgumentException.class, () -> GenTcp.listen(-1));
        assertThrows(IllegalArgumentException.class, () -> GenTcp.listen(65536));
        assertThrows(IllegalArgumentException.class, () -> GenTcp.connect("127.0.0.1", 70000));
        assertThrows(IllegalArgumentException.class, () -> GenTcp.connect((String)null, 80));
        assertThrows(IllegalArgumentException.class, () -> GenTcp.connect("127.0.0.1", 1, 5_000, backlog(5)));
        assertThrows(IllegalArgumentException.class, () -> GenTcp.listen(0, (Option)null));
        final ListenSocket l = GenTcp.listen(0);
        assertThrows(IllegalArgumentException.class, () -> GenTcp.accept(l, -5));
        GenTcp.close(l);
        assertThrows(IllegalArgumentException.class, () -> GenTcp.listen(0, inet6(), ip("127.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> GenTcp.accept(null));
    }

    private static boolean hasIpv6Loopback()
    {
        try
        {
            final NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getByName("::1"));
            return lo != null;
        }
        catch (final java.io.IOException e)
        {
            return false;
        }
    }
}
