package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.idle;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** close and shutdown: the after-close matrix (reference 2.3, test 61) and close waking threads. */
@Timeout(60)
class CloseTest
{
    @Test
    void afterCloseEveryCallAnswersAsOtp()
    {
        final Pair p = Pair.of(binary());
        GenTcp.close(p.client);
        GenTcp.close(p.client); // close twice is fine
        assertReason(Reason.CLOSED, () -> GenTcp.send(p.client, "x"));
        assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 0));
        assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, ByteBuffer.allocateDirect(8), 0));
        assertReason(Reason.CLOSED, () -> GenTcp.shutdown(p.client, GenTcp.How.WRITE));
        assertReason(Reason.EINVAL, () -> Inet.getopts(p.client, OptionName.PACKET));
        assertReason(Reason.EINVAL, () -> Inet.setopts(p.client, packet(2)));
        assertReason(Reason.EINVAL, () -> Inet.sockname(p.client));
        assertReason(Reason.EINVAL, () -> Inet.peername(p.client));
        assertReason(Reason.EINVAL, () -> Inet.port(p.client));
        p.close();
        assertReason(Reason.CLOSED, () -> GenTcp.accept(p.listen, 0));
    }

    @Test
    void aClosedSocketNeverReachesTheSocketThatReusesItsSlot()
    {
        final Pair p = Pair.of(binary());
        GenTcp.close(p.client);
        final List<ListenSocket> fresh = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            fresh.add(GenTcp.listen(0)); // one of these takes the closed socket's slot
        }
        assertReason(Reason.EINVAL, () -> Inet.sockname(p.client));
        for (final ListenSocket l : fresh)
        {
            assertNotEquals(p.client.toString(), l.toString());
            assertTrue(Inet.port(l) > 0);
            GenTcp.close(l);
        }
        p.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"block", "spin:100000", "busy"})
    void closingWakesAThreadBlockedInRecvAtOnce(final String strategy) throws Exception
    {
        try (Pair p = Pair.of(binary(), idle(IdleStrategy.parse(strategy))))
        {
            final CompletableFuture<Reason> reader = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    recvRetryingEalready(p.server, GenTcp.INFINITY);
                    return null;
                }
                catch (final GenTcpException e)
                {
                    return e.reason();
                }
            });
            awaitInsideRecv(p.server);
            GenTcp.close(p.server);
            assertEquals(Reason.CLOSED, reader.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void closingTheListenSocketWakesEveryAcceptor() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0);
        final int acceptors = 4;
        final CountDownLatch started = new CountDownLatch(acceptors);
        final List<CompletableFuture<Reason>> results = new ArrayList<>();
        for (int i = 0; i < acceptors; i++)
        {
            results.add(CompletableFuture.supplyAsync(() ->
            {
                started.countDown();
                try
                {
                    GenTcp.accept(l);
                    return null;
                }
                catch (final GenTcpException e)
                {
                    return e.reason();
                }
            }, runnable -> new Thread(runnable).start()));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // Whether an acceptor is already asleep or not, close must end its accept with 'closed'.
        GenTcp.close(l);
        for (final CompletableFuture<Reason> r : results)
        {
            assertEquals(Reason.CLOSED, r.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shutdownWriteLetsThePeerReadThenClosedWhileWeCanStillRead()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.send(p.client, "Hej Client");
            GenTcp.shutdown(p.client, GenTcp.How.WRITE);
            assertArrayEquals("Hej Client".getBytes(), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
        }
        // The half-closed side can still read what the peer answers.
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.shutdown(p.client, GenTcp.How.WRITE);
            GenTcp.send(p.server, "answer");
            assertArrayEquals("answer".getBytes(), GenTcp.recv(p.client, 0, 5_000));
        }
    }

    @Test
    void shutdownNeedsAHow()
    {
        try (Pair p = Pair.of())
        {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GenTcp.shutdown(p.client, null));
        }
    }

    @Test
    void closeDoesNotWaitForOtherThreadsAndTheyAllLeave() throws ExecutionException, InterruptedException
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final CompletableFuture<Reason> reader = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    recvRetryingEalready(p.client, 30_000);
                    return null;
                }
                catch (final GenTcpException e)
                {
                    return e.reason();
                }
            });
            awaitInsideRecv(p.client);
            final long start = System.nanoTime();
            GenTcp.close(p.client);
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
            try
            {
                assertEquals(Reason.CLOSED, reader.get(10, TimeUnit.SECONDS));
            }
            catch (final java.util.concurrent.TimeoutException e)
            {
                throw new AssertionError("the reader was not woken", e);
            }
            // the peer sees the close
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    /** recv, trying again while a probe of {@link #awaitInsideRecv} holds the socket for an instant. */
    static byte[] recvRetryingEalready(final Socket s, final long timeoutMs)
    {
        for (int tries = 0; ; tries++)
        {
            try
            {
                return GenTcp.recv(s, 0, timeoutMs);
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.EALREADY || tries > 1_000_000)
                {
                    throw e;
                }
            }
        }
    }

    /** Returns once another thread is inside recv on S: then a probe answers ealready. */
    static void awaitInsideRecv(final Socket s)
    {
        final long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end)
        {
            try
            {
                GenTcp.recv(s, 0, 0);
                throw new AssertionError("unexpected data");
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.EALREADY)
                {
                    return;
                }
            }
        }
        throw new AssertionError("no thread entered recv");
    }
}
