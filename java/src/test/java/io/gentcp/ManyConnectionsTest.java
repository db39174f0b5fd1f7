package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Erlang's process per connection at scale: 10,000 concurrent connections, each served by a
 * virtual thread of its own in this JVM, the clients in another ({@link ManyClientsChild}:
 * java.net sockets on virtual threads). Runs on Java 21+ (CI: the JDK 25 runs); on Java 17 it
 * is skipped, saying why.
 *
 * <p>The server is Erlang's acceptor chain: a virtual thread accepts (gentcp parks it), starts
 * the next acceptor, then serves the connection it accepted, which its mailbox owns: passive
 * {packet, 4} requests, each answered with {@link ManyClientsChild#answer}, until the client
 * closes. Each client makes 5 requests with 10 to 50 ms pauses between them and checks every
 * byte of every answer; the counts are checked on both sides.
 *
 * <p>Why a pinned carrier fails it, whatever the carrier count: every client keeps its
 * connection open until all of them are answered, and every server thread waits in recv on its
 * connection until its client closes. A recv (or accept) that blocked in C would hold its
 * carrier for good after its client's last answer; once the first few connections held every
 * carrier nothing else would run, and the clients left would get no answer within
 * {@link ManyClientsChild#IO_TIMEOUT_MS}. So no small carrier pool is needed to prove it.
 * (Seen with parking turned off, 2 carriers: 2 clients done, 9,998 failed after 30 s.)
 *
 * <p>While all 10,000 connections are open, this JVM's descriptors and platform threads are
 * counted: one descriptor per connection (a mailbox that owns only a passive socket, and a
 * parked recv, take none) and no platform thread per connection. Where the open-file limit
 * leaves no room for 10,000 more descriptors (ulimit -n; 20,000 on our machines) the test is
 * skipped, saying why. Time bounds are generous limits that turn a hang into a failure;
 * nothing sleeps to win a race (the clients' pauses are part of the load).
 */
class ManyConnectionsTest
{
    private static final int CONNECTIONS = 10_000;
    private static final int REQUESTS = 5;
    private static final int MIN_PAUSE_MS = 10;
    private static final int MAX_PAUSE_MS = 50;
    /** Clients between their connect and their first answer, at most (the listen queue's need). */
    private static final int IN_FLIGHT = 1_000;
    /** Descriptors this JVM may open besides the connections' sockets while the test runs. */
    private static final int OTHER_FDS = 64;
    /** The child reports within ManyClientsChild.REPORT_MS of its start, whatever happens. */
    private static final long CHILD_REPORT_MS = ManyClientsChild.REPORT_MS + 30_000;
    private static final long BOUND_MS = 60_000;

    @Test
    @Timeout(480)
    void tenThousandVirtualThreadsEachServeAConnection() throws Exception
    {
        final String skip = whyNot();
        if (skip != null)
        {
            System.out.println("ManyConnectionsTest skipped: " + skip);
        }
        assumeTrue(skip == null, skip);

        final int somaxconn = somaxconn();
        final int inFlight = Math.min(IN_FLIGHT, somaxconn);
        final ListenSocket listen = GenTcp.listen(0, ip("127.0.0.1"), active(false), binary(), packet(4),
            backlog(inFlight));
        final int fdsBefore = openFds();
        final int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        final Server server = new Server(listen);
        final long start = System.nanoTime();
        VirtualThreadTest.startVirtual(server::acceptThenServe);
        final Process child = startChild(Inet.port(listen), inFlight);
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> output = new ArrayList<>();
        final Thread reader = readLines(child, lines);
        try
        {
            final String report = awaitLine(lines, output, "served ", CHILD_REPORT_MS);
            final long reportMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Every client has its answers and none has closed: all connections are open now.
            final int fds = openFds() - fdsBefore;
            final int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
            final int open = server.accepted.get() - (CONNECTIONS - (int)server.ended.getCount());
            System.out.println("ManyConnectionsTest: the clients reported \"" + report + "\" after " + reportMs +
                " ms; with " + open + " connections open, this JVM had " + fds + " more descriptors and " + threads +
                " more platform threads than before, " + residentMib() + " MiB resident (listen queue " + inFlight +
                ", somaxconn " + somaxconn + ")");

            final long requestBytes = requestBytes();
            assertEquals("served ok=" + CONNECTIONS + " failed=0 requests=" + (long)CONNECTIONS * REQUESTS + " bytes=" +
                requestBytes, report, () -> "the clients' report; their output: " + String.join("\n", output) +
                    "\nfailures on the server side: " + server.failures);
            assertEquals(CONNECTIONS, open, "connections open at once");
            // (No lower bound: a socket an earlier test left to the owner reaper may close meanwhile.)
            assertTrue(fds <= CONNECTIONS + OTHER_FDS,
                () -> fds + " more descriptors for " + CONNECTIONS + " connections: one each, and at most " +
                OTHER_FDS + " others");
            assertTrue(threads < CONNECTIONS / 10,
                () -> threads + " more platform threads for " + CONNECTIONS + " connections");

            final Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            toChild.write("close\n");
            toChild.flush();
            awaitLine(lines, output, "closed", BOUND_MS);
            assertTrue(child.waitFor(BOUND_MS, TimeUnit.MILLISECONDS), "the child did not exit");
            assertEquals(0, child.exitValue(), () -> String.join("\n", output));
            assertTrue(server.ended.await(BOUND_MS, TimeUnit.MILLISECONDS),
                () -> server.ended.getCount() + " server threads did not hear their client close");
            System.out.println("ManyConnectionsTest: every connection closed and its thread ended " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms after the start");
            assertTrue(server.failures.isEmpty(), () -> "server threads failed: " + server.failures);
            assertEquals((long)CONNECTIONS * REQUESTS, server.served.sum(), "requests served");
            assertEquals(requestBytes, server.servedBytes.sum(), "request bytes served");
        }
        finally
        {
            server.stopping = true;
            GenTcp.close(listen); // the last acceptor hears closed
            child.destroyForcibly().waitFor(BOUND_MS, TimeUnit.MILLISECONDS); // the server threads hear closed
            reader.join(BOUND_MS);
        }
    }

    /**
     * Erlang's acceptor chain: a virtual thread accepts, starts the next acceptor, then serves
     * the connection it accepted (its mailbox owns it) until the client closes.
     */
    private static final class Server
    {
        final ListenSocket listen;
        final AtomicInteger accepted = new AtomicInteger();
        final LongAdder served = new LongAdder();
        final LongAdder servedBytes = new LongAdder();
        final CountDownLatch ended = new CountDownLatch(CONNECTIONS);
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        volatile boolean stopping;

        Server(final ListenSocket listen)
        {
            this.listen = listen;
        }

        void acceptThenServe()
        {
            final Socket s;
            try
            {
                s = GenTcp.accept(listen);
            }
            catch (final Throwable e)
            {
                if (!(stopping && e instanceof GenTcpException && ((GenTcpException)e).reason() == Reason.CLOSED))
                {
                    failures.add(e);
                }
                return;
            }
            accepted.incrementAndGet();
            VirtualThreadTest.startVirtual(this::acceptThenServe);
            try
            {
                serve(s);
            }
            catch (final Throwable e)
            {
                failures.add(e);
            }
            finally
            {
                GenTcp.close(s);
                ended.countDown();
            }
        }

        /** Answers S's requests until its client closes. */
        private void serve(final Socket s)
        {
            for (;;)
            {
                final byte[] request;
                try
                {
                    request = GenTcp.recv(s, 0);
                }
                catch (final GenTcpException e)
                {
                    if (e.reason() == Reason.CLOSED)
                    {
                        return;
                    }
                    throw e;
                }
                served.increment();
                servedBytes.add(request.length);
                GenTcp.send(s, ManyClientsChild.answer(request));
            }
        }
    }

    private static long requestBytes()
    {
        long sum = 0;
        for (int c = 0; c < CONNECTIONS; c++)
        {
            for (int r = 0; r < REQUESTS; r++)
            {
                sum += ManyClientsChild.request(c, r).length;
            }
        }
        return sum;
    }

    /** Why this machine cannot run the test, or null. */
    private static String whyNot() throws IOException
    {
        if (VirtualThreadTest.START_VIRTUAL == null)
        {
            return "virtual threads need Java 21+, this is " + System.getProperty("java.version");
        }
        if (!Files.isDirectory(Path.of("/proc/self/fd")))
        {
            return "it counts its descriptors in /proc/self/fd, which this system lacks";
        }
        final long limit = openFileLimit();
        final int need = openFds() + CONNECTIONS + OTHER_FDS;
        if (limit < need)
        {
            return "it needs " + need + " open files and the limit is " + limit + " (ulimit -n)";
        }
        final int ports = ephemeralPorts();
        if (ports < CONNECTIONS)
        {
            return "its clients need " + CONNECTIONS +
                " local ports to one server port and net.ipv4.ip_local_port_range has " + ports;
        }
        return null;
    }

    /** This process's resident memory (VmRSS of /proc/self/status), or -1. */
    private static long residentMib() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) / 1024;
            }
        }
        return -1;
    }

    private static int openFds()
    {
        final String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }

    /** The soft limit on open files, from /proc/self/limits. */
    private static long openFileLimit() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/limits")))
        {
            if (line.startsWith("Max open files"))
            {
                final String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IOException("no open files limit in /proc/self/limits");
    }

    /** How many ports net.ipv4.ip_local_port_range holds (as many as there can be where it cannot be read). */
    private static int ephemeralPorts()
    {
        try
        {
            final Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            final String[] range = Files.readAllLines(file).get(0).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        catch (final IOException | RuntimeException e)
        {
            return 65_536;
        }
    }

    /** The kernel's cap on a listen queue (128 where it cannot be read). */
    private static int somaxconn()
    {
        try
        {
            // (Files.readString reads a /proc file's first byte only: it trusts the size, 0.)
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
        }
        catch (final IOException | RuntimeException e)
        {
            return 128;
        }
    }

    private static Process startChild(final int port, final int inFlight) throws IOException
    {
        final List<String> args = new ArrayList<>();
        for (final Object arg : new Object[] {"127.0.0.1", port, CONNECTIONS, REQUESTS, MIN_PAUSE_MS, MAX_PAUSE_MS,
            inFlight})
        {
            args.add(String.valueOf(arg));
        }
        return new ProcessBuilder(ChildJvm.command(List.of("-Xmx1g"), ManyClientsChild.class, args))
            .redirectErrorStream(true).start();
    }

    /** A platform thread that hands the child's output to LINES, line by line. */
    private static Thread readLines(final Process child, final BlockingQueue<String> lines)
    {
        final Thread t = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    lines.add(line);
                }
            }
            catch (final IOException e)
            {
                lines.add("reading the child's output: " + e);
            }
        }, "many-clients-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first line from the child that starts with PREFIX; every line seen goes to OUTPUT. */
    private static String awaitLine(final BlockingQueue<String> lines, final List<String> output, final String prefix,
        final long timeoutMs) throws InterruptedException
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (;;)
        {
            final String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null)
            {
                throw new AssertionError("the child printed no \"" + prefix + "\" line within " + timeoutMs +
                    " ms; its output:\n" + String.join("\n", output));
            }
            output.add(line);
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
    }
}
