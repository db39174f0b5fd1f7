package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every message names the very socket object the application holds ({@code ==}), for as long as
 * any message of that socket can still be delivered: also once the socket is closed locally and
 * its handle's slot is wanted by a new socket. As in Erlang, messages already in the mailbox
 * when a socket is closed stay, and still name it; none come after the close.
 */
@Timeout(120)
class SocketIdentityTest
{
    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    /** New sockets, enough that one of them takes the slot a closed socket left (slots are reused last-freed first). */
    private static List<ListenSocket> newSockets()
    {
        final List<ListenSocket> fresh = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            fresh.add(GenTcp.listen(0));
        }
        return fresh;
    }

    @Test
    void aTcpPassiveQueuedBeforeALocalCloseStillNamesTheSocketWhenNewSocketsFollow()
    {
        final Pair p = Pair.of(binary());
        Inet.setopts(p.server, active(0)); // tcp_passive, queued in this thread's mailbox
        GenTcp.close(p.server);
        final List<ListenSocket> fresh = newSockets();
        final Object m = Mailbox.current().receive(5_000);
        assertInstanceOf(TcpPassive.class, m);
        assertSame(p.server, ((TcpPassive)m).socket());
        for (final ListenSocket l : fresh)
        {
            assertNotEquals(p.server.toString(), l.toString());
            GenTcp.close(l);
        }
        p.close();
    }

    @Test
    void noMessageComesAfterALocalClose()
    {
        final Pair p = Pair.of(binary());
        GenTcp.send(p.client, "data that arrives after the close");
        GenTcp.close(p.client); // the peer's close, too, would be a message
        GenTcp.close(p.server);
        Inet.setopts(p.listen, active(0)); // a message of another socket, to know when to stop
        assertEquals(new TcpPassive(p.listen), Mailbox.current().receive(5_000));
        GenTcp.close(p.listen);
    }

    /**
     * Close/reopen churn from several threads: owners receive from active sockets that a closer
     * thread closes under them while every thread keeps making new sockets, which take the
     * freed slots at once. Every message names one of the receiving thread's own objects.
     */
    @Test
    void underCloseAndReopenChurnEveryMessageNamesTheApplicationsObject() throws Exception
    {
        final ListenSocket listen = GenTcp.listen(0, binary(), active(false));
        final int port = Inet.port(listen);
        final AtomicBoolean stop = new AtomicBoolean();
        final BlockingQueue<Socket> toClose = new ArrayBlockingQueue<>(1024);
        final AtomicLong messages = new AtomicLong();
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // a thread each (not the common pool, which may run fewer at once than these need)
        final ExecutorService threads = Executors.newCachedThreadPool();
        final CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() ->
        {
            try
            {
                while (!stop.get())
                {
                    final Socket s;
                    try
                    {
                        s = GenTcp.accept(listen, 100);
                    }
                    catch (final GenTcpException e)
                    {
                        continue; // timeout: look at stop
                    }
                    try
                    {
                        GenTcp.send(s, new byte[16]);
                    }
                    catch (final GenTcpException e)
                    {
                        // the client is gone already
                    }
                    GenTcp.close(s);
                }
            }
            finally
            {
                Mailbox.current().close();
            }
        }, threads);
        final CompletableFuture<Void> closer = CompletableFuture.runAsync(() ->
        {
            try
            {
                while (!stop.get() || !toClose.isEmpty())
                {
                    final Socket s = toClose.poll(10, TimeUnit.MILLISECONDS);
                    if (s != null)
                    {
                        GenTcp.close(s);
                    }
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, threads);
        final List<CompletableFuture<Void>> owners = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            owners.add(CompletableFuture.runAsync(() ->
            {
                final Set<InetSocket> mine = Collections.newSetFromMap(new IdentityHashMap<>());
                try
                {
                    for (int i = 0; i < 3_000 && System.nanoTime() < end; i++)
                    {
                        final Socket s = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(true));
                        mine.add(s);
                        if (!toClose.offer(s))
                        {
                            GenTcp.close(s);
                        }
                        receiveAll(Mailbox.current(), mine, messages);
                    }
                }
                finally
                {
                    Mailbox.current().close();
                }
            }, threads));
        }
        try
        {
            for (final CompletableFuture<Void> owner : owners)
            {
                owner.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            stop.set(true);
            acceptor.get(10, TimeUnit.SECONDS);
            closer.get(10, TimeUnit.SECONDS);
            threads.shutdown();
            GenTcp.close(listen);
        }
        assertTrue(messages.get() > 0, "no message came at all");
    }

    /** Takes what MAILBOX holds now (and what comes within a moment); each message must name one of MINE. */
    private static void receiveAll(final Mailbox mailbox, final Set<InetSocket> mine, final AtomicLong count)
    {
        for (int n = 0; n < 100; n++)
        {
            final Object m;
            try
            {
                m = mailbox.receive(n == 0 ? 1 : 0);
            }
            catch (final GenTcpException e)
            {
                assertEquals(Reason.TIMEOUT, e.reason());
                return;
            }
            final InetSocket socket = ((SocketMessage)m).socket();
            if (!mine.contains(socket))
            {
                fail(m + " names " + socket + ", not an object this thread made");
            }
            count.incrementAndGet();
        }
    }
}
