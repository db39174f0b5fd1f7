package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
     * After two threads set a socket's mode, packet type and header to different values at
     * once, recv presents the next packet as the options C kept say, whichever thread came
     * last: Java keeps no copy of them that could differ (C tells each packet's form).
     */
    @Test
    void recvPresentsPacketsAsTheOptionsCKept() throws Exception
    {
        try (Pair p = Pair.of())
        {
            final Socket s = p.server;
            final AtomicInteger round = new AtomicInteger();
            final AtomicInteger finished = new AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Option[][] sets = {
                {Option.binary(), Option.packet(PacketType.LINE), Option.header(1)},
                {Option.list(), Option.packet(PacketType.RAW), Option.header(2)}};
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
            final byte[] line = {'a', 'b', '\n'};
            int disagreements = 0;
            for (int r = 0; r < ROUNDS && failure.get() == null; r++)
            {
                round.set(r + 1);
                awaitAtLeast(finished, sets.length * (r + 1));
                final List<Option> c = Inet.getopts(s, OptionName.MODE, OptionName.HEADER);
                final int header = (Integer)c.get(1).value();
                final Object expected = c.get(0).equals(Option.list()) ? new String(line, StandardCharsets.ISO_8859_1)
                    : header > 0 ? HeaderPacket.of(line, header) : line;
                GenTcp.send(p.client, line);
                final Object got = GenTcp.recv(s, 0, 10_000); // raw or line: the whole line
                if (!(got instanceof byte[] b ? expected instanceof byte[] e && Arrays.equals(b, e)
                    : got.equals(expected)))
                {
                    disagreements++;
                }
            }
            for (final Thread t : setters)
            {
                t.join(10_000);
            }
            assertEquals(null, failure.get());
            assertEquals(0, disagreements, "rounds whose packet recv presented otherwise than C's options say");
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
