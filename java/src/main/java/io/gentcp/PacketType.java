package io.gentcp;

import java.util.Locale;

/**
 * The framing of a socket and of {@link Packet#decode}: OTP's {@code {packet, Type}}.
 *
 * <ul>
 *   <li>{@code RAW} ({@code 0} or {@code raw}): bytes as they come.</li>
 *   <li>{@code ONE}, {@code TWO}, {@code FOUR}: a big-endian length header of that many bytes
 *       before every packet; send adds it, receive strips it.</li>
 *   <li>{@code ASN1}, {@code SUNRM}, {@code CDR}, {@code FCGI}, {@code TPKT}: the header is the
 *       application's (send adds nothing) and is delivered with the packet; fcgi's padding is
 *       dropped.</li>
 *   <li>{@code LINE}: up to and including the line delimiter; a line longer than the socket's
 *       {@code buffer} comes in pieces of that size.</li>
 *   <li>{@code HTTP}, {@code HTTPH}, {@code HTTP_BIN}, {@code HTTPH_BIN}: HTTP request or
 *       response lines and header lines, delivered parsed as {@link HttpPacket}s; the
 *       {@code _bin} forms carry their text as {@code byte[]}, the others as {@code String}.</li>
 * </ul>
 */
public enum PacketType
{
    /** {@code raw} or {@code 0}: bytes as they come. */
    RAW(0),
    /** {@code 1}: a 1-byte length header. */
    ONE(1),
    /** {@code 2}: a 2-byte big-endian length header. */
    TWO(2),
    /** {@code 4}: a 4-byte big-endian length header. */
    FOUR(4),
    /** {@code asn1}: ASN.1 BER, header delivered with the packet. */
    ASN1(0),
    /** {@code sunrm}: Sun RPC record marking, header delivered with the packet. */
    SUNRM(0),
    /** {@code cdr}: CORBA GIOP, header delivered with the packet. */
    CDR(0),
    /** {@code fcgi}: FastCGI records, padding dropped. */
    FCGI(0),
    /** {@code line}: one line, its delimiter included. */
    LINE(0),
    /** {@code tpkt}: TPKT (RFC 1006), header delivered with the packet. */
    TPKT(0),
    /** {@code http}: the request or status line, then header lines, text as {@code String}. */
    HTTP(0),
    /** {@code httph}: header lines only, text as {@code String}. */
    HTTPH(0),
    /** {@code http_bin}: as {@code http}, text as {@code byte[]}. */
    HTTP_BIN(0),
    /** {@code httph_bin}: as {@code httph}, text as {@code byte[]}. */
    HTTPH_BIN(0);

    private final int headerLength;
    private final String atom;

    PacketType(final int headerLength)
    {
        this.headerLength = headerLength;
        this.atom = headerLength > 0 || "RAW".equals(name())
            ? Integer.toString(headerLength)
            : name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type for OTP's numeric form: 0, 1, 2 or 4.
     *
     * @param n 0, 1, 2 or 4
     * @return the type
     */
    public static PacketType of(final int n)
    {
        return switch (n)
        {
            case 0 -> RAW;
            case 1 -> ONE;
            case 2 -> TWO;
            case 4 -> FOUR;
            default -> throw new IllegalArgumentException("packet: " + n + " is not 0, 1, 2 or 4");
        };
    }

    /**
     * The type named by its Erlang atom or number: {@code raw}, {@code 0}, {@code 4}, {@code line}, {@code http_bin}...
     *
     * @param atom the atom's text, or the number as text
     * @return the type
     */
    public static PacketType of(final String atom)
    {
        if (atom != null)
        {
            if ("raw".equals(atom))
            {
                return RAW;
            }
            for (final PacketType type : values())
            {
                if (type.atom.equals(atom))
                {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("packet: unknown packet type " + atom);
    }

    /**
     * The length of the length header that send adds and receive strips: 1, 2, 4, else 0.
     *
     * @return the header length in bytes
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * Whether packets of this type are parsed HTTP lines.
     *
     * @return true for the four HTTP types
     */
    public boolean isHttp()
    {
        return this == HTTP || this == HTTPH || this == HTTP_BIN || this == HTTPH_BIN;
    }

    /** As OTP's getopts reports it: {@code 0} for raw, else the number or the atom. */
    @Override
    public String toString()
    {
        return atom;
    }
}
