package io.gentcp;

/**
 * The result of {@link Packet#decode}: {@code {ok, Packet, Rest}}, {@code {more, Length}} or
 * {@code {error, invalid}}. {@code toString()} writes the Erlang term as
 * {@code io:format("~w")} does.
 */
public sealed interface Decoded
{
    /**
     * {@code {ok, Packet, Rest}}.
     *
     * @param packet a {@code byte[]}, or an {@link HttpPacket} for the HTTP types.
     * @param rest   the bytes after the packet.
     */
    record Ok(Object packet, byte[] rest) implements Decoded
    {
        @Override
        public String toString()
        {
            return "{ok," + ErlangTerms.write(packet) + "," + ErlangTerms.binary(rest) + "}";
        }
    }

    /**
     * {@code {more, Length}}: the bytes hold no whole packet yet.
     *
     * @param length the whole packet's length when its header tells it, else -1 ({@code undefined}).
     */
    record More(long length) implements Decoded
    {
        @Override
        public String toString()
        {
            return "{more," + (length < 0 ? "undefined" : Long.toString(length)) + "}";
        }
    }

    /** {@code {error, invalid}}: a malformed header, or a packet over packet_size. */
    record Invalid() implements Decoded
    {
        @Override
        public String toString()
        {
            return "{error,invalid}";
        }
    }
}
