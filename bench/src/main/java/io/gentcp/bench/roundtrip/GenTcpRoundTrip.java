package io.gentcp.bench.roundtrip;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.idle;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.packet;

import java.nio.ByteBuffer;

import io.gentcp.GenTcp;
import io.gentcp.IdleStrategy;
import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.Socket;

/**
 * A gentcp client's round trip: {@code send} from a direct buffer, {@code recv} into another,
 * on a passive binary socket with {@code {nodelay, true}}. With {@code {packet, 0}} it receives
 * until the whole message has come back ({@code recv(S, Size)}); otherwise one packet.
 * Allocates nothing per round trip.
 */
public final class GenTcpRoundTrip implements RoundTrip, AutoCloseable
{
    private final Socket socket;
    private final int size;
    private final int recvLength;
    private final ByteBuffer tx;
    private final ByteBuffer rx;
    private final KernelSplit split;

    private GenTcpRoundTrip(final Socket socket, final PacketType packet, final int size, final KernelSplit split)
    {
        this.socket = socket;
        this.split = split;
        this.size = size;
        this.recvLength = packet == PacketType.RAW ? size : 0;
        this.tx = ByteBuffer.allocateDirect(size);
        this.rx = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++)
        {
            tx.put(i, (byte)0x5a);
        }
    }

    /**
     * Connects to an echo server.
     *
     * @param host   the server's host name or address.
     * @param port   its port.
     * @param packet the framing, which the server must share.
     * @param size   the body bytes of each message.
     * @param idle   how the client's receive waits.
     * @return the connected client.
     */
    public static GenTcpRoundTrip connect(final String host, final int port, final PacketType packet, final int size,
        final IdleStrategy idle)
    {
        return connect(host, port, packet, size, idle, null);
    }

    /**
     * Connects to an echo server, as {@link #connect(String, int, PacketType, int, IdleStrategy)},
     * with the kernel's timestamps on when SPLIT is given: each round trip then also puts its
     * times there (two calls more per round trip, inside the time measured).
     *
     * @param host   the server's host name or address.
     * @param port   its port.
     * @param packet the framing, which the server must share.
     * @param size   the body bytes of each message.
     * @param idle   how the client's receive waits.
     * @param split  where the kernel's stamps go, or null.
     * @return the connected client.
     */
    public static GenTcpRoundTrip connect(final String host, final int port, final PacketType packet, final int size,
        final IdleStrategy idle, final KernelSplit split)
    {
        final Socket socket = split == null
            ? GenTcp.connect(host, port, binary(), packet(packet), active(false), nodelay(true), idle(idle))
            : GenTcp.connect(host, port, binary(), packet(packet), active(false), nodelay(true), idle(idle),
                Option.timestamping(Option.Timestamping.RX_SOFTWARE, Option.Timestamping.TX_SOFTWARE,
                    Option.Timestamping.TX_ACK));
        return new GenTcpRoundTrip(socket, packet, size, split);
    }

    /** The client's socket. */
    public Socket socket()
    {
        return socket;
    }

    @Override
    public int roundTrip(final int sequence)
    {
        final ByteBuffer out = tx;
        final ByteBuffer in = rx;
        Stamp.put(out, 0, size, sequence);
        out.clear();
        if (split != null)
        {
            split.beforeSend(sequence);
        }
        GenTcp.send(socket, out);
        in.clear();
        final int n = GenTcp.recv(socket, recvLength, in);
        if (split != null)
        {
            split.afterReceive(socket, sequence);
        }
        if (n != size || !Stamp.matches(in, 0, size, sequence))
        {
            throw new IllegalStateException(mismatch(n, sequence));
        }
        return n;
    }

    private String mismatch(final int n, final int sequence)
    {
        if (n < 0)
        {
            return "echo of round trip " + sequence + " is " + -n + " bytes, expected " + size;
        }
        if (n != size)
        {
            return "echo of round trip " + sequence + " is " + n + " bytes, expected " + size;
        }
        return "echo of round trip " + sequence + " does not match the message sent";
    }

    /** Closes the socket. */
    @Override
    public void close()
    {
        GenTcp.close(socket);
    }
}
