package io.gentcp;

/** {@code {tcp_closed, Socket}}: the peer closed the connection; complete packets came first. */
public record TcpClosed(Socket socket) implements SocketMessage
{
    @Override
    public String toString()
    {
        return "{tcp_closed," + socket + "}";
    }
}
