package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A recv overlapping a setopts that changes how packets are presented: each packet comes in
 * the form C took it in (the C side: test_rbuf.c, test_recv_tells_the_form).
 */
@Timeout(120)
class RecvFormTest
{
    /** The flips the other thread makes; the receiver goes on while it flips (at most MAX_ROUNDS). */
    private static final int FLIPS = 4_000_000;
    private static final int MAX_ROUNDS = 1_000_000;
    /** A request without headers: each of its two packets is complete without a byte after it. */
    private static final String REQUEST = "GET /form HTTP/1.1\r\n\r\n";
    private static final byte[] PATH = {'/', 'f', 'o', 'r', 'm'};

    /**
     * One thread receives requests while another flips the packet type between
     * {@code http_bin} and {@code raw}: every result is well-formed for the form it has (an
     * HttpPacket that C parsed, or bytes of the stream), never one packet read in the other
     * form (an IO block read as bytes, or bytes read as an IO block).
     */
    @Test
    void aPacketComesInTheFormItWasTakenInWhileTheTypeFlips() throws Exception
    {
        try (Pair p = Pair.of(Option.binary()))
        {
            Inet.setopts(p.server, Option.packet(PacketType.HTTP_BIN));
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicBoolean flipping = new AtomicBoolean(true);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread flipper = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < FLIPS && !done.get(); i++)
                    {
                        Inet.setopts(p.server, Option.packet(i % 2 == 0 ? PacketType.RAW : PacketType.HTTP_BIN));
                    }
                }
                catch (final Throwable e)
                {
                    failure.set(e);
                }
                finally
                {
                    flipping.set(false);
                }
            }, "flipper");
            flipper.start();
            final List<String> malformed = new ArrayList<>();
            int bad = 0;
            try
            {
                for (int r = 0; r < MAX_ROUNDS && flipping.get(); r++)
                {
                    GenTcp.send(p.client, REQUEST);
                    final String problem = problem(() -> GenTcp.recv(p.server, 0, 10_000));
                    if (problem != null)
                    {
                        bad++;
                        if (malformed.size() < 5)
                        {
                            malformed.add("round " + r + ": " + problem);
                        }
                    }
                }
            }
            finally
            {
                done.set(true);
                flipper.join(10_000);
            }
            assertNull(failure.get());
            assertEquals(0, bad, "results not well-formed for their form, e.g. " + malformed);
        }
    }

    /** What is wrong with what RECV gives, or null when it is well-formed. */
    private static String problem(final java.util.function.Supplier<Object> recv)
    {
        final Object got;
        try
        {
            got = recv.get();
        }
        catch (final RuntimeException e)
        {
            return e.toString();
        }
        if (got instanceof byte[] bytes)
        {
            // Raw bytes are pieces of the stream of request lines: no IO block's binary slots.
            for (final byte b : bytes)
            {
                if (REQUEST.indexOf((char)(b & 0xff)) < 0)
                {
                    return "bytes that are not the stream's: " + ErlangTerms.binary(bytes);
                }
            }
            return null;
        }
        if (got instanceof HttpRequest request)
        {
            // http_bin: the path is a binary
            return request.toString().contains(ErlangTerms.binary(PATH)) ? null : "a request of another line: " + request;
        }
        if (got instanceof HttpPacket)
        {
            return null; // http_eoh (or what C made of a line after a flip)
        }
        return "neither bytes nor an HttpPacket: " + got;
    }
}
