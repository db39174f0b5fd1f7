package io.gentcp;

/** {@code {tcp_error, Socket, Reason}}: an error on an active socket; {@link TcpClosed} follows. */
public record TcpError(Socket socket, Reason reason) implements SocketMessage
{
    @Override
    public String toString()
    {
        return "{tcp_error," + socket + "," + reason + "}";
    }
}
