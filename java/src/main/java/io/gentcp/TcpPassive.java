package io.gentcp;

/** {@code {tcp_passive, Socket}}: an {@code {active, N}} count ran out; the socket is passive now. */
public record TcpPassive(InetSocket socket) implements SocketMessage
{
    @Override
    public String toString()
    {
        return "{tcp_passive," + socket + "}";
    }
}
