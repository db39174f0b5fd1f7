package io.gentcp.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.gentcp.Active;
import io.gentcp.IdleStrategy;
import io.gentcp.Mailbox;
import io.gentcp.PacketType;
import io.gentcp.bench.Placement;
import io.gentcp.bench.roundtrip.EchoServer;
import io.gentcp.bench.roundtrip.GenTcpActiveRoundTrip;
import io.gentcp.bench.roundtrip.GenTcpRoundTrip;
import io.gentcp.bench.roundtrip.NioEchoServer;
import io.gentcp.bench.roundtrip.NioRoundTrip;

/**
 * A 64-byte {@code {packet, 4}} ping-pong over loopback, one round trip per operation: gentcp
 * (send from and recv into direct buffers) beside java.nio ({@code SocketChannel}, direct
 * buffers). Each state runs its echo peer on a daemon thread for the whole trial. {@code idle}
 * is how both ends wait: {@code block} (blocking calls) or {@code busy} (spinning; for nio,
 * non-blocking channels).
 *
 * <p>The default mode samples each call's time, for percentiles. To see what a round trip
 * allocates, run {@code -bm avgt -prof gc}: in sample mode JMH's own recording of the samples
 * shows up in {@code gc.alloc.rate.norm} (a few bytes per operation, the same for both
 * benchmarks), while the round trips themselves allocate nothing.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PingPongBenchmark
{
    /** The body bytes of each message. */
    static final int SIZE = 64;

    /** A gentcp echo server with one worker, and a connected gentcp client. */
    @State(Scope.Thread)
    public static class GenTcpPeers
    {
        /** How both ends wait for data. */
        @Param({"block", "busy"})
        public String idle;

        EchoServer server;
        GenTcpRoundTrip client;
        int sequence;

        /** Starts the echo server and connects. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final IdleStrategy strategy = IdleStrategy.parse(idle);
            server = EchoServer.start(0, PacketType.FOUR, 1, strategy, System.err);
            client = GenTcpRoundTrip.connect("127.0.0.1", server.port(), PacketType.FOUR, SIZE, strategy);
        }

        /** Closes the client, then stops the server. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            client.close();
            server.close();
        }
    }

    /** gentcp through mailboxes: the manual's {active, once} echo server and an {active, once} client. */
    @State(Scope.Thread)
    public static class GenTcpActivePeers
    {
        /** How both ends' mailboxes wait for data. */
        @Param({"block", "busy"})
        public String idle;

        EchoServer server;
        GenTcpActiveRoundTrip client;
        int sequence;

        /** Starts the echo server and connects; this thread's mailbox receives the echoes. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final IdleStrategy strategy = IdleStrategy.parse(idle);
            server = EchoServer.start(0, PacketType.FOUR, 1, strategy, System.err, Placement.ANY_CPU, 0, Active.ONCE);
            client = GenTcpActiveRoundTrip.connect("127.0.0.1", server.port(), PacketType.FOUR, SIZE, strategy, Active.ONCE);
        }

        /** Closes the client and this thread's mailbox, then stops the server. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            client.close();
            Mailbox.current().close();
            server.close();
        }
    }

    /** A java.nio echo server and a connected java.nio client. */
    @State(Scope.Thread)
    public static class NioPeers
    {
        /** How both ends wait for data: blocking or spinning non-blocking channels. */
        @Param({"block", "busy"})
        public String idle;

        NioEchoServer server;
        NioRoundTrip client;
        int sequence;

        /** Starts the echo server and connects. */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            final boolean spinning = "busy".equals(idle);
            server = NioEchoServer.start(PacketType.FOUR, SIZE, spinning);
            client = NioRoundTrip.connect(server.port(), PacketType.FOUR, SIZE, spinning);
        }

        /** Closes the client, then stops the server. */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            client.close();
            server.close();
        }
    }

    /** One gentcp round trip. */
    @Benchmark
    public int gentcp(final GenTcpPeers peers)
    {
        return peers.client.roundTrip(peers.sequence++);
    }

    /** One gentcp round trip with {active, once} at both ends. */
    @Benchmark
    public int gentcpActiveOnce(final GenTcpActivePeers peers) throws IOException
    {
        return peers.client.roundTrip(peers.sequence++);
    }

    /** One java.nio round trip. */
    @Benchmark
    public int nio(final NioPeers peers) throws IOException
    {
        return peers.client.roundTrip(peers.sequence++);
    }
}
