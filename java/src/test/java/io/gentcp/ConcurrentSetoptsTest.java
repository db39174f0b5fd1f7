package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** setopts on one socket from several threads at once (the C side: native/test/test_options.c). */
@Timeout(120)
class ConcurrentSetoptsTest
{
    private static final int ROUNDS = 20_000;
    private static final long SPIN_LIMIT_NS = 10_000_000_000L;

    /**
     * A socket's mode, packet type and header are kept in Java too, to know how to deliver what
     * recv returns: after two threads set them to different values at once, Java's copies are
     * the values C has, whichever thread came last.
     */
    @Test
    void theDeliveryOptionsJavaKeepsAreTheOnesCHas() throws Exception
    {
        try (Pair p = Pair.of())
        {
            final Socket s = p.server;
            final AtomicInteger round = new AtomicInteger();
            final AtomicInteger finished = new AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Option[][] sets = {
                {Option.binary(), Option.packet(PacketType.LINE), Option.header(1)},
                {Option.list(), Option.packet(PacketType.HTTP), Option.header(2)}};
            final Thread[] setters = new Thread[sets.length];
            for (int t = 0; t < sets.length; t++)
            {
                final Option[] mine = sets[t];
                setters[t] = new Thread(() ->
                {
                    try
                    {
                        for (int r = 0; r < ROUNDS; r++)
                        {
                            awaitAtLeast(round, r + 1);
                            for (final Option option : mine)
                            {
                                Inet.setopts(s, option);
                            }
                            finished.incrementAndGet();
                        }
                    }
                    catch (final Throwable e)
                    {
                        failure.set(e);
                        finished.addAndGet(ROUNDS * sets.length); // let the main thread go on
                    }
                }, "setter-" + t);
                setters[t].start();
            }
            int disagreements = 0;
            for (int r = 0; r < ROUNDS && failure.get() == null; r++)
            {
                round.set(r + 1);
                awaitAtLeast(finished, sets.length * (r + 1));
                final List<Option> c = Inet.getopts(s, OptionName.MODE, OptionName.PACKET, OptionName.HEADER);
                if (!c.equals(List.of(s.binary ? Option.binary() : Option.list(), Option.packet(s.packet),
                    Option.header(s.header))))
                {
                    disagreements++;
                }
            }
            for (final Thread t : setters)
            {
                t.join(10_000);
            }
            assertEquals(null, failure.get());
            assertEquals(0, disagreements, "rounds after which Java's copies differed from C's options");
        }
    }

    /** Spin until COUNTER is N or more (bounded: 10 s). */
    private static void awaitAtLeast(final AtomicInteger counter, final int n)
    {
        final long limit = System.nanoTime() + SPIN_LIMIT_NS;
        while (counter.get() < n)
        {
            assertTrue(System.nanoTime() - limit < 0, "waited 10 s for the other threads");
            Thread.yield();
        }
    }
}
