package io.gentcp.bench.roundtrip;

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
import io.gentcp.MailboxHandler;
import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.Socket;
import io.gentcp.TcpPassive;

/**
 * A gentcp client's round trip through its mailbox: the echo is handed to a
 * {@link MailboxHandler} as a view of its bytes ({@code {active, once}} re-armed before each
 * send, {@code {active, N}} after each {@code tcp_passive}, {@code {active, true}} once), with
 * nothing allocated per round trip: what active delivery costs at its best.
 */
public final class GenTcpActiveRoundTrip implements RoundTrip, AutoCloseable, MailboxHandler
{
    private final Socket socket;
    private final Mailbox mailbox;
    private final Active mode;
    private final Option[] rearm;
    private final int size;
    private final ByteBuffer tx;
    /** The round trip under way: its number, the echo's bytes so far, and what went wrong. */
    private int current;
    private int got;
    private boolean echoed;
    private String failure;

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
    public static GenTcpActiveRoundTrip connect(final String host, final int port, final PacketType packet,
        final int size, final IdleStrategy idle, final Active mode)
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
        current = sequence;
        got = 0;
        echoed = false;
        failure = null;
        while (!echoed && failure == null)
        {
            mailbox.receive(this, 16, GenTcp.INFINITY);
        }
        if (failure != null)
        {
            throw new IOException("round trip " + sequence + ": " + failure);
        }
        return got;
    }

    @Override
    public void onData(final Socket from, final ByteBuffer data)
    {
        if (from != socket)
        {
            failure = "a packet of another socket";
            return;
        }
        if (got == 0 && !stamped(data, current))
        {
            failure = "the echo does not match the message sent";
        }
        got += data.remaining();
        echoed = got >= size;
    }

    @Override
    public void onMessage(final Object message)
    {
        if (message instanceof TcpPassive)
        {
            Inet.setopts(socket, rearm);
        }
        else
        {
            failure = message.toString();
        }
    }

    /** Whether the echo's first bytes carry SEQUENCE, as {@link Stamp} wrote it. */
    private boolean stamped(final ByteBuffer data, final int sequence)
    {
        final int n = Math.min(Math.min(size, 4), data.remaining());
        for (int i = 0; i < n; i++)
        {
            if (data.get(data.position() + i) != (byte)(sequence >>> (8 * i)))
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
