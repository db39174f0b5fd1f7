package io.gentcp;

import static io.gentcp.Option.binary;
import static io.gentcp.Option.local;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every call with a time limit takes any limit up to {@code Long.MAX_VALUE} ms and waits: a limit
 * whose nanoseconds do not fit in a long (from about 9.2e12 ms) is as good as infinity, never a
 * timeout at once. Each call is shown to wait for an event that comes after it started waiting
 * (its thread is seen inside the native call first), and to return that event.
 */
@Timeout(60)
class TimeLimitTest
{
    /** Just past the overflow of ms * 1_000_000, 1e13 ms (the issue's), and the largest. */
    private static final long JUST_PAST = Long.MAX_VALUE / 1_000_000 + 1;

    /** The result of CALL run on a thread of its own, once that thread is inside NATIVE_METHOD. */
    private static <T> CompletableFuture<T> startedInside(final String nativeMethod, final Supplier<T> call)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Thread t = new Thread(() ->
        {
            try
            {
                result.complete(call.get());
            }
            catch (final Throwable e)
            {
                result.completeExceptionally(e);
            }
        }, "time-limit-" + nativeMethod);
        t.setDaemon(true);
        t.start();
        awaitInside(t, nativeMethod, result);
        return result;
    }

    /** Polls (bounded) until T's stack shows it inside NATIVE_METHOD; fails if RESULT completes first. */
    private static void awaitInside(final Thread t, final String nativeMethod, final CompletableFuture<?> result)
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end)
        {
            if (result.isDone())
            {
                fail(nativeMethod + " returned before anything came: " + outcome(result));
            }
            if (Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals(nativeMethod)))
            {
                return;
            }
            Thread.onSpinWait();
        }
        fail("the thread never entered " + nativeMethod);
    }

    private static String outcome(final CompletableFuture<?> result)
    {
        try
        {
            return String.valueOf(result.get());
        }
        catch (final ExecutionException e)
        {
            return e.getCause().toString();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static <T> T get(final CompletableFuture<T> f) throws Exception
    {
        return f.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void mailboxReceiveWaitsForAMessageSentLater(final long limit) throws Exception
    {
        final CompletableFuture<Mailbox> made = new CompletableFuture<>();
        final CompletableFuture<Object> received = startedInside("gt_mailbox_receive", () ->
        {
            final Mailbox mine = Mailbox.current();
            made.complete(mine);
            try
            {
                return mine.receive(limit);
            }
            finally
            {
                mine.close();
            }
        });
        get(made).send("hello");
        assertEquals("hello", get(received));
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void connectWithAHugeLimitConnects(final long limit)
    {
        final ListenSocket l = GenTcp.listen(0);
        try
        {
            final Socket byName = GenTcp.connect("127.0.0.1", Inet.port(l), limit);
            final Socket byAddress = GenTcp.connect(InetAddress.getLoopbackAddress(), Inet.port(l), limit);
            GenTcp.close(byName);
            GenTcp.close(byAddress);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void connectLocalWithAHugeLimitConnects(final long limit)
    {
        final ListenSocket l = GenTcp.listen(0, local());
        try
        {
            GenTcp.close(GenTcp.connect(Inet.localSockname(l), limit));
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void acceptWaitsForAConnectionMadeLater(final long limit) throws Exception
    {
        final ListenSocket l = GenTcp.listen(0);
        final Mailbox mine = Mailbox.current();
        try
        {
            final CompletableFuture<Socket> accepted = startedInside("gt_accept", () ->
            {
                final Socket s = GenTcp.accept(l, limit);
                GenTcp.controllingProcess(s, mine); // the accepting thread ends
                return s;
            });
            final Socket client = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000);
            GenTcp.close(get(accepted));
            GenTcp.close(client);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void recvWaitsForDataSentLater(final long limit) throws Exception
    {
        try (Pair p = Pair.of(binary()))
        {
            final CompletableFuture<byte[]> got = startedInside("gt_recv", () -> GenTcp.recv(p.server, 3, limit));
            GenTcp.send(p.client, "abc");
            assertArrayEquals("abc".getBytes(), get(got));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void recvIntoABufferWaitsForDataSentLater(final long limit) throws Exception
    {
        try (Pair p = Pair.of(binary()))
        {
            final ByteBuffer dst = ByteBuffer.allocateDirect(16);
            final CompletableFuture<Integer> got = startedInside("gt_recv_bytes",
                () -> GenTcp.recv(p.server, 3, dst, limit));
            GenTcp.send(p.client, "abc");
            assertEquals(3, get(got));
            assertEquals('c', dst.get(2));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {JUST_PAST, 10_000_000_000_000L, Long.MAX_VALUE})
    void recvBatchWaitsForAPacketSentLater(final long limit) throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            final ByteBuffer dst = ByteBuffer.allocateDirect(64);
            final CompletableFuture<Integer> got = startedInside("gt_recv_batch",
                () -> GenTcp.recvBatch(p.server, dst, 8, limit));
            GenTcp.send(p.client, "abc");
            assertEquals(4 + 3, get(got));
            assertEquals(3, dst.getInt(0)); // the packet's length, then its bytes
        }
    }
}
