package io.gentcp;

/**
 * {@code {tcp, Socket, Data}}: a packet from an active socket.
 *
 * @param socket the socket.
 * @param data   a {@code byte[]} in binary mode, a {@code String} (one char per byte) in list mode.
 */
public record Tcp(Socket socket, Object data) implements SocketMessage
{
    /**
     * The data as bytes whatever the socket's mode: in binary mode the array itself, in list
     * mode the same bytes (one per char), with {@code {header, N}} the header bytes then the rest.
     *
     * @return the packet's bytes
     */
    public byte[] binary()
    {
        return PacketData.binary(data);
    }

    /**
     * The data as text whatever the socket's mode: one char per byte (ISO-8859-1), as list mode gives it.
     *
     * @return the packet as text
     */
    public String list()
    {
        return PacketData.list(data);
    }

    @Override
    public String toString()
    {
        return "{tcp," + socket + "," + ErlangTerms.write(data) + "}";
    }
}
