package io.gentcp.examples;

import static io.gentcp.Option.active;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.sendTimeout;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Mailbox;
import io.gentcp.Reason;
import io.gentcp.Socket;

/**
 * The gen_tcp manual's second example, line by line: a process that forwards its clients' data
 * to a server and, the protocol being one-way, relies on {@code send_timeout} to notice a server
 * that stopped reading. Clients are mailboxes; each request is a {@link SendData} message and
 * each answers {@link DataSent} or {@link ErrorSending}.
 *
 * <p>Run by {@code SendTimeoutForwarderTest} against a server that never reads.
 */
public final class SendTimeoutForwarder
{
    /** {@code {Client, send_data, Binary}}. */
    public record SendData(Mailbox client, byte[] binary)
    {
    }

    /** {@code {self(), data_sent}}. */
    public record DataSent(Mailbox forwarder)
    {
    }

    /** {@code {self(), {error_sending, Reason}}}. */
    public record ErrorSending(Mailbox forwarder, Reason reason)
    {
    }

    private SendTimeoutForwarder()
    {
    }

    /*
     * {ok,Sock} = gen_tcp:connect(HostAddress, Port,
     *                             [{active,false},
     *                              {send_timeout, 5000},
     *                              {packet,2}]),
     *                 loop(Sock), % See below
     *
     * The time limit is a parameter here, so that a test need not wait 5 seconds.
     */
    public static void run(final String hostAddress, final int port, final long sendTimeoutMs)
    {
        final Socket sock = GenTcp.connect(hostAddress, port, active(false), sendTimeout(sendTimeoutMs), packet(2));
        loop(sock);
    }

    /*
     * loop(Sock) ->
     *     receive
     *         {Client, send_data, Binary} ->
     *             case gen_tcp:send(Sock,[Binary]) of
     *                 {error, timeout} ->
     *                     io:format("Send timeout, closing!~n", []),
     *                     handle_send_timeout(), % Not implemented here
     *                     Client ! {self(),{error_sending, timeout}},
     *                     %% Usually, it's a good idea to give up in case of a
     *                     %% send timeout, as you never know how much actually
     *                     %% reached the server, maybe only a packet header?!
     *                     gen_tcp:close(Sock);
     *                 {error, OtherSendError} ->
     *                     io:format("Some other error on socket (~p), closing", [OtherSendError]),
     *                     Client ! {self(),{error_sending, OtherSendError}},
     *                     gen_tcp:close(Sock);
     *                 ok ->
     *                     Client ! {self(), data_sent},
     *                     loop(Sock)
     *             end
     *     end.
     */
    static void loop(final Socket sock)
    {
        final Mailbox self = Mailbox.current();
        while (true)
        {
            if (!(self.receive() instanceof SendData request))
            {
                continue; // the manual's receive leaves other messages queued; nothing else comes here
            }
            try
            {
                GenTcp.send(sock, request.binary());
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.TIMEOUT)
                {
                    System.out.printf("Send timeout, closing!%n");
                }
                else
                {
                    System.out.printf("Some other error on socket (%s), closing%n", e.reason());
                }
                request.client().send(new ErrorSending(self, e.reason()));
                GenTcp.close(sock);
                return;
            }
            request.client().send(new DataSent(self));
        }
    }
}
