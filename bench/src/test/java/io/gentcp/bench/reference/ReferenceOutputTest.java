package io.gentcp.bench.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.Placement;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.Workload;

/** The C reference's output line and command line. */
class ReferenceOutputTest
{
    @Test
    void parsesTheExactLine()
    {
        assertEquals(new Figures(78812, 92790, 116803, 183004, 2126001, 15704),
            ReferenceOutput.parse(
                "p50_ns=78812 p90_ns=92790 p99_ns=116803 p999_ns=183004 max_ns=2126001 rtt_per_sec=15704\n"));
        assertEquals(new Figures(1, 2, 3, 4, 5, 0),
            ReferenceOutput.parse("p50_ns=1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\n",
        "garbage",
        "p50_ns=1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5",
        "p50_ns=1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6 extra=7",
        "p90_ns=2 p50_ns=1 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
        "p50_ns=1  p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
        "p50_ns=-1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
        "p50_ns=1.5 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
        "p50_ns=x p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
        "p50_ns=99999999999999999999 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
        "p50_ns=1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6\n" +
            "p50_ns=1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6\n",
        " p50_ns=1 p90_ns=2 p99_ns=3 p999_ns=4 max_ns=5 rtt_per_sec=6",
    })
    void rejectsAnythingElseNamingTheFormatAndQuotingTheOutput(final String output)
    {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> ReferenceOutput.parse(output));
        assertTrue(e.getMessage().startsWith("C reference: expected one line '" + ReferenceOutput.FORMAT + "', got "),
            e.getMessage());
        assertTrue(e.getMessage().endsWith(output.isEmpty() ? "got nothing" : "'"), e.getMessage());
    }

    @Test
    void quotesLongGarbageShortened()
    {
        final String message = assertThrows(IllegalArgumentException.class,
            () -> ReferenceOutput.parse("x".repeat(10_000))).getMessage();
        assertTrue(message.length() < 400, message);
        assertTrue(message.endsWith("...'"), message);
    }

    @Test
    void commandLinePassesTheWorkloadAndTheIdleString()
    {
        final Workload w = new Workload(PacketType.TWO, 100, 500, 7, IdleStrategy.spin(25));
        assertEquals(List.of("/x/pingpong_ref", "--packet", "2", "--size", "100", "--count", "500", "--warmup", "7",
            "--idle", "spin:25", "--server-cpu", "0", "--client-cpu", "1"),
            CReference.command(Path.of("/x/pingpong_ref"), w, new Placement(0, 1)));
        final Workload raw = new Workload(PacketType.RAW, 1, 1, 0, IdleStrategy.busyPoll());
        assertEquals(List.of("p", "--packet", "0", "--size", "1", "--count", "1", "--warmup", "0", "--idle", "busy",
            "--server-cpu", "-1", "--client-cpu", "-1"), CReference.command(Path.of("p"), raw, Placement.ANY));
    }

    @Test
    void commandLineNamesEachEndsWaitOnlyWhenItIsNotRecv()
    {
        final Workload w = new Workload(PacketType.FOUR, 64, 10, 0, IdleStrategy.block());
        assertEquals(List.of("p", "--packet", "4", "--size", "64", "--count", "10", "--warmup", "0", "--idle", "block",
            "--server-cpu", "-1", "--client-cpu", "-1", "--server-wait", "epoll", "--client-wait", "epoll"),
            CReference.command(Path.of("p"), w, Placement.ANY, CReference.Wait.EPOLL, CReference.Wait.EPOLL));
        assertEquals(List.of("p", "--packet", "4", "--size", "64", "--count", "10", "--warmup", "0", "--idle", "block",
            "--server-cpu", "-1", "--client-cpu", "-1", "--client-wait", "epoll"),
            CReference.command(Path.of("p"), w, Placement.ANY, CReference.Wait.RECV, CReference.Wait.EPOLL));
    }
}
