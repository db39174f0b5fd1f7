package io.gentcp;

/**
 * {@code {Socket, {data, Data}}}: a packet from an active socket with {@code {deliver, port}},
 * the form of Erlang port messages. Closing still comes as {@link TcpClosed}.
 */
public record PortData(Socket socket, Object data) implements SocketMessage
{
    @Override
    public String toString()
    {
        return "{" + socket + ",{data," + ErlangTerms.write(data) + "}}";
    }
}
