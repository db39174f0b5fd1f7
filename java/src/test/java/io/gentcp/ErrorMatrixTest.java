package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import io.gentcp.internal.Native;

/**
 * OTP's error rules for options (SOCKOPT type_errors; conformance 2.1): a bad value is einval
 * from setopts and a bad argument naming the option from listen and connect; getopts with one
 * name it cannot read among readable ones fails whole with einval.
 */
@Timeout(60)
class ErrorMatrixTest
{
    /** Values the Java types let through but the socket refuses as invalid. */
    private static final List<Option> REFUSED_BY_THE_SOCKET = List.of(Option.ttl(0), Option.ttl(256), Option.keepcnt(0),
        Option.keepcnt(128), Option.keepidle(0), Option.keepidle(32768), Option.keepintvl(0),
        Option.raw((int)Native.constantOrMissing("SOL_SOCKET"), 9 /* SO_KEEPALIVE */, new byte[2]));

    private static void assertNames(final String atom, final Executable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(atom + ":"), e.getMessage());
    }

    @Test
    void aValueTheSocketRefusesIsEinvalInSetoptsAndABadArgumentInListenAndConnect()
    {
        try (Pair p = Pair.of())
        {
            for (final Option bad : REFUSED_BY_THE_SOCKET)
            {
                assertReason(Reason.EINVAL, () -> Inet.setopts(p.client, bad));
                assertReason(Reason.EINVAL, () -> Inet.setopts(p.listen, bad));
                assertNames(bad.name().atom(), () -> GenTcp.listen(0, bad));
                assertNames(bad.name().atom(), () -> GenTcp.connect("127.0.0.1", Inet.port(p.listen), 5_000, bad));
            }
            // an IPv6 option with a bad value on an IPv6 socket
            assertNames("tclass", () -> GenTcp.listen(0, Option.inet6(), Option.tclass(256)));
        }
    }

    /** Values refused where they are written, before any socket call: each names its option. */
    @Test
    void aValueOutOfRangeIsABadArgumentNamingItsOptionWhereItIsWritten()
    {
        final List<Supplier<Option>> bad = List.of(() -> Option.packet(3), () -> Option.packetSize(-1),
            () -> Option.lineDelimiter(256), () -> Option.lineLength(-1), () -> Option.active(32768),
            () -> Option.active(-32769), () -> Option.buffer(-1), () -> Option.recbuf(-1), () -> Option.sndbuf(-1),
            () -> Option.header(-1), () -> Option.highMsgqWatermark(0), () -> Option.lowMsgqWatermark(1 << 27),
            () -> Option.linger(true, -1), () -> Option.tos(-1), () -> Option.ttl(-1), () -> Option.priority(-1),
            () -> Option.fastopen(-1), () -> Option.busyPoll(-1), () -> Option.port(65536), () -> Option.backlog(-1),
            () -> Option.fd(-1), () -> Option.netns(""), () -> Option.bindToDevice("far too long a name"),
            () -> Option.ip("not-an-address"), () -> Option.ifaddr("not-an-address"), () -> Option.tcpModule(null),
            () -> Option.raw(-1, 1, new byte[4]), () -> Option.deliver(null), () -> Option.idle(null));
        final List<String> atoms = List.of("packet", "packet_size", "line_delimiter", "line_length", "active", "active",
            "buffer", "recbuf", "sndbuf", "header", "high_msgq_watermark", "low_msgq_watermark", "linger", "tos", "ttl",
            "priority", "fastopen", "busy_poll", "port", "backlog", "fd", "netns", "bind_to_device", "ip", "ifaddr",
            "tcp_module", "raw", "deliver", "idle");
        for (int i = 0; i < bad.size(); i++)
        {
            final Supplier<Option> make = bad.get(i);
            assertNames(atoms.get(i), make::get);
        }
    }

    @Test
    void getoptsWithANameItCannotReadAmongReadableOnesFailsWhole()
    {
        try (Pair p = Pair.of())
        {
            for (final OptionName unreadable : List.of(OptionName.IP, OptionName.IFADDR, OptionName.PORT,
                OptionName.BACKLOG, OptionName.FAMILY, OptionName.FD, OptionName.NETNS, OptionName.TCP_MODULE,
                OptionName.LINE_LENGTH, OptionName.RAW))
            {
                assertReason(Reason.EINVAL,
                    () -> Inet.getopts(p.client, OptionName.PACKET, unreadable, OptionName.NODELAY));
            }
            assertNames("names", () -> Inet.getopts(p.client, OptionName.PACKET, null));
        }
    }
}
