package io.gentcp.bench.roundtrip;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.gentcp.PacketType;

/**
 * Cuts messages out of a {@link SocketChannel} for the java.nio peers, as a careful nio program
 * would: it reads whatever is available into one direct buffer and frames in place. With
 * {@code {packet, 1|2|4}} a message is a big-endian length header and its body; with
 * {@code {packet, 0}} it is either exactly {@code rawLength} bytes or, with a
 * {@code rawLength} of 0, whatever has arrived. Bytes past a message stay buffered.
 *
 * <p>In spinning mode the channel must be non-blocking and a read that returns 0 is retried at
 * once. Allocates nothing per message.
 */
final class NioFrameReader
{
    private static final int MIN_CAPACITY = 64 * 1024;

    private final int headerLength;
    private final int rawLength;
    private final boolean spinning;
    private final ByteBuffer buffer;
    private int start;
    private int taken;
    private int frameStart;
    private int frameLength;

    /**
     * @param packet    the framing.
     * @param rawLength with {@code {packet, 0}}: the message length, or 0 for whatever arrives.
     * @param maxBody   the largest body expected.
     * @param spinning  whether reads spin on a non-blocking channel.
     */
    NioFrameReader(final PacketType packet, final int rawLength, final int maxBody, final boolean spinning)
    {
        this.headerLength = packet.headerLength();
        this.rawLength = rawLength;
        this.spinning = spinning;
        this.buffer = ByteBuffer.allocateDirect(Math.max(MIN_CAPACITY, headerLength + maxBody));
    }

    /** The receive buffer; a message's bytes are at {@link #frameStart()}. */
    ByteBuffer buffer()
    {
        return buffer;
    }

    /** Where the last message (header included) starts in {@link #buffer()}. */
    int frameStart()
    {
        return frameStart;
    }

    /** The last message's length, header included. */
    int frameLength()
    {
        return frameLength;
    }

    /** The last message's body length. */
    int bodyLength()
    {
        return frameLength - headerLength;
    }

    /** Where the last message's body starts in {@link #buffer()}. */
    int bodyStart()
    {
        return frameStart + headerLength;
    }

    /** Forgets everything buffered, for a new connection. */
    void reset()
    {
        start = 0;
        taken = 0;
        frameStart = 0;
        frameLength = 0;
        buffer.clear();
    }

    /**
     * Reads the next message; the previous one's bytes are given up.
     *
     * @param channel the channel to read.
     * @throws IOException if the channel fails, ends, or announces a message too big to buffer.
     */
    void next(final SocketChannel channel) throws IOException
    {
        final ByteBuffer buf = buffer;
        start += taken;
        taken = 0;
        if (start == buf.position())
        {
            start = 0;
            buf.clear();
        }
        for (;;)
        {
            final int available = buf.position() - start;
            final int total = wanted(available);
            if (total > 0 && available >= total)
            {
                frameStart = start;
                frameLength = total;
                taken = total;
                return;
            }
            final int need = total > 0 ? total : Math.max(headerLength, 1);
            if (need > buf.capacity())
            {
                throw new IOException("a message of " + need + " bytes does not fit the " + buf.capacity() +
                    "-byte buffer");
            }
            if (buf.capacity() - start < need)
            {
                buf.limit(buf.position()).position(start);
                buf.compact();
                start = 0;
            }
            read(channel, buf);
        }
    }

    /** The whole message's length if AVAILABLE bytes tell it, else 0. */
    private int wanted(final int available)
    {
        if (headerLength == 0)
        {
            return rawLength > 0 ? rawLength : available;
        }
        if (available < headerLength)
        {
            return 0;
        }
        long length = 0;
        for (int i = 0; i < headerLength; i++)
        {
            length = (length << 8) | (buffer.get(start + i) & 0xff);
        }
        if (length > Integer.MAX_VALUE - headerLength)
        {
            return Integer.MAX_VALUE;
        }
        return headerLength + (int)length;
    }

    private void read(final SocketChannel channel, final ByteBuffer into) throws IOException
    {
        for (;;)
        {
            final int n = channel.read(into);
            if (n > 0)
            {
                return;
            }
            if (n < 0)
            {
                throw new EOFException("the peer closed the connection");
            }
            if (!spinning)
            {
                throw new IOException("a blocking read returned no bytes");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Writes all of SRC's remaining bytes, spinning while a non-blocking channel takes none.
     *
     * @param channel the channel.
     * @param src     the bytes, from position to limit.
     * @throws IOException if the channel fails.
     */
    static void writeFully(final SocketChannel channel, final ByteBuffer src) throws IOException
    {
        while (src.hasRemaining())
        {
            if (channel.write(src) == 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
