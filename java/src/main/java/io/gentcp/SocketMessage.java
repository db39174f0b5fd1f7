package io.gentcp;

/**
 * The messages an active socket sends its owner's {@link Mailbox}, one record per Erlang form.
 * {@code toString()} writes the Erlang term ({@code {tcp,#Port<...>,Data}}).
 */
public sealed interface SocketMessage permits Tcp, TcpClosed, TcpError, TcpPassive, Http, PortData
{
    /**
     * The socket the message is about.
     *
     * @return the socket
     */
    InetSocket socket();
}
