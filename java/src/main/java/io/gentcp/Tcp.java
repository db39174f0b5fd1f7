package io.gentcp;

/**
 * {@code {tcp, Socket, Data}}: a packet from an active socket.
 *
 * @param socket the socket.
 * @param data   a {@code byte[]} in binary mode, a {@code String} (one char per byte) in list mode.
 */
public record Tcp(Socket socket, Object data) implements SocketMessage
{
    @Override
    public String toString()
    {
        return "{tcp," + socket + "," + ErlangTerms.write(data) + "}";
    }
}
