package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.ifaddr;
import static io.gentcp.Option.inet;
import static io.gentcp.Option.inet6;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {ip, A}, {ifaddr, A | SockAddr} with the manual's precedence, {port, P} on connect, inet/inet6, {backlog, B}. */
@Timeout(60)
class AddressOptionsTest
{
    private static InetSocketAddress boundBy(final Option... options)
    {
        final ListenSocket l = GenTcp.listen(0, options);
        try
        {
            return Inet.sockname(l);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    private static InetSocketAddress at(final String address, final int port)
    {
        return new InetSocketAddress(address, port);
    }

    @Test
    void ifaddrWithAnAddressIsIp()
    {
        assertEquals("127.0.0.2", boundBy(ifaddr("127.0.0.2")).getAddress().getHostAddress());
        assertEquals("127.0.0.3", boundBy(ifaddr("127.0.0.2"), ip("127.0.0.3")).getAddress().getHostAddress());
        assertEquals("127.0.0.2", boundBy(ip("127.0.0.3"), ifaddr("127.0.0.2")).getAddress().getHostAddress());
    }

    @Test
    void anIfaddrSocketAddressOverridesEarlierIpAndPortAndLaterOnesUpdateIt()
    {
        final int p1 = SourcePort.free();
        final int p2 = SourcePort.free();
        // before it: overridden, address and port
        assertEquals(at("127.0.0.2", p2), boundBy(ip("127.0.0.3"), port(p1), ifaddr(at("127.0.0.2", p2))));
        // after it: each updates its own field
        assertEquals(at("127.0.0.3", p2), boundBy(ifaddr(at("127.0.0.2", p2)), ip("127.0.0.3")));
        assertEquals(at("127.0.0.2", p1), boundBy(ifaddr(at("127.0.0.2", p2)), port(p1)));
        // listen's Port argument comes first in OTP's option list, so the socket address wins over it
        final ListenSocket l = GenTcp.listen(p1, ifaddr(at("127.0.0.2", p2)));
        assertEquals(p2, Inet.port(l));
        GenTcp.close(l);
    }

    @Test
    void connectBindsTheLocalPortAndAddressItIsGiven()
    {
        final ListenSocket l = GenTcp.listen(0, active(false));
        try
        {
            final int p1 = SourcePort.free();
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, port(p1));
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(p1, Inet.port(c));
            assertEquals(at("127.0.0.1", p1), Inet.peername(s));
            GenTcp.close(c);
            GenTcp.close(s);

            final int p2 = SourcePort.free();
            final Socket c2 = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, port(1), ifaddr(at("127.0.0.2", p2)));
            final Socket s2 = GenTcp.accept(l, 5_000);
            assertEquals(at("127.0.0.2", p2), Inet.peername(s2));
            GenTcp.close(c2);
            GenTcp.close(s2);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void inet6SelectsTheFamilyOfTheSocketAndOfTheNameLookup()
    {
        final ListenSocket l = GenTcp.listen(0, inet6(), active(false));
        try
        {
            assertInstanceOf(Inet6Address.class, Inet.sockname(l).getAddress());
            final Socket c = GenTcp.connect("::1", Inet.port(l), 5_000, inet6());
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals("::1", Inet.peername(c).getAddress().getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"));
            assertInstanceOf(Inet6Address.class, Inet.sockname(s).getAddress());
            GenTcp.close(c);
            GenTcp.close(s);
            // inet asks for IPv4, which this IPv6 listener on :: also takes (not v6only)
            final Socket c4 = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, inet());
            assertEquals("127.0.0.1", Inet.sockname(c4).getAddress().getHostAddress());
            GenTcp.close(c4);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void anAddressOfTheWrongFamilyIsABadArgumentNamingItsOption()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GenTcp.listen(0, inet(), ifaddr("::1")));
        assertTrue(e.getMessage().startsWith("ifaddr:"), e.getMessage());
        final IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
            () -> GenTcp.connect("127.0.0.1", 1, 5_000, ifaddr(at("::1", 0))));
        assertTrue(f.getMessage().startsWith("ifaddr:"), f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ifaddr("nohost.example"));
        assertThrows(IllegalArgumentException.class, () -> ifaddr(InetSocketAddress.createUnresolved("h", 1)));
        assertEquals("{ifaddr,#{family=>inet,addr=>127.0.0.1,port=>80}}", ifaddr(at("127.0.0.1", 80)).toString());
    }

    @Test
    void backlogBoundsTheQueueOfUnacceptedConnections()
    {
        // Linux queues backlog + 1 completed connections; the next SYN is dropped, so that connect waits
        final ListenSocket l = GenTcp.listen(0, backlog(1));
        final List<Socket> clients = new ArrayList<>();
        try
        {
            clients.add(GenTcp.connect("127.0.0.1", Inet.port(l), 5_000));
            clients.add(GenTcp.connect("127.0.0.1", Inet.port(l), 5_000));
            assertReason(Reason.TIMEOUT, () -> clients.add(GenTcp.connect("127.0.0.1", Inet.port(l), 300)));
        }
        finally
        {
            clients.forEach(GenTcp::close);
            GenTcp.close(l);
        }
    }
}
