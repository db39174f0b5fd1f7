package io.gentcp.bench;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.packet;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.gentcp.Active;
import io.gentcp.GenTcp;
import io.gentcp.IdleStrategy;
import io.gentcp.Inet;
import io.gentcp.Mailbox;
import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.Socket;
import io.gentcp.Tcp;
import io.gentcp.TcpPassive;

/**
 * A gentcp client's round trip through its mailbox: the echo comes as a {@link Tcp} message
 * ({@code {active, once}} re-armed before each send, {@code {active, N}} after each
 * {@code tcp_passive}, {@code {active, true}} once). Each echo is one {@code Tcp} record and its
 * {@code byte[]}: what active delivery costs.
 */
public final class GenTcpActiveRoundTrip implements RoundTrip, AutoCloseable
{
    private final Socket socket;
    private final Mailbox mailbox;
    private final Active mode;
    private final Option[] rearm;
    private final int size;
    private final ByteBuffer tx;

    private GenTcpActiveRoundTrip(final Socket socket, final Active mode, final int size, final IdleStrategy idle)
    {
        this.socket = socket;
        this.mailbox = Mailbox.current();
        this.mode = mode;
        this.rearm = new Option[] {active(mode)};
        this.size = size;
        this.tx = ByteBuffer.allocateDirect(size);
        if (!IdleStrategy.block().equals(idle))
        {
            mailbox.setIdle(idle);
        }
        if (mode != Active.ONCE)
        {
            Inet.setopts(socket, rearm);
        }
    }

    /** Connects with MODE (not {@link Active#FALSE}); the calling thread's mailbox receives. */
    public static GenTcpActiveRoundTrip connect(final String host, final int port, final PacketType packet, final int size,
        final IdleStrategy idle, final Active mode)
    {
        final Socket socket = GenTcp.connect(host, port, binary(), packet(packet), active(false), nodelay(true));
        return new GenTcpActiveRoundTrip(socket, mode, size, idle);
    }

    @Override
    public int roundTrip(final int sequence) throws IOException
    {
        if (mode == Active.ONCE)
        {
            Inet.setopts(socket, rearm);
        }
        Stamp.put(tx, 0, size, sequence);
        tx.clear();
        GenTcp.send(socket, tx);
        int got = 0;
        while (got < size || size == 0)
        {
            final Object message = mailbox.receive();
            if (message instanceof Tcp tcp)
            {
                final byte[] data = (byte[])tcp.data();
                if (got == 0 && !stamped(data, sequence))
                {
                    throw new IOException("echo of round trip " + sequence + " does not match the message sent");
                }
                got += data.length;
                if (size == 0)
                {
                    break;
                }
            }
            else if (message instanceof TcpPassive)
            {
                Inet.setopts(socket, rearm);
            }
            else
            {
                throw new IOException("round trip " + sequence + ": " + message);
            }
        }
        return got;
    }

    /** Whether the echo's first bytes carry SEQUENCE, as {@link Stamp} wrote it (without wrapping the array). */
    private boolean stamped(final byte[] data, final int sequence)
    {
        final int n = Math.min(Math.min(size, 4), data.length);
        for (int i = 0; i < n; i++)
        {
            if (data[i] != (byte)(sequence >>> (8 * i)))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close()
    {
        GenTcp.close(socket);
    }
}
