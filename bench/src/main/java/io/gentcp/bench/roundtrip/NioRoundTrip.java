package io.gentcp.bench.roundtrip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.gentcp.PacketType;

/**
 * The java.nio client's round trip: header and body leave in one write of one direct buffer,
 * the echo is framed by a {@link NioFrameReader}. {@code TCP_NODELAY}; blocking channel, or
 * non-blocking and spinning. Allocates nothing per round trip.
 */
public final class NioRoundTrip implements RoundTrip, AutoCloseable
{
    private final SocketChannel channel;
    private final int headerLength;
    private final int size;
    private final ByteBuffer tx;
    private final NioFrameReader reader;

    private NioRoundTrip(final SocketChannel channel, final PacketType packet, final int size, final boolean spinning)
    {
        this.channel = channel;
        this.headerLength = packet.headerLength();
        this.size = size;
        this.tx = ByteBuffer.allocateDirect(headerLength + size);
        for (int i = headerLength; i < tx.capacity(); i++)
        {
            tx.put(i, (byte)0x5a);
        }
        this.reader = new NioFrameReader(packet, size, size, spinning);
    }

    /**
     * Connects to a loopback echo server.
     *
     * @param port     the server's port on 127.0.0.1.
     * @param packet   the framing.
     * @param size     the body bytes of each message.
     * @param spinning whether to spin on a non-blocking channel rather than block.
     * @return the connected client.
     * @throws IOException if it cannot connect.
     */
    public static NioRoundTrip connect(final int port, final PacketType packet, final int size, final boolean spinning)
        throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(!spinning);
            return new NioRoundTrip(channel, packet, size, spinning);
        }
        catch (final IOException | RuntimeException e)
        {
            channel.close();
            throw e;
        }
    }

    @Override
    public int roundTrip(final int sequence) throws IOException
    {
        final ByteBuffer out = tx;
        final NioFrameReader frames = reader;
        putHeader(out, headerLength, size);
        Stamp.put(out, headerLength, size, sequence);
        out.clear();
        NioFrameReader.writeFully(channel, out);
        frames.next(channel);
        final int n = frames.bodyLength();
        if (n != size || !Stamp.matches(frames.buffer(), frames.bodyStart(), size, sequence))
        {
            throw new IOException("echo of round trip " + sequence + " (" + n + " bytes) does not match the " +
                "message sent");
        }
        return n;
    }

    private static void putHeader(final ByteBuffer buffer, final int headerLength, final int length)
    {
        for (int i = 0; i < headerLength; i++)
        {
            buffer.put(i, (byte)(length >>> (8 * (headerLength - 1 - i))));
        }
    }

    /** Closes the channel. */
    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
