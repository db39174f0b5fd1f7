package io.gentcp.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.roundtrip.EchoServer;
import io.gentcp.bench.roundtrip.VirtualThreads;

/** The command line: usage, exit statuses, and ping against an in-process echo server. */
@Timeout(60)
class MainTest
{
    private final ToolRun tool = new ToolRun();

    @Test
    void helpPrintsUsageToStdoutAndSucceeds()
    {
        assertEquals(0, tool.run("--help"));
        assertEquals(Usage.top(), tool.out());
        assertEquals("", tool.err());
        assertEquals(0, tool.run("ping", "--help"));
        assertEquals(Usage.of("ping"), tool.out());
        assertEquals("", tool.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "bogus",
        "echo",
        "echo --port 70000",
        "echo --port 0 --workers 0",
        "echo --port 0 --packet 3",
        "echo --port 0 --size 4",
        "ping --port 1",
        "ping --host h",
        "ping --host h --port 1 --count 0",
        "ping --host h --port 1 --count x",
        "ping --host h --port 1 --idle spin",
        "ping --host h --port 1 --packet 1 --size 256",
        "ping --host h --port 1 --packet 0 --size 0",
        "ping --host h --port 1 --size",
        "ping --host h --port 1 --port 2",
        "pingpong --host h",
        "pingpong --warmup -1",
        "pingpong --threads green",
        "pingpong --threads virtual --cpus 0,1",
        "pingpong --threads virtual --active-floor",
        "pingpong --active-floor yes",
        "pingpong --runs 0",
        "pingpong --runs 101",
        "manyecho --clients 0",
        "manyecho --clients 100001",
        "manyecho --rounds 0",
        "manyecho --pause-ms -1",
        "manyecho --size 0",
        "manyecho --timeout-ms 0",
        "manyecho --server netty",
        "manyecho --server",
        "manyecho --runs 0",
        "manyecho --port 1",
        "manyecho-clients --clients 1",
        "sink",
        "sink --port 70000",
        "sink --port 0 --packet http",
        "sink --port 0 --size 4",
        "blast --port 1",
        "blast --host h",
        "blast --host h --port 0",
        "blast --host h --port 1 --size 0",
        "blast --host h --port 1 --bytes -1",
        "blast --host h --port 1 --bytes x",
        "blast --host h --port 1 --packet 1 --size 256",
        "blast --host h --port 1 --packet 2 --size 65536",
        "blast --host h --port 1 --packet line",
        "blast --host h --port 1 --delay-send true",
        "blast --host h --port 1 --delay-send --delay-send",
        "blast --host h --port 1 --nodelay 1",
        "sink --port 0 --delay-send",
        "sink --port 0 --nodelay yes",
        "throughput --delay-send",
        "throughput --nodelay --nodelay",
        "ping --host h --port 1 --nodelay",
        "throughput --bytes 100",
        "throughput --messages 0",
        "throughput --cpus 1",
        "throughput --runs 0",
        "throughput --runs 101",
        "throughput --packet 4",
    })
    void aBadCommandLinePrintsOneLineToStderrAndExits2(final String line)
    {
        final String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertEquals(Main.USAGE, tool.run(args));
        final String command = args.length > 0 && Usage.has(args[0]) ? args[0] + " " : "";
        assertTrue(tool.err().startsWith("gentcp: "), tool.err());
        assertTrue(tool.err().endsWith("; see 'gentcp " + command + "--help'" + System.lineSeparator()), tool.err());
        assertEquals(1, tool.err().lines().count(), tool.err());
        assertEquals("", tool.out());
    }

    @Test
    void jmhRunsTheVirtualThreadBenchmarkOnlyWhereThereAreVirtualThreads()
    {
        final String[] args = {"-f", "1", "PingPong"};
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] passed = Main.jmhArguments(args, new PrintStream(err, true, StandardCharsets.UTF_8));
        if (VirtualThreads.available())
        {
            assertArrayEquals(args, passed);
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        }
        else
        {
            assertArrayEquals(new String[] {"-f", "1", "PingPong", "-e", "VirtualPingPongBenchmark"}, passed);
            assertEquals("gentcp: jmh: VirtualPingPongBenchmark skipped: it needs virtual threads (Java 21+); " +
                "this is Java " + System.getProperty("java.version") + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFailedRunExits1WithOneLine()
    {
        final int port;
        try (EchoServer server = EchoServer.start(0, PacketType.RAW, 1))
        {
            port = server.port(); // free once the server has stopped
        }
        assertEquals(Main.FAILED, tool.run("ping", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        assertEquals("gentcp: ping: connect 127.0.0.1 port " + port + ": econnrefused" + System.lineSeparator(),
            tool.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2", "4", "raw"})
    void pingPrintsTheFigures(final String packet)
    {
        final PacketType type = "raw".equals(packet) ? PacketType.RAW : PacketType.of(Integer.parseInt(packet));
        try (EchoServer server = EchoServer.start(0, type, 1, IdleStrategy.block(), System.err))
        {
            assertEquals(0, tool.run("ping", "--host", "127.0.0.1", "--port", Integer.toString(server.port()),
                "--packet", packet, "--size", "100", "--count", "200", "--warmup", "10"), tool.err());
        }
        final String[] lines = tool.out().split(System.lineSeparator());
        assertEquals(6, lines.length, tool.out());
        final String[] names = {"p50", "p90", "p99", "p99.9", "max"};
        for (int i = 0; i < names.length; i++)
        {
            assertTrue(lines[i].matches(Pattern.quote(names[i]) + " \\d+\\.\\d us"), lines[i]);
        }
        assertTrue(lines[5].matches("round trips/s \\d+"), lines[5]);
    }

    @Test
    void pingWithTimestampsSplitsEachRoundTripByTheKernelsStamps()
    {
        try (EchoServer server = EchoServer.start(0, PacketType.of(4), 1, IdleStrategy.block(), System.err))
        {
            final String port = Integer.toString(server.port());
            assertEquals(0, tool.run("ping", "--host", "127.0.0.1", "--port", port, "--packet", "4", "--size", "64",
                "--count", "300", "--warmup", "20", "--timestamps"), tool.err());
            final String[] lines = tool.out().split(System.lineSeparator());
            assertEquals(12, lines.length, tool.out());
            assertTrue(lines[0].matches("p50 \\d+\\.\\d us"), lines[0]); // the figures first, as without
            final java.util.regex.Matcher stamped =
                Pattern.compile("timestamps: (\\d+) of 300 round trips stamped .*").matcher(lines[6]);
            assertTrue(stamped.matches(), lines[6]);
            assertTrue(Integer.parseInt(stamped.group(1)) > 0, lines[6]); // on loopback, all of them as a rule
            final String[] parts = {"send", "ack", "reply", "receive"};
            for (int i = 0; i < parts.length; i++)
            {
                assertTrue(lines[7 + i].matches(parts[i] + " p50 \\d+\\.\\d us p99 \\d+\\.\\d us \\(.*\\)"),
                    lines[7 + i]);
            }
            assertTrue(lines[11].contains("peer"), lines[11]);

            assertEquals(0, tool.run("ping", "--host", "127.0.0.1", "--port", port, "--packet", "4", "--size", "64",
                "--count", "100", "--warmup", "10", "--timestamps", "--json"), tool.err());
            final String json = tool.out().trim();
            for (final String key : List.of("\"stamped\":", "\"send_p50_us\":", "\"ack_p99_us\":",
                "\"reply_p50_us\":", "\"receive_p99_us\":", "\"p50_us\":"))
            {
                assertTrue(json.contains(key), json);
            }

            assertEquals(Main.USAGE, tool.run("ping", "--host", "127.0.0.1", "--port", port, "--active", "once",
                "--timestamps"));
            assertTrue(tool.err().contains("--timestamps"), tool.err());
        }
    }
}
