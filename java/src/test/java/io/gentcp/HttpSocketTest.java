package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {packet, http*} on sockets: OTP's state machine (reference 1.4, tests 9, 10, 15, 16). */
@Timeout(60)
class HttpSocketTest
{
    private static String next(final Pair p)
    {
        final HttpPacket packet = GenTcp.recv(p.server, 0, 5_000);
        return packet.toString();
    }

    /** Sends REQUESTS from P's raw client, then asserts P's server receives PACKETS (as Erlang terms), in order. */
    private static void assertReceives(final Pair p, final String requests, final String... packets)
    {
        GenTcp.send(p.client, requests);
        for (final String packet : packets)
        {
            assertEquals(packet, next(p));
        }
    }

    @Test
    void pipelinedRequestsFollowTheStateMachine()
    {
        try (Pair p = Pair.rawClient(PacketType.HTTP))
        {
            assertReceives(p, "garbage\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /a HTTP/1.0\r\nX-Y: z\r\n\r\n",
                "{http_error,[103,97,114,98,97,103,101,13,10]}",
                "{http_request,'GET',{abs_path,[47]},{1,1}}",
                "{http_header,14,'Host',[72,111,115,116],[120]}",
                "http_eoh",
                // after http_eoh a request line is expected again
                "{http_request,'POST',{abs_path,[47,97]},{1,0}}",
                "{http_header,0,[88,45,89],[88,45,89],[122]}",
                "http_eoh");
        }
    }

    @Test
    void httpBinDeliversBinariesAndRecordsCarryTheParts()
    {
        try (Pair p = Pair.rawClient(PacketType.HTTP_BIN))
        {
            GenTcp.send(p.client, "HTTP/1.1 404 Not Found\r\ncontent-length:  42\r\n\r\n");
            final HttpResponse response = GenTcp.recv(p.server, 0, 5_000);
            assertEquals(1, response.major());
            assertEquals(404, response.status());
            assertArrayEquals("Not Found".getBytes(), (byte[])response.phrase());
            final HttpHeader header = GenTcp.recv(p.server, 0, 5_000);
            assertEquals(38, header.bit());
            assertEquals(new Atom("Content-Length"), header.field());
            assertArrayEquals("content-length".getBytes(), (byte[])header.unmodifiedField());
            assertArrayEquals("42".getBytes(), (byte[])header.value());
            assertEquals(HttpEoh.INSTANCE, GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void aBodyIsReadInRawModeThenHttpAgain()
    {
        try (Pair p = Pair.rawClient(PacketType.HTTP))
        {
            assertReceives(p, "POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nBODYGET /next HTTP/1.1\r\n\r\n",
                "{http_request,'POST',{abs_path,[47,120]},{1,1}}",
                "{http_header,38,'Content-Length',[67,111,110,116,101,110,116,45,76,101,110,103,116,104],[52]}",
                "http_eoh");
            Inet.setopts(p.server, packet(0));
            assertArrayEquals("BODY".getBytes(), GenTcp.recv(p.server, 4, 5_000));
            Inet.setopts(p.server, packet(PacketType.HTTP));
            assertEquals("{http_request,'GET',{abs_path,[47,110,101,120,116]},{1,1}}", next(p));
        }
    }

    @Test
    void aHeaderLongerThanBufferNeedsPacketSize()
    {
        final String link = "Link: <" + "a".repeat(8180) + ">\r\n\r\n";
        try (Pair p = Pair.rawClient(PacketType.HTTPH))
        {
            GenTcp.send(p.client, link);
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 5_000));
        }
        try (Pair p = Pair.rawClient(PacketType.HTTPH, packetSize(16384)))
        {
            GenTcp.send(p.client, link);
            final HttpHeader header = GenTcp.recv(p.server, 0, 5_000);
            assertEquals("Link", header.field());
            assertEquals(8182, ((String)header.value()).length());
        }
    }

    @Test
    void anEmptyLineFirstIsAnHttpErrorNotAHang()
    {
        try (Pair p = Pair.rawClient(PacketType.HTTP))
        {
            GenTcp.send(p.client, "\r\n");
            GenTcp.close(p.client);
            assertEquals("{http_error,[13,10]}", next(p));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void theBufferReceiveIsForBytesNotHttpPackets()
    {
        try (Pair p = Pair.rawClient(PacketType.HTTP))
        {
            assertThrows(IllegalArgumentException.class,
                () -> GenTcp.recv(p.server, 0, ByteBuffer.allocateDirect(512), 0));
        }
    }

    @Test
    void decodeFollowsOtp26ForIpv6Hosts()
    {
        // OTP 25 answered host "[", port undefined: the deliberate difference the README names.
        final Decoded d = Packet.decode(PacketType.HTTP, "GET http://[::1]:4000/p HTTP/1.1\r\n".getBytes());
        assertEquals("{ok,{http_request,'GET',{absoluteURI,http,[91,58,58,49,93],4000,[47,112]},{1,1}},<<>>}",
            d.toString());
    }
}
