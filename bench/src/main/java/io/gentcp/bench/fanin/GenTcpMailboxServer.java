package io.gentcp.bench.fanin;

import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.delaySend;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.reuseaddr;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

import io.gentcp.Active;
import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Mailbox;
import io.gentcp.PacketType;
import io.gentcp.Socket;

/**
 * fanin's one-mailbox gentcp server ({@code gentcp-once}, {@code gentcp-n},
 * {@code gentcp-n-delay}): ONE platform thread serves every connection through its mailbox
 * ({@link MailboxEchoLoop}). An acceptor thread waits in {@code accept} on the listen socket
 * ({@code binary}, {@code {packet, 4}}, {@code {active, false}}, {@code {nodelay, true}},
 * {@code {backlog, N}}, and for {@code gentcp-n-delay} {@code {delay_send, true}}: the echoes a
 * receive's handler sends are gathered, one write per connection per receive, as Netty's
 * server writes them with one flush per read batch), hands each new socket
 * to the serving thread's mailbox with {@code controllingProcess} and then sends the socket
 * itself to that mailbox, where the loop arms it. Once the connections are made the acceptor
 * only waits: in steady state the server is the one mailbox thread.
 */
final class GenTcpMailboxServer
{
    private GenTcpMailboxServer()
    {
    }

    /**
     * Listens on 127.0.0.1:PORT and starts both threads (daemons: the process's end ends them).
     *
     * @return the port it listens on.
     */
    static int start(final int port, final int backlogLength, final Active mode, final boolean delaySend,
        final PrintStream log)
    {
        final CompletableFuture<Mailbox> serving = new CompletableFuture<>();
        final Thread server = new Thread(() ->
        {
            final MailboxEchoLoop loop = new MailboxEchoLoop(mode);
            serving.complete(loop.mailbox());
            try
            {
                loop.run();
            }
            catch (final RuntimeException e)
            {
                log.println("fanin: gentcp mailbox server: " + e);
            }
        }, "fanin-gentcp-mailbox");
        server.setDaemon(true);
        server.start();
        final Mailbox mailbox = serving.join();

        // The acceptor listens, so that it owns the listen socket and, as accept's caller, each new socket.
        final CompletableFuture<Integer> bound = new CompletableFuture<>();
        final Thread acceptor = new Thread(() ->
        {
            final ListenSocket listen;
            try
            {
                listen = GenTcp.listen(port, ip(InetAddress.getLoopbackAddress()), binary(), packet(PacketType.FOUR),
                    active(false), reuseaddr(true), nodelay(true), backlog(backlogLength), delaySend(delaySend));
                bound.complete(Inet.port(listen));
            }
            catch (final RuntimeException e)
            {
                bound.completeExceptionally(e);
                return;
            }
            acceptLoop(listen, mailbox, log);
        }, "fanin-gentcp-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return bound.join();
    }

    private static void acceptLoop(final ListenSocket listen, final Mailbox serving, final PrintStream log)
    {
        for (;;)
        {
            final Socket socket;
            try
            {
                socket = GenTcp.accept(listen);
            }
            catch (final GenTcpException e)
            {
                log.println("fanin: gentcp acceptor: " + e.reason());
                return;
            }
            try
            {
                GenTcp.controllingProcess(socket, serving);
                serving.send(socket);
            }
            catch (final GenTcpException e)
            {
                GenTcp.close(socket);
            }
        }
    }
}
