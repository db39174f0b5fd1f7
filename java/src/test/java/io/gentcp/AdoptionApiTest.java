package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.header;
import static io.gentcp.Option.list;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where Java habits and gen_tcp meet: sockets in try-with-resources, receives whose result type
 * the compiler checks, typed views of message data, and errors that name what failed.
 */
@Timeout(60)
class AdoptionApiTest
{
    private static final long BOUND_MS = 10_000;

    @Test
    void aSocketInTryWithResourcesIsClosedAfterwardsAndClosingTwiceIsFine()
    {
        final ListenSocket listen;
        final Socket client;
        final Socket server;
        try (ListenSocket l = GenTcp.listen(0, binary(), active(false));
             Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), BOUND_MS, binary(), active(false));
             Socket s = GenTcp.accept(l, BOUND_MS))
        {
            GenTcp.send(c, "hello");
            assertArrayEquals("hello".getBytes(StandardCharsets.ISO_8859_1), GenTcp.recvBinary(s, 0, BOUND_MS));
            listen = l;
            client = c;
            server = s;
        }
        assertEquals(Reason.CLOSED, assertThrows(GenTcpException.class, () -> GenTcp.send(client, "x")).reason());
        assertEquals(Reason.CLOSED, assertThrows(GenTcpException.class, () -> GenTcp.recv(server, 0, 0)).reason());
        assertEquals(Reason.CLOSED, assertThrows(GenTcpException.class, () -> GenTcp.accept(listen, 0)).reason());
        client.close();
        listen.close();
    }

    @Test
    void recvBinaryAndRecvListGiveTheirTypeInEitherMode()
    {
        try (Pair p = Pair.of(list(), packet(PacketType.TWO)))
        {
            GenTcp.send(p.client, "list mode");
            assertArrayEquals("list mode".getBytes(StandardCharsets.ISO_8859_1),
                GenTcp.recvBinary(p.server, 0, BOUND_MS));
            GenTcp.send(p.client, new byte[] {(byte)0xe9, 'a'});
            assertEquals("\u00e9a", GenTcp.recvList(p.server, 0, BOUND_MS));
            Inet.setopts(p.server, binary());
            GenTcp.send(p.client, new byte[] {(byte)0xff, 0, 'z'});
            assertEquals("\u00ff\u0000z", GenTcp.recvList(p.server, 0, BOUND_MS));
            Inet.setopts(p.server, header(2));
            GenTcp.send(p.client, "abcd");
            assertArrayEquals("abcd".getBytes(StandardCharsets.ISO_8859_1), GenTcp.recvBinary(p.server, 0, BOUND_MS));
            GenTcp.send(p.client, "wxyz");
            assertEquals("wxyz", GenTcp.recvList(p.server, 0));
        }
    }

    @Test
    void aTypedReceiveOfTheWrongKindIsRefusedBeforeItTakesAPacket()
    {
        try (Pair p = Pair.rawClient(PacketType.HTTP_BIN))
        {
            GenTcp.send(p.client, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
            final IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> GenTcp.recvBinary(p.server, 0, BOUND_MS));
            assertTrue(bytes.getMessage().startsWith("socket: recvBinary on a socket with {packet, http_bin}"),
                bytes.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GenTcp.recvList(p.server, 0, BOUND_MS));
            // nothing was taken: the request line is still the next packet
            final HttpRequest request = assertInstanceOf(HttpRequest.class, GenTcp.recvHttp(p.server, BOUND_MS));
            assertEquals("GET", request.methodText());
            assertEquals("/a", ((HttpUri.AbsPath)request.uri()).pathText());
            final HttpHeader host = assertInstanceOf(HttpHeader.class, GenTcp.recvHttp(p.server));
            assertEquals("Host", host.fieldText());
            assertEquals("h", host.valueText());
            assertInstanceOf(HttpEoh.class, GenTcp.recvHttp(p.server, BOUND_MS));
            Inet.setopts(p.server, packet(PacketType.RAW));
            GenTcp.send(p.client, "raw");
            final IllegalArgumentException http = assertThrows(IllegalArgumentException.class,
                () -> GenTcp.recvHttp(p.server, BOUND_MS));
            assertTrue(http.getMessage().startsWith("socket: recvHttp on a socket with {packet, 0}"),
                http.getMessage());
            assertEquals("raw", GenTcp.recvList(p.server, 3, BOUND_MS));
        }
    }

    @Test
    void aTypedReceiveOfAPacketBiggerThanAPooledBufferGetsItWhole()
    {
        final byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 7);
        }
        try (Pair p = Pair.of(binary(), packet(PacketType.FOUR)))
        {
            GenTcp.send(p.client, big);
            GenTcp.send(p.client, new byte[0]);
            GenTcp.send(p.client, big);
            assertArrayEquals(big, GenTcp.recvBinary(p.server, 0, BOUND_MS));
            assertArrayEquals(new byte[0], GenTcp.recvBinary(p.server, 0, BOUND_MS));
            assertEquals(new String(big, StandardCharsets.ISO_8859_1), GenTcp.recvList(p.server, 0, BOUND_MS));
        }
    }

    @Test
    void httpRecordsReadAsTextInBothModes()
    {
        for (final PacketType type : new PacketType[] {PacketType.HTTP, PacketType.HTTP_BIN})
        {
            try (Pair p = Pair.rawClient(type))
            {
                GenTcp.send(p.client, "HTTP/1.1 404 Not There\r\nX-Thing:  v 1\r\n\r\n");
                final HttpResponse response = assertInstanceOf(HttpResponse.class, GenTcp.recvHttp(p.server, BOUND_MS));
                assertEquals("Not There", response.phraseText(), type.toString());
                final HttpHeader header = assertInstanceOf(HttpHeader.class, GenTcp.recvHttp(p.server, BOUND_MS));
                assertEquals("X-Thing", header.fieldText(), type.toString());
                assertEquals("X-Thing", header.unmodifiedFieldText(), type.toString());
                assertEquals("v 1", header.valueText(), type.toString());
            }
        }
    }

    @Test
    void aTcpMessageGivesItsDataAsBytesOrTextInEitherMode()
    {
        try (Pair p = Pair.of(list(), packet(PacketType.FOUR)))
        {
            Inet.setopts(p.server, active(Active.ONCE));
            GenTcp.send(p.client, new byte[] {'o', 'k', (byte)0x80});
            final Tcp inList = assertInstanceOf(Tcp.class, Mailbox.current().receive(BOUND_MS));
            assertInstanceOf(String.class, inList.data());
            assertArrayEquals(new byte[] {'o', 'k', (byte)0x80}, inList.binary());
            assertEquals("ok\u0080", inList.list());
            Inet.setopts(p.server, binary(), active(Active.ONCE));
            GenTcp.send(p.client, "bin");
            final Tcp inBinary = assertInstanceOf(Tcp.class, Mailbox.current().receive(BOUND_MS));
            assertInstanceOf(byte[].class, inBinary.data());
            assertSame(inBinary.data(), inBinary.binary());
            assertEquals("bin", inBinary.list());
        }
    }

    @Test
    void anErrorNamesTheOperationAndWhatItWasDoneTo() throws java.io.IOException
    {
        final int port;
        try (ListenSocket taken = GenTcp.listen(0, Option.ip(java.net.InetAddress.getLoopbackAddress())))
        {
            port = Inet.port(taken);
            final GenTcpException inUse = assertThrows(GenTcpException.class,
                () -> GenTcp.listen(port, Option.ip(java.net.InetAddress.getLoopbackAddress())));
            assertEquals(Reason.EADDRINUSE, inUse.reason());
            assertEquals("eaddrinuse: listen 127.0.0.1:" + port, inUse.getMessage());
        }
        try (java.net.Socket bound = new java.net.Socket())
        {
            // bound and not listening: its port refuses connections, and nobody else can take it
            bound.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            final int closedPort = bound.getLocalPort();
            final GenTcpException refused = assertThrows(GenTcpException.class,
                () -> GenTcp.connect("127.0.0.1", closedPort, BOUND_MS));
            assertEquals(Reason.ECONNREFUSED, refused.reason());
            assertEquals("econnrefused: connect 127.0.0.1:" + closedPort, refused.getMessage());
        }
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, active(true));
            final GenTcpException active = assertThrows(GenTcpException.class, () -> GenTcp.recv(p.server, 0, 0));
            assertEquals(Reason.EINVAL, active.reason());
            assertEquals("einval: recv on " + p.server +
                ", an active socket (its data comes to its owner's Mailbox.receive)", active.getMessage());
            final GenTcpException badOption = assertThrows(GenTcpException.class,
                () -> Inet.setopts(p.server, Option.raw(6, 0x7fff, new byte[4])));
            assertTrue(badOption.getMessage().startsWith(badOption.reason().atom() + ": setopts {raw,6,32767,"),
                badOption.getMessage());
        }
    }

    @Test
    void routineErrorsStayOneSharedStacklessInstance()
    {
        final Pair p = Pair.of(binary());
        p.close();
        final GenTcpException first = assertThrows(GenTcpException.class, () -> GenTcp.recv(p.server, 0, 0));
        final GenTcpException second = assertThrows(GenTcpException.class, () -> GenTcp.send(p.client, "x"));
        assertEquals(Reason.CLOSED, first.reason());
        assertSame(first, second);
        assertSame(first, assertThrows(GenTcpException.class, () -> GenTcp.accept(p.listen, 0)));
        assertSame(first, assertThrows(GenTcpException.class, () -> GenTcp.recvBinary(p.server, 0, 0)));
        assertSame(first, assertThrows(GenTcpException.class, () -> GenTcp.shutdown(p.server, GenTcp.How.WRITE)));
        assertEquals("closed", first.getMessage());
        assertEquals(0, first.getStackTrace().length);
    }
}
