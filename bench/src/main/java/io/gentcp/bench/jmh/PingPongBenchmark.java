package io.gentcp.bench.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

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
import io.gentcp.bench.roundtrip.RoundTrip;

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
public class PingPongBenchmark extends LoopbackBenchmark
{
    /** The body bytes of each message. */
    static final int SIZE = 64;

    /**
     * gentcp at both ends: the echo server with one worker, its sockets active as ACTIVE says,
     * and a client connected to it.
     *
     * @param <C> the client.
     */
    public abstract static class GenTcpEchoPeers<C extends RoundTrip & AutoCloseable> extends Peers<C>
    {
        /** How both ends wait for data (a mailbox's end, in its receive). */
        @Param({"block", "busy"})
        public String idle;

        private final Active active;
        private final BiFunction<Integer, IdleStrategy, C> connect;

        /** ACTIVE for the server's sockets; CONNECT makes the client from the server's port and the idle strategy. */
        GenTcpEchoPeers(final Active active, final BiFunction<Integer, IdleStrategy, C> connect)
        {
            this.active = active;
            this.connect = connect;
        }

        /** Starts the echo server and connects. */
        @Setup(Level.Trial)
        public void setUp()
        {
            final IdleStrategy strategy = IdleStrategy.parse(idle);
            final EchoServer echo = EchoServer.start(0, PacketType.FOUR, 1, strategy, System.err, Placement.ANY_CPU, 0,
                active);
            server = echo;
            client = connect.apply(echo.port(), strategy);
        }
    }

    /** A gentcp echo server and a connected gentcp client, both passive. */
    @State(Scope.Thread)
    public static class GenTcpPeers extends GenTcpEchoPeers<GenTcpRoundTrip>
    {
        public GenTcpPeers()
        {
            super(Active.FALSE, (port, strategy) -> GenTcpRoundTrip.connect("127.0.0.1", port, PacketType.FOUR, SIZE,
                strategy));
        }
    }

    /**
     * gentcp through mailboxes: the manual's {active, once} echo server and an {active, once}
     * client, whose echoes this thread's mailbox receives (closed after the client).
     */
    @State(Scope.Thread)
    public static class GenTcpActivePeers extends GenTcpEchoPeers<GenTcpActiveRoundTrip>
    {
        public GenTcpActivePeers()
        {
            super(Active.ONCE, (port, strategy) ->
                GenTcpActiveRoundTrip.connect("127.0.0.1", port, PacketType.FOUR, SIZE, strategy, Active.ONCE));
        }

        @Override
        void afterClient()
        {
            Mailbox.current().close();
        }
    }

    /** A java.nio echo server and a connected java.nio client. */
    @State(Scope.Thread)
    public static class NioPeers extends Peers<NioRoundTrip>
    {
        /** How both ends wait for data: blocking or spinning non-blocking channels. */
        @Param({"block", "busy"})
        public String idle;

        /** Starts the echo server and connects. */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            final boolean spinning = "busy".equals(idle);
            final NioEchoServer echo = NioEchoServer.start(PacketType.FOUR, SIZE, spinning);
            server = echo;
            client = NioRoundTrip.connect(echo.port(), PacketType.FOUR, SIZE, spinning);
        }
    }

    /** One gentcp round trip. */
    @Benchmark
    public int gentcp(final GenTcpPeers peers) throws IOException
    {
        return peers.roundTrip();
    }

    /** One gentcp round trip with {active, once} at both ends. */
    @Benchmark
    public int gentcpActiveOnce(final GenTcpActivePeers peers) throws IOException
    {
        return peers.roundTrip();
    }

    /** One java.nio round trip. */
    @Benchmark
    public int nio(final NioPeers peers) throws IOException
    {
        return peers.roundTrip();
    }
}
