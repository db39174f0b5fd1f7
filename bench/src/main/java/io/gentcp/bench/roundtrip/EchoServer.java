package io.gentcp.bench.roundtrip;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.idle;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static io.gentcp.Option.reuseaddr;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;

import io.gentcp.Active;
import io.gentcp.CpuAffinity;
import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.IdleStrategy;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Mailbox;
import io.gentcp.MailboxHandler;
import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.Reason;
import io.gentcp.Socket;
import io.gentcp.TcpClosed;
import io.gentcp.TcpError;
import io.gentcp.TcpPassive;
import io.gentcp.bench.Placement;

/**
 * The gen_tcp manual's acceptor-pool echo server: N threads accept on one listen socket
 * ({@code binary}, {@code {packet, T}}, {@code {active, false}}, {@code {reuseaddr, true}},
 * {@code {nodelay, true}}); each echoes its connection with {@code recv(S, 0)} and {@code send}
 * until it closes, then accepts again. A connection's error ends only that connection.
 *
 * <p>The echo loop receives into a direct buffer and sends from it, so it allocates nothing
 * (the buffer grows, once, for a packet bigger than 64 KiB). The threads are daemons.
 */
public final class EchoServer implements AutoCloseable
{
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final ListenSocket listenSocket;
    private final int port;
    private final IdleStrategy idle;
    private final PrintStream log;
    private final Worker[] workers;
    private final int cpu;
    private final Active active;
    private volatile boolean stopped;

    private EchoServer(final ListenSocket listenSocket, final int workerCount, final IdleStrategy idle,
        final PrintStream log, final int cpu, final Active active)
    {
        this.listenSocket = listenSocket;
        this.cpu = cpu;
        this.active = active;
        this.port = Inet.port(listenSocket);
        this.idle = idle;
        this.log = log;
        this.workers = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            workers[i] = new Worker("gentcp-echo-" + port + "-" + i);
        }
    }

    /**
     * Listens on PORT and starts the workers.
     *
     * @param port    the port, 0 for one the kernel picks.
     * @param packet  the framing.
     * @param workers how many threads accept.
     * @param idle    how a connection's receive waits; accepting always blocks.
     * @param log     where a connection's unexpected errors are reported.
     * @return the running server.
     */
    public static EchoServer start(final int port, final PacketType packet, final int workers, final IdleStrategy idle,
        final PrintStream log)
    {
        return start(port, packet, workers, idle, log, Placement.ANY_CPU, 0);
    }

    /**
     * As {@link #start(int, PacketType, int, IdleStrategy, PrintStream)}, with every worker pinned
     * to CPU ({@link Placement#ANY_CPU}: not pinned).
     */
    public static EchoServer start(final int port, final PacketType packet, final int workers, final IdleStrategy idle,
        final PrintStream log, final int cpu)
    {
        return start(port, packet, workers, idle, log, cpu, 0);
    }

    /** As above, refusing packets longer than PACKET_SIZE ({@code {packet_size, N}}; 0 = no limit). */
    public static EchoServer start(final int port, final PacketType packet, final int workers, final IdleStrategy idle,
        final PrintStream log, final int cpu, final long packetSize)
    {
        return start(port, packet, workers, idle, log, cpu, packetSize, Active.FALSE);
    }

    /**
     * As above; with ACTIVE other than {@link Active#FALSE} each worker echoes the messages its
     * mailbox receives ({@code {active, once}} re-armed after each packet, {@code {active, N}}
     * after each {@code tcp_passive}), as the manual's example server does.
     */
    public static EchoServer start(final int port, final PacketType packet, final int workers, final IdleStrategy idle,
        final PrintStream log, final int cpu, final long packetSize, final Active active)
    {
        if (workers < 1)
        {
            throw new IllegalArgumentException("workers: must be >= 1, was " + workers);
        }
        final ListenSocket listenSocket = GenTcp.listen(port, binary(), packet(packet), packetSize(packetSize),
            active(false), reuseaddr(true), nodelay(true));
        final EchoServer server;
        try
        {
            server = new EchoServer(listenSocket, workers, idle, log, cpu, active);
        }
        catch (final RuntimeException e)
        {
            GenTcp.close(listenSocket);
            throw e;
        }
        for (final Worker worker : server.workers)
        {
            worker.start();
        }
        return server;
    }

    /** Starts a server whose receives block, reporting errors to stderr. */
    public static EchoServer start(final int port, final PacketType packet, final int workers)
    {
        return start(port, packet, workers, IdleStrategy.block(), System.err);
    }

    /** The port it listens on. */
    public int port()
    {
        return port;
    }

    /** Waits until the server is stopped (forever, unless another thread closes it). */
    public void join() throws InterruptedException
    {
        for (final Worker worker : workers)
        {
            worker.join();
        }
    }

    /**
     * Stops: closes the listen socket and every open connection, which wakes the workers, and
     * waits for them to end.
     *
     * @throws IllegalStateException if a worker is still running after 10 seconds.
     */
    @Override
    public void close()
    {
        stopped = true;
        GenTcp.close(listenSocket);
        for (final Worker worker : workers)
        {
            final Socket connection = worker.connection;
            if (connection != null)
            {
                GenTcp.close(connection);
            }
            final Mailbox mailbox = worker.mailbox;
            if (mailbox != null)
            {
                mailbox.close(); // wakes a worker waiting in receive
            }
        }
        StopWait.joinAll(List.of(workers), "echo server");
    }

    /** Whether a connection's error is routine: the peer went away. */
    private static boolean routine(final Reason reason)
    {
        return reason == Reason.CLOSED || reason == Reason.ECONNRESET || reason == Reason.ENOTCONN ||
            reason == Reason.EPIPE;
    }

    /** One acceptor: accept, echo until closed, accept again. */
    private final class Worker extends Thread
    {
        volatile Socket connection;
        volatile Mailbox mailbox;
        private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);

        Worker(final String name)
        {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run()
        {
            if (cpu != Placement.ANY_CPU)
            {
                CpuAffinity.pinCurrentThread(cpu);
            }
            if (active != Active.FALSE)
            {
                mailbox = Mailbox.current();
                if (!IdleStrategy.block().equals(idle))
                {
                    mailbox.setIdle(idle);
                }
            }
            while (!stopped)
            {
                final Socket socket;
                try
                {
                    socket = GenTcp.accept(listenSocket);
                }
                catch (final GenTcpException e)
                {
                    if (stopped || e.reason() == Reason.CLOSED)
                    {
                        return;
                    }
                    log.println("echo: accept: " + e.reason());
                    continue;
                }
                connection = socket;
                try
                {
                    if (!stopped) // close() sets stopped before it reads connection: one of us closes it
                    {
                        serve(socket);
                    }
                }
                catch (final GenTcpException e)
                {
                    if (!stopped && !routine(e.reason()))
                    {
                        log.println("echo: connection: " + e.reason());
                    }
                }
                catch (final RuntimeException e)
                {
                    log.println("echo: connection: " + e);
                }
                finally
                {
                    connection = null;
                    GenTcp.close(socket);
                }
            }
        }

        /** Echoes until the connection fails; returns only by an exception. */
        private void serve(final Socket socket)
        {
            if (!IdleStrategy.block().equals(idle))
            {
                Inet.setopts(socket, idle(idle));
            }
            if (active != Active.FALSE)
            {
                serveActive(socket);
                return;
            }
            for (;;)
            {
                final ByteBuffer current = buffer;
                current.clear();
                final int n = GenTcp.recv(socket, 0, current);
                if (n < 0)
                {
                    buffer = ByteBuffer.allocateDirect(-n); // a packet bigger than the buffer
                    continue;
                }
                current.flip();
                GenTcp.send(socket, current);
            }
        }

        /**
         * The manual's loop through a {@link MailboxHandler}: each packet echoed from its view
         * and the socket re-armed, with nothing allocated per message.
         */
        private void serveActive(final Socket socket)
        {
            final ActiveEcho echo = new ActiveEcho(socket);
            Inet.setopts(socket, echo.rearm);
            while (!echo.ended)
            {
                mailbox.receive(echo, 16, GenTcp.INFINITY);
            }
        }
    }

    /**
     * Echoes the packets of one socket in its mode: {@code {active, once}} re-armed after each, N after
     * tcp_passive.
     */
    private final class ActiveEcho implements MailboxHandler
    {
        final Socket socket;
        final Option[] rearm = {Option.active(active)};
        boolean ended;

        ActiveEcho(final Socket socket)
        {
            this.socket = socket;
        }

        @Override
        public void onData(final Socket from, final ByteBuffer data)
        {
            if (from == socket)
            {
                GenTcp.send(socket, data);
                if (active == Active.ONCE)
                {
                    Inet.setopts(socket, rearm);
                }
            }
        }

        @Override
        public void onMessage(final Object message)
        {
            if (message instanceof TcpPassive passive && passive.socket() == socket)
            {
                Inet.setopts(socket, rearm);
            }
            else if (message instanceof TcpClosed closed && closed.socket() == socket ||
                message instanceof TcpError error && error.socket() == socket)
            {
                ended = true;
            }
        }
    }
}
