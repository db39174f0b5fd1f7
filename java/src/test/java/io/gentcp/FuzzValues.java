package io.gentcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random arguments for ApiFuzzTest: edge numbers, nulls, buffers of every kind and option lists
 * that mix good and bad values. What could make a call wait without limit or touch something
 * outside the test (an infinite send_timeout, a linger wait, another descriptor of the JVM
 * adopted with fd, a host name looked up in DNS, a path bound in the file system) is never drawn
 * for a live socket; those factories are still called with such values, unused.
 */
final class FuzzValues
{
    private static final int[] EDGE_INTS = {0, 1, -1, 2, 4, 255, 256, 1460, 65535, 65536, 1 << 20,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1};
    private static final long[] EDGE_LONGS = {0, 1, -1, 4294967295L, 4294967296L, Long.MAX_VALUE, Long.MIN_VALUE,
        Integer.MAX_VALUE, (long)Integer.MAX_VALUE + 1};

    private final Random random;

    FuzzValues(final Random random)
    {
        this.random = random;
    }

    Random random()
    {
        return random;
    }

    boolean chance(final int percent)
    {
        return random.nextInt(100) < percent;
    }

    <T> T pick(final List<T> items)
    {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    final <T> T oneOf(final T... items)
    {
        return items[random.nextInt(items.length)];
    }

    int anyInt()
    {
        return switch (random.nextInt(4))
        {
            case 0 -> EDGE_INTS[random.nextInt(EDGE_INTS.length)];
            case 1 -> random.nextInt();
            default -> random.nextInt(70) - 5;
        };
    }

    long anyLong()
    {
        return switch (random.nextInt(3))
        {
            case 0 -> EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
            case 1 -> random.nextLong();
            default -> random.nextInt(100) - 5;
        };
    }

    /** A time limit for a call that may wait: short, or one the call refuses (below -1). */
    long shortTimeout()
    {
        return switch (random.nextInt(10))
        {
            case 0 -> -2;
            case 1 -> Long.MIN_VALUE;
            case 2, 3 -> 1 + random.nextInt(3);
            default -> 0;
        };
    }

    /** A time limit for a call that cannot wait (its socket is closed): anything. */
    long anyTimeout()
    {
        return oneOf(-1L, 0L, 5L, Long.MAX_VALUE, -2L, Long.MIN_VALUE, GenTcp.INFINITY);
    }

    int length()
    {
        return switch (random.nextInt(8))
        {
            case 0 -> -1 - random.nextInt(3);
            case 1 -> Integer.MIN_VALUE;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> 1 + random.nextInt(2000);
            default -> 0;
        };
    }

    byte[] bytes(final int max)
    {
        final byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }

    /** Packet bytes: mostly small, sometimes a few KB, rarely 256 KB. */
    byte[] packet()
    {
        final int n = chance(2) ? 256 * 1024 : chance(15) ? random.nextInt(8192) : random.nextInt(64);
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    String text(final int max)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++)
        {
            sb.append(chance(3) ? (char)(0x100 + random.nextInt(0xff00)) : (char)random.nextInt(0x100));
        }
        return sb.toString();
    }

    /** A buffer of any kind: heap, direct, read-only, sliced; with a random position and limit. */
    ByteBuffer buffer(final int capacity)
    {
        ByteBuffer b = chance(50) ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        if (capacity > 0 && chance(30))
        {
            b.position(random.nextInt(capacity + 1));
        }
        if (chance(10))
        {
            b = b.slice();
        }
        if (chance(10))
        {
            b = b.asReadOnlyBuffer();
        }
        return b;
    }

    InetAddress loopback(final boolean v6)
    {
        try
        {
            return InetAddress.getByName(v6 ? "::1" : "127.0.0.1");
        }
        catch (final UnknownHostException e)
        {
            throw new AssertionError(e);
        }
    }

    /** A name no test machine has as a file. */
    String absentPath()
    {
        return "/nonexistent-gentcp-fuzz/" + random.nextInt(1000);
    }

    LocalAddress abstractName()
    {
        return LocalAddress.abstractName("gentcp-fuzz-" + ProcessHandle.current().pid() + "-" +
            random.nextInt(1 << 30));
    }

    /**
     * One option for a live socket's listen, connect or setopts: any value its factory takes,
     * except those that make a call wait without limit or reach outside the test. Factories
     * throw for bad values: such an Option is never made, so the caller must expect that.
     */
    Option liveOption()
    {
        return switch (random.nextInt(46))
        {
            case 0 -> Option.binary();
            case 1 -> Option.list();
            case 2 -> Option.packet(oneOf(0, 1, 2, 4, 3, -1, 8));
            case 3 -> Option.packet(oneOf(PacketType.values()));
            case 4 -> Option.packetSize(chance(50) ? random.nextInt(100) : anyLong());
            case 5 -> Option.lineDelimiter(chance(70) ? random.nextInt(256) : anyInt());
            case 6 -> Option.active(random.nextBoolean());
            case 7 -> Option.active(chance(70) ? random.nextInt(6) - 2 : anyInt());
            case 8 -> Option.active(oneOf(Option.once(), null));
            case 9 -> Option.buffer(chance(70) ? random.nextInt(70000) : anyInt());
            case 10 -> Option.recbuf(chance(70) ? random.nextInt(70000) : anyInt());
            case 11 -> Option.sndbuf(chance(70) ? random.nextInt(70000) : anyInt());
            case 12 -> Option.nodelay(random.nextBoolean());
            case 13 -> Option.exitOnClose(random.nextBoolean());
            case 14 -> Option.showEconnreset(random.nextBoolean());
            case 15 -> Option.header(chance(70) ? random.nextInt(10) : anyInt());
            case 16 -> Option.deliver(oneOf(Option.Deliver.TERM, Option.Deliver.PORT, null));
            case 17 -> Option.highMsgqWatermark(chance(70) ? random.nextInt(100000) : anyInt());
            case 18 -> Option.lowMsgqWatermark(chance(70) ? random.nextInt(100000) : anyInt());
            case 19 -> Option.sendTimeout(chance(80) ? random.nextInt(20) : -2 - random.nextInt(5));
            case 20 -> Option.sendTimeoutClose(random.nextBoolean());
            case 21 -> Option.delaySend(random.nextBoolean());
            case 22 -> Option.highWatermark(chance(70) ? random.nextInt(100000) : anyInt());
            case 23 -> Option.lowWatermark(chance(70) ? random.nextInt(100000) : anyInt());
            case 24 -> Option.bindToDevice(oneOf("lo", "", "gentcpfuzz0", "a b", "0123456789abcdefg", null));
            case 25 -> Option.raw(oneOf(1, 6, 0, 12345, -1), oneOf(9, 1, 7, 8, 99999, -1), bytes(8));
            case 26 -> Option.linger(true, random.nextInt(2) - (chance(10) ? 5 : 0));
            case 27 -> Option.keepalive(random.nextBoolean());
            case 28 -> Option.priority(chance(70) ? random.nextInt(8) : anyInt());
            case 29 -> Option.tos(chance(70) ? random.nextInt(256) : anyInt());
            case 30 -> Option.ttl(chance(70) ? random.nextInt(300) : anyInt());
            case 31 -> Option.tclass(chance(70) ? random.nextInt(300) : anyInt());
            case 32 -> oneOf(Option.ipv6V6only(true), Option.recvtos(true), Option.recvttl(true),
                Option.recvtclass(false), Option.reuseport(true), Option.quickack(true),
                Option.cork(random.nextBoolean()), Option.dontroute(true),
                Option.preferBusyPoll(true), Option.reuseaddr(true));
            case 33 -> Option.notsentLowat(anyInt());
            case 34 -> Option.userTimeout(anyInt());
            case 35 -> Option.keepidle(anyInt());
            case 36 -> Option.keepintvl(anyInt());
            case 37 -> Option.keepcnt(anyInt());
            case 38 -> Option.mark(anyInt());
            case 39 -> Option.incomingCpu(anyInt());
            case 40 -> Option.busyPoll(chance(50) ? random.nextInt(3) : anyInt());
            case 41 -> Option.fastopen(anyInt());
            case 42 -> Option.idle(oneOf(IdleStrategy.block(), IdleStrategy.spin(random.nextInt(50)), null));
            case 43 -> Option.inetBackend(oneOf(Option.Backend.INET, Option.Backend.SOCKET, null));
            case 44 -> oneOf(Option.inet(), Option.inet6(), Option.ip("127.0.0.1"), Option.ip("::1"),
                Option.ip("10.255.255.1"), Option.port(chance(50) ? 0 : anyInt()), Option.backlog(anyInt()),
                Option.ifaddr(loopback(random.nextBoolean())));
            default -> oneOf(Option.fd(chance(50) ? (1 << 24) + random.nextInt(1000) : -1 - random.nextInt(3)),
                Option.netns(absentPath()), Option.tcpModule("inet_tcp"), Option.local());
        };
    }

    /** A list of live options, some of them null or failing to be made (the factory's IAE propagates). */
    List<Option> liveOptions()
    {
        final List<Option> options = new ArrayList<>();
        final int n = random.nextInt(4);
        for (int i = 0; i < n; i++)
        {
            options.add(chance(2) ? null : liveOption());
        }
        return options;
    }

    OptionName optionName()
    {
        return chance(3) ? null : oneOf(OptionName.values());
    }
}
