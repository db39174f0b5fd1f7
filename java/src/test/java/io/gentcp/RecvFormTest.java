package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private static final int ROUNDS = 20_000;
    /** The other thread flips until the receiver is done; this bounds it should that hang. */
    private static final int MAX_FLIPS = 100_000_000;
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
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread flipper = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < MAX_FLIPS && !done.get(); i++)
                    {
                        Inet.setopts(p.server, Option.packet(i % 2 == 0 ? PacketType.RAW : PacketType.HTTP_BIN));
                    }
                }
                catch (final Throwable e)
                {
                    failure.set(e);
                }
            }, "flipper");
            flipper.start();
            final List<String> malformed = new ArrayList<>();
            int bad = 0;
            int bytes = 0;
            int http = 0;
            try
            {
                for (int r = 0; r < ROUNDS; r++)
                {
                    GenTcp.send(p.client, REQUEST);
                    String problem;
                    try
                    {
                        final Object got = GenTcp.recv(p.server, 0, 10_000);
                        problem = problem(got);
                        bytes += got instanceof byte[] ? 1 : 0;
                        http += got instanceof HttpPacket ? 1 : 0;
                    }
                    catch (final RuntimeException e)
                    {
                        problem = e.toString();
                    }
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
            assertTrue(bytes > 0 && http > 0, "the flips overlapped the receives: " + bytes + " byte[], " + http +
                " HttpPackets");
        }
    }

    /** What is wrong with GOT, what a recv gave, or null when it is well-formed. */
    private static String problem(final Object got)
    {
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
            return request.toString().contains(ErlangTerms.binary(PATH)) ? null
                : "a request of another line: " + request;
        }
        if (got instanceof HttpPacket)
        {
            return null; // http_eoh (or what C made of a line after a flip)
        }
        return "neither bytes nor an HttpPacket: " + got;
    }
}
