package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.bench.Main;
import io.gentcp.bench.ToolRun;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * {@code manyecho} at a small scale: both servers, every client done and every byte echoed;
 * its client side's accounting of clients that time out or fail; and on Java 17-20, that it
 * says it needs Java 21. The tests that need virtual threads are skipped before Java 21 with a
 * printed reason (CI runs them in the bench module's test-on-jdk25 run).
 */
@Timeout(120)
class ManyEchoTest
{
    private final ToolRun tool = new ToolRun();

    /**
     * Runs {@code manyecho FLAGS} (on virtual threads: skipped without them), asserting it succeeds and prints LINES
     * lines.
     */
    private List<String> manyecho(final int lines, final String... flags)
    {
        needsVirtualThreads();
        final String[] args = new String[flags.length + 1];
        args[0] = "manyecho";
        System.arraycopy(flags, 0, args, 1, flags.length);
        final List<String> printed = tool.succeed(args);
        assertEquals(lines, printed.size(), printed.toString());
        return printed;
    }

    static void needsVirtualThreads()
    {
        if (!VirtualThreads.available())
        {
            System.out.println("skipped: " + VirtualThreads.unavailable("this test"));
        }
        assumeTrue(VirtualThreads.available(), VirtualThreads.unavailable("this test"));
    }

    @Test
    void bothServersEchoEveryByteToEveryClient()
    {
        final List<String> lines = manyecho(3, "--clients", "20", "--rounds", "3", "--pause-ms", "1", "--size", "100",
            "--server", "both");
        assertTrue(lines.get(0).startsWith("manyecho clients=20 rounds=3 pause_ms=1 size=100 timeout_ms=10000 java="),
            lines.get(0));
        final String[] servers = {"gentcp", "java.net"};
        for (int i = 0; i < servers.length; i++)
        {
            final String line = lines.get(i + 1);
            assertTrue(line.matches("server=" + servers[i].replace(".", "\\.") +
                " clients=20 done=20 timed_out=0 failed=0 round_trips=60 bytes=6000 seconds=\\d+\\.\\d{3}" +
                " rtt/s=\\d+ p50_us=\\d+\\.\\d p99_us=\\d+\\.\\d max_us=\\d+\\.\\d server_cpu_s=\\d+\\.\\d{3}"),
                line);
        }
    }

    @Test
    void runsArePrintedAsTheyEndThenTheirMedians()
    {
        final List<String> lines = manyecho(5, "--clients", "5", "--rounds", "2", "--pause-ms", "0", "--server",
            "gentcp", "--runs", "3");
        for (int i = 1; i <= 3; i++)
        {
            assertTrue(lines.get(i).startsWith("server=gentcp clients=5 done=5 timed_out=0 failed=0 round_trips=10 " +
                "bytes=640 "), lines.get(i));
        }
        assertTrue(lines.get(4).matches("median server=gentcp runs=3 rtt/s=\\d+ p50_us=\\d+\\.\\d p99_us=\\d+\\.\\d" +
            " server_cpu_s=\\d+\\.\\d{3}"),
            lines.get(4));
    }

    @Test
    void aClientWhoseEchoNeverComesTimesOutAndIsNotDone() throws Exception
    {
        needsVirtualThreads();
        final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final CountDownLatch accepted = new CountDownLatch(3);
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        held.add(silent.accept()); // reads nothing, answers nothing
                        accepted.countDown();
                    }
                }
                catch (final IOException e)
                {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            tool.succeed("manyecho-clients", "--port", Integer.toString(silent.getLocalPort()), "--clients",
                "3", "--rounds", "2", "--pause-ms", "0", "--size", "8", "--timeout-ms", "200");
            assertTrue(accepted.await(10, TimeUnit.SECONDS));
            final ManyEchoResult result = ManyEchoResult.parse(tool.lines().get(0));
            assertEquals(new ManyEchoResult(3, 0, 3, 0, 0, 0, result.nanos(), 0, 0, 0, -1), result);
            assertTrue(tool.err().contains("timed out after 0 round trips"), tool.err());
        }
        finally
        {
            synchronized (held)
            {
                for (final Socket socket : held)
                {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aClientWhoseServerClosesFailsAfterTheRoundTripsItMade() throws Exception
    {
        needsVirtualThreads();
        // echoes one message of 4 + 8 bytes, then closes
        try (ServerSocket once = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        try (Socket socket = once.accept())
                        {
                            final byte[] message = socket.getInputStream().readNBytes(12);
                            socket.getOutputStream().write(message);
                        }
                    }
                }
                catch (final IOException e)
                {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            tool.succeed("manyecho-clients", "--port", Integer.toString(once.getLocalPort()), "--clients",
                "2", "--rounds", "3", "--pause-ms", "0", "--size", "8", "--timeout-ms", "10000");
        }
        final ManyEchoResult result = ManyEchoResult.parse(tool.lines().get(0));
        assertEquals(new ManyEchoResult(2, 0, 0, 2, 2, 16, result.nanos(), result.p50Ns(), result.p99Ns(),
            result.maxNs(), -1), result);
        assertTrue(tool.err().contains("failed after 1 round trips"), tool.err());
    }

    @Test
    void beforeJava21ItSaysItNeedsVirtualThreadsAndExits1()
    {
        assumeFalse(VirtualThreads.available(), "this JVM has virtual threads");
        assertEquals(Main.FAILED, tool.run("manyecho", "--clients", "2"));
        assertEquals("gentcp: manyecho: this command needs virtual threads (Java 21+); this is Java " +
            System.getProperty("java.version") + System.lineSeparator(), tool.err());
        assertEquals("", tool.out());
    }

    @Test
    void moreSocketsThanTheOpenFileLimitAreRefusedBeforeAnyIsOpened() throws IOException
    {
        final IOException e = assertThrows(IOException.class, () -> OpenFiles.check(Integer.MAX_VALUE, "this JVM"));
        assertTrue(e.getMessage().matches("this JVM needs " + Integer.MAX_VALUE + " sockets and " + OpenFiles.MARGIN +
            " files to spare, but \\d+ of its \\d+ open files \\(ulimit -n\\) are taken"), e.getMessage());
        OpenFiles.check(10, "this JVM");
    }

    @Test
    void theResultLineReadsBackAsWritten()
    {
        final ManyEchoResult result = new ManyEchoResult(2000, 1990, 7, 3, 39_900, 2_553_600, 2_914_000_000L,
            812_345, 9_000_100, 10_500_000, -1);
        assertEquals(result, ManyEchoResult.parse(result.wire()));
        assertEquals("server=gentcp clients=2000 done=1990 timed_out=7 failed=3 round_trips=39900 bytes=2553600 " +
            "seconds=2.914 rtt/s=13693 p50_us=812.3 p99_us=9000.1 max_us=10500.0 server_cpu_s=-",
            result.line("gentcp"));
        assertTrue(result.withServerCpu(1_234_567_890L).line("java.net").endsWith(" server_cpu_s=1.235"));
    }
}
