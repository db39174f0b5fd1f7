package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.JsonCheck;
import io.gentcp.bench.Main;
import io.gentcp.bench.roundtrip.EchoServer;
import io.gentcp.bench.roundtrip.GenTcpRoundTrip;
import io.gentcp.bench.roundtrip.Measured;
import io.gentcp.bench.roundtrip.RoundTripSampler;
import io.gentcp.bench.roundtrip.Workload;
import io.gentcp.bench.transfer.SinkBlastTest;
import io.gentcp.bench.transfer.Transfer;

/** --json: every line one object the strict reader accepts, with the figures the text line has. */
@Timeout(120)
class JsonOutputTest
{
    private static final List<String> LATENCY_KEYS = List.of("p50_us", "p90_us", "p99_us", "p99.9_us", "p99.99_us",
        "max_us", "count", "round_trips_per_s");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private List<Map<String, Object>> run(final String... args)
    {
        final int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        final List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(!lines.isEmpty());
        return lines.stream().map(JsonCheck::parse).toList();
    }

    /** The figure after NAME in a text line: {@code p50 12.3 us} or {@code p50_us=12.3}. */
    private static String textFigure(final List<String> lines, final String prefix)
    {
        for (final String line : lines)
        {
            if (line.startsWith(prefix))
            {
                return line.substring(prefix.length()).split("[ ]")[0];
            }
        }
        throw new AssertionError(prefix + " not in " + lines);
    }

    @Test
    void aPingObjectHasTheFiguresOfThePingLines() throws Exception
    {
        final Workload workload = new Workload(PacketType.FOUR, 64, 300, 30, IdleStrategy.block());
        final Measured m;
        try (EchoServer server = EchoServer.start(0, PacketType.FOUR, 1);
            GenTcpRoundTrip client = GenTcpRoundTrip.connect("127.0.0.1", server.port(), workload.packet(),
                workload.size(), workload.idle()))
        {
            m = RoundTripSampler.sample(client, workload.warmup(), workload.count());
        }
        final Map<String, Object> o = JsonCheck.parse(LatencyJson.ping(m));
        final List<String> text = LatencyReport.lines(m.figures());
        assertEquals("ping", o.get("type"));
        assertEquals(new BigDecimal(textFigure(text, "p50 ")), o.get("p50_us"));
        assertEquals(new BigDecimal(textFigure(text, "p90 ")), o.get("p90_us"));
        assertEquals(new BigDecimal(textFigure(text, "p99 ")), o.get("p99_us"));
        assertEquals(new BigDecimal(textFigure(text, "p99.9 ")), o.get("p99.9_us"));
        assertEquals(new BigDecimal(textFigure(text, "max ")), o.get("max_us"));
        assertEquals(new BigDecimal(textFigure(text, "round trips/s ")), o.get("round_trips_per_s"));
        assertEquals(new BigDecimal(300), o.get("count"));
        final BigDecimal p9999 = (BigDecimal)o.get("p99.99_us");
        assertTrue(p9999.compareTo((BigDecimal)o.get("p99.9_us")) >= 0 &&
            p9999.compareTo((BigDecimal)o.get("max_us")) <= 0, o.toString());
    }

    @Test
    void thePingCommandPrintsOneObject()
    {
        try (EchoServer server = EchoServer.start(0, PacketType.FOUR, 1))
        {
            final List<Map<String, Object>> objects = run("ping", "--host=127.0.0.1", "--port",
                Integer.toString(server.port()), "--count=200", "--warmup=20", "--json");
            assertEquals(1, objects.size());
            final Map<String, Object> o = objects.get(0);
            assertEquals(List.of("type", "p50_us", "p90_us", "p99_us", "p99.9_us", "p99.99_us", "max_us", "count",
                "round_trips_per_s"), List.copyOf(o.keySet()));
            assertEquals(new BigDecimal(200), o.get("count"));
        }
    }

    @Test
    void pingpongPrintsAnObjectPerRowAndPerMedian()
    {
        final List<Map<String, Object>> objects = run("pingpong", "--count", "100", "--warmup", "10", "--runs=2",
            "--json");
        final List<String> rows = List.of("C reference", "gentcp", "gentcp {active,once}", "java.nio");
        assertEquals(3 * rows.size(), objects.size(), objects.toString());
        for (int i = 0; i < objects.size(); i++)
        {
            final Map<String, Object> o = objects.get(i);
            final boolean median = i >= 2 * rows.size();
            assertEquals(median ? "median" : "row", o.get("type"), o.toString());
            assertEquals(new BigDecimal(median ? 2 : 1 + i / rows.size()), o.get(median ? "runs" : "run"));
            assertEquals(rows.get(i % rows.size()), o.get("impl"));
            assertTrue(o.keySet().containsAll(LATENCY_KEYS) && o.containsKey("vs_c_p50"), o.toString());
            final boolean histogram = !median && i % rows.size() != 0;
            assertEquals(histogram, o.get("p99.99_us") != null, o.toString());
            assertEquals(median ? null : new BigDecimal(100), o.get("count"), o.toString());
        }
    }

    @Test
    void throughputPrintsAnObjectPerRow()
    {
        final List<Map<String, Object>> objects = run("throughput", "--bytes", "262144", "--messages", "200", "--json");
        assertEquals(2 * ThroughputCommand.ROWS.length, objects.size(), objects.toString());
        for (int i = 0; i < objects.size(); i++)
        {
            final Map<String, Object> o = objects.get(i);
            final ThroughputCommand.Impl[] pair = ThroughputCommand.ROWS[i % ThroughputCommand.ROWS.length];
            assertEquals(List.of("type", "table", "send_size", "bytes", "runs", "sender", "receiver", "mib_per_s",
                "msg_per_s", "vs_c"), List.copyOf(o.keySet()));
            assertEquals(i < ThroughputCommand.ROWS.length ? "raw" : "packet4", o.get("table"));
            assertEquals(pair[0].label, o.get("sender"));
            assertEquals(pair[1].label, o.get("receiver"));
            assertEquals(new BigDecimal(i < ThroughputCommand.ROWS.length ? 262144 : 200 * 1024), o.get("bytes"));
        }
        assertEquals(new BigDecimal("1.00"), objects.get(0).get("vs_c"));
    }

    @Test
    void aTransferObjectHasTheFiguresOfItsLine()
    {
        final Transfer t = new Transfer(3_000_000, 47, 1_234_567_891);
        final Map<String, Object> o = JsonCheck.parse(t.json("transfer"));
        final String line = t.line();
        for (final String[] k : new String[][] {{"bytes", "bytes="}, {"packets", "packets="}, {"seconds", "seconds="},
            {"mib_per_s", "MiB/s="}, {"msg_per_s", "msg/s="}})
        {
            final String text = line.substring(line.indexOf(k[1]) + k[1].length()).split(" ")[0];
            assertEquals(new BigDecimal(text), o.get(k[0]), k[0] + " in " + line);
        }
    }

    @Test
    void sinkAndBlastPrintObjects() throws Exception
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final PrintStream sinkOut = new PrintStream(new SinkBlastTest.Lines(lines), true, StandardCharsets.UTF_8);
        final Thread command = new Thread(() -> Main.run(new String[] {"sink", "--port=0", "--json"}, sinkOut,
            System.err), "sink-command");
        command.setDaemon(true); // the command runs until killed, as it does for its users
        command.start();
        final String first = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(first);
        final Map<String, Object> listening = JsonCheck.parse(first);
        assertEquals(List.of("type", "port"), List.copyOf(listening.keySet()));
        assertEquals("listening", listening.get("type"));
        final List<Map<String, Object>> sent = run("blast", "--host", "127.0.0.1", "--port=" + listening.get("port"),
            "--size", "1000", "--bytes", "10000", "--json");
        assertEquals(1, sent.size());
        assertEquals(new BigDecimal(10), sent.get(0).get("packets"));
        final String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line);
        final Map<String, Object> received = JsonCheck.parse(line);
        assertEquals("transfer", received.get("type"));
        assertEquals(new BigDecimal(10000), received.get("bytes"));
    }

    @Test
    void aFaninObjectHasTheFiguresOfItsLine()
    {
        final FaninResult r = new FaninResult(1000, 123_456.7, 45_678, 99_000, 123_456, 2_000_000, 1_500_000, 50);
        final Map<String, Object> o = JsonCheck.parse(FaninJson.round(2, "nio", r));
        final String line = r.line();
        for (final String[] k : new String[][] {{"connections", "connections="}, {"msg_per_s", "msg/s="},
            {"p50_us", "p50_us="}, {"p99_us", "p99_us="}, {"p99.9_us", "p99.9_us="}, {"cpu_us_per_rt", "cpu_us/rt="},
            {"user_us_per_rt", "user_us/rt="}})
        {
            final String text = line.substring(line.indexOf(k[1]) + k[1].length()).split(" ")[0];
            assertEquals(new BigDecimal(text), o.get(k[0]), k[0] + " in " + line);
        }
        assertEquals(new BigDecimal(1000), o.get("count"));
        final Map<String, Object> none = JsonCheck.parse(FaninJson.round(1, "nio",
            new FaninResult(0, 0, 0, 0, 0, 0, 0, 1)));
        assertNull(none.get("cpu_us_per_rt")); // the text says NaN
    }

    @Test
    void faninPrintsAnObjectPerLine()
    {
        final List<Map<String, Object>> objects = run("fanin", "--connections", "4", "--seconds", "1",
            "--warmup-seconds", "0", "--rounds", "1", "--servers", "c-epoll", "--json");
        assertEquals(List.of("settings", "server", "round", "median", "best", "comparison", "user_part"),
            objects.stream().map(o -> o.get("type")).toList(), objects.toString());
        assertEquals("c-epoll", objects.get(2).get("server"));
        assertEquals(objects.get(2).get("p50_us"), objects.get(3).get("p50_us")); // the median of one run
        assertNull(objects.get(4).get("server")); // no gentcp mailbox server ran
        assertNull(objects.get(5).get("gentcp_c_cpu_us_per_rt"));
    }
}
