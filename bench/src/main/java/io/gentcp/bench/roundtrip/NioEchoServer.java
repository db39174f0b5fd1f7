package io.gentcp.bench.roundtrip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.gentcp.PacketType;
import io.gentcp.bench.Placement;

/**
 * The java.nio echo peer: one daemon thread that accepts a connection on 127.0.0.1 and echoes
 * it until it closes, then accepts the next. A message goes back as it came, header and body in
 * one write from the receive buffer. Channels are blocking, or non-blocking and spinning.
 */
public final class NioEchoServer implements AutoCloseable
{
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final ServerSocketChannel server;
    private final PacketType packet;
    private final int maxBody;
    private final boolean spinning;
    private final Thread thread;
    private final int cpu;
    private volatile boolean stopped;
    private volatile SocketChannel connection;

    private NioEchoServer(final ServerSocketChannel server, final PacketType packet, final int maxBody,
        final boolean spinning, final int cpu)
    {
        this.cpu = cpu;
        this.server = server;
        this.packet = packet;
        this.maxBody = maxBody;
        this.spinning = spinning;
        this.thread = new Thread(this::run, "nio-echo");
        thread.setDaemon(true);
    }

    /**
     * Listens on a free loopback port and starts the echo thread.
     *
     * @param packet   the framing.
     * @param maxBody  the largest body expected.
     * @param spinning whether to spin on non-blocking channels rather than block.
     * @return the running server.
     * @throws IOException if it cannot listen.
     */
    public static NioEchoServer start(final PacketType packet, final int maxBody, final boolean spinning)
        throws IOException
    {
        return start(packet, maxBody, spinning, Placement.ANY_CPU);
    }

    /**
     * As {@link #start(PacketType, int, boolean)}, with the echo thread pinned to CPU ({@link Placement#ANY_CPU}:
     * not).
     */
    public static NioEchoServer start(final PacketType packet, final int maxBody, final boolean spinning, final int cpu)
        throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        try
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        catch (final IOException | RuntimeException e)
        {
            server.close();
            throw e;
        }
        final NioEchoServer echo = new NioEchoServer(server, packet, maxBody, spinning, cpu);
        echo.thread.start();
        return echo;
    }

    /** The port it listens on. */
    public int port() throws IOException
    {
        return ((InetSocketAddress)server.getLocalAddress()).getPort();
    }

    private void run()
    {
        if (cpu != Placement.ANY_CPU)
        {
            io.gentcp.CpuAffinity.pinCurrentThread(cpu);
        }
        final NioFrameReader reader = new NioFrameReader(packet, 0, maxBody, spinning);
        final ByteBuffer echo = reader.buffer().duplicate();
        while (!stopped)
        {
            final SocketChannel accepted;
            try
            {
                accepted = server.accept();
            }
            catch (final IOException e)
            {
                return; // closed by close(), or broken: either way nobody can connect any more
            }
            connection = accepted;
            try (SocketChannel channel = accepted)
            {
                if (stopped) // close() sets stopped before it reads connection: one of us closes it
                {
                    return;
                }
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(!spinning);
                reader.reset();
                for (;;)
                {
                    reader.next(channel);
                    echo.clear();
                    echo.position(reader.frameStart()).limit(reader.frameStart() + reader.frameLength());
                    NioFrameReader.writeFully(channel, echo);
                }
            }
            catch (final IOException e)
            {
                // the peer closed, or close() closed the channel: accept the next one, or stop
            }
            finally
            {
                connection = null;
            }
        }
    }

    /**
     * Stops: closes the listen channel and the connection, and waits for the thread.
     *
     * @throws IllegalStateException if the thread is still running after 10 seconds.
     */
    @Override
    public void close() throws IOException
    {
        stopped = true;
        server.close();
        final SocketChannel channel = connection;
        if (channel != null)
        {
            channel.close();
        }
        try
        {
            thread.join(STOP_TIMEOUT_MS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            throw new IllegalStateException("nio echo server did not stop within " + STOP_TIMEOUT_MS + " ms");
        }
    }
}
