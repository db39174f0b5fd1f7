package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams of every packet type over a veth pair between two namespaces, with a fault on the link
 * that TCP recovers from: random loss and duplication (nftables), a rate limit (tc tbf), the link
 * down for 2 s mid-transfer. Every packet must arrive whole and in order, no call may pass its
 * time limit, and the process's memory must stay bounded. Each prints its figures (bytes sent,
 * received intact, lost). Skipped, with the reason printed, when not root or without nft or tc.
 */
class NetFaultLinkTest
{
    private static final long SEED = Long.getLong("gentcp.netfault.seed", 15);
    private static final long BYTES_PER_STREAM = 4 * 1024 * 1024;
    private static final Duration HANG_BOUND = Duration.ofSeconds(120);

    @BeforeAll
    static void needs() throws Exception
    {
        NetFaultRig.assumeRoot("NetFaultLinkTest");
        NetFaultRig.assumeTool("NetFaultLinkTest", "nft", "--version");
        NetFaultRig.assumeTool("NetFaultLinkTest", "tc", "-V");
        NetFaultRig.assumeLinkFaults("NetFaultLinkTest");
    }

    private static void report(final String scenario, final NetFaultStreams.Totals t, final long rssBefore)
        throws Exception
    {
        NetFaultRig.report(t.line(scenario), rssBefore);
        assertEquals(t.sent(), t.received(), scenario + ": every byte sent arrived intact");
    }

    @Test
    void fivePercentLossAndDuplication() throws Exception
    {
        final long rss = NetFaultRig.rss();
        try (NetFaultRig rig = NetFaultRig.veth("l", 1))
        {
            // on A's end, both ways: 5% of the packets leaving and of those arriving are dropped, and
            // 5% of those leaving are sent twice (dup to the device itself, on its egress hook)
            final NetFaultStreams.Action lossAndDup = () -> rig.nft(rig.nsA, "table netdev netfault {\n" +
                "  chain out { type filter hook egress device " + rig.devA + " priority 0; policy accept;\n" +
                "    numgen random mod 100 < 5 counter drop comment \"loss-out\"\n" +
                "    numgen random mod 100 < 5 counter dup to " + rig.devA + " comment \"dup\"\n  }\n" +
                "  chain in { type filter hook ingress device " + rig.devA + " priority 0; policy accept;\n" +
                "    numgen random mod 100 < 5 counter drop comment \"loss-in\"\n  }\n" +
                "}\n");
            final NetFaultStreams.Totals t = assertTimeoutPreemptively(HANG_BOUND,
                () -> NetFaultStreams.run(rig, SEED, BYTES_PER_STREAM, lossAndDup, NetFaultStreams.Action.NONE,
                    NetFaultStreams.Action.NONE));
            final long lostOut = rig.nftPackets(rig.nsA, "loss-out");
            final long lostIn = rig.nftPackets(rig.nsA, "loss-in");
            final long duplicated = rig.nftPackets(rig.nsA, "dup");
            System.out.println("net-fault loss+dup: link dropped " + lostOut + " out, " + lostIn + " in, duplicated " +
                duplicated);
            // the faults were there: the rules dropped and duplicated packets of the transfer
            assertTrue(lostOut > 0 && lostIn > 0 && duplicated > 0, "the rules dropped and duplicated packets");
            report("loss+dup", t, rss);
        }
    }

    @Test
    void aRateLimitedLink() throws Exception
    {
        final long rss = NetFaultRig.rss();
        try (NetFaultRig rig = NetFaultRig.veth("r", 2))
        {
            // 16 Mbit/s each way, a 100 ms queue
            for (final String[] end : new String[][] {{rig.nsA, rig.devA}, {rig.nsB, rig.devB}})
            {
                rig.in(end[0], "tc", "qdisc", "add", "dev", end[1], "root", "tbf", "rate", "16mbit", "burst", "32kb",
                    "latency", "100ms");
            }
            final NetFaultStreams.Totals t = assertTimeoutPreemptively(HANG_BOUND,
                () -> NetFaultStreams.run(rig, SEED + 1, BYTES_PER_STREAM, NetFaultStreams.Action.NONE,
                    NetFaultStreams.Action.NONE, NetFaultStreams.Action.NONE));
            // the limit was met: tbf held packets back (overlimits) on both ends
            for (final String[] end : new String[][] {{rig.nsA, rig.devA}, {rig.nsB, rig.devB}})
            {
                final String stats = rig.in(end[0], "tc", "-s", "qdisc", "show", "dev", end[1]);
                final Matcher m = Pattern.compile("overlimits (\\d+)").matcher(stats);
                assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "tbf held packets back: " + stats);
            }
            report("rate-limit", t, rss);
        }
    }

    @Test
    void theLinkGoesDownForTwoSecondsMidTransfer() throws Exception
    {
        final long rss = NetFaultRig.rss();
        try (NetFaultRig rig = NetFaultRig.veth("d", 3))
        {
            // once a third of every stream is in, the link goes down; the senders go on into it,
            // and 2 s later it comes back
            final NetFaultStreams.Totals t = assertTimeoutPreemptively(HANG_BOUND,
                () -> NetFaultStreams.run(rig, SEED + 2, BYTES_PER_STREAM, NetFaultStreams.Action.NONE,
                    () -> rig.in(rig.nsA, "ip", "link", "set", rig.devA, "down"),
                    () ->
                    {
                        TimeUnit.SECONDS.sleep(2); // the length of the fault, not a wait for an event
                        rig.in(rig.nsA, "ip", "link", "set", rig.devA, "up");
                    }));
            assertTrue(t.millis() >= 2_000, "the transfer waited for the link");
            report("link-down-2s", t, rss);
        }
    }
}
