package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.buffer;
import static io.gentcp.Option.lineDelimiter;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packet types on sockets (reference 1.2-1.3 and tests 2, 11-13, 18-21): a raw peer writes
 * the bytes, the framed socket delivers what OTP's would.
 */
@Timeout(60)
class PacketTypesTest
{
    private static byte[] b(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts)
        {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void headerIncludedTypesDeliverTheirHeaderAndSendAddsNothing()
    {
        final byte[] sunrm = concat(new byte[] {(byte)0x80, 0, 0, 3}, b("abc"));
        final byte[] cdrBig = concat(b("GIOP"), new byte[] {1, 0, 0, 0, 0, 0, 0, 3}, b("abc"));
        final byte[] cdrLittle = concat(b("GIOP"), new byte[] {1, 0, 1, 0, 3, 0, 0, 0}, b("abc"));
        final byte[] tpkt = concat(new byte[] {3, 0, 0, 7}, b("abc"));
        final byte[] asn1 = new byte[] {0x30, (byte)0x81, 3, 1, 2, 3};
        final Object[][] cases = {{PacketType.SUNRM, sunrm}, {PacketType.CDR, cdrBig}, {PacketType.CDR, cdrLittle},
            {PacketType.TPKT, tpkt}, {PacketType.ASN1, asn1}};
        for (final Object[] c : cases)
        {
            try (Pair p = Pair.rawClient((PacketType)c[0]))
            {
                final byte[] packet = (byte[])c[1];
                // two packets back to back, the second split in two writes
                GenTcp.send(p.client, packet);
                GenTcp.send(p.client, java.util.Arrays.copyOf(packet, 2));
                GenTcp.send(p.client, java.util.Arrays.copyOfRange(packet, 2, packet.length));
                assertArrayEquals(packet, GenTcp.recv(p.server, 0, 5_000), c[0].toString());
                assertArrayEquals(packet, GenTcp.recv(p.server, 0, 5_000), c[0].toString());
                // the typed side sends as given: the raw peer sees exactly those bytes
                GenTcp.send(p.server, packet);
                assertArrayEquals(packet, GenTcp.recv(p.client, packet.length, 5_000));
            }
        }
    }

    @Test
    void fcgiDropsItsPadding()
    {
        try (Pair p = Pair.rawClient(PacketType.FCGI))
        {
            GenTcp.send(p.client, new byte[] {1, 1, 0, 1, 0, 3, 2, 0, 'a', 'b', 'c', 0, 0, 1, 1, 0, 1, 0, 0, 0, 0});
            assertArrayEquals(new byte[] {1, 1, 0, 1, 0, 3, 2, 0, 'a', 'b', 'c'}, GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(new byte[] {1, 1, 0, 1, 0, 0, 0, 0}, GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void aMalformedHeaderIsEmsgsize()
    {
        try (Pair p = Pair.rawClient(PacketType.TPKT))
        {
            GenTcp.send(p.client, new byte[] {2, 0, 0, 7, 'a', 'b', 'c'});
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 5_000));
        }
        try (Pair p = Pair.rawClient(PacketType.CDR))
        {
            GenTcp.send(p.client, concat(b("GIOX"), new byte[] {1, 0, 0, 0, 0, 0, 0, 3}, b("abc")));
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 5_000));
        }
        try (Pair p = Pair.rawClient(PacketType.FOUR))
        {
            // a header announcing a negative size (otp_8102)
            GenTcp.send(p.client, new byte[] {(byte)0xff, (byte)0xff, (byte)0xff, (byte)0xf6});
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void aLineLongerThanBufferComesInBufferSizedPieces()
    {
        try (Pair p = Pair.rawClient(PacketType.LINE, buffer(10)))
        {
            GenTcp.send(p.client, "0123456789abcdefghij\nshort\n");
            assertArrayEquals(b("0123456789"), GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(b("abcdefghij"), GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(b("\n"), GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(b("short\n"), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 0, 50));
        }
    }

    @Test
    void aLineLongerThanPacketSizeIsEmsgsize()
    {
        try (Pair p = Pair.rawClient(PacketType.LINE, packetSize(8)))
        {
            GenTcp.send(p.client, "0123456789\n");
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void lineDelimiterIsAConnectOptionAndIsNotInherited()
    {
        // t_recv_delim: the connecting socket splits on X
        final ListenSocket l = GenTcp.listen(0, binary(), active(false));
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary(), active(false),
            packet(PacketType.LINE), lineDelimiter('X'));
        final Socket s = GenTcp.accept(l, 5_000);
        try
        {
            GenTcp.send(s, "abcXefgX");
            assertArrayEquals(b("abcX"), GenTcp.recv(c, 0, 5_000));
            assertArrayEquals(b("efgX"), GenTcp.recv(c, 0, 5_000));
            assertEquals(lineDelimiter('X'), Inet.getopt(c, OptionName.LINE_DELIMITER));
        }
        finally
        {
            GenTcp.close(c);
            GenTcp.close(s);
        }
        // set on a listen socket, it does not reach accepted sockets
        Inet.setopts(l, lineDelimiter('X'), packet(PacketType.LINE));
        final Socket c2 = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary());
        final Socket s2 = GenTcp.accept(l, 5_000);
        try
        {
            GenTcp.send(c2, "abcXdef\n");
            assertArrayEquals(b("abcXdef\n"), GenTcp.recv(s2, 0, 5_000));
        }
        finally
        {
            GenTcp.close(c2);
            GenTcp.close(s2);
            GenTcp.close(l);
        }
        assertThrows(IllegalArgumentException.class, () -> GenTcp.listen(0, lineDelimiter('X')));
    }

    @Test
    void aPartialLineAtCloseIsDropped()
    {
        try (Pair p = Pair.rawClient(PacketType.LINE))
        {
            GenTcp.send(p.client, "full\npartial");
            GenTcp.close(p.client);
            assertArrayEquals(b("full\n"), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void sendAddsAHeaderOnlyForOneTwoFour()
    {
        for (final PacketType type : new PacketType[] {PacketType.SUNRM, PacketType.ASN1, PacketType.CDR,
            PacketType.FCGI, PacketType.TPKT, PacketType.LINE, PacketType.HTTP})
        {
            try (Pair p = Pair.of(binary()))
            {
                Inet.setopts(p.client, packet(type));
                GenTcp.send(p.client, "as is");
                assertArrayEquals(b("as is"), GenTcp.recv(p.server, 5, 5_000), type.toString());
            }
        }
    }
}
