package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.Main;
import io.gentcp.bench.ToolRun;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.VirtualThreads;
import io.gentcp.bench.roundtrip.Workload;

/**
 * {@code pingpong}'s virtual-thread rows, short: gentcp and java.net with both ends on virtual
 * threads, for every framing; {@code --threads}; and on Java 17-20 the message saying they need
 * Java 21. Skipped before Java 21 with a printed reason, except that last test.
 */
@Timeout(60)
class VirtualPingPongTest
{
    private final ToolRun tool = new ToolRun();

    @ParameterizedTest
    @CsvSource({"0, 1", "0, 100000", "1, 255", "2, 0", "4, 64", "4, 70000"})
    void gentcpAndJavaNetRunTheWorkloadOnVirtualThreads(final int packet, final int size) throws Exception
    {
        ManyEchoTest.needsVirtualThreads();
        final Workload workload = new Workload(PacketType.of(packet), size, 200, 20, IdleStrategy.block());
        check(PingPongCommand.gentcpVirtual(workload).figures());
        check(PingPongCommand.javaNetVirtual(workload).figures());
    }

    @Test
    void threadsVirtualPrintsTheCReferenceThenTheVirtualRows()
    {
        ManyEchoTest.needsVirtualThreads();
        final List<String> lines = tool.succeed("pingpong", "--threads", "virtual", "--count", "200", "--warmup", "20");
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(LatencyReport.TABLE_HEADER, lines.get(0));
        final String figures = "( +\\d+\\.\\d){5} +\\d+ +\\d+\\.\\d\\d"; // 5 times in us, rtt/s, vs C
        assertTrue(lines.get(1).matches("C reference" + figures), lines.get(1));
        assertTrue(lines.get(2).matches("gentcp \\(virtual\\)" + figures), lines.get(2));
        assertTrue(lines.get(3).matches("java\\.net \\(virtual\\)" + figures), lines.get(3));
    }

    @Test
    void beforeJava21ThreadsVirtualSaysItNeedsVirtualThreadsAndExits1()
    {
        assumeFalse(VirtualThreads.available(), "this JVM has virtual threads");
        assertEquals(Main.FAILED, tool.run("pingpong", "--threads", "both", "--count", "10"));
        assertEquals("gentcp: pingpong: --threads both needs virtual threads (Java 21+); this is Java " +
            System.getProperty("java.version") + System.lineSeparator(), tool.err());
        assertEquals("", tool.out());
    }

    private static void check(final Figures f)
    {
        assertTrue(f.p50Ns() > 0 && f.p50Ns() <= f.p90Ns() && f.p90Ns() <= f.p99Ns() && f.p99Ns() <= f.p999Ns() &&
            f.p999Ns() <= f.maxNs(), f.toString());
        assertTrue(f.roundTripsPerSecond() > 0, f.toString());
    }
}
