package io.gentcp.bench.command;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

import io.gentcp.bench.Flags;
import io.gentcp.bench.roundtrip.RoundTripSampler;
import io.gentcp.bench.roundtrip.StreamFrames;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * {@code manyecho-clients --port P --clients N --rounds R --pause-ms P --size B --timeout-ms T}:
 * the client side of {@code manyecho}, run by it in a second JVM (not in the usage: it is the
 * tool's own). Starts N java.net clients at once, each on its own virtual thread: it connects to
 * 127.0.0.1:P, makes R round trips of a {@code {packet, 4}} message of B body bytes (different
 * for each client and round), pausing P ms between them, checks every byte of each echo, and
 * closes. Connect and every read wait at most T ms: a client that waits longer has timed out and
 * is not done. Prints one {@link ManyEchoResult#wire} line when every client has ended, and the
 * first few clients' failures to stderr.
 */
public final class ManyEchoClients
{
    public static final Set<String> FLAGS =
        Set.of("--port", "--clients", "--rounds", "--pause-ms", "--size", "--timeout-ms");

    private static final int HEADER = 4;
    private static final int FAILURES_SHOWN = 5;

    private ManyEchoClients()
    {
    }

    /** One client's outcome. */
    private enum Outcome
    {
        DONE, TIMED_OUT, FAILED
    }

    public static void run(final Flags flags, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final int port = flags.requiredInt("--port", 1, 65535);
        final int clients = flags.requiredInt("--clients", 1, ManyEchoCommand.MAX_CLIENTS);
        final int rounds = flags.requiredInt("--rounds", 1, ManyEchoCommand.MAX_ROUNDS);
        final int pauseMs = flags.requiredInt("--pause-ms", 0, ManyEchoCommand.MAX_PAUSE_MS);
        final int size = flags.requiredInt("--size", 1, ManyEchoCommand.MAX_SIZE);
        final int timeoutMs = flags.requiredInt("--timeout-ms", 1, ManyEchoCommand.MAX_TIMEOUT_MS);
        VirtualThreads.require("manyecho's clients");
        OpenFiles.check(clients, "manyecho's client JVM");
        final InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        out.println(run(server, clients, rounds, pauseMs, size, timeoutMs, err).wire());
        out.flush();
    }

    /**
     * Runs CLIENTS clients against SERVER in this JVM, each on its own virtual thread, and
     * waits for every one of them to end (each one's waits are bounded by its timeouts).
     *
     * @return what they counted; its server CPU time is unknown (-1).
     */
    static ManyEchoResult run(final InetSocketAddress server, final int clients, final int rounds, final int pauseMs,
        final int size, final int timeoutMs, final PrintStream err) throws InterruptedException
    {
        final AtomicInteger failuresShown = new AtomicInteger();
        final Client[] all = new Client[clients];
        final Thread[] threads = new Thread[clients];
        final long start = System.nanoTime();
        for (int i = 0; i < clients; i++)
        {
            final Client client = new Client(i, rounds, size);
            all[i] = client;
            threads[i] = VirtualThreads.start("manyecho-client-" + i, () ->
            {
                client.run(server, pauseMs, timeoutMs);
                if (client.outcome != Outcome.DONE && failuresShown.incrementAndGet() <= FAILURES_SHOWN)
                {
                    err.println("manyecho client " + client.id + ": " + client.failure);
                }
            });
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return result(all, System.nanoTime() - start);
    }

    private static ManyEchoResult result(final Client[] all, final long nanos)
    {
        final Histogram histogram = new Histogram(1, RoundTripSampler.HIGHEST_NS, 3);
        int done = 0;
        int timedOut = 0;
        int failed = 0;
        long roundTrips = 0;
        long bytes = 0;
        for (final Client client : all)
        {
            switch (client.outcome)
            {
                case DONE -> done++;
                case TIMED_OUT -> timedOut++;
                default -> failed++;
            }
            for (int r = 0; r < client.completed; r++)
            {
                histogram.recordValue(Math.min(Math.max(client.rttNs[r], 1), RoundTripSampler.HIGHEST_NS));
            }
            roundTrips += client.completed;
            bytes += (long)client.completed * client.size;
        }
        final boolean any = histogram.getTotalCount() > 0;
        return new ManyEchoResult(all.length, done, timedOut, failed, roundTrips, bytes, nanos,
            any ? histogram.medianEquivalentValue(histogram.getValueAtPercentile(50.0)) : 0,
            any ? histogram.medianEquivalentValue(histogram.getValueAtPercentile(99.0)) : 0,
            any ? histogram.medianEquivalentValue(histogram.getMaxValue()) : 0, -1);
    }

    /** One client: its round-trip times and how it ended. */
    private static final class Client
    {
        final int id;
        final int size;
        final long[] rttNs;
        int completed;
        Outcome outcome = Outcome.FAILED;
        String failure = "did not run";

        Client(final int id, final int rounds, final int size)
        {
            this.id = id;
            this.size = size;
            this.rttNs = new long[rounds];
        }

        void run(final InetSocketAddress server, final int pauseMs, final int timeoutMs)
        {
            final byte[] tx = new byte[HEADER + size];
            final byte[] rx = new byte[HEADER + size];
            StreamFrames.putHeader(tx, HEADER, size);
            try (Socket socket = new Socket())
            {
                socket.connect(server, timeoutMs);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(timeoutMs);
                final InputStream in = new BufferedInputStream(socket.getInputStream(), Math.max(8192, rx.length));
                final OutputStream out = socket.getOutputStream();
                for (int round = 0; round < rttNs.length; round++)
                {
                    if (round > 0 && pauseMs > 0)
                    {
                        Thread.sleep(pauseMs);
                    }
                    fill(tx, id, round);
                    final long t0 = System.nanoTime();
                    out.write(tx);
                    if (!StreamFrames.readFully(in, rx, 0, rx.length))
                    {
                        throw new EOFException("the server closed the connection");
                    }
                    final long t1 = System.nanoTime();
                    if (!Arrays.equals(tx, rx))
                    {
                        throw new IOException("round " + round + ": the echo differs from the message sent");
                    }
                    rttNs[round] = t1 - t0;
                    completed++;
                }
                outcome = Outcome.DONE;
            }
            catch (final SocketTimeoutException e)
            {
                outcome = Outcome.TIMED_OUT;
                failure = "timed out after " + completed + " round trips: " + e.getMessage();
            }
            catch (final IOException | RuntimeException e)
            {
                outcome = Outcome.FAILED;
                failure = "failed after " + completed + " round trips: " + e;
            }
            catch (final InterruptedException e)
            {
                outcome = Outcome.FAILED;
                failure = "interrupted after " + completed + " round trips";
            }
        }

        /** A body that differs for every client and round, so a crossed or stale echo is caught. */
        private static void fill(final byte[] tx, final int id, final int round)
        {
            final int seed = id * 0x9E3779B9 + round * 0x85EBCA6B;
            for (int i = HEADER; i < tx.length; i++)
            {
                tx[i] = (byte)((seed + i * 0x27D4EB2F) >>> 24);
            }
        }
    }

    /** The longest a client can take: connect, then every round's pause and read at their limits. */
    static long boundMs(final int rounds, final int pauseMs, final int timeoutMs)
    {
        return TimeUnit.SECONDS.toMillis(1) + (long)timeoutMs + (long)rounds * (pauseMs + (long)timeoutMs);
    }
}
