package io.gentcp.bench.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import io.gentcp.PacketType;
import io.gentcp.bench.roundtrip.Workload;

/**
 * The java.nio ends of a one-way transfer, done as a careful nio program would, with blocking
 * channels and direct buffers and nothing allocated per message (TCP_NODELAY set on both ends when
 * asked): the sender writes each message
 * (its length header and body prepared in one buffer) with one {@code write}; the receiver reads
 * up to 256 KiB at a time and, with a length header, cuts the packets out in place.
 */
public final class NioTransfer
{
    private NioTransfer()
    {
    }

    /**
     * Connects to 127.0.0.1:PORT, sends BYTES body bytes in messages of SIZE, shuts down output
     * and reads until the peer closes.
     *
     * @return the body bytes and messages sent, and the time from connect to the peer's close.
     */
    public static Transfer send(final int port, final PacketType packet, final int size, final long bytes,
        final boolean nodelay) throws IOException
    {
        final int header = packet.headerLength();
        final ByteBuffer tx = ByteBuffer.allocateDirect(header + size);
        for (int i = header; i < header + size; i++)
        {
            tx.put(i, (byte)0x5a);
        }
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
            long left = bytes;
            long sends = 0;
            final long start = System.nanoTime();
            while (left > 0)
            {
                final int chunk = (int)Math.min(size, left);
                putHeader(tx, header, chunk);
                tx.limit(header + chunk).position(0);
                while (tx.hasRemaining())
                {
                    channel.write(tx);
                }
                left -= chunk;
                sends++;
            }
            channel.shutdownOutput();
            final ByteBuffer drain = ByteBuffer.allocateDirect(Sink.BUFFER_SIZE);
            while (channel.read(drain.clear()) >= 0)
            {
                // the peer has nothing to say; its close is what we wait for
            }
            return new Transfer(bytes, sends, System.nanoTime() - start);
        }
    }

    private static void putHeader(final ByteBuffer tx, final int header, final int length)
    {
        for (int i = 0; i < header; i++)
        {
            tx.put(i, (byte)(length >>> (8 * (header - 1 - i))));
        }
    }

    /** A java.nio receiver listening on 127.0.0.1 with an ephemeral port, for one connection. */
    public static final class Receiver implements AutoCloseable
    {
        private final ServerSocketChannel server;
        private final int header;
        private final boolean nodelay;

        public Receiver(final PacketType packet, final boolean nodelay) throws IOException
        {
            this.header = packet.headerLength();
            this.nodelay = nodelay;
            this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }

        public int port() throws IOException
        {
            return ((InetSocketAddress)server.getLocalAddress()).getPort();
        }

        /**
         * Accepts one connection (waiting at most TIMEOUT_MS for it) and reads until end of stream.
         *
         * @return the body bytes and packets (reads, when raw), and the time from accept to end of stream.
         * @throws IOException if no one connects in time, or the stream ends inside a packet.
         */
        public Transfer receive(final int timeoutMs) throws IOException
        {
            server.socket().setSoTimeout(timeoutMs); // honoured by the adaptor's accept, not the channel's
            try (SocketChannel channel = server.socket().accept().getChannel())
            {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, nodelay);
                ByteBuffer buffer = ByteBuffer.allocateDirect(Sink.BUFFER_SIZE);
                long bytes = 0;
                long packets = 0;
                final long start = System.nanoTime();
                if (header == 0)
                {
                    int n;
                    while ((n = channel.read(buffer.clear())) >= 0)
                    {
                        bytes += n;
                        packets += n > 0 ? 1 : 0;
                    }
                    return new Transfer(bytes, packets, System.nanoTime() - start);
                }
                // Framed: buffer[0, position) holds unparsed bytes, which start with a packet.
                while (true)
                {
                    int at = 0;
                    final int end = buffer.position();
                    int need = header;
                    while (end - at >= header)
                    {
                        final int body = bodyLength(buffer, at);
                        need = header + body;
                        if (end - at < need)
                        {
                            break;
                        }
                        bytes += body;
                        packets++;
                        at += need;
                        need = header;
                    }
                    buffer.limit(end).position(at);
                    buffer.compact(); // moves the partial packet to the front
                    if (need > buffer.capacity())
                    {
                        buffer = ByteBuffer.allocateDirect(need).put(buffer.flip());
                    }
                    if (channel.read(buffer) < 0)
                    {
                        if (buffer.position() != 0)
                        {
                            throw new IOException("java.nio receiver: the peer closed in the middle of a packet");
                        }
                        return new Transfer(bytes, packets, System.nanoTime() - start);
                    }
                }
            }
        }

        private int bodyLength(final ByteBuffer buffer, final int at) throws IOException
        {
            long length = 0;
            for (int i = 0; i < header; i++)
            {
                length = (length << 8) | (buffer.get(at + i) & 0xff);
            }
            if (length > Workload.MAX_SIZE)
            {
                throw new IOException("java.nio receiver: a packet header announces " + length + " bytes");
            }
            return (int)length;
        }

        @Override
        public void close() throws IOException
        {
            server.close();
        }
    }
}
