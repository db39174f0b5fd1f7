package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.buffer;
import static io.gentcp.Option.idle;
import static io.gentcp.Option.list;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.once;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static io.gentcp.Option.port;
import static io.gentcp.Option.recbuf;
import static io.gentcp.Option.reuseaddr;
import static io.gentcp.Option.sndbuf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The options of this slice: OTP's defaults, inheritance on accept, set and get (reference 2.1). */
@Timeout(60)
class OptionsTest
{
    private static final OptionName[] OTP_DEFAULTS = {
        OptionName.MODE, OptionName.PACKET, OptionName.PACKET_SIZE, OptionName.ACTIVE,
        OptionName.BUFFER, OptionName.NODELAY, OptionName.REUSEADDR, OptionName.IDLE};

    @Test
    void defaultsAreOtpsOnListenConnectAndAcceptedSockets()
    {
        final List<Option> expected = List.of(list(), packet(0), packetSize(0), active(true), buffer(1460),
            nodelay(false), reuseaddr(false), idle(IdleStrategy.block()));
        final ListenSocket l = GenTcp.listen(0);
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000);
        final Socket s = GenTcp.accept(l, 5_000);
        try
        {
            assertEquals(expected, Inet.getopts(l, OTP_DEFAULTS));
            assertEquals(expected, Inet.getopts(c, OTP_DEFAULTS));
            assertEquals(expected, Inet.getopts(s, OTP_DEFAULTS));
        }
        finally
        {
            GenTcp.close(c);
            GenTcp.close(s);
            GenTcp.close(l);
        }
    }

    @Test
    void acceptedSocketsInheritTheListenSocketsOptions()
    {
        final List<Option> set = List.of(binary(), packet(4), packetSize(1000), active(false), buffer(4000),
            nodelay(true), idle(IdleStrategy.spin(50)));
        final ListenSocket l = GenTcp.listen(0, set.toArray(new Option[0]));
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, packet(4));
        final Socket s = GenTcp.accept(l, 5_000);
        try
        {
            final OptionName[] names = set.stream().map(Option::name).toArray(OptionName[]::new);
            assertEquals(set, Inet.getopts(s, names));
            // and the inherited mode is what recv delivers: binary
            GenTcp.send(c, "abc");
            final Object got = GenTcp.recv(s, 0, 5_000);
            assertTrue(got instanceof byte[], "binary mode delivers byte[]");
        }
        finally
        {
            GenTcp.close(c);
            GenTcp.close(s);
            GenTcp.close(l);
        }
    }

    @Test
    void setoptsChangesWhatGetoptsReportsAndWhatRecvDelivers()
    {
        try (Pair p = Pair.of())
        {
            Inet.setopts(p.server, binary(), packet(2), packetSize(77), nodelay(true), active(once()));
            assertEquals(List.of(binary(), packet(2), packetSize(77), nodelay(true), active(once())),
                Inet.getopts(p.server, OptionName.MODE, OptionName.PACKET, OptionName.PACKET_SIZE,
                    OptionName.NODELAY, OptionName.ACTIVE));
            Inet.setopts(p.server, list(), packet(0), active(false));
            GenTcp.send(p.client, "abc");
            assertEquals("abc", GenTcp.recv(p.server, 3, 5_000));
            // one side's setopts leaves the other alone
            assertEquals(nodelay(false), Inet.getopt(p.client, OptionName.NODELAY));
        }
    }

    @Test
    void recbufRaisesBufferUnlessBufferWasSet()
    {
        try (Pair p = Pair.of())
        {
            Inet.setopts(p.client, recbuf(8192));
            assertEquals(buffer(8192), Inet.getopt(p.client, OptionName.BUFFER));
            Inet.setopts(p.server, buffer(100), recbuf(8192));
            assertEquals(buffer(100), Inet.getopt(p.server, OptionName.BUFFER));
            // the kernel reports its own (Linux: doubled) figure; only check it moved
            final int kernel = (Integer)Inet.getopt(p.client, OptionName.RECBUF).value();
            assertTrue(kernel >= 8192, "recbuf " + kernel);
            Inet.setopts(p.client, sndbuf(16384));
            assertTrue((Integer)Inet.getopt(p.client, OptionName.SNDBUF).value() >= 16384);
        }
    }

    @Test
    void creationOptionsCannotBeSetLaterAndBadValuesAreRejectedWhereWritten()
    {
        try (Pair p = Pair.of())
        {
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.client, port(1234)));
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.listen, backlog(3)));
            assertReason(Reason.EINVAL, () -> Inet.getopts(p.client, OptionName.PACKET, OptionName.PORT));
        }
        assertThrows(IllegalArgumentException.class, () -> packet(3));
        assertThrows(IllegalArgumentException.class, () -> packetSize(-1));
        assertThrows(IllegalArgumentException.class, () -> active(32768));
        assertThrows(IllegalArgumentException.class, () -> active(-32769));
        assertThrows(IllegalArgumentException.class, () -> buffer(-1));
        assertThrows(IllegalArgumentException.class, () -> port(65536));
        assertThrows(IllegalArgumentException.class, () -> backlog(-1));
        assertThrows(IllegalArgumentException.class, () -> Option.ip("not-an-ip"));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.parse("sometimes"));
        assertThrows(IllegalArgumentException.class, () -> Option.packet((PacketType)null));
    }

    @Test
    void optionsPrintAsErlangTerms()
    {
        assertEquals("binary", binary().toString());
        assertEquals("{packet,4}", packet(4).toString());
        assertEquals("{packet,0}", packet(PacketType.RAW).toString());
        assertEquals("{active,once}", active(once()).toString());
        assertEquals("{active,-5}", active(-5).toString());
        assertEquals("{nodelay,true}", nodelay(true).toString());
        assertEquals("{ip,127.0.0.1}", Option.ip("127.0.0.1").toString());
        assertEquals("econnrefused", Reason.ECONNREFUSED.atom());
    }
}
