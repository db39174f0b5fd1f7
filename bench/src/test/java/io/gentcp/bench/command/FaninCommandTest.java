package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.bench.Main;
import io.gentcp.bench.ToolRun;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * {@code fanin} end to end at 50 connections, one round of one second with no warm-up, every
 * server (gentcp-virtual skipped, and said so, before Java 21): the shape of every line it
 * prints, round trips in every run (fanin_load checked every echo and said errors=0, which
 * {@link FaninResult#parse} insists on), the final comparison line; a server that dies; its bad
 * flags. The whole run costs about 10 s (five child JVMs start, six one-second runs).
 */
@Timeout(120)
class FaninCommandTest
{
    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?";
    private static final Pattern RUN = Pattern.compile("round=1 server=([a-z-]+) connections=50 msg/s=([0-9]+) " +
        "p50_us=" + NUMBER + " p99_us=" + NUMBER + " p99.9_us=" + NUMBER + " cpu_us/rt=" + NUMBER + " user_us/rt=" +
        NUMBER);
    private static final Pattern MEDIAN = Pattern.compile("median server=([a-z-]+) msg/s=([0-9]+) p50_us=" + NUMBER +
        " p99_us=" + NUMBER + " p99.9_us=" + NUMBER + " cpu_us/rt=" + NUMBER + " user_us/rt=" + NUMBER);
    private static final Pattern LAST = Pattern.compile("fanin: gentcp/netty msg/s = " + NUMBER +
        ", cpu/rt gentcp/netty = " + NUMBER + ", gentcp/c = " + NUMBER + " at 50 connections");
    private static final Pattern USER = Pattern.compile("fanin user part: cpu/rt gentcp/netty = (" + NUMBER +
        "|n/a), gentcp/c = (" + NUMBER + "|n/a)");

    private final ToolRun tool = new ToolRun();

    @Test
    void everyServerEchoesEveryConnectionAndTheLinesHaveTheirShape()
    {
        final int status = tool.run("fanin", "--connections", "50", "--seconds", "1", "--warmup-seconds", "0",
            "--rounds", "1");
        final String text = tool.out();
        assertEquals(0, status, text + tool.err());
        final List<String> lines = tool.lines();
        final List<String> expected = new ArrayList<>(FaninCommand.SERVERS);
        if (!VirtualThreads.available())
        {
            expected.remove("gentcp-virtual");
            assertTrue(lines.contains("skipped server=gentcp-virtual: " + VirtualThreads.unavailable("it")), text);
        }
        assertTrue(lines.get(0).startsWith("fanin connections=50 seconds=1 inflight=1 rounds=1 warmup_seconds=0 "),
            text);
        final List<String> ran = new ArrayList<>();
        final List<String> medians = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher run = RUN.matcher(line);
            final Matcher median = MEDIAN.matcher(line);
            if (run.matches())
            {
                ran.add(run.group(1));
                assertTrue(Long.parseLong(run.group(2)) > 0, line);
            }
            else if (median.matches())
            {
                medians.add(median.group(1));
            }
            else
            {
                assertTrue(line.startsWith("fanin connections=") ||
                    line.matches("server=[a-z-]+ pid=[0-9]+ port=[0-9]+") || line.startsWith("skipped server=") ||
                    line.startsWith("best gentcp mailbox server by median cpu/rt: gentcp-") ||
                    LAST.matcher(line).matches() || USER.matcher(line).matches(), "unexpected line: " + line);
            }
        }
        assertEquals(expected, ran, text);
        assertEquals(expected, medians, text);
        assertTrue(lines.get(lines.size() - 3)
            .matches("best gentcp mailbox server by median cpu/rt: gentcp-(once|n|n-delay)"), text);
        assertTrue(LAST.matcher(lines.get(lines.size() - 2)).matches(), text);
        assertTrue(USER.matcher(lines.get(lines.size() - 1)).matches(), text);
    }

    /**
     * Kills the c-epoll server as soon as the command says its pid: the run fails, the command prints the rest and
     * exits 1.
     */
    @Test
    void aServerThatDiesFailsTheCommandAfterPrintingTheRest() throws InterruptedException
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CountDownLatch started = new CountDownLatch(1);
        final long[] pid = {-1};
        final StringBuilder text = new StringBuilder();
        final OutputStream watcher = new OutputStream()
        {
            @Override
            public synchronized void write(final int b)
            {
                text.append((char)b);
                if (b == '\n')
                {
                    final Matcher m = Pattern.compile("(?m)^server=c-epoll pid=([0-9]+) ").matcher(text);
                    if (pid[0] < 0 && m.find())
                    {
                        pid[0] = Long.parseLong(m.group(1));
                        ProcessHandle.of(pid[0]).ifPresent(ProcessHandle::destroyForcibly);
                        started.countDown();
                    }
                }
            }
        };
        final int status = Main.run(new String[] {"fanin", "--connections", "5", "--seconds", "1", "--warmup-seconds",
            "0", "--rounds", "1", "--servers", "c-epoll"}, new PrintStream(watcher, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(started.await(0, TimeUnit.SECONDS), text.toString());
        assertEquals(Main.FAILED, status, text.toString());
        final List<String> lines = List.of(text.toString().split("\n"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("round=1 server=c-epoll failed: ")), text.toString());
        assertEquals(List.of(
                "fanin: gentcp/netty msg/s = n/a, cpu/rt gentcp/netty = n/a, gentcp/c = n/a at 5 connections",
                "fanin user part: cpu/rt gentcp/netty = n/a, gentcp/c = n/a"),
            lines.subList(lines.size() - 2, lines.size()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("gentcp: fanin: c-epoll: round 1: "),
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badFlagsAreUsageErrors()
    {
        for (final String[] flags : List.of(
            new String[] {"--connections", "0"},
            new String[] {"--connections", "many"},
            new String[] {"--seconds", "0"},
            new String[] {"--inflight", "0"},
            new String[] {"--rounds", "0"},
            new String[] {"--warmup-seconds", "-1"},
            new String[] {"--cpus", "0"},
            new String[] {"--servers", "gentcp-once,apache"},
            new String[] {"--servers", "nio,nio"},
            new String[] {"--port", "1"}))
        {
            final String[] args = new String[flags.length + 1];
            args[0] = "fanin";
            System.arraycopy(flags, 0, args, 1, flags.length);
            assertEquals(Main.USAGE, tool.run(args), String.join(" ", args));
            final String first = tool.err().lines().findFirst().orElse("");
            assertTrue(first.startsWith("gentcp: fanin: " + flags[0]) || first.startsWith("gentcp: --cpus") ||
                first.equals("gentcp: unknown option --port for fanin; see 'gentcp fanin --help'"),
                String.join(" ", args) + ": " + first);
        }
    }

    @Test
    void theComparisonLineSaysWhichServersItCompares()
    {
        final FaninResult a = new FaninResult(100, 200_000, 1000, 2000, 3000, 1_000_000, 100_000, 50); // 10 us/rt
        final FaninResult b = new FaninResult(100, 100_000, 1000, 2000, 3000, 2_000_000, 200_000, 50); // 20 us/rt
        final FaninResult c = new FaninResult(100, 400_000, 1000, 2000, 3000, 500_000, 50_000, 50); // 5 us/rt
        assertEquals(List.of("best gentcp mailbox server by median cpu/rt: gentcp-n",
            "fanin: gentcp/netty msg/s = 2.00, cpu/rt gentcp/netty = 0.50, gentcp/c = 2.00 at 50 connections",
            "fanin user part: cpu/rt gentcp/netty = 0.50, gentcp/c = 2.00"),
            FaninCommand.comparison(Map.of("gentcp-once", List.of(b), "gentcp-n", List.of(a), "netty-epoll", List.of(b),
                "c-epoll", List.of(c)), 50));
        assertEquals("fanin: gentcp/netty msg/s = n/a, cpu/rt gentcp/netty = n/a, gentcp/c = 1.00 at 50 connections",
            FaninCommand.comparison(Map.of("gentcp-once", List.of(c), "c-epoll", List.of(c)), 50).get(1));
        // a run too short for a clock tick of user time: no ratio (it printed Infinity)
        final FaninResult noUserTime = new FaninResult(100, 400_000, 1000, 2000, 3000, 500_000, 0, 50);
        assertEquals("fanin user part: cpu/rt gentcp/netty = n/a, gentcp/c = n/a",
            FaninCommand.comparison(Map.of("gentcp-once", List.of(noUserTime), "c-epoll", List.of(noUserTime)), 50)
                .get(2));
    }

    @Test
    void aLoadLineWithErrorsOrMissingFieldsIsRejected()
    {
        final String good = "msgs=10 seconds=1.000 msg_per_s=10 p50_ns=1 p99_ns=2 p999_ns=3 server_cpu_ns=40000 " +
            "server_user_ns=10000 server_sys_ns=30000 connections=5 errors=0";
        assertEquals(4.0, FaninResult.parse(good).cpuMicrosPerRoundTrip());
        assertEquals(1.0, FaninResult.parse(good).userMicrosPerRoundTrip());
        assertThrows(IllegalArgumentException.class,
            () -> FaninResult.parse(good.replace(" server_user_ns=10000", "")));
        assertThrows(IllegalArgumentException.class, () -> FaninResult.parse(good.replace("errors=0", "errors=1")));
        assertThrows(IllegalArgumentException.class, () -> FaninResult.parse(good.replace(" p99_ns=2", "")));
        assertThrows(IllegalArgumentException.class, () -> FaninResult.parse(good.replace("msgs=10", "msgs=x")));
    }
}
