package io.gentcp.bench.fanin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

import io.gentcp.Active;
import io.gentcp.bench.Flags;
import io.gentcp.bench.Main;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.roundtrip.GenTcpVirtualEchoServer;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * One of fanin's Java servers, in a JVM of its own:
 * {@code java -cp gentcp.jar io.gentcp.bench.fanin.FaninServer --kind K --port P --backlog N}.
 * Starts server K on 127.0.0.1:P ({@code {packet, 4}} echo, TCP_NODELAY, a listen queue of N),
 * prints {@code listening on PORT} and serves until its standard input ends (the parent closed
 * it or died) or it is killed. A bad command line or a server that cannot start exits 2 or 1
 * with a line on stderr; a kind this JVM cannot run (gentcp-virtual before Java 21) exits 3.
 */
public final class FaninServer
{
    /** The kinds, in fanin's order (c-epoll is a C program: {@link ServerProcess}). */
    static final List<String> KINDS = List.of("gentcp-once", "gentcp-n", "gentcp-n-delay", "gentcp-virtual",
        "netty-epoll", "nio");
    /** The N of {@code gentcp-n}'s (and {@code gentcp-n-delay}'s) {@code {active, N}}. */
    static final int ACTIVE_N = 100;
    /** Exit status when this JVM cannot run the kind. */
    public static final int UNAVAILABLE = 3;
    /** The longest listen queue asked for: the {@code fanin} command's most connections. */
    public static final int MAX_BACKLOG = 100_000;

    private FaninServer()
    {
    }

    /**
     * Starts the server and waits for the end of standard input.
     *
     * @param args {@code --kind K --port P --backlog N}
     */
    public static void main(final String[] args)
    {
        final PrintStream err = System.err;
        final String kind;
        final int port;
        final int backlog;
        try
        {
            final Flags flags = Flags.parse("FaninServer", args, 0, java.util.Set.of("--kind", "--port", "--backlog"));
            kind = flags.required("--kind");
            port = flags.intValue("--port", 0, 0, 65535);
            backlog = flags.intValue("--backlog", 1024, 1, MAX_BACKLOG);
            if (!KINDS.contains(kind))
            {
                throw new UsageException("FaninServer: --kind must be one of " + KINDS + ", was '" + kind + "'");
            }
        }
        catch (final UsageException e)
        {
            err.println(e.getMessage());
            System.exit(Main.USAGE);
            return;
        }
        if ("gentcp-virtual".equals(kind) && !VirtualThreads.available())
        {
            err.println("fanin: gentcp-virtual: " + VirtualThreads.unavailable("it"));
            System.exit(UNAVAILABLE);
            return;
        }
        final int bound;
        try
        {
            bound = start(kind, port, backlog, err);
        }
        catch (final Exception e)
        {
            err.println("fanin: " + kind + ": cannot start: " + e);
            System.exit(Main.FAILED);
            return;
        }
        System.out.println("listening on " + bound);
        System.out.flush();
        waitForEndOfInput(System.in);
        System.exit(0);
    }

    private static int start(final String kind, final int port, final int backlog, final PrintStream err)
        throws IOException, InterruptedException
    {
        return switch (kind)
        {
            case "gentcp-once" -> GenTcpMailboxServer.start(port, backlog, Active.ONCE, false, err);
            case "gentcp-n" -> GenTcpMailboxServer.start(port, backlog, Active.count(ACTIVE_N), false, err);
            case "gentcp-n-delay" -> GenTcpMailboxServer.start(port, backlog, Active.count(ACTIVE_N), true, err);
            case "gentcp-virtual" -> GenTcpVirtualEchoServer.start(io.gentcp.PacketType.FOUR, 64, backlog, err).port();
            case "netty-epoll" -> NettyEpollEchoServer.start(port, backlog);
            case "nio" -> NioSelectorEchoServer.start(port, backlog, err);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Returns when IN ends or fails. */
    private static void waitForEndOfInput(final InputStream in)
    {
        final byte[] sink = new byte[256];
        try
        {
            while (in.read(sink) >= 0)
            {
                // the parent writes nothing: only the end matters
            }
        }
        catch (final IOException e)
        {
            // as the end
        }
    }
}
