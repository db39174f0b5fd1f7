package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.busyPoll;
import static io.gentcp.Option.cork;
import static io.gentcp.Option.dontroute;
import static io.gentcp.Option.incomingCpu;
import static io.gentcp.Option.inet6;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.ipv6V6only;
import static io.gentcp.Option.keepalive;
import static io.gentcp.Option.keepcnt;
import static io.gentcp.Option.keepidle;
import static io.gentcp.Option.keepintvl;
import static io.gentcp.Option.notsentLowat;
import static io.gentcp.Option.priority;
import static io.gentcp.Option.quickack;
import static io.gentcp.Option.recvtos;
import static io.gentcp.Option.recvttl;
import static io.gentcp.Option.reuseport;
import static io.gentcp.Option.tclass;
import static io.gentcp.Option.tos;
import static io.gentcp.Option.ttl;
import static io.gentcp.Option.userTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel options passed through: set, read back, inherited on accept, and their effects where loopback shows them.
 */
@Timeout(60)
class KernelOptionsTest
{
    private static final List<Option> IPV4_SET = List.of(keepalive(true), dontroute(true), priority(3), tos(0x10),
        ttl(33), recvtos(true), recvttl(true), quickack(false), cork(true), notsentLowat(16384), userTimeout(5000),
        keepidle(30), keepintvl(5), keepcnt(4), busyPoll(50));

    private static OptionName[] names(final List<Option> options)
    {
        return options.stream().map(Option::name).toArray(OptionName[]::new);
    }

    @Test
    void setAndReadBackThenInheritedByAcceptedSockets()
    {
        final ListenSocket l = GenTcp.listen(0, IPV4_SET.toArray(new Option[0]));
        // SO_INCOMING_CPU reads back the CPU that last handled the socket, not what was set: only settable
        Inet.setopts(l, incomingCpu(0));
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, active(false));
        final Socket s = GenTcp.accept(l, 5_000);
        try
        {
            assertEquals(IPV4_SET, Inet.getopts(s, names(IPV4_SET)));
            assertEquals(List.of(keepalive(false), ttl(64)), Inet.getopts(c, OptionName.KEEPALIVE, OptionName.TTL));
            Inet.setopts(c, keepalive(true), ttl(7));
            assertEquals(List.of(keepalive(true), ttl(7)), Inet.getopts(c, OptionName.KEEPALIVE, OptionName.TTL));
        }
        finally
        {
            GenTcp.close(c);
            GenTcp.close(s);
            GenTcp.close(l);
        }
    }

    @Test
    void optionsOfTheOtherFamilyAreLeftOutOfGetoptsAndRefusedBySetopts()
    {
        try (Pair p = Pair.of())
        {
            assertEquals(List.of(keepalive(false)), Inet.getopts(p.client, OptionName.IPV6_V6ONLY, OptionName.TCLASS,
                OptionName.KEEPALIVE));
            assertNull(Inet.getopt(p.client, OptionName.TCLASS));
            assertReason(Reason.EAFNOSUPPORT, () -> Inet.setopts(p.client, tclass(8)));
        }
    }

    @Test
    void reuseportLetsTwoListenersShareAPort()
    {
        final ListenSocket first = GenTcp.listen(0, reuseport(true));
        try
        {
            final ListenSocket second = GenTcp.listen(Inet.port(first), reuseport(true));
            assertEquals(Inet.port(first), Inet.port(second));
            GenTcp.close(second);
            assertReason(Reason.EADDRINUSE, () -> GenTcp.listen(Inet.port(first)));
        }
        finally
        {
            GenTcp.close(first);
        }
    }

    @Test
    void v6onlyLetsAnIpv4AndAnIpv6ListenerShareAPort() throws java.net.SocketException
    {
        assumeTrue(java.net.NetworkInterface.networkInterfaces().anyMatch(i -> i.inetAddresses()
            .anyMatch(a -> a instanceof java.net.Inet6Address)), "no IPv6 on this machine");
        final ListenSocket v4 = GenTcp.listen(0);
        try
        {
            // a dual-stack listener on :: would collide with the IPv4 one; a v6-only one does not
            assertReason(Reason.EADDRINUSE, () -> GenTcp.listen(Inet.port(v4), inet6(), ip("::")));
            final ListenSocket v6 = GenTcp.listen(Inet.port(v4), inet6(), ip("::"), ipv6V6only(true), tclass(0x20));
            assertEquals(ipv6V6only(true), Inet.getopt(v6, OptionName.IPV6_V6ONLY));
            assertEquals(tclass(0x20), Inet.getopt(v6, OptionName.TCLASS));
            assertNull(Inet.getopt(v6, OptionName.TOS));
            GenTcp.close(v6);
        }
        finally
        {
            GenTcp.close(v4);
        }
    }

    @Test
    void badValuesAreRejectedWhereWritten()
    {
        assertThrows(IllegalArgumentException.class, () -> tos(-1));
        assertThrows(IllegalArgumentException.class, () -> keepcnt(-3));
        assertEquals("{tos,16}", tos(16).toString());
        assertEquals("{reuseport,true}", reuseport(true).toString());
    }
}
