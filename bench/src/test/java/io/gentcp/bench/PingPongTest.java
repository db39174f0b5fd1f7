package io.gentcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;

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
        check(PingPongCommand.gentcp(workload, Placement.ANY));
        check(PingPongCommand.nio(workload, Placement.ANY));
        // both ends on CPU 0, as --cpus 0,0 asks
        check(PingPongCommand.gentcp(workload, new Placement(0, 0)));
        check(PingPongCommand.nio(workload, new Placement(0, 0)));
    }

    @ParameterizedTest
    @CsvSource({"4, 64, block", "0, 10, busy"})
    void cReferenceRunsFromTheClasspath(final int packet, final int size, final String idle) throws Exception
    {
        check(CReference.run(new Workload(PacketType.of(packet), size, 200, 20, IdleStrategy.parse(idle)), Placement.ANY));
    }

    /** --active-floor's rows: C waiting in epoll at either end, and gentcp's {active, once} client against C's echo. */
    @ParameterizedTest
    @CsvSource({"4, 64, block", "2, 10, busy", "0, 100, spin:20"})
    void activeFloorRowsRun(final int packet, final int size, final String idle) throws Exception
    {
        final Workload workload = new Workload(PacketType.of(packet), size, 200, 20, IdleStrategy.parse(idle));
        check(CReference.run(workload, Placement.ANY, CReference.Wait.EPOLL, CReference.Wait.EPOLL));
        check(CReference.run(workload, new Placement(0, 0), CReference.Wait.RECV, CReference.Wait.EPOLL));
        check(PingPongCommand.gentcpActiveAgainstC(workload, Placement.ANY));
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
