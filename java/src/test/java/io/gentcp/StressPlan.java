package io.gentcp;

import java.util.SplittableRandom;

/**
 * One connection's stream in the stress suite: its packet type and the packets it carries,
 * each made from the connection's seed and the packet's number alone, so that the receiving
 * end computes what it must get without a copy. Every byte of a body comes from that seed: a
 * byte of another connection, a lost, duplicated or reordered packet changes what arrives.
 *
 * <p>Both ends take the connection's packet type. gen_tcp adds the header of 1, 2 and 4; the
 * other types (raw, line, asn1, cdr, sunrm, fcgi, tpkt) are framed here, and often sent in
 * pieces. Sizes run from 0 (an empty packet) to LARGE.
 */
final class StressPlan
{
    static final PacketType[] TYPES = {PacketType.RAW, PacketType.ONE, PacketType.TWO, PacketType.FOUR,
        PacketType.LINE, PacketType.ASN1, PacketType.CDR, PacketType.SUNRM, PacketType.FCGI, PacketType.TPKT};
    /** Lines stay below the default {buffer, 1460}, beyond which a line comes in pieces. */
    private static final int LINE_MAX = 1_400;

    final int conn;
    final PacketType type;
    final int packets;
    private final long seed;
    private final int large;
    private final boolean echoed;

    /**
     * @param echoed the receiver sends what it got back through a socket of the same type: no
     *               fcgi padding then, as the receiver gets none to send back
     */
    private StressPlan(final int conn, final PacketType type, final long seed, final int packets, final int large,
        final boolean echoed)
    {
        this.conn = conn;
        this.type = type;
        this.seed = seed;
        this.packets = packets;
        this.large = large;
        this.echoed = echoed;
    }

    /** A plan of a random type and packet count (1 to MAX_PACKETS). */
    static StressPlan random(final int conn, final SplittableRandom r, final int maxPackets, final int large,
        final boolean echoed)
    {
        return new StressPlan(conn, TYPES[r.nextInt(TYPES.length)], r.nextLong(), 1 + r.nextInt(maxPackets), large,
            echoed);
    }

    /** CONNS random plans, connection 0 first, all drawn from R in turn. */
    static StressPlan[] randomPlans(final int conns, final SplittableRandom r, final int maxPackets, final int large,
        final boolean echoed)
    {
        final StressPlan[] plans = new StressPlan[conns];
        for (int i = 0; i < conns; i++)
        {
            plans[i] = random(i, r, maxPackets, large, echoed);
        }
        return plans;
    }

    /**
     * The packet option of both ends: a socket of a type whose header the sender writes sends
     * what it is given, and frames what it receives (the echo).
     */
    Option packetOption()
    {
        return Option.packet(type);
    }

    boolean addsHeader()
    {
        return type == PacketType.ONE || type == PacketType.TWO || type == PacketType.FOUR;
    }

    /** Packet SEQ: [0] what the sender hands to send, [1] what recv gives the receiver. */
    byte[][] packet(final int seq)
    {
        final SplittableRandom r = new SplittableRandom(StressRun.mix(seed + seq));
        final int size = size(r, maxBody());
        final byte[] body = new byte[size];
        r.nextBytes(body);
        switch (type)
        {
            case RAW:
            case ONE:
            case TWO:
            case FOUR:
                return new byte[][] {body, body};
            case LINE:
            {
                final byte[] line = new byte[size + 1];
                for (int i = 0; i < size; i++)
                {
                    line[i] = body[i] == '\n' ? (byte)'n' : body[i];
                }
                line[size] = '\n';
                return same(line);
            }
            case ASN1:
                return same(asn1(r, body));
            case CDR:
                return same(cdr(r, body));
            case SUNRM:
                return same(join(be(r.nextBoolean() ? size | 0x8000_0000 : size, 4), body));
            case TPKT:
                return same(join(new byte[] {3, (byte)r.nextInt(256)}, be(size + 4, 2), body));
            case FCGI:
            {
                final int padding = echoed ? 0 : r.nextInt(4) == 0 ? r.nextInt(256) : 0;
                final byte[] header = join(new byte[] {1, (byte)(1 + r.nextInt(11))}, be(r.nextInt(65536), 2),
                    be(size, 2), new byte[] {(byte)padding, 0});
                final byte[] delivered = join(header, body);
                final byte[] junk = new byte[padding];
                r.nextBytes(junk);
                return new byte[][] {join(delivered, junk), delivered};
            }
            default:
                throw new IllegalStateException("no plan for " + type);
        }
    }

    private int maxBody()
    {
        switch (type)
        {
            case ONE:
                return 255;
            case TWO:
            case FCGI:
                return 65_535;
            case TPKT:
                return 65_531;
            case LINE:
                return LINE_MAX;
            default:
                return large;
        }
    }

    /** Sizes from 0 to MAX: mostly small, some of a few KiB, a few up to MAX. */
    private static int size(final SplittableRandom r, final int max)
    {
        final int p = r.nextInt(1000);
        final int bound;
        if (p < 50)
        {
            return 0;
        }
        else if (p < 650)
        {
            bound = 64;
        }
        else if (p < 900)
        {
            bound = 4_096;
        }
        else if (p < 990)
        {
            bound = 65_536;
        }
        else
        {
            bound = max;
        }
        return 1 + r.nextInt(Math.min(bound, max));
    }

    private static byte[] asn1(final SplittableRandom r, final byte[] body)
    {
        // a one-byte tag, or the long form (0x1f, then base-128 digits)
        final byte[] tag = r.nextBoolean() ? new byte[] {0x04} : new byte[] {0x1f, (byte)0x81, 0x05};
        final int size = body.length;
        final byte[] length;
        if (size < 0x80 && r.nextBoolean())
        {
            length = new byte[] {(byte)size};
        }
        else
        {
            final int bytes = size < 0x100 ? 1 + r.nextInt(4)
                : size < 0x10000 ? 2 + r.nextInt(3) : size < 0x1000000 ? 3 : 4;
            length = join(new byte[] {(byte)(0x80 | bytes)}, be(size, bytes));
        }
        return join(tag, length, body);
    }

    private static byte[] cdr(final SplittableRandom r, final byte[] body)
    {
        final boolean little = r.nextBoolean();
        final byte[] size = be(body.length, 4);
        if (little)
        {
            for (int i = 0; i < 2; i++)
            {
                final byte t = size[i];
                size[i] = size[3 - i];
                size[3 - i] = t;
            }
        }
        return join(new byte[] {'G', 'I', 'O', 'P', 1, (byte)r.nextInt(3), (byte)(little ? 1 : 0), (byte)r.nextInt(8)},
            size, body);
    }

    private static byte[][] same(final byte[] packet)
    {
        return new byte[][] {packet, packet};
    }

    private static byte[] be(final long value, final int bytes)
    {
        final byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++)
        {
            b[i] = (byte)(value >>> (8 * (bytes - 1 - i)));
        }
        return b;
    }

    private static byte[] join(final byte[]... parts)
    {
        int n = 0;
        for (final byte[] p : parts)
        {
            n += p.length;
        }
        final byte[] all = new byte[n];
        int at = 0;
        for (final byte[] p : parts)
        {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Sends WIRE on SOCKET, in one to three pieces where the sender frames (a header split from its body too). */
    void send(final Socket socket, final byte[] wire, final SplittableRandom r)
    {
        if (addsHeader() || wire.length < 2 || r.nextInt(3) == 0)
        {
            GenTcp.send(socket, wire);
            return;
        }
        int at = 0;
        final int pieces = 2 + r.nextInt(2);
        for (int i = 1; i < pieces && at < wire.length - 1; i++)
        {
            final int cut = at + 1 +
                r.nextInt(Math.min(wire.length - 1 - at, i == 1 && r.nextBoolean() ? 16 : wire.length));
            GenTcp.send(socket, wire, at, cut - at);
            at = cut;
        }
        GenTcp.send(socket, wire, at, wire.length - at);
    }

    @Override
    public String toString()
    {
        return "connection " + conn + " ({packet, " + type + "}, " + packets + " packets)";
    }

    /**
     * The receiving end's check: each packet (each piece of a raw stream) against the plan,
     * byte by byte.
     */
    final class Checker
    {
        private final String side;
        private int next;
        private byte[] expected;
        private int offset;
        private long bytes;

        Checker(final String side)
        {
            this.side = side;
        }

        void onData(final byte[] data)
        {
            if (type == PacketType.RAW)
            {
                onStream(data);
                return;
            }
            if (next >= packets)
            {
                throw new AssertionError(side + " " + StressPlan.this + ": a packet after the last one, " +
                    data.length + " bytes");
            }
            final byte[] want = packet(next)[1];
            compare(want, 0, data, 0, Math.max(want.length, data.length), "packet " + next);
            next++;
            bytes += data.length;
        }

        private void onStream(final byte[] data)
        {
            int at = 0;
            while (at < data.length)
            {
                while (expected == null || offset == expected.length)
                {
                    if (next >= packets)
                    {
                        throw new AssertionError(side + " " + StressPlan.this + ": " + (data.length - at) +
                            " bytes after the end of the stream (" + bytes + " bytes)");
                    }
                    expected = packet(next++)[1];
                    offset = 0;
                }
                final int n = Math.min(expected.length - offset, data.length - at);
                compare(expected, offset, data, at, n, "stream byte " + bytes);
                offset += n;
                at += n;
                bytes += n;
            }
        }

        private void compare(final byte[] want, final int wantAt, final byte[] got, final int gotAt, final int n,
            final String what)
        {
            for (int i = 0; i < n; i++)
            {
                if (wantAt + i >= want.length || gotAt + i >= got.length || want[wantAt + i] != got[gotAt + i])
                {
                    throw new AssertionError(side + " " + StressPlan.this + ", " + what + ": byte " + i +
                        " differs (expected " + (want.length - wantAt) + " bytes, got " + (got.length - gotAt) + ")");
                }
            }
        }

        /** Bytes still to come in a raw stream piece, in the current one (for a raw echo's exact recv). */
        boolean complete()
        {
            if (type != PacketType.RAW)
            {
                return next == packets;
            }
            while (next < packets && (expected == null || offset == expected.length))
            {
                expected = packet(next++)[1];
                offset = 0;
            }
            return next == packets && (expected == null || offset == expected.length);
        }

        void assertComplete()
        {
            if (!complete())
            {
                throw new AssertionError(side + " " + StressPlan.this + ": the stream ended after " + next +
                    " packets (" + bytes + " bytes)");
            }
        }

        long bytes()
        {
            return bytes;
        }
    }
}
