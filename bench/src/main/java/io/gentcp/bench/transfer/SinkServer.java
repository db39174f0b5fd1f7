package io.gentcp.bench.transfer;

import static io.gentcp.Option.reuseaddr;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.Socket;

/**
 * The server of {@code gentcp sink}: listens ({@code binary}, {@code {packet, T}},
 * {@code {packet_size, 64 MiB}}, {@code {active, false}}, {@code {reuseaddr, true}}, and
 * {@code {nodelay, true}} if asked, which accepted sockets inherit), and runs each accepted connection on a
 * thread of its own through {@link Sink#receive} until the peer closes; then closes it and
 * hands its {@link Transfer} to the listener. A connection's error ends only that connection
 * and is reported to the log. The packet size limit keeps a peer that frames differently (its
 * bytes read as a length) from making the sink allocate gigabytes: it gets {@code emsgsize}.
 * The threads are daemons.
 */
public final class SinkServer implements AutoCloseable
{
    private final ListenSocket listenSocket;
    private final int port;
    private final Consumer<Transfer> listener;
    private final PrintStream log;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean stopped;

    private SinkServer(final ListenSocket listenSocket, final Consumer<Transfer> listener, final PrintStream log)
    {
        this.listenSocket = listenSocket;
        this.port = Inet.port(listenSocket);
        this.listener = listener;
        this.log = log;
        this.acceptor = new Thread(this::acceptLoop, "gentcp-sink-" + port);
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on PORT and starts accepting.
     *
     * @param port     the port, 0 for one the kernel picks.
     * @param packet   the framing; not an HTTP type.
     * @param listener gets each connection's counts, on that connection's thread.
     * @param log      where a connection's errors are reported.
     * @return the running server.
     */
    public static SinkServer start(final int port, final PacketType packet, final Consumer<Transfer> listener,
        final PrintStream log)
    {
        return start(port, packet, Tuning.DEFAULT, listener, log);
    }

    /**
     * Listens on PORT with TUNING's options (its delay_send is ignored: a sink does not send)
     * and starts accepting.
     *
     * @see #start(int, PacketType, Consumer, PrintStream)
     */
    public static SinkServer start(final int port, final PacketType packet, final Tuning tuning,
        final Consumer<Transfer> listener, final PrintStream log)
    {
        if (packet.isHttp())
        {
            throw new IllegalArgumentException("packet: " + packet + " delivers parsed HTTP, not bytes to count");
        }
        final List<Option> options = new ArrayList<>(List.of(tuning.withDelaySend(false).options(packet)));
        options.add(reuseaddr(true));
        final ListenSocket listenSocket = GenTcp.listen(port, options);
        final SinkServer server = new SinkServer(listenSocket, listener, log);
        server.acceptor.start();
        return server;
    }

    /** The port it listens on. */
    public int port()
    {
        return port;
    }

    /** Waits until the server is stopped (forever, unless another thread closes it). */
    public void join() throws InterruptedException
    {
        acceptor.join();
    }

    /** Stops accepting and closes every open connection. */
    @Override
    public void close()
    {
        stopped = true;
        GenTcp.close(listenSocket);
        for (final Socket socket : open)
        {
            GenTcp.close(socket);
        }
    }

    private void acceptLoop()
    {
        while (!stopped)
        {
            final Socket socket;
            try
            {
                socket = GenTcp.accept(listenSocket);
            }
            catch (final GenTcpException e)
            {
                if (!stopped)
                {
                    log.println("sink: accept: " + e.getMessage());
                }
                return;
            }
            open.add(socket);
            if (stopped) // close() may have missed it
            {
                GenTcp.close(socket);
                open.remove(socket);
                return;
            }
            final Thread connection = new Thread(() -> serve(socket), "gentcp-sink-" + port + "-connection");
            connection.setDaemon(true);
            connection.start();
        }
    }

    private void serve(final Socket socket)
    {
        try
        {
            final Transfer transfer = Sink.receive(socket);
            GenTcp.close(socket);
            listener.accept(transfer);
        }
        catch (final GenTcpException e)
        {
            if (!stopped)
            {
                log.println("sink: connection: " + e.getMessage());
            }
        }
        finally
        {
            GenTcp.close(socket);
            open.remove(socket);
        }
    }
}
