package io.gentcp.bench.fanin;

import java.nio.ByteBuffer;

import io.gentcp.Active;
import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.Mailbox;
import io.gentcp.MailboxHandler;
import io.gentcp.Option;
import io.gentcp.Socket;
import io.gentcp.SocketMessage;
import io.gentcp.TcpClosed;
import io.gentcp.TcpError;
import io.gentcp.TcpPassive;

/**
 * The receive loop of fanin's one-mailbox gentcp servers ({@link GenTcpMailboxServer}), the
 * manual's server loop over many sockets: one thread takes its mailbox's messages and echoes
 * each {@code {packet, 4}} packet as it comes, through a {@link MailboxHandler}: each packet is
 * sent back from its view of the mailbox's buffer, with nothing allocated per message. A
 * {@link Socket} sent to the mailbox is a new connection, already handed over with
 * {@code controllingProcess}: it is armed with MODE. With {@code {active, once}} a socket is
 * re-armed after each packet, with {@code {active, N}} on its {@link TcpPassive}. A closed or
 * failed socket is closed and forgotten (the load generator resets its connections when it
 * ends).
 */
final class MailboxEchoLoop implements MailboxHandler
{
    /** The most messages one receive hands over: about what one C pass writes. */
    private static final int BATCH = 256;

    private final Mailbox mailbox;
    private final Option[] arm;
    private final boolean once;

    /** A loop on the calling thread's mailbox. */
    MailboxEchoLoop(final Active mode)
    {
        this.mailbox = Mailbox.current();
        this.arm = new Option[] {Option.active(mode)};
        this.once = mode == Active.ONCE;
    }

    /** The mailbox the acceptor hands new connections to. */
    Mailbox mailbox()
    {
        return mailbox;
    }

    /** Serves until the mailbox is closed, which ends its receive with {@code closed}. */
    void run()
    {
        for (;;)
        {
            mailbox.receive(this, BATCH, GenTcp.INFINITY);
        }
    }

    @Override
    public void onData(final Socket socket, final ByteBuffer data)
    {
        try
        {
            GenTcp.send(socket, data);
            if (once)
            {
                Inet.setopts(socket, arm);
            }
        }
        catch (final GenTcpException e)
        {
            GenTcp.close(socket); // the peer reset or closed while its echo was on the way
        }
    }

    @Override
    public void onMessage(final Object message)
    {
        try
        {
            if (message instanceof TcpPassive passive)
            {
                Inet.setopts(passive.socket(), arm);
            }
            else if (message instanceof Socket socket)
            {
                Inet.setopts(socket, arm);
            }
            else if (message instanceof TcpClosed || message instanceof TcpError)
            {
                GenTcp.close(((SocketMessage)message).socket());
            }
        }
        catch (final GenTcpException e)
        {
            if (message instanceof SocketMessage socketMessage)
            {
                GenTcp.close(socketMessage.socket());
            }
            else if (message instanceof Socket socket)
            {
                GenTcp.close(socket);
            }
        }
    }
}
