package io.gentcp;

import java.nio.charset.StandardCharsets;

import io.gentcp.internal.Native;

/**
 * A packet's data in the form a caller asked for, whichever form the socket's mode gave it:
 * the typed accessors of {@link Tcp} and the HTTP records, and {@link GenTcp#recvHttp}'s check. Bytes and text
 * convert without loss (one char per byte, ISO-8859-1, as list mode is); an {@link Atom} reads as its name.
 */
final class PacketData
{
    private PacketData()
    {
    }

    /** DATA (a byte[], a String of one char per byte, or a {@link HeaderPacket}) as bytes. */
    static byte[] binary(final Object data)
    {
        if (data instanceof byte[] bytes)
        {
            return bytes;
        }
        if (data instanceof String text)
        {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (data instanceof HeaderPacket packet)
        {
            final int[] header = packet.header();
            final byte[] rest = packet.rest();
            final byte[] all = new byte[header.length + rest.length];
            for (int i = 0; i < header.length; i++)
            {
                all[i] = (byte)header[i];
            }
            System.arraycopy(rest, 0, all, header.length, rest.length);
            return all;
        }
        throw new IllegalArgumentException("data: not packet bytes but " +
            (data == null ? "null" : data.getClass().getName()));
    }

    /** DATA as text: a String as it is, bytes one char per byte, an Atom its name. */
    static String list(final Object data)
    {
        if (data instanceof String text)
        {
            return text;
        }
        if (data instanceof Atom atom)
        {
            return atom.name();
        }
        return new String(binary(data), StandardCharsets.ISO_8859_1);
    }

    /**
     * Refuses recvHttp on SOCKET, before anything is received, when its packet type is not an
     * HTTP one (its packets would be bytes). A socket whose options cannot be read (closed, say)
     * is left to the receive, which answers its own reason.
     */
    static void expectHttp(final Socket socket)
    {
        final long code = Native.lib().gt_getopt(socket.handle, Native.OPT_PACKET);
        if (code >= 0 && !SocketOptions.packetType((int)code).isHttp())
        {
            throw new IllegalArgumentException("socket: recvHttp on a socket with {packet, " +
                SocketOptions.packetType((int)code) + "}: use recvBinary or recvList");
        }
    }

    /** The HTTP record recvHttp received, or the clear error for a packet type changed meanwhile. */
    static HttpPacket http(final Object data)
    {
        if (data instanceof HttpPacket packet)
        {
            return packet;
        }
        throw new IllegalStateException(
            "recvHttp: the socket's packet type was changed to a non-HTTP one during the call");
    }
}
