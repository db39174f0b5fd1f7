package io.gentcp;

/** {@code {http, Socket, HttpPacket}}: a packet from an active socket in an HTTP packet mode. */
public record Http(Socket socket, HttpPacket packet) implements SocketMessage
{
    @Override
    public String toString()
    {
        return "{http," + socket + "," + packet + "}";
    }
}
