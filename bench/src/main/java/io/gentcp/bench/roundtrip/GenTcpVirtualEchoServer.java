package io.gentcp.bench.roundtrip;

import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.reuseaddr;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.PacketType;
import io.gentcp.Reason;
import io.gentcp.Socket;

/**
 * gentcp's echo server with a virtual thread per connection, the simplest of the idiomatic
 * shapes: a passive listen socket on 127.0.0.1 ({@code binary}, {@code {packet, T}},
 * {@code {active, false}}, {@code {nodelay, true}}, {@code {backlog, B}}); the acceptor's
 * virtual thread accepts (and so owns the connections) and starts a virtual thread per
 * connection that echoes with {@code recv(S, 0)} into a direct buffer and {@code send} from it
 * until the peer closes. A connection's unexpected error is reported to the log and ends that
 * connection only. Java 21+.
 */
public final class GenTcpVirtualEchoServer extends VirtualEchoServer
{
    private final ListenSocket listenSocket;
    private final int port;
    private final int bufferSize;
    private final PrintStream log;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private GenTcpVirtualEchoServer(final ListenSocket listenSocket, final int bufferSize, final PrintStream log)
    {
        this.listenSocket = listenSocket;
        this.port = Inet.port(listenSocket);
        this.bufferSize = bufferSize;
        this.log = log;
    }

    /**
     * Listens on a free loopback port and starts accepting. The calling thread owns the listen
     * socket, so it must outlive the server (or close it first).
     *
     * @param packet  the framing.
     * @param maxBody the body size each connection's buffer starts with (it grows for a bigger packet).
     * @param backlog the listen queue's length.
     * @param log     where a connection's unexpected errors are reported.
     * @return the running server.
     * @throws UnsupportedOperationException before Java 21.
     */
    public static GenTcpVirtualEchoServer start(final PacketType packet, final int maxBody, final int backlog,
        final PrintStream log)
    {
        VirtualThreads.require("gentcp's virtual-thread echo server");
        final ListenSocket listenSocket = GenTcp.listen(0, ip(InetAddress.getLoopbackAddress()), binary(),
            packet(packet), active(false), reuseaddr(true), nodelay(true), backlog(backlog));
        final GenTcpVirtualEchoServer server;
        try
        {
            server = new GenTcpVirtualEchoServer(listenSocket, Math.max(1, maxBody), log);
            server.startAccepting("gentcp-vecho");
        }
        catch (final RuntimeException e)
        {
            GenTcp.close(listenSocket);
            throw e;
        }
        return server;
    }

    @Override
    public int port()
    {
        return port;
    }

    @Override
    void acceptLoop()
    {
        while (!stopped())
        {
            final Socket socket;
            try
            {
                socket = GenTcp.accept(listenSocket);
            }
            catch (final GenTcpException e)
            {
                if (stopped() || e.reason() == Reason.CLOSED)
                {
                    return;
                }
                log.println("gentcp virtual echo: accept: " + e.reason());
                continue;
            }
            open.add(socket);
            if (stopped()) // close() sets stopped before it closes what is open: one of us closes it
            {
                open.remove(socket);
                GenTcp.close(socket);
                return;
            }
            serve("gentcp-vecho-" + port, () -> echo(socket), () ->
            {
                open.remove(socket);
                GenTcp.close(socket);
            });
        }
    }

    /** Echoes until the connection ends. */
    private void echo(final Socket socket)
    {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
        try
        {
            for (;;)
            {
                buffer.clear();
                final int n = GenTcp.recv(socket, 0, buffer);
                if (n < 0)
                {
                    buffer = ByteBuffer.allocateDirect(-n); // a packet bigger than the buffer
                    continue;
                }
                buffer.flip();
                GenTcp.send(socket, buffer);
            }
        }
        catch (final GenTcpException e)
        {
            if (!stopped() && !routine(e.reason()))
            {
                log.println("gentcp virtual echo: connection: " + e.reason());
            }
        }
        catch (final RuntimeException e)
        {
            log.println("gentcp virtual echo: connection: " + e);
        }
    }

    /** Whether a connection's error is routine: the peer went away. */
    private static boolean routine(final Reason reason)
    {
        return reason == Reason.CLOSED || reason == Reason.ECONNRESET || reason == Reason.ENOTCONN ||
            reason == Reason.EPIPE;
    }

    @Override
    void closeAll()
    {
        GenTcp.close(listenSocket);
        for (final Socket socket : open)
        {
            GenTcp.close(socket);
        }
    }
}
