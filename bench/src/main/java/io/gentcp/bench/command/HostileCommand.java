package io.gentcp.bench.command;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.gentcp.Active;
import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Mailbox;
import io.gentcp.NativeMemory;
import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.Reason;
import io.gentcp.TcpClosed;
import io.gentcp.TcpError;
import io.gentcp.bench.Flags;
import io.gentcp.bench.UsageException;

/**
 * {@code hostile [--connections N] [--claim-mb M] [--seconds S] [--budget-mb B] [--kind K] [--active A]}:
 * what hostile peers cost this process. N java.net clients (default 8) in this JVM each send,
 * as fast as loopback takes it for S seconds (default 20), either a {@code {packet, 4}} header
 * claiming M MiB (default 2000) and then zeros toward it, all but the last byte
 * ({@code --kind packet4}, the default),
 * or an HTTP request line and then header lines that never end ({@code --kind http-headers}),
 * or one HTTP header line that never ends ({@code --kind http-line}), to gentcp sockets that
 * receive passively, a thread each, or (--active true) through this thread's mailbox. B sets
 * the receive budget in MiB (default: the library's). Prints the most the receive buffers held
 * and the budget charged, how each connection ended, and {@code peak rss MB: N} (VmHWM).
 */
public final class HostileCommand
{
    public static final Set<String> FLAGS = Set.of("--connections", "--claim-mb", "--seconds", "--budget-mb", "--kind",
        "--active");

    private static final long MIB = 1L << 20;
    private static final byte[] HEADER_LINE = "X-Hostile: 0123456789abcdef0123456789abcdef\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    private HostileCommand()
    {
    }

    public static void run(final Flags flags, final PrintStream out) throws IOException, InterruptedException
    {
        final int connections = flags.intValue("--connections", 8, 1, 1000);
        final long claimMb = flags.longValue("--claim-mb", 2000, 1, 2047);
        final int seconds = flags.intValue("--seconds", 20, 1, 3600);
        final long budgetMb = flags.longValue("--budget-mb", -1, 0, 1L << 30);
        final String kind = flags.optional("--kind") == null ? "packet4" : flags.optional("--kind");
        final Active active = flags.active(Active.FALSE);
        if (!Set.of("packet4", "http-headers", "http-line").contains(kind))
        {
            throw new UsageException("hostile: --kind must be packet4, http-headers or http-line, was '" + kind + "'");
        }
        if (active != Active.FALSE && active != Active.TRUE)
        {
            throw new UsageException("hostile: --active must be false or true");
        }
        if (budgetMb >= 0)
        {
            Inet.setReceiveBudget(budgetMb * MIB);
        }
        final PacketType type = kind.equals("packet4") ? PacketType.of(4) : PacketType.HTTP_BIN;
        out.println("hostile connections=" + connections + " kind=" + kind +
            (kind.equals("packet4") ? " claim_mb=" + claimMb : "") + " seconds=" + seconds + " active=" +
            (active == Active.TRUE) + " budget_mb=" + Inet.receiveBudget() / MIB);
        out.flush();

        final ListenSocket listen = GenTcp.listen(0, Option.binary(), Option.active(false), Option.packet(type));
        final List<Socket> clients = new ArrayList<>();
        final List<io.gentcp.Socket> servers = new ArrayList<>();
        final AtomicLong[] sent = new AtomicLong[connections];
        final String[] ended = new String[connections];
        final List<Thread> threads = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < connections; i++)
        {
            clients.add(new Socket(InetAddress.getLoopbackAddress(), Inet.port(listen)));
            servers.add(GenTcp.accept(listen, 10_000));
            sent[i] = new AtomicLong();
            ended[i] = "open at the deadline";
        }
        for (int i = 0; i < connections; i++)
        {
            final int n = i;
            threads.add(daemon(() -> write(clients.get(n), kind, claimMb, sent[n], deadline)));
            if (active == Active.FALSE)
            {
                threads.add(daemon(() -> ended[n] = receive(servers.get(n), deadline)));
            }
        }
        long maxBuffers = 0;
        long maxCharged = 0;
        final long[] messages = new long[connections];
        if (active == Active.TRUE)
        {
            for (final io.gentcp.Socket s : servers)
            {
                Inet.setopts(s, Option.active(true));
            }
        }
        while (System.nanoTime() < deadline)
        {
            if (active == Active.TRUE)
            {
                drainMailbox(servers, ended, messages);
            }
            else
            {
                Thread.sleep(100);
            }
            final NativeMemory m = Inet.nativeMemory();
            maxBuffers = Math.max(maxBuffers, m.receiveBufferBytes());
            maxCharged = Math.max(maxCharged, m.receiveBudgetCharged());
        }
        for (final Socket c : clients)
        {
            c.close();
        }
        for (final Thread t : threads)
        {
            t.join(10_000);
        }
        for (int i = 0; i < connections; i++)
        {
            out.println("connection " + i + ": " + ended[i] + ", client sent " + sent[i].get() / MIB + " MiB" +
                (active == Active.TRUE ? ", " + messages[i] + " messages taken" : ""));
        }
        out.println("max receive buffers MB: " + maxBuffers / MIB + ", max budget charged MB: " + maxCharged / MIB);
        out.println("peak rss MB: " + peakRssKb() / 1024);
        out.flush();
        for (final io.gentcp.Socket s : servers)
        {
            GenTcp.close(s);
        }
        GenTcp.close(listen);
    }

    private static Thread daemon(final Runnable body)
    {
        final Thread t = new Thread(body, "hostile");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The client: the hostile bytes, as fast as the connection takes them, until DEADLINE or an error. */
    private static void write(final Socket client, final String kind, final long claimMb, final AtomicLong sent,
        final long deadline)
    {
        final byte[] chunk = new byte[64 * 1024];
        try
        {
            final OutputStream out = client.getOutputStream();
            switch (kind)
            {
                case "packet4" ->
                {
                    final long claim = claimMb * MIB;
                    out.write(new byte[] {(byte)(claim >>> 24), (byte)(claim >>> 16), (byte)(claim >>> 8),
                        (byte)claim});
                }
                case "http-headers" ->
                {
                    out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i + HEADER_LINE.length <= chunk.length; i += HEADER_LINE.length)
                    {
                        System.arraycopy(HEADER_LINE, 0, chunk, i, HEADER_LINE.length);
                    }
                }
                default ->
                {
                    out.write("GET / HTTP/1.1\r\nX-Endless: ".getBytes(StandardCharsets.US_ASCII));
                    java.util.Arrays.fill(chunk, (byte)'a');
                }
            }
            final int length = kind.equals("http-headers")
                ? chunk.length / HEADER_LINE.length * HEADER_LINE.length
                : chunk.length;
            /* the claimed packet is never completed: its last byte is held back */
            final long limit = kind.equals("packet4") ? claimMb * MIB - 1 : Long.MAX_VALUE;
            while (System.nanoTime() < deadline && sent.get() < limit)
            {
                final int n = (int)Math.min(length, limit - sent.get());
                out.write(chunk, 0, n);
                sent.addAndGet(n);
            }
            while (System.nanoTime() < deadline)
            {
                Thread.sleep(100);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException e)
        {
            // the server closed the connection (or the deadline closed the client): told by the server side
        }
    }

    /** A passive server connection: recv until it fails or DEADLINE; how it ended. */
    private static String receive(final io.gentcp.Socket s, final long deadline)
    {
        long packets = 0;
        while (System.nanoTime() < deadline)
        {
            try
            {
                GenTcp.recv(s, 0, 200);
                packets++;
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.TIMEOUT && System.nanoTime() >= deadline)
                {
                    return "open until the deadline after " + packets + " packets";
                }
                if (e.reason() != Reason.TIMEOUT)
                {
                    return "{error, " + e.reason().name().toLowerCase(java.util.Locale.ROOT) + "} after " + packets +
                        " packets";
                }
            }
        }
        return "open at the deadline after " + packets + " packets";
    }

    /** One receive of this thread's mailbox (up to 100 ms): count messages, note errors and closes. */
    private static void drainMailbox(final List<io.gentcp.Socket> servers, final String[] ended, final long[] messages)
    {
        final Object message;
        try
        {
            message = Mailbox.current().receive(100);
        }
        catch (final GenTcpException e)
        {
            if (e.reason() == Reason.TIMEOUT)
            {
                return; // nothing in this 100 ms: the caller looks at the counters and the deadline
            }
            throw e;
        }
        for (int i = 0; i < servers.size(); i++)
        {
            if (message instanceof TcpError e && e.socket() == servers.get(i))
            {
                ended[i] = "TcpError " + e.reason().name().toLowerCase(java.util.Locale.ROOT);
            }
            else if (message instanceof TcpClosed c && c.socket() == servers.get(i))
            {
                ended[i] = ended[i].startsWith("TcpError") ? ended[i] + " then TcpClosed" : "TcpClosed";
            }
            else if (message instanceof io.gentcp.SocketMessage m && m.socket() == servers.get(i))
            {
                messages[i]++;
            }
        }
    }

    /** VmHWM: the most resident memory this process has had, in KiB (0 where /proc has none). */
    private static long peakRssKb() throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        if (!Files.exists(status))
        {
            return 0;
        }
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("VmHWM:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
