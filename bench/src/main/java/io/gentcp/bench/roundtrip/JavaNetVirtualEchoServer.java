package io.gentcp.bench.roundtrip;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.gentcp.PacketType;

/**
 * The same echo server as {@link GenTcpVirtualEchoServer} written with java.net, as a
 * java.net program on virtual threads is written: a {@link ServerSocket} on 127.0.0.1 with the
 * given backlog, accepted on a virtual thread, and a virtual thread per connection
 * ({@code TCP_NODELAY}) that reads each message through a {@link BufferedInputStream} (with
 * {@code {packet, 1|2|4}} a header and its body; raw, whatever has arrived) and writes it back
 * in one write. Java 21+.
 */
public final class JavaNetVirtualEchoServer extends VirtualEchoServer
{
    private final ServerSocket server;
    private final int headerLength;
    private final int bufferSize;
    private final PrintStream log;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private JavaNetVirtualEchoServer(final ServerSocket server, final PacketType packet, final int maxBody,
        final PrintStream log)
    {
        this.server = server;
        this.headerLength = packet.headerLength();
        this.bufferSize = Math.max(1, headerLength + maxBody);
        this.log = log;
    }

    /**
     * Listens on a free loopback port and starts accepting.
     *
     * @param packet  the framing: 0 (raw), 1, 2 or 4.
     * @param maxBody the body size each connection's buffer starts with (it grows for a bigger packet).
     * @param backlog the listen queue's length.
     * @param log     where a connection's unexpected errors are reported.
     * @return the running server.
     * @throws IOException if it cannot listen.
     * @throws UnsupportedOperationException before Java 21.
     */
    public static JavaNetVirtualEchoServer start(final PacketType packet, final int maxBody, final int backlog,
        final PrintStream log) throws IOException
    {
        VirtualThreads.require("java.net's virtual-thread echo server");
        if (packet != PacketType.RAW && packet.headerLength() == 0)
        {
            throw new IllegalArgumentException("packet: java.net's echo server frames 0, 1, 2 or 4, was " + packet);
        }
        final ServerSocket server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        final JavaNetVirtualEchoServer echo;
        try
        {
            echo = new JavaNetVirtualEchoServer(server, packet, maxBody, log);
            echo.startAccepting("javanet-vecho");
        }
        catch (final RuntimeException e)
        {
            server.close();
            throw e;
        }
        return echo;
    }

    @Override
    public int port()
    {
        return server.getLocalPort();
    }

    @Override
    void acceptLoop()
    {
        while (!stopped())
        {
            final Socket socket;
            try
            {
                socket = server.accept();
            }
            catch (final IOException e)
            {
                if (stopped() || server.isClosed())
                {
                    return;
                }
                log.println("java.net virtual echo: accept: " + e);
                continue;
            }
            open.add(socket);
            if (stopped()) // close() sets stopped before it closes what is open: one of us closes it
            {
                open.remove(socket);
                closeQuietly(socket);
                return;
            }
            serve("javanet-vecho-" + port(), () -> echo(socket), () ->
            {
                open.remove(socket);
                closeQuietly(socket);
            });
        }
    }

    /** Echoes until the connection ends. */
    private void echo(final Socket socket)
    {
        try
        {
            socket.setTcpNoDelay(true);
            final InputStream in = new BufferedInputStream(socket.getInputStream(), Math.max(8192, bufferSize));
            final OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[bufferSize];
            if (headerLength == 0)
            {
                for (int n; (n = in.read(buffer)) >= 0;)
                {
                    out.write(buffer, 0, n);
                }
                return;
            }
            while (StreamFrames.readFully(in, buffer, 0, headerLength))
            {
                final int length = StreamFrames.header(buffer, headerLength);
                if (headerLength + length > buffer.length)
                {
                    final byte[] bigger = new byte[headerLength + length];
                    System.arraycopy(buffer, 0, bigger, 0, headerLength);
                    buffer = bigger;
                }
                if (!StreamFrames.readFully(in, buffer, headerLength, length) && length > 0)
                {
                    return; // the peer closed inside a packet
                }
                out.write(buffer, 0, headerLength + length);
            }
        }
        catch (final SocketException e)
        {
            // the peer reset, or close() closed the socket
        }
        catch (final IOException | RuntimeException e)
        {
            if (!stopped())
            {
                log.println("java.net virtual echo: connection: " + e);
            }
        }
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException e)
        {
            // nothing to do: it is closed either way
        }
    }

    @Override
    void closeAll()
    {
        try
        {
            server.close();
        }
        catch (final IOException e)
        {
            // closed either way
        }
        for (final Socket socket : open)
        {
            closeQuietly(socket);
        }
    }
}
