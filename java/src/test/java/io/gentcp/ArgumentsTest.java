package io.gentcp;

import static io.gentcp.Option.binary;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every public call rejects a bad argument with an IllegalArgumentException that names it. */
class ArgumentsTest
{
    private static void rejects(final String name, final Executable call)
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name), "message names " + name + ": " + e.getMessage());
    }

    @Test
    void nullsAndOutOfRangeValues()
    {
        try (Pair p = Pair.of(binary()))
        {
            final Socket s = p.client;
            rejects("port", () -> GenTcp.listen(-1));
            rejects("options", () -> GenTcp.listen(0, (Option[])null));
            rejects("options", () -> GenTcp.listen(0, (List<Option>)null));
            rejects("options", () -> GenTcp.listen(0, binary(), null));
            rejects("listenSocket", () -> GenTcp.accept(null, 0));
            rejects("timeout", () -> GenTcp.accept(p.listen, -2));
            rejects("address", () -> GenTcp.connect((String)null, 1));
            rejects("address", () -> GenTcp.connect((java.net.InetAddress)null, 1));
            rejects("port", () -> GenTcp.connect("127.0.0.1", -1));
            rejects("timeout", () -> GenTcp.connect("127.0.0.1", 1, -7));
            rejects("socket", () -> GenTcp.send(null, "x"));
            rejects("packet", () -> GenTcp.send(s, (String)null));
            rejects("packet", () -> GenTcp.send(s, (byte[])null));
            rejects("packet", () -> GenTcp.send(s, (ByteBuffer)null));
            rejects("packet", () -> GenTcp.send(s, "\u0100"));
            rejects("offset/length", () -> GenTcp.send(s, new byte[4], 3, 2));
            rejects("socket", () -> GenTcp.recv(null, 0));
            rejects("length", () -> GenTcp.recv(s, -1));
            rejects("timeout", () -> GenTcp.recv(s, 0, -3));
            rejects("dst", () -> GenTcp.recv(s, 0, (ByteBuffer)null));
            rejects("dst", () -> GenTcp.recv(s, 0, ByteBuffer.allocate(4).asReadOnlyBuffer()));
            rejects("dst", () -> GenTcp.recv(s, 8, ByteBuffer.allocate(4)));
            rejects("how", () -> GenTcp.shutdown(s, null));
            rejects("socket", () -> GenTcp.close(null));
            rejects("socket", () -> Inet.port(null));
            rejects("socket", () -> Inet.sockname(null));
            rejects("socket", () -> Inet.peername(null));
            rejects("options", () -> Inet.setopts(s, (Option)null));
            rejects("names", () -> Inet.getopts(s, (OptionName)null));
            rejects("packet", () -> Option.packet(5));
            rejects("packet_size", () -> Option.packetSize(1L << 32));
            rejects("active", () -> Option.active((Active)null));
            rejects("buffer", () -> Option.buffer(-1));
            rejects("recbuf", () -> Option.recbuf(-1));
            rejects("sndbuf", () -> Option.sndbuf(-1));
            rejects("ip", () -> Option.ip("example.com"));
            rejects("idle", () -> Option.idle(null));
            rejects("spin", () -> IdleStrategy.spin(-1));
        }
    }
}
