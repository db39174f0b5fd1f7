package io.gentcp;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients of {@link ManyConnectionsTest}, in a JVM of their own (both ends of 10,000
 * connections in one process would need the whole descriptor limit): java.net sockets, each
 * on a virtual thread. They are the JDK's own sockets, so a defect of gentcp cannot hide by
 * being on both ends, and this JVM never loads libgentcp.
 *
 * <p>Arguments: host port clients requests minPauseMs maxPauseMs inFlight. Each client
 * connects, then sends REQUESTS {packet, 4} requests, one at a time, pausing between them, and
 * checks every byte of each answer ({@link #answer}). At most IN_FLIGHT clients are between
 * their connect and their first answer (which says the server accepted them), so the listen
 * queue never holds more than that. A client that is done keeps its connection open: all of
 * them are open at once when the child prints up to ten {@code failure: ...} lines, then
 * {@code served ok=N failed=N requests=N bytes=N}. Then it waits for a line on stdin, closes
 * every connection, prints {@code closed} and exits 0. Every wait is bounded: a client that
 * gets no answer within {@link #IO_TIMEOUT_MS} fails, and clients not yet started by
 * {@link #DEADLINE_MS}, or when another has failed, fail without trying.
 */
public final class ManyClientsChild
{
    static final int IO_TIMEOUT_MS = 30_000;
    static final long DEADLINE_MS = 120_000;
    /** By when the child reports, whatever happens: DEADLINE_MS, then a connect and an answer. */
    static final long REPORT_MS = DEADLINE_MS + 2L * IO_TIMEOUT_MS;

    private ManyClientsChild()
    {
    }

    /** Request ROUND of client CLIENT: 1 to 300 bytes, each a function of both and its place. */
    static byte[] request(final int client, final int round)
    {
        final byte[] b = new byte[1 + Math.floorMod(client * 31 + round * 17, 300)];
        for (int k = 0; k < b.length; k++)
        {
            b[k] = (byte)(client * 7 + (client >>> 8) * 11 + round * 13 + k * 3);
        }
        return b;
    }

    /** The server's answer to REQUEST: its bytes in reverse order, each plus one. */
    static byte[] answer(final byte[] request)
    {
        final byte[] a = new byte[request.length];
        for (int k = 0; k < a.length; k++)
        {
            a[k] = (byte)(request[request.length - 1 - k] + 1);
        }
        return a;
    }

    public static void main(final String[] args) throws Exception
    {
        final InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        final int clients = Integer.parseInt(args[2]);
        final int requests = Integer.parseInt(args[3]);
        final int minPauseMs = Integer.parseInt(args[4]);
        final int maxPauseMs = Integer.parseInt(args[5]);
        final Semaphore inFlight = new Semaphore(Integer.parseInt(args[6]));
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);

        final AtomicInteger ok = new AtomicInteger();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(clients);
        final CountDownLatch closeNow = new CountDownLatch(1);
        final AtomicBoolean givingUp = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>(clients);
        for (int c = 0; c < clients; c++)
        {
            final int client = c;
            threads.add(VirtualThreadTest.startVirtual(() ->
            {
                int round = 0;
                final java.net.Socket socket = new java.net.Socket();
                try
                {
                    final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (!inFlight.tryAcquire(Math.max(0, left), TimeUnit.MILLISECONDS))
                    {
                        throw new IOException("not started before the deadline");
                    }
                    if (givingUp.get())
                    {
                        throw new IOException("not started: another client failed");
                    }
                    boolean holding = true;
                    try
                    {
                        socket.connect(server, IO_TIMEOUT_MS);
                        socket.setSoTimeout(IO_TIMEOUT_MS);
                        socket.setTcpNoDelay(true);
                        final OutputStream out = socket.getOutputStream();
                        final DataInputStream in = new DataInputStream(socket.getInputStream());
                        for (; round < requests; round++)
                        {
                            if (round > 0)
                            {
                                Thread.sleep(minPauseMs +
                                    Math.floorMod(client * 7 + round * 13, maxPauseMs - minPauseMs + 1));
                            }
                            final int length = exchange(out, in, request(client, round));
                            answered.incrementAndGet();
                            bytes.addAndGet(length);
                            if (holding)
                            {
                                holding = false;
                                inFlight.release(); // the server accepted it: it left the listen queue
                            }
                        }
                    }
                    finally
                    {
                        if (holding)
                        {
                            inFlight.release();
                        }
                    }
                    ok.incrementAndGet();
                    done.countDown();
                    closeNow.await(); // every connection stays open until all clients are done
                }
                catch (final Exception e)
                {
                    failures.add("client " + client + ", request " + round + ": " + e);
                    if (!givingUp.getAndSet(true))
                    {
                        inFlight.release(clients); // the clients still waiting to start give up at once
                    }
                    done.countDown();
                }
                finally
                {
                    try
                    {
                        socket.close();
                    }
                    catch (final IOException e)
                    {
                        failures.add("client " + client + ": close: " + e);
                    }
                }
            }));
        }
        report(done, start, failures, ok, answered, bytes);
        closeWhenTheParentHasLooked(closeNow, threads);
    }

    /**
     * Waits, until REPORT_MS after START, for every client to be done or failed, then prints up to ten
     * failures and the summary line.
     */
    private static void report(final CountDownLatch done, final long start, final Queue<String> failures,
        final AtomicInteger ok, final AtomicLong answered, final AtomicLong bytes) throws InterruptedException
    {
        if (!done.await(Math.max(0, REPORT_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)),
            TimeUnit.MILLISECONDS))
        {
            failures.add((done.getCount()) + " clients neither done nor failed");
        }
        final int failed = failures.size();
        failures.stream().limit(10).forEach(f -> System.out.println("failure: " + f));
        System.out.println("served ok=" + ok.get() + " failed=" + failed + " requests=" + answered.get() + " bytes=" +
            bytes.get());
        System.out.flush();
    }

    /**
     * Sends REQUEST with its 4-byte length (the server's {packet, 4}), reads the answer and checks it is
     * answer(REQUEST); returns its length.
     */
    private static int exchange(final OutputStream out, final DataInputStream in, final byte[] request)
        throws IOException
    {
        final byte[] framed = new byte[4 + request.length];
        framed[2] = (byte)(request.length >>> 8);
        framed[3] = (byte)request.length;
        System.arraycopy(request, 0, framed, 4, request.length);
        out.write(framed);
        final int length = in.readInt();
        if (length != request.length)
        {
            throw new IOException("an answer of " + length + " bytes to a request of " + request.length);
        }
        final byte[] got = new byte[length];
        in.readFully(got);
        if (!java.util.Arrays.equals(answer(request), got))
        {
            throw new IOException("a wrong answer");
        }
        return length;
    }

    /** Waits for a line (or the end) of standard input, then lets the clients close and exits. */
    private static void closeWhenTheParentHasLooked(final CountDownLatch closeNow, final List<Thread> threads)
        throws IOException, InterruptedException
    {
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        stdin.readLine(); // the parent has looked at its side; end of input (it died) does as well
        closeNow.countDown();
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IO_TIMEOUT_MS);
        for (final Thread t : threads)
        {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        }
        System.out.println("closed");
        System.out.flush();
        System.exit(0);
    }
}
