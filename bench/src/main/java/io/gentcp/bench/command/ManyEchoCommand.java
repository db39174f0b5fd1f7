package io.gentcp.bench.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.Main;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.roundtrip.GenTcpVirtualEchoServer;
import io.gentcp.bench.roundtrip.JavaNetVirtualEchoServer;
import io.gentcp.bench.roundtrip.VirtualEchoServer;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * {@code manyecho [--clients N] [--rounds R] [--pause-ms P] [--size B] [--timeout-ms T]
 * [--server gentcp|java.net|both] [--runs K]}: many clients at once against an echo server with
 * a virtual thread per connection, in this JVM: gentcp's ({@link GenTcpVirtualEchoServer}),
 * java.net's ({@link JavaNetVirtualEchoServer}) or both, one after the other. The clients are
 * java.net sockets on virtual threads in a second JVM (this jar's {@link ManyEchoClients}),
 * which keeps the two sides' descriptors and carriers apart. Each server first echoes an
 * unmeasured warm-up ({@link #warmUp}). Prints a line of settings, then a
 * line per run as it ends (with the CPU time this JVM spent in it), and with K above 1 each
 * server's medians. Fails (after printing) when a client of any run was not done. Java 21+.
 */
public final class ManyEchoCommand
{
    public static final Set<String> FLAGS = Set.of("--clients", "--rounds", "--pause-ms", "--size", "--timeout-ms",
        "--server", "--runs");

    static final int MAX_CLIENTS = 100_000;
    static final int MAX_ROUNDS = 1_000_000;
    static final int MAX_PAUSE_MS = 60_000;
    static final int MAX_SIZE = 1 << 20;
    static final int MAX_TIMEOUT_MS = 600_000;

    /** The name of gentcp's server, in {@code --server} and the output. */
    static final String GENTCP = "gentcp";
    /** The name of java.net's server, in {@code --server} and the output. */
    static final String JAVA_NET = "java.net";

    /** The clients of the unmeasured warm-up each server gets first (in this JVM). */
    static final int WARM_UP_CLIENTS = 50;
    /** Their round trips each. */
    static final int WARM_UP_ROUNDS = 50;

    /** The client JVM's time to start and to report, beyond its clients' own bound. */
    private static final long CLIENT_JVM_SLACK_MS = 60_000;

    private ManyEchoCommand()
    {
    }

    /** The settings of one invocation. */
    private record Settings(int clients, int rounds, int pauseMs, int size, int timeoutMs)
    {
    }

    public static void run(final Flags flags, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        final Settings settings = new Settings(
            flags.intValue("--clients", 2000, 1, MAX_CLIENTS),
            flags.intValue("--rounds", 20, 1, MAX_ROUNDS),
            flags.intValue("--pause-ms", 10, 0, MAX_PAUSE_MS),
            flags.intValue("--size", 64, 1, MAX_SIZE),
            flags.intValue("--timeout-ms", 10_000, 1, MAX_TIMEOUT_MS));
        final int runs = flags.intValue("--runs", 1, 1, 100);
        final String server = flags.optional("--server") == null ? "both" : flags.optional("--server");
        final List<String> servers = switch (server)
        {
            case GENTCP -> List.of(GENTCP);
            case JAVA_NET -> List.of(JAVA_NET);
            case "both" -> List.of(GENTCP, JAVA_NET);
            default -> throw new UsageException("manyecho: --server must be gentcp, java.net or both, was '" + server +
                "'");
        };
        VirtualThreads.require("this command");
        OpenFiles.check(settings.clients(), "manyecho's server JVM");
        out.println("manyecho clients=" + settings.clients() + " rounds=" + settings.rounds() + " pause_ms=" +
            settings.pauseMs() + " size=" + settings.size() + " timeout_ms=" + settings.timeoutMs() + " java=" +
            System.getProperty("java.version"));
        out.flush();
        final List<List<ManyEchoResult>> results = new ArrayList<>();
        servers.forEach(s -> results.add(new ArrayList<>()));
        final List<String> notDone = new ArrayList<>();
        for (int run = 1; run <= runs; run++)
        {
            for (int i = 0; i < servers.size(); i++)
            {
                final String name = servers.get(i);
                final ManyEchoResult result = runOnce(name, settings, err);
                results.get(i).add(result);
                out.println(result.line(name));
                out.flush();
                if (result.done() != result.clients())
                {
                    notDone.add(name + (runs > 1 ? " run " + run : "") + ": " + (result.clients() - result.done()) +
                        " of " + result.clients() + " clients not done");
                }
            }
        }
        if (runs > 1)
        {
            for (int i = 0; i < servers.size(); i++)
            {
                out.println(medianLine(servers.get(i), results.get(i)));
            }
            out.flush();
        }
        if (!notDone.isEmpty())
        {
            throw new IOException(String.join("; ", notDone));
        }
    }

    /** {@code median server=S runs=K rtt/s=N p50_us=X p99_us=X server_cpu_s=X}. */
    static String medianLine(final String server, final List<ManyEchoResult> runs)
    {
        final double[] rates = runs.stream().mapToDouble(ManyEchoResult::roundTripsPerSecond).toArray();
        final double[] p50 = runs.stream().mapToDouble(ManyEchoResult::p50Ns).toArray();
        final double[] p99 = runs.stream().mapToDouble(ManyEchoResult::p99Ns).toArray();
        final double[] cpu = runs.stream().mapToDouble(ManyEchoResult::serverCpuNanos).toArray();
        return "median server=" + server + " runs=" + runs.size() + " rtt/s=" +
            LatencyReport.rate(ThroughputCommand.median(rates)) + " p50_us=" +
            LatencyReport.micros(Math.round(ThroughputCommand.median(p50))) + " p99_us=" +
            LatencyReport.micros(Math.round(ThroughputCommand.median(p99))) + " server_cpu_s=" +
            ManyEchoResult.seconds(Math.round(ThroughputCommand.median(cpu)));
    }

    /** This JVM's CPU time so far (every thread), or -1 where the JVM cannot tell. */
    private static long processCpuNanos()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime()
            : -1;
    }

    /** Starts SERVER, runs the clients against it in a second JVM, and stops it. */
    private static ManyEchoResult runOnce(final String server, final Settings settings, final PrintStream err)
        throws IOException, InterruptedException
    {
        final int backlog = Math.max(settings.clients(), 128); // every client may connect at once
        try (VirtualEchoServer echo = GENTCP.equals(server)
            ? GenTcpVirtualEchoServer.start(PacketType.FOUR, settings.size(), backlog, err)
            : JavaNetVirtualEchoServer.start(PacketType.FOUR, settings.size(), backlog, err))
        {
            warmUp(server, echo.port(), settings, err);
            final long cpuBefore = processCpuNanos();
            final ManyEchoResult result = clients(echo.port(), settings);
            final long cpuAfter = processCpuNanos();
            return result.withServerCpu(cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore);
        }
    }

    /**
     * Before it is measured, a server echoes {@link #WARM_UP_CLIENTS} clients of this JVM making
     * {@link #WARM_UP_ROUNDS} round trips each without pauses, so that no run's figures include
     * its class loading, gentcp's native binding or the compiler's first work on its echo loop.
     */
    private static void warmUp(final String server, final int port, final Settings settings, final PrintStream err)
        throws IOException, InterruptedException
    {
        final ManyEchoResult warmUp = ManyEchoClients.run(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            WARM_UP_CLIENTS, WARM_UP_ROUNDS, 0, settings.size(), settings.timeoutMs(), err);
        if (warmUp.done() != warmUp.clients())
        {
            throw new IOException(server + ": " + (warmUp.clients() - warmUp.done()) + " of " + warmUp.clients() +
                " warm-up clients not done");
        }
    }

    /** Runs {@code manyecho-clients} in a second JVM (this JVM's java, this classpath) and reads its result. */
    private static ManyEchoResult clients(final int port, final Settings settings)
        throws IOException, InterruptedException
    {
        final List<String> command = List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "manyecho-clients",
            "--port", Integer.toString(port),
            "--clients", Integer.toString(settings.clients()),
            "--rounds", Integer.toString(settings.rounds()),
            "--pause-ms", Integer.toString(settings.pauseMs()),
            "--size", Integer.toString(settings.size()),
            "--timeout-ms", Integer.toString(settings.timeoutMs()));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final List<String> lines = new ArrayList<>();
        final Thread reader = new Thread(() -> readLines(process, lines), "manyecho-client-jvm-stdout");
        reader.setDaemon(true);
        reader.start();
        final long boundMs = ManyEchoClients.boundMs(settings.rounds(), settings.pauseMs(), settings.timeoutMs()) +
            CLIENT_JVM_SLACK_MS;
        try
        {
            if (!process.waitFor(boundMs, TimeUnit.MILLISECONDS))
            {
                throw new IOException("the client JVM did not finish within " + boundMs + " ms");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        finally
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
            }
        }
        final List<String> output;
        synchronized (lines)
        {
            output = List.copyOf(lines);
        }
        if (process.exitValue() != 0)
        {
            throw new IOException("the client JVM exited with status " + process.exitValue() + ": " + output);
        }
        for (final String line : output)
        {
            if (ManyEchoResult.isWire(line))
            {
                return ManyEchoResult.parse(line);
            }
        }
        throw new IOException("the client JVM printed no result: " + output);
    }

    private static void readLines(final Process process, final List<String> lines)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            for (String line; (line = in.readLine()) != null;)
            {
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException e)
        {
            // the process was killed: what was read is reported
        }
    }
}
