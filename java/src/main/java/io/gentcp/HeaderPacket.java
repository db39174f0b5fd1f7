package io.gentcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A binary-mode packet under {@code {header, N}}: Erlang's {@code [B1, ..., BN | Binary]},
 * the first N bytes as integers and the rest as a binary.
 *
 * @param header the first N bytes, each 0..255.
 * @param rest   the bytes after them.
 */
public record HeaderPacket(int[] header, byte[] rest)
{
    /**
     * DATA as {@code {header, N}} presents it: a HeaderPacket, or, when fewer than N bytes
     * came, the whole packet as a list (a {@code String} of one char per byte), as OTP does.
     */
    static Object of(final byte[] data, final int n)
    {
        if (data.length < n)
        {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
        final int[] header = new int[n];
        for (int i = 0; i < n; i++)
        {
            header[i] = data[i] & 0xff;
        }
        return new HeaderPacket(header, Arrays.copyOfRange(data, n, data.length));
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof HeaderPacket other && Arrays.equals(header, other.header) &&
            Arrays.equals(rest, other.rest);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(header) * 31 + Arrays.hashCode(rest);
    }

    /** {@code [104,101|<<108,108,111>>]}. */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < header.length; i++)
        {
            out.append(i > 0 ? "," : "").append(header[i]);
        }
        return out.append('|').append(ErlangTerms.binary(rest)).append(']').toString();
    }
}
