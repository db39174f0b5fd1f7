package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams of every packet type over a path with 50 ms of delay each way, 20 ms of seeded jitter
 * and so reordering: the kernel here (and in CI) has no netem qdisc, so the path is two TUN
 * devices joined by tun_relay (native/tools/tun_relay.c; its path comes in -Dgentcp.tunRelay,
 * set by the pom's test-net-faults execution). Every packet must arrive whole and in order, no
 * call may pass its time limit, and memory stays bounded. Skipped, with the reason printed, when
 * not root, without /dev/net/tun or without the relay.
 */
class NetFaultDelayTest
{
    private static final long SEED = Long.getLong("gentcp.netfault.seed", 15);
    private static final int DELAY_MS = 50;
    private static final int JITTER_MS = 20;
    private static final long BYTES_PER_STREAM = 4 * 1024 * 1024;
    private static final Duration HANG_BOUND = Duration.ofSeconds(120);
    private static File relay;

    @BeforeAll
    static void needs()
    {
        NetFaultRig.assumeRoot("NetFaultDelayTest");
        NetFaultRig.assumeTool("NetFaultDelayTest", "test", "-c", "/dev/net/tun");
        relay = new File(System.getProperty("gentcp.tunRelay", "target/cmake/tun_relay"));
        NetFaultRig.assumeTool("NetFaultDelayTest", "test", "-x", relay.getPath());
    }

    @Test
    void fiftyMillisecondsOfDelayWithJitterAndReordering() throws Exception
    {
        final long rss = NetFaultRig.rss();
        try (NetFaultRig rig = NetFaultRig.tunRelay("j", 7, relay, DELAY_MS, JITTER_MS, SEED))
        {
            final NetFaultStreams.Totals t = assertTimeoutPreemptively(HANG_BOUND,
                () -> NetFaultStreams.run(rig, SEED + 3, BYTES_PER_STREAM, NetFaultStreams.Action.NONE,
                    NetFaultStreams.Action.NONE, NetFaultStreams.Action.NONE));
            final String counts = rig.stopRelay();
            System.out.println("net-fault delay+jitter: " + counts);
            // the path did what it is for: the relay moved the packets, and reordered some
            final Matcher m = Pattern.compile("moved (\\d+) reordered (\\d+)").matcher(counts);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(2)) > 0, counts);
            NetFaultRig.report(t.line("delay-50ms+jitter-20ms"), rss);
            assertEquals(t.sent(), t.received(), "every byte sent arrived intact");
        }
    }
}
