package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.Placement;
import io.gentcp.bench.reference.CReference;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.NioMode;
import io.gentcp.bench.roundtrip.Workload;

/** pingpong's gentcp and java.nio runs, short, for every framing and both nio modes. */
@Timeout(60)
class PingPongTest
{
    @ParameterizedTest
    @CsvSource({
        "0, 1, block", "0, 100000, block", "1, 255, block", "2, 0, block", "4, 64, block", "4, 70000, block",
        "0, 64, busy", "4, 64, busy", "4, 64, spin:20"})
    void gentcpAndNioRunTheWorkload(final int packet, final int size, final String idle) throws IOException
    {
        final Workload workload = new Workload(PacketType.of(packet), size, 200, 20, IdleStrategy.parse(idle));
        check(PingPongCommand.gentcp(workload, Placement.ANY).figures());
        check(PingPongCommand.nio(workload, Placement.ANY).figures());
        // both ends on CPU 0, as --cpus 0,0 asks
        check(PingPongCommand.gentcp(workload, new Placement(0, 0)).figures());
        check(PingPongCommand.nio(workload, new Placement(0, 0)).figures());
    }

    @ParameterizedTest
    @CsvSource({"4, 64, block", "0, 10, busy"})
    void cReferenceRunsFromTheClasspath(final int packet, final int size, final String idle) throws Exception
    {
        check(CReference.run(new Workload(PacketType.of(packet), size, 200, 20, IdleStrategy.parse(idle)),
            Placement.ANY));
    }

    /** --active-floor's rows: C waiting in epoll at either end, and gentcp's {active, once} client against C's echo. */
    @ParameterizedTest
    @CsvSource({"4, 64, block", "2, 10, busy", "0, 100, spin:20"})
    void activeFloorRowsRun(final int packet, final int size, final String idle) throws Exception
    {
        final Workload workload = new Workload(PacketType.of(packet), size, 200, 20, IdleStrategy.parse(idle));
        check(CReference.run(workload, Placement.ANY, CReference.Wait.EPOLL, CReference.Wait.EPOLL));
        check(CReference.run(workload, new Placement(0, 0), CReference.Wait.RECV, CReference.Wait.EPOLL));
        check(PingPongCommand.gentcpActiveAgainstC(workload, Placement.ANY).figures());
    }

    /**
     * The whole command with --runs and --active-floor: every run's table, then the medians, each with its floor
     * line.
     */
    @org.junit.jupiter.api.Test
    void runsPrintEachTableThenTheMedians() throws Exception
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final String[] args = {"pingpong", "--count", "200", "--warmup", "20", "--runs", "2", "--active-floor"};
        PingPongCommand.run(Flags.parse("pingpong", args, 1, PingPongCommand.FLAGS),
            new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        final java.util.List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals(java.util.List.of("run 1 of 2:", "run 2 of 2:", "median of 2 runs:"),
            lines.stream().filter(l -> l.startsWith("run ") || l.startsWith("median ")).toList());
        assertEquals(3, lines.stream().filter(l -> l.matches(
            "active floor: gentcp \\{active,once\\} / C epoll p50 = \\d+\\.\\d{3} both ends, " +
                "\\d+\\.\\d{3} client against the C echo"))
            .count(), lines.toString());
        final int median = lines.indexOf("median of 2 runs:");
        for (final String row : java.util.List.of("C reference", "gentcp", "gentcp {active,once}", "C epoll",
            "C epoll vs C echo", "gentcp once vs C echo"))
        {
            final java.util.function.Predicate<String> isRow = l -> l.startsWith(row) &&
                l.substring(row.length()).matches(" +\\d.*");
            assertEquals(3, lines.stream().filter(isRow).count(), row + ": " + lines);
            assertTrue(lines.subList(median, lines.size()).stream().anyMatch(isRow), row);
        }
    }

    @org.junit.jupiter.api.Test
    void aMedianTakesEachFigureOnItsOwn()
    {
        final Figures m = PingPongCommand.median(java.util.List.of(new Figures(3, 30, 300, 3000, 9, 1.0),
            new Figures(1, 10, 100, 1000, 8, 3.0), new Figures(2, 20, 200, 2000, 7, 2.0)));
        assertEquals(new Figures(2, 20, 200, 2000, 8, 2.0), m);
    }

    private static void check(final Figures f)
    {
        assertTrue(f.p50Ns() > 0 && f.p50Ns() <= f.p90Ns() && f.p90Ns() <= f.p99Ns() && f.p99Ns() <= f.p999Ns() &&
            f.p999Ns() <= f.maxNs(), f.toString());
        assertTrue(f.roundTripsPerSecond() > 0, f.toString());
    }

    @ParameterizedTest
    @CsvSource({"block, java.nio", "busy, java.nio", "spin:10, java.nio (block)"})
    void nioLabelSaysWhenItRunsBlockInstead(final String idle, final String label)
    {
        assertEquals(label, NioMode.label(IdleStrategy.parse(idle)));
    }
}
