package io.gentcp;

import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of ParkingPollerTest, run with one carrier: a virtual thread parks in recv inside
 * a class initializer, which pins it to that carrier, so the parking poller (a virtual thread
 * too) cannot run. The data that is then sent must still wake it, long before its time limit.
 * Prints "received after N ms", and exits 0 if that was prompt; else 1.
 */
final class PinnedWaitChild
{
    static final long RECV_MS = 20_000;
    static final long PROMPT_MS = 5_000;
    static Socket server;

    private PinnedWaitChild()
    {
    }

    /** Its initializer runs on the virtual thread that first touches it: pinned meanwhile. */
    static final class PinnedRecv
    {
        static final byte[] GOT = GenTcp.recv(server, 0, RECV_MS);

        private PinnedRecv()
        {
        }
    }

    public static void main(final String[] args)
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            server = p.server;
            final byte[][] got = new byte[1][];
            final Throwable[] failed = new Throwable[1];
            final Thread t = VirtualThreadTest.startVirtual(() ->
            {
                try
                {
                    got[0] = PinnedRecv.GOT;
                }
                catch (final Throwable e)
                {
                    failed[0] = e;
                }
            });
            VirtualThreadTest.awaitParked(t);
            final long t0 = System.nanoTime();
            GenTcp.send(p.client, "wake");
            t.join(RECV_MS + PROMPT_MS);
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (failed[0] != null || got[0] == null || !"wake".equals(new String(got[0], StandardCharsets.UTF_8)))
            {
                System.out.println("nothing received: after " + ms + " ms, " + failed[0]);
                System.exit(1);
            }
            System.out.println("received after " + ms + " ms");
            System.exit(ms < PROMPT_MS ? 0 : 1);
        }
        catch (final Throwable e)
        {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
