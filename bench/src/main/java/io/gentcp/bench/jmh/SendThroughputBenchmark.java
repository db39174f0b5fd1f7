package io.gentcp.bench.jmh;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.gentcp.GenTcp;
import io.gentcp.PacketType;
import io.gentcp.Socket;

/**
 * One-way send throughput over loopback, one send per operation: gentcp ({@code send} from a
 * direct buffer) beside java.nio ({@code SocketChannel.write} of the same message, its length
 * header prepared in the buffer, on a blocking channel). The receiving end is the same for
 * both, so only the sender differs: a daemon thread that drains the connection with blocking
 * java.nio reads of up to 256 KiB and discards the bytes.
 *
 * <p>{@code workload} is {@code raw:65536} (64 KiB raw sends) or {@code 4:1024} (1 KiB
 * {@code {packet, 4}} messages). The score is sends per second; MiB/s is the score times the
 * size over 2^20. Run {@code -prof gc} to see that neither sender allocates per send.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SendThroughputBenchmark extends LoopbackBenchmark
{
    /** The workload of a trial: its framing and message size. */
    @State(Scope.Thread)
    public static class Load
    {
        /** {@code TYPE:SIZE}: raw:65536 or 4:1024. */
        @Param({"raw:65536", "4:1024"})
        public String workload;

        PacketType packet;
        int size;

        /** Parses the workload. */
        @Setup(Level.Trial)
        public void parse()
        {
            final int colon = workload.indexOf(':');
            packet = PacketType.of(workload.substring(0, colon));
            size = Integer.parseInt(workload.substring(colon + 1));
        }
    }

    /**
     * A sender's state: a {@link Drain} started and the sender connected to it, with the buffer
     * it sends; torn down by closing the sender, which ends the drain, then the drain.
     */
    @State(Scope.Thread)
    public abstract static class Sender
    {
        Drain drain;
        ByteBuffer tx;

        /** Connects to the drain on PORT for LOAD's messages; returns the buffer to send. */
        abstract ByteBuffer connect(int port, Load load) throws IOException;

        /** Closes the connection. */
        abstract void disconnect() throws IOException;

        /** Starts the drain and connects. */
        @Setup(Level.Trial)
        public void setUp(final Load load) throws IOException
        {
            drain = Drain.start();
            tx = connect(drain.port(), load);
        }

        /** Closes the connection, which ends the drain, then the drain. */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException, IOException
        {
            disconnect();
            drain.close();
        }
    }

    /** A gentcp sender: {@code send} from a direct buffer of the message's body. */
    @State(Scope.Thread)
    public static class GenTcpSender extends Sender
    {
        Socket socket;

        @Override
        ByteBuffer connect(final int port, final Load load)
        {
            socket = GenTcp.connect("127.0.0.1", port, binary(), packet(load.packet), active(false));
            return ByteBuffer.allocateDirect(load.size);
        }

        @Override
        void disconnect()
        {
            GenTcp.close(socket);
        }
    }

    /** A java.nio sender: a blocking channel, the message's length header written in its buffer once. */
    @State(Scope.Thread)
    public static class NioSender extends Sender
    {
        SocketChannel channel;

        @Override
        ByteBuffer connect(final int port, final Load load) throws IOException
        {
            channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            final int header = load.packet.headerLength();
            final ByteBuffer message = ByteBuffer.allocateDirect(header + load.size);
            for (int i = 0; i < header; i++)
            {
                message.put(i, (byte)(load.size >>> (8 * (header - 1 - i))));
            }
            return message;
        }

        @Override
        void disconnect() throws IOException
        {
            channel.close();
        }
    }

    /** One gentcp send. */
    @Benchmark
    public void gentcp(final GenTcpSender s)
    {
        final ByteBuffer tx = s.tx;
        tx.clear();
        GenTcp.send(s.socket, tx);
    }

    /** One java.nio message: write until the whole buffer has gone. */
    @Benchmark
    public void nio(final NioSender s) throws IOException
    {
        final ByteBuffer tx = s.tx;
        tx.clear();
        do
        {
            s.channel.write(tx);
        }
        while (tx.hasRemaining());
    }

    /** The receiving end: accepts one connection and discards what arrives until end of stream. */
    static final class Drain implements Runnable
    {
        private static final long JOIN_TIMEOUT_MS = 10_000;

        private final ServerSocketChannel server;
        private final Thread thread;
        private volatile SocketChannel channel;

        private Drain(final ServerSocketChannel server)
        {
            this.server = server;
            this.thread = new Thread(this, "send-throughput-drain");
            this.thread.setDaemon(true);
        }

        static Drain start() throws IOException
        {
            final Drain drain = new Drain(ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            drain.thread.start();
            return drain;
        }

        int port() throws IOException
        {
            return ((InetSocketAddress)server.getLocalAddress()).getPort();
        }

        @Override
        public void run()
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            try (SocketChannel c = server.accept())
            {
                channel = c;
                while (c.read(buffer.clear()) >= 0)
                {
                    // discard
                }
            }
            catch (final IOException e)
            {
                // closed by close(): the trial is over
            }
        }

        /** Waits for the drain to see the sender's close (bounded), then closes everything. */
        void close() throws InterruptedException, IOException
        {
            thread.join(JOIN_TIMEOUT_MS);
            server.close();
            final SocketChannel c = channel;
            if (c != null)
            {
                c.close();
            }
            thread.join(JOIN_TIMEOUT_MS);
        }
    }
}
