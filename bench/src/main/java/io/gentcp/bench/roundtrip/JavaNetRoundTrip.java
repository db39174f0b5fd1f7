package io.gentcp.bench.roundtrip;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

import io.gentcp.PacketType;

/**
 * The java.net client's round trip, as a java.net program is written: a blocking
 * {@link Socket} with {@code TCP_NODELAY}, each message (header and body) in one write, the
 * echo read through a {@link BufferedInputStream}. On a virtual thread its waits park (the
 * JDK's own poller). Allocates nothing per round trip.
 */
public final class JavaNetRoundTrip implements RoundTrip, AutoCloseable
{
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int headerLength;
    private final int size;
    private final byte[] tx;
    private final byte[] rx;
    private final ByteBuffer txView;
    private final ByteBuffer rxView;

    private JavaNetRoundTrip(final Socket socket, final PacketType packet, final int size) throws IOException
    {
        this.socket = socket;
        this.headerLength = packet.headerLength();
        this.size = size;
        this.tx = new byte[headerLength + size];
        this.rx = new byte[headerLength + size];
        this.txView = ByteBuffer.wrap(tx);
        this.rxView = ByteBuffer.wrap(rx);
        this.in = new BufferedInputStream(socket.getInputStream(), Math.max(8192, rx.length));
        this.out = socket.getOutputStream();
        StreamFrames.putHeader(tx, headerLength, size);
        for (int i = headerLength; i < tx.length; i++)
        {
            tx[i] = (byte)0x5a;
        }
    }

    /**
     * Connects to a loopback echo server.
     *
     * @param port   the server's port on 127.0.0.1.
     * @param packet the framing: 0 (raw), 1, 2 or 4.
     * @param size   the body bytes of each message.
     * @return the connected client.
     * @throws IOException if it cannot connect.
     */
    public static JavaNetRoundTrip connect(final int port, final PacketType packet, final int size) throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setTcpNoDelay(true);
            return new JavaNetRoundTrip(socket, packet, size);
        }
        catch (final IOException | RuntimeException e)
        {
            socket.close();
            throw e;
        }
    }

    @Override
    public int roundTrip(final int sequence) throws IOException
    {
        Stamp.put(txView, headerLength, size, sequence);
        out.write(tx);
        if (!StreamFrames.readFully(in, rx, 0, headerLength))
        {
            throw new EOFException("the echo server closed the connection at round trip " + sequence);
        }
        final int n = headerLength == 0 ? size : StreamFrames.header(rx, headerLength);
        if (n != size)
        {
            throw new IOException("echo of round trip " + sequence + " is " + n + " bytes, expected " + size);
        }
        if (!StreamFrames.readFully(in, rx, headerLength, size) && size > 0)
        {
            throw new EOFException("the echo server closed the connection at round trip " + sequence);
        }
        if (!Stamp.matches(rxView, headerLength, size, sequence))
        {
            throw new IOException("echo of round trip " + sequence + " does not match the message sent");
        }
        return n;
    }

    /** Closes the socket. */
    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
