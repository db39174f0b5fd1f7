package io.gentcp;

import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the README says Thread.interrupt does to a gentcp wait on a platform thread: nothing.
 * The thread waits in a system call, which the JVM does not interrupt; the call goes on until
 * what it waits for comes, returns it as it would have, and the interrupt status is still set
 * afterwards. (On a virtual thread an interrupt ends the wait as a timeout: VirtualThreadTest,
 * VirtualMailboxTest.) A test waits until the thread's stack shows it inside the native call
 * before it interrupts it; bounds only catch hangs.
 */
@Timeout(60)
class PlatformInterruptTest
{
    private static final long BOUND_MS = 30_000;

    /** What a platform thread got from CALL, and whether it was interrupted when CALL returned. */
    private record Outcome(Object value, boolean interrupted)
    {
    }

    /** Runs CALL on a new platform thread, returned with the outcome to come. */
    private static Thread start(final Supplier<Object> call, final CompletableFuture<Outcome> outcome)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                final Object v = call.get();
                outcome.complete(new Outcome(v, Thread.currentThread().isInterrupted()));
            }
            catch (final Throwable e)
            {
                outcome.completeExceptionally(e);
            }
            finally
            {
                Mailbox.current().close();
            }
        }, "platform-interrupt");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Polls (bounded) until T's stack shows it inside NATIVE_METHOD. */
    private static void awaitInside(final Thread t, final String nativeMethod, final CompletableFuture<?> outcome)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (System.nanoTime() < end)
        {
            if (outcome.isDone())
            {
                fail(nativeMethod + " returned before anything came");
            }
            if (Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals(nativeMethod)))
            {
                return;
            }
            Thread.onSpinWait();
        }
        fail("the thread never entered " + nativeMethod);
    }

    @Test
    void anInterruptDoesNotEndAPlatformThreadsRecv() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            final Thread t = start(() -> GenTcp.recv(p.server, 0), outcome);
            awaitInside(t, "gt_recv", outcome);
            t.interrupt();
            GenTcp.send(p.client, new byte[] {1, 2, 3});
            final Outcome o = outcome.get(BOUND_MS, TimeUnit.MILLISECONDS);
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[])o.value(), "the recv went on and returned the packet");
            assertTrue(o.interrupted(), "the interrupt status is still set");
        }
    }

    @Test
    void anInterruptDoesNotEndAPlatformThreadsMailboxReceive() throws Exception
    {
        final CompletableFuture<Mailbox> box = new CompletableFuture<>();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final Thread t = start(() ->
        {
            final Mailbox mine = Mailbox.current();
            box.complete(mine);
            return mine.receive(BOUND_MS);
        }, outcome);
        final Mailbox theirs = box.get(BOUND_MS, TimeUnit.MILLISECONDS);
        awaitInside(t, "gt_mailbox_receive", outcome);
        t.interrupt();
        theirs.send("hello");
        final Outcome o = outcome.get(BOUND_MS, TimeUnit.MILLISECONDS);
        assertEquals("hello", o.value(), "the receive went on and returned the message");
        assertTrue(o.interrupted(), "the interrupt status is still set");
    }
}
