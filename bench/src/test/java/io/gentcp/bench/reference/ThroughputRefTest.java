package io.gentcp.bench.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.gentcp.PacketType;

/** The command lines ThroughputRef gives the C throughput reference (its runs are ThroughputCommandTest's). */
class ThroughputRefTest
{
    @Test
    void theCommandLinesOfTheCReference()
    {
        assertEquals(List.of("/x/t", "sink", "--packet", "4", "--cpu", "0"),
            ThroughputRef.sinkCommand(Path.of("/x/t"), PacketType.FOUR, 0));
        assertEquals(List.of("/x/t", "blast", "--port", "99", "--packet", "0", "--size", "65536", "--bytes", "1000",
            "--cpu", "-1"), ThroughputRef.blastCommand(Path.of("/x/t"), 99, PacketType.RAW, 65536, 1000, -1));
        assertEquals(List.of("/x/t", "sink", "--packet", "4", "--cpu", "0", "--nodelay", "1"),
            ThroughputRef.sinkCommand(Path.of("/x/t"), PacketType.FOUR, 0, true));
        assertEquals(List.of("/x/t", "blast", "--port", "99", "--packet", "0", "--size", "65536", "--bytes", "1000",
            "--cpu", "-1", "--nodelay", "1"), ThroughputRef.blastCommand(Path.of("/x/t"), 99, PacketType.RAW, 65536,
            1000, -1, true));
    }
}
