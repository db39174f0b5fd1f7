package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.once;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three server shapes of the README's "Virtual threads" section, as written there (the
 * README says {@code Thread.startVirtualThread}; here {@link #START} makes virtual threads on
 * Java 21+ and platform threads on Java 17, which this compiles for: the shapes are the same).
 * Each serves a {@code {packet, 4}} echo on loopback to CLIENTS clients of ROUNDS round trips,
 * every byte checked, and its server threads end when their peers close.
 */
@Timeout(120)
class ReadmeShapesTest
{
    private static final int CLIENTS = 20;
    private static final int ROUNDS = 5;
    /** Starts a server thread: virtual where the JDK has them. */
    private static final Consumer<Runnable> START = VirtualThreadTest.START_VIRTUAL != null
        ? VirtualThreadTest::startVirtual : r -> new Thread(r).start();

    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final Queue<Thread> workers = new ConcurrentLinkedQueue<>();

    @AfterEach
    void closeThisThreadsMailbox()
    {
        Mailbox.current().close();
    }

    /** START, keeping the thread to join and its failure to report. */
    private void start(final Runnable body)
    {
        START.accept(() ->
        {
            workers.add(Thread.currentThread());
            try
            {
                body.run();
            }
            catch (final Throwable e)
            {
                failures.add(e);
            }
        });
    }

    // (a) A virtual thread per connection, passive: the simplest. The acceptor owns the sockets,
    // so it must outlive them (the README's loops for ever; here it waits for the clients).
    private void passivePerConnection(final ListenSocket listen, final int connections,
        final CountDownLatch clientsDone)
    {
        for (int i = 0; i < connections; i++) // for (;;) in the README
        {
            final Socket s = GenTcp.accept(listen);
            start(() ->
            {
                try
                {
                    for (;;)
                    {
                        final byte[] request = GenTcp.recv(s, 0);
                        GenTcp.send(s, request);
                    }
                }
                catch (final GenTcpException e)
                {
                    // closed: the client has gone
                }
                finally
                {
                    GenTcp.close(s);
                }
            });
        }
        await(clientsDone);
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(VirtualThreadTest.BOUND_MS, TimeUnit.MILLISECONDS), "the clients never finished");
        }
        catch (final InterruptedException e)
        {
            throw new AssertionError(e);
        }
    }

    // (b) A mailbox per virtual thread with {active, once}: each one accepts for itself.
    private void mailboxPerThread(final ListenSocket listen)
    {
        final Socket s = GenTcp.accept(listen); // accepted here: this thread's mailbox owns it
        final Mailbox mine = Mailbox.current();
        Inet.setopts(s, active(once()));
        for (;;)
        {
            final Object message = mine.receive();
            if (message instanceof Tcp tcp)
            {
                GenTcp.send(s, (byte[])tcp.data());
                Inet.setopts(s, active(once()));
            }
            else if (message instanceof TcpClosed)
            {
                break;
            }
        }
        mine.close(); // and with it the socket
    }

    // (c) An acceptor handing each socket to a worker with controllingProcess.
    private void acceptorWithWorkers(final ListenSocket listen, final int connections)
    {
        for (int i = 0; i < connections; i++) // for (;;) in the README
        {
            final Socket s = GenTcp.accept(listen); // passive: nothing arrives before the hand-over
            final CompletableFuture<Mailbox> worker = new CompletableFuture<>();
            start(() ->
            {
                final Mailbox mine = Mailbox.current();
                worker.complete(mine);
                final Socket conn = (Socket)mine.receive(); // the acceptor's note: the socket is ours
                Inet.setopts(conn, active(once()));
                for (Object m = mine.receive(); m instanceof Tcp tcp; m = mine.receive())
                {
                    GenTcp.send(conn, (byte[])tcp.data());
                    Inet.setopts(conn, active(once()));
                }
                mine.close();
            });
            final Mailbox to = worker.join();
            GenTcp.controllingProcess(s, to);
            to.send(s);
        }
    }

    private static byte[] request(final int client, final int round)
    {
        return ("client " + client + " round " + round + " " + "x".repeat(client * 7 + round))
            .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** CLIENTS clients against LISTEN, each ROUNDS echoes; then the server threads end. */
    private void clients(final ListenSocket listen) throws InterruptedException
    {
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int c = 0; c < CLIENTS; c++)
            {
                sockets.add(GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, binary(), packet(4), active(false)));
            }
            for (int r = 0; r < ROUNDS; r++)
            {
                for (int c = 0; c < CLIENTS; c++)
                {
                    GenTcp.send(sockets.get(c), request(c, r));
                }
                for (int c = 0; c < CLIENTS; c++)
                {
                    assertArrayEquals(request(c, r), GenTcp.recv(sockets.get(c), 0, VirtualThreadTest.BOUND_MS),
                        "client " + c + " round " + r + "; server failures: " + failures);
                }
            }
        }
        finally
        {
            sockets.forEach(GenTcp::close);
        }
    }

    private void joinWorkers(final int expected) throws InterruptedException
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VirtualThreadTest.BOUND_MS);
        while (workers.size() < expected)
        {
            assertTrue(System.nanoTime() < end,
                "only " + workers.size() + " of " + expected + " server threads started");
            Thread.sleep(1);
        }
        for (final Thread t : workers)
        {
            t.join(VirtualThreadTest.BOUND_MS);
            assertTrue(!t.isAlive(), "a server thread did not end after its client closed");
        }
        assertTrue(failures.isEmpty(), () -> "server threads failed: " + failures);
    }

    /**
     * Starts SERVER on a {packet, 4} listen socket, runs the clients against it, then
     * AFTER_CLIENTS, and joins the SERVER_THREADS threads the shape started.
     */
    private void serve(final Consumer<ListenSocket> server, final Runnable afterClients, final int serverThreads)
        throws InterruptedException
    {
        try (ListenSocket listen = GenTcp.listen(0, binary(), packet(4), active(false)))
        {
            server.accept(listen);
            clients(listen);
            afterClients.run();
            joinWorkers(serverThreads);
        }
    }

    @Test
    void aThreadPerConnectionPassive() throws InterruptedException
    {
        final CountDownLatch clientsDone = new CountDownLatch(1);
        serve(listen -> start(() -> passivePerConnection(listen, CLIENTS, clientsDone)), clientsDone::countDown,
            CLIENTS + 1);
    }

    @Test
    void aMailboxPerThreadWithActiveOnce() throws InterruptedException
    {
        serve(listen ->
        {
            for (int i = 0; i < CLIENTS; i++)
            {
                start(() -> mailboxPerThread(listen));
            }
        }, () -> {}, CLIENTS);
    }

    @Test
    void anAcceptorHandingSocketsToWorkers() throws InterruptedException
    {
        serve(listen -> start(() -> acceptorWithWorkers(listen, CLIENTS)), () -> {}, CLIENTS + 1);
    }
}
