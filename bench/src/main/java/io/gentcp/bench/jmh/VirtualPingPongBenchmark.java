package io.gentcp.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.bench.roundtrip.GenTcpRoundTrip;
import io.gentcp.bench.roundtrip.GenTcpVirtualEchoServer;
import io.gentcp.bench.roundtrip.JavaNetRoundTrip;
import io.gentcp.bench.roundtrip.JavaNetVirtualEchoServer;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * A 64-byte {@code {packet, 4}} ping-pong over loopback with every thread virtual (Java 21+),
 * one round trip per operation: gentcp (passive {@code send}/{@code recv}, direct buffers)
 * beside java.net ({@code Socket} streams). The fork runs JMH's own threads as virtual threads
 * ({@code -Djmh.executor=VIRTUAL}), so the client's waits park; each echo server has a virtual
 * thread per connection ({@link GenTcpVirtualEchoServer}, {@link JavaNetVirtualEchoServer}).
 *
 * <p>Before Java 21, or with {@code -f 0} in a JVM run without {@code -Djmh.executor=VIRTUAL},
 * the setup fails saying so. A {@code -jvmArgsAppend} given on the command line replaces the
 * fork's; add {@code -Djmh.executor=VIRTUAL} to it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Djmh.executor=VIRTUAL")
public class VirtualPingPongBenchmark extends LoopbackBenchmark
{
    /** The body bytes of each message. */
    static final int SIZE = 64;
    private static final int BACKLOG = 16;

    /** Fails unless the benchmark thread is virtual. */
    static void requireVirtual()
    {
        VirtualThreads.require("VirtualPingPongBenchmark");
        if (!VirtualThreads.current())
        {
            throw new IllegalStateException("VirtualPingPongBenchmark must run on virtual threads: " +
                "run it forked (its fork sets -Djmh.executor=VIRTUAL) or pass -Djmh.executor=VIRTUAL to this JVM");
        }
    }

    /** gentcp's virtual-thread echo server and a gentcp client connected on the benchmark's virtual thread. */
    @State(Scope.Thread)
    public static class GenTcpPeers extends Peers<GenTcpRoundTrip>
    {
        /** Starts the echo server and connects. */
        @Setup(Level.Trial)
        public void setUp()
        {
            requireVirtual();
            final GenTcpVirtualEchoServer echo =
                GenTcpVirtualEchoServer.start(PacketType.FOUR, SIZE, BACKLOG, System.err);
            server = echo;
            client = GenTcpRoundTrip.connect("127.0.0.1", echo.port(), PacketType.FOUR, SIZE, IdleStrategy.block());
        }
    }

    /** java.net's virtual-thread echo server and a java.net client. */
    @State(Scope.Thread)
    public static class JavaNetPeers extends Peers<JavaNetRoundTrip>
    {
        /** Starts the echo server and connects. */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            requireVirtual();
            final JavaNetVirtualEchoServer echo =
                JavaNetVirtualEchoServer.start(PacketType.FOUR, SIZE, BACKLOG, System.err);
            server = echo;
            client = JavaNetRoundTrip.connect(echo.port(), PacketType.FOUR, SIZE);
        }
    }

    /** One gentcp round trip, both ends on virtual threads. */
    @Benchmark
    public int gentcp(final GenTcpPeers peers) throws IOException
    {
        return peers.roundTrip();
    }

    /** One java.net round trip, both ends on virtual threads. */
    @Benchmark
    public int javaNet(final JavaNetPeers peers) throws IOException
    {
        return peers.roundTrip();
    }
}
