package io.gentcp;

import static io.gentcp.JfrEventsTest.durationKnown;
import static io.gentcp.JfrEventsTest.one;
import static io.gentcp.JfrEventsTest.readBack;
import static io.gentcp.JfrEventsTest.recorded;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.highWatermark;
import static io.gentcp.Option.lowWatermark;
import static io.gentcp.Option.recbuf;
import static io.gentcp.Option.sendTimeout;
import static io.gentcp.Option.sndbuf;
import static io.gentcp.VirtualThreadTest.BOUND_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JFR's io.gentcp.SendBlocked: a send that found the send queue at its high watermark and
 * waited for the low one, on a platform thread (in C) and on a virtual thread (parked in Java,
 * Java 21+). Each scenario makes exactly one such wait: a big packet onto the empty queue
 * returns at once with most of it queued (the peer reads nothing, the kernel buffers are
 * small), and the next send, on its own thread, must wait; the test sees that wait begin in
 * getstat's count (C counts it as it begins), then the peer reads everything and the send
 * returns. No timing decides a result.
 */
@Timeout(60)
class JfrSendBlockedTest
{
    private static final String NAME = "io.gentcp.SendBlocked";
    /** Far more than the pair's kernel buffers hold: most of it stays queued, far above the high watermark. */
    private static final int BIG = 1 << 20;
    private static final int HIGH = 4096;
    private static final int LOW = 1024;

    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    /** A passive binary pair with small kernel buffers and watermarks, and OPTIONS. */
    private static Pair tight(final Option... options)
    {
        final Option[] all = new Option[options.length + 5];
        all[0] = binary();
        all[1] = sndbuf(4096);
        all[2] = recbuf(4096);
        all[3] = highWatermark(HIGH);
        all[4] = lowWatermark(LOW);
        System.arraycopy(options, 0, all, 5, options.length);
        return Pair.of(all);
    }

    /** The waits for the low watermark that C counted for SOCKET's sends. */
    private static long waits(final Socket socket)
    {
        return GenTcpSendBlockedEvent.counters(socket)[0];
    }

    /**
     * On P's client: a big packet onto the empty queue, which does not wait; then one byte sent
     * by a thread STARTER starts, which must; once C counts its wait the server reads every
     * byte, and the send returns.
     */
    private static void oneBlockedSend(final Pair p, final Function<Runnable, Thread> starter)
        throws InterruptedException
    {
        GenTcp.send(p.client, BytePattern.bytes(0, BIG));
        assertEquals(0, waits(p.client), "a send onto an empty queue waited");
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        final Thread sender = starter.apply(() ->
        {
            try
            {
                GenTcp.send(p.client, BytePattern.bytes(BIG, 1));
            }
            catch (final Throwable e)
            {
                failed.set(e);
            }
        });
        ReaperScaleTest.await(() -> waits(p.client) == 1, "the second send waits for the low watermark");
        assertEquals(BIG + 1, BytePattern.read(p.server, 0, BIG + 1, BOUND_MS));
        sender.join(BOUND_MS);
        assertFalse(sender.isAlive(), "the blocked send never returned");
        assertNull(failed.get());
        assertEquals(1, waits(p.client));
    }

    private static Thread platform(final Runnable task)
    {
        final Thread t = new Thread(task, "jfr-blocked-sender");
        t.start();
        return t;
    }

    /** The one SendBlocked event of P's client: its fields as the scenario made them. */
    private static RecordedEvent theEventOf(final List<RecordedEvent> events, final String client, final int port)
    {
        final RecordedEvent e = one(events, NAME, r -> client.equals(r.getString("socket")));
        assertEquals("127.0.0.1", e.getString("address"));
        assertEquals(port, e.getInt("port"));
        assertEquals(HIGH, e.getLong("highWatermark"));
        assertEquals(LOW, e.getLong("lowWatermark"));
        final long queued = e.getLong("queuedBytes");
        assertTrue(queued >= HIGH && queued <= BIG + 1, () -> "queued when it blocked: " + queued);
        assertTrue(durationKnown(e));
        assertTrue(e.getDuration().compareTo(Duration.ZERO) > 0, () -> "duration " + e.getDuration());
        assertNull(e.getEventType().getField("waitsBefore"), "the send's own bookkeeping is no field");
        return e;
    }

    private static void blockedOn(final Function<Runnable, Thread> starter) throws Throwable
    {
        final String[] client = new String[1];
        final int[] port = new int[1];
        final List<RecordedEvent> events = recorded(() ->
        {
            try (Pair p = tight())
            {
                client[0] = p.client.toString();
                port[0] = Inet.port(p.listen);
                oneBlockedSend(p, starter);
            }
        });
        final RecordedEvent e = theEventOf(events, client[0], port[0]);
        assertEquals("", e.getString("reason"));
        assertTrue(e.getDuration("waited").compareTo(Duration.ZERO) > 0, () -> "waited " + e.getDuration("waited"));
    }

    @Test
    void aSendOnAPlatformThreadThatWaitsForTheLowWatermark() throws Throwable
    {
        blockedOn(JfrSendBlockedTest::platform);
    }

    @Test
    void aSendOnAVirtualThreadParkedUntilTheLowWatermark() throws Throwable
    {
        VirtualThreadTest.assumeVirtualThreads(JfrSendBlockedTest.class);
        blockedOn(VirtualThreadTest::startVirtual);
    }

    @Test
    void aSendThatTimesOutWaitingHasItsReason() throws Throwable
    {
        final String[] client = new String[1];
        final int[] port = new int[1];
        final List<RecordedEvent> events = recorded(() ->
        {
            try (Pair p = tight(sendTimeout(50)))
            {
                client[0] = p.client.toString();
                port[0] = Inet.port(p.listen);
                GenTcp.send(p.client, BytePattern.bytes(0, BIG));
                assertEquals(Reason.TIMEOUT,
                    assertThrows(GenTcpException.class, () -> GenTcp.send(p.client, BytePattern.bytes(BIG, 1)))
                        .reason());
                assertEquals(BIG + 1, BytePattern.read(p.server, 0, BIG + 1, BOUND_MS)); // it stayed queued
            }
        });
        final RecordedEvent e = theEventOf(events, client[0], port[0]);
        assertEquals("timeout", e.getString("reason"));
        // C gives up no earlier than send_timeout after the wait began
        assertTrue(e.getDuration("waited").compareTo(Duration.ofMillis(50)) >= 0, () -> "waited " +
            e.getDuration("waited"));
    }

    @Test
    void noneWhenTheEventIsNotEnabledThoughCWaitsAndCounts() throws Throwable
    {
        final List<RecordedEvent> events;
        try (Recording recording = new Recording())
        {
            for (final String name : JfrEventsTest.NAMES)
            {
                if (!name.equals(NAME))
                {
                    recording.enable(name);
                }
            }
            recording.start();
            try (Pair p = tight())
            {
                oneBlockedSend(p, JfrSendBlockedTest::platform);
            }
            recording.stop();
            events = readBack(recording);
        }
        assertTrue(events.stream().noneMatch(e -> e.getEventType().getName().equals(NAME)),
            () -> "SendBlocked recorded while not enabled: " + events);
        assertFalse(events.isEmpty(), "the other events were recorded");
    }
}
