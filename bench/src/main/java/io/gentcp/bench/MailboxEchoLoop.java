package io.gentcp.bench;

import io.gentcp.Active;
import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.Mailbox;
import io.gentcp.Option;
import io.gentcp.Socket;
import io.gentcp.SocketMessage;
import io.gentcp.Tcp;
import io.gentcp.TcpClosed;
import io.gentcp.TcpError;
import io.gentcp.TcpPassive;

/**
 * The receive loop of fanin's one-mailbox gentcp servers ({@link GenTcpMailboxServer}), the
 * manual's server loop over many sockets: one thread takes its mailbox's messages and echoes
 * each {@code {packet, 4}} packet as it comes. A {@link Socket} sent to the mailbox is a new
 * connection, already handed over with {@code controllingProcess}: it is armed with MODE.
 * With {@code {active, once}} a socket is re-armed after each packet, with {@code {active, N}}
 * on its {@link TcpPassive}. A closed or failed socket is closed and forgotten (the load
 * generator resets its connections when it ends).
 *
 * <p>The seam: this class is the only place that receives, so that a variant receiving without
 * records can stand beside it.
 */
final class MailboxEchoLoop
{
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
            final Object message = mailbox.receive();
            try
            {
                handle(message);
            }
            catch (final GenTcpException e)
            {
                // the peer reset or closed while its echo was on the way: that connection ends
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

    private void handle(final Object message)
    {
        if (message instanceof Tcp tcp)
        {
            GenTcp.send(tcp.socket(), (byte[])tcp.data());
            if (once)
            {
                Inet.setopts(tcp.socket(), arm);
            }
        }
        else if (message instanceof TcpPassive passive)
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
}
