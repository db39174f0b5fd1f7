package io.gentcp;

/**
 * The framing of a socket: OTP's {@code {packet, Type}}.
 *
 * <p>{@code RAW} ({@code 0} or {@code raw}) delivers bytes as they come. {@code ONE},
 * {@code TWO} and {@code FOUR} put a big-endian length header of that many bytes before
 * every packet on send, and deliver exactly one packet body per receive.
 */
public enum PacketType
{
    RAW(0),
    ONE(1),
    TWO(2),
    FOUR(4);

    private final int headerLength;

    PacketType(final int headerLength)
    {
        this.headerLength = headerLength;
    }

    /** The type for OTP's numeric form: 0, 1, 2 or 4. */
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

    /** The length of the header in bytes (0 for raw). */
    public int headerLength()
    {
        return headerLength;
    }

    /** As OTP's getopts reports it: {@code 0} for raw, else the header length. */
    @Override
    public String toString()
    {
        return Integer.toString(headerLength);
    }
}
