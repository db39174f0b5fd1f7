package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.internal.Native;

/**
 * Every option name, one sample value each: no option of listen or connect is accepted and
 * ignored. Each is either refused with an IllegalArgumentException naming it, or applied, and
 * then (when getopts can read it) read back as set: OTP's loop_all test of inet_SUITE, as a table.
 */
@Timeout(60)
class OptionCoverageTest
{
    /** A value to set for each option, and the options it needs beside it (its family ...). */
    record Sample(Option option, Option... context)
    {
    }

    static final Map<OptionName, Sample> SAMPLES = new EnumMap<>(OptionName.class);

    private static void sample(final Option option, final Option... context)
    {
        SAMPLES.put(option.name(), new Sample(option, context));
    }

    static
    {
        sample(Option.binary());
        sample(Option.packet(4));
        sample(Option.packetSize(100));
        sample(Option.lineDelimiter(';'));
        sample(Option.lineLength(10));
        sample(Option.active(Option.once()));
        sample(Option.buffer(4000));
        sample(Option.recbuf(16384));
        sample(Option.sndbuf(16384));
        sample(Option.nodelay(true));
        sample(Option.reuseaddr(true));
        sample(Option.exitOnClose(false));
        sample(Option.showEconnreset(true));
        sample(Option.header(2));
        sample(Option.deliver(Option.Deliver.PORT));
        sample(Option.highMsgqWatermark(100));
        sample(Option.lowMsgqWatermark(50));
        sample(Option.sendTimeout(1000));
        sample(Option.sendTimeoutClose(true));
        sample(Option.delaySend(true));
        sample(Option.highWatermark(16384));
        sample(Option.lowWatermark(2048));
        sample(Option.inetBackend(Option.Backend.INET));
        sample(Option.bindToDevice("lo"));
        sample(Option.raw((int)Native.constantOrMissing("SOL_SOCKET"), 9 /* SO_KEEPALIVE */, intBytes(1)));
        sample(Option.linger(true, 3));
        sample(Option.keepalive(true));
        sample(Option.dontroute(true));
        sample(Option.priority(3));
        sample(Option.tos(0x20));
        sample(Option.ttl(33));
        sample(Option.tclass(0x20), Option.inet6());
        sample(Option.ipv6V6only(true), Option.inet6());
        sample(Option.recvtos(true));
        sample(Option.recvttl(true));
        sample(Option.recvtclass(true), Option.inet6());
        sample(Option.reuseport(true));
        sample(Option.reuseportLb(true));
        sample(Option.exclusiveaddruse(true));
        sample(Option.readAhead(false));
        sample(Option.protocol(Option.Protocol.TCP)); // mptcp: MptcpTest (the kernel may refuse it)
        sample(Option.timestamping(Option.Timestamping.RX_SOFTWARE, Option.Timestamping.TX_ACK));
        sample(Option.quickack(false));
        sample(Option.cork(true));
        sample(Option.notsentLowat(4096));
        sample(Option.userTimeout(5000));
        sample(Option.keepidle(30));
        sample(Option.keepintvl(5));
        sample(Option.keepcnt(4));
        sample(Option.mark(7));
        sample(Option.incomingCpu(0));
        sample(Option.busyPoll(50));
        sample(Option.fastopen(16));
        sample(Option.preferBusyPoll(true));
        sample(Option.idle(IdleStrategy.spin(10)));
        sample(Option.ip("127.0.0.1"));
        sample(Option.ifaddr("127.0.0.1"));
        sample(Option.port(0));
        sample(Option.backlog(10));
        sample(Option.inet());
        sample(Option.tcpModule("inet_tcp"));
        sample(Option.fd(0));
        sample(new Option(OptionName.PKTOPTIONS, new PktOptions(java.util.OptionalInt.empty(),
            java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty())));
        sample(Option.netns("/var/run/netns/x"));
    }

    /**
     * The options this platform lacks: the kernel options C's table marks absent
     * (GT_OPTS_ABSENT), and bind_to_device without SO_BINDTODEVICE. Each must answer enotsup,
     * never be accepted and ignored. None on Linux.
     */
    static final Set<OptionName> ABSENT = absent();

    private static Set<OptionName> absent()
    {
        final long mask = Native.constantOrMissing("GT_OPTS_ABSENT");
        final Set<OptionName> absent = EnumSet.noneOf(OptionName.class);
        for (final OptionName name : OptionName.values())
        {
            final long id = Native.constantOrMissing("GT_OPT_" + name.name());
            if (id >= 0 && id < 64 && (mask & (1L << id)) != 0)
            {
                absent.add(name);
            }
        }
        if (Native.constantOrMissing("SO_BINDTODEVICE") == Long.MIN_VALUE)
        {
            absent.add(OptionName.BIND_TO_DEVICE);
        }
        return absent;
    }

    /** Options that need a resource of their own to be applied: FdOptionTest and the like test them. */
    private static final Set<OptionName> ELSEWHERE = EnumSet.of(OptionName.FD, OptionName.NETNS);

    /**
     * A second value of each changeable option, as loop_all's V2: setopts moves an option from
     * its sample to this and back, and getopts follows.
     */
    private static final Map<OptionName, Option> SECOND = new EnumMap<>(OptionName.class);

    static
    {
        for (final Option o : List.of(Option.list(), Option.packet(2), Option.packetSize(0), Option.lineDelimiter('\n'),
            Option.active(false), Option.buffer(2000), Option.nodelay(false), Option.reuseaddr(false),
            Option.exitOnClose(true), Option.showEconnreset(false), Option.header(0),
            Option.deliver(Option.Deliver.TERM), Option.highMsgqWatermark(200), Option.lowMsgqWatermark(20),
            Option.sendTimeout(-1), Option.sendTimeoutClose(false),
            Option.delaySend(false), Option.highWatermark(32768), Option.lowWatermark(1024), Option.bindToDevice(""),
            Option.linger(false, 0), Option.keepalive(false), Option.dontroute(false), Option.priority(1),
            Option.tos(0x10), Option.ttl(64), Option.recvtos(false), Option.recvttl(false), Option.reuseport(false),
            Option.reuseportLb(false), Option.exclusiveaddruse(false), Option.readAhead(true),
            Option.cork(false), Option.notsentLowat(8192), Option.userTimeout(0), Option.keepidle(60),
            Option.keepintvl(10), Option.keepcnt(9),
            Option.mark(0), Option.busyPoll(0), Option.preferBusyPoll(false), Option.idle(IdleStrategy.block()),
            Option.timestamping()))
        {
            SECOND.put(o.name(), o);
        }
    }

    /** Not passed on to accepted sockets: line_delimiter (OTP), and what reads the kernel's own state. */
    private static final Set<OptionName> NOT_INHERITED = EnumSet.of(OptionName.LINE_DELIMITER, OptionName.FASTOPEN,
        OptionName.QUICKACK, OptionName.INCOMING_CPU);

    /** Options for a socket not yet connected: setopts on a connected one is einval. */
    private static final Set<OptionName> BEFORE_CONNECT = EnumSet.of(OptionName.FASTOPEN);

    /** Refused by listen with an IllegalArgumentException naming them. */
    private static final Set<OptionName> NOT_LISTEN = EnumSet.of(OptionName.LINE_DELIMITER, OptionName.LINE_LENGTH,
        OptionName.TCP_MODULE, OptionName.PKTOPTIONS);

    /** Refused by connect with an IllegalArgumentException naming them. */
    private static final Set<OptionName> NOT_CONNECT = EnumSet.of(OptionName.LINE_LENGTH, OptionName.BACKLOG,
        OptionName.TCP_MODULE, OptionName.PKTOPTIONS);

    /** Options the kernel reports in its own figure (Linux doubles buffer sizes). */
    private static final Set<OptionName> KERNEL_ADJUSTED = EnumSet.of(OptionName.RECBUF, OptionName.SNDBUF);

    /**
     * TCP_QUICKACK is not permanent (tcp(7)): the kernel leaves quick-ack mode on its own;
     * SO_INCOMING_CPU reads back the CPU that last handled the socket's packets.
     */
    private static final Set<OptionName> NOT_STICKY = EnumSet.of(OptionName.QUICKACK, OptionName.INCOMING_CPU);

    /** What getopts cannot read: the creation options, raw (Inet.getoptRaw reads it) and the decode-only one. */
    private static final Set<OptionName> UNREADABLE = EnumSet.of(OptionName.RAW, OptionName.LINE_LENGTH, OptionName.IP,
        OptionName.IFADDR, OptionName.PORT, OptionName.BACKLOG, OptionName.FAMILY, OptionName.TCP_MODULE, OptionName.FD,
        OptionName.NETNS, OptionName.PKTOPTIONS, OptionName.INET_BACKEND, OptionName.PROTOCOL);

    static byte[] intBytes(final int v)
    {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static Option[] with(final Sample s)
    {
        final Option[] all = new Option[s.context().length + 1];
        System.arraycopy(s.context(), 0, all, 0, s.context().length);
        all[all.length - 1] = s.option();
        return all;
    }

    @Test
    void everyOptionNameHasASample()
    {
        assertEquals(EnumSet.allOf(OptionName.class), SAMPLES.keySet());
        for (final Map.Entry<OptionName, Option> e : SECOND.entrySet())
        {
            assertFalse(e.getValue().equals(SAMPLES.get(e.getKey()).option()), e.getKey().atom());
        }
    }

    /**
     * An option is one entry in Java (its name and value kind) and one row in C's table: every
     * option of one number (and idle, set as two) has its C id, found by name, and its range,
     * and no other option has an id.
     */
    @Test
    void everyOptionOfOneNumberIsARowOfTheCTable()
    {
        for (final OptionName name : OptionName.values())
        {
            final boolean inC = name.value() != OptionValue.NONE || name == OptionName.IDLE;
            assertEquals(inC, OptionTable.id(name) != OptionTable.NO_ID, name.atom());
            if (inC && name != OptionName.ACTIVE) // active's rules are C's set_active, no range
            {
                assertTrue(OptionTable.max(name) > 0, name.atom() + "'s range is asked of C");
            }
        }
    }

    @Test
    void linuxLacksNoOption()
    {
        assertTrue(Native.constantOrMissing("GT_OPTS_ABSENT") >= 0, "GT_OPTS_ABSENT is asked of C");
        if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"))
        {
            // timestamping needs a poller that tells the error queue apart: not the kqueue backend's
            final boolean kqueue = System.getProperty("gentcp.library.path", "").contains("kqueue-emu");
            assertEquals(kqueue ? EnumSet.of(OptionName.TIMESTAMPING) : EnumSet.noneOf(OptionName.class), ABSENT);
        }
    }

    @Test
    void listenAppliesEveryOptionOrRefusesItByName()
    {
        for (final Sample s : SAMPLES.values())
        {
            final OptionName name = s.option().name();
            if (ELSEWHERE.contains(name))
            {
                continue;
            }
            if (NOT_LISTEN.contains(name))
            {
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GenTcp.listen(0, with(s)));
                assertTrue(e.getMessage().startsWith(name.atom() + ":"), e.getMessage());
                continue;
            }
            if (ABSENT.contains(name))
            {
                assertReason(Reason.ENOTSUP, () -> GenTcp.listen(0, with(s)));
                continue;
            }
            try (ListenSocket l = GenTcp.listen(0, with(s)))
            {
                readBack(l, s.option());
                if (!NOT_INHERITED.contains(name) && s.context().length == 0)
                {
                    // the inheritance matrix: an accepted socket reports what its listener was given
                    try (Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000);
                        Socket a = GenTcp.accept(l, 5_000))
                    {
                        readBack(a, s.option());
                    }
                }
            }
        }
    }

    @Test
    void connectAppliesEveryOptionOrRefusesItByName()
    {
        try (ListenSocket v4 = GenTcp.listen(0, Option.active(false), Option.reuseaddr(true));
            ListenSocket v6 = GenTcp.listen(0, Option.active(false), Option.inet6(), Option.ip("::1")))
        {
            for (final Sample s : SAMPLES.values())
            {
                final OptionName name = s.option().name();
                final boolean six = List.of(s.context()).contains(Option.inet6());
                final String host = six ? "::1" : "127.0.0.1";
                final int port = Inet.port(six ? v6 : v4);
                if (ELSEWHERE.contains(name))
                {
                    continue;
                }
                if (NOT_CONNECT.contains(name))
                {
                    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> GenTcp.connect(host, port, 5_000, with(s)));
                    assertTrue(e.getMessage().startsWith(name.atom() + ":"), e.getMessage());
                    continue;
                }
                if (ABSENT.contains(name))
                {
                    assertReason(Reason.ENOTSUP, () -> GenTcp.connect(host, port, 5_000, with(s)));
                    continue;
                }
                try (Socket c = GenTcp.connect(host, port, 5_000, with(s)))
                {
                    if (name == OptionName.FASTOPEN)
                    {
                        GenTcp.send(c, "x"); // with a fast-open cookie, the SYN leaves with the first send
                    }
                    try (Socket a = GenTcp.accept(six ? v6 : v4, 5_000))
                    {
                        readBack(c, s.option());
                    }
                }
            }
        }
    }

    @Test
    void setoptsAppliesEverySocketOptionAndRefusesCreationOnesWithEinval()
    {
        try (Pair p = Pair.of())
        {
            for (final Sample s : SAMPLES.values())
            {
                final OptionName name = s.option().name();
                if (s.context().length > 0)
                {
                    continue; // an IPv6 option: the pair is IPv4
                }
                if (UNREADABLE.contains(name) && name != OptionName.RAW || BEFORE_CONNECT.contains(name))
                {
                    assertReason(Reason.EINVAL, () -> Inet.setopts(p.client, s.option()));
                    continue;
                }
                if (ABSENT.contains(name))
                {
                    assertReason(Reason.ENOTSUP, () -> Inet.setopts(p.client, s.option()));
                    assertReason(Reason.ENOTSUP, () -> Inet.getopt(p.client, name));
                    continue;
                }
                Inet.setopts(p.client, s.option());
                readBack(p.client, s.option());
                final Option second = SECOND.get(name);
                if (second != null)
                {
                    Inet.setopts(p.client, second);
                    readBack(p.client, second);
                    Inet.setopts(p.client, s.option());
                    readBack(p.client, s.option());
                }
            }
        }
    }

    private static void readBack(final InetSocket socket, final Option set)
    {
        final OptionName name = set.name();
        if (UNREADABLE.contains(name))
        {
            return;
        }
        final Option got = Inet.getopt(socket, name);
        assertFalse(got == null, name.atom());
        if (NOT_STICKY.contains(name))
        {
            assertEquals(name, got.name());
        }
        else if (KERNEL_ADJUSTED.contains(name))
        {
            assertTrue((Integer)got.value() >= (Integer)set.value(), name + " read back as " + got);
        }
        else
        {
            assertEquals(set, got, name.atom());
        }
    }
}
