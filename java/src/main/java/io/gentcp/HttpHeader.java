package io.gentcp;

/**
 * {@code {http_header, Bit, Field, UnmodifiedField, Value}}.
 *
 * @param bit             1..52 for the headers OTP knows, 0 for the others.
 * @param field           an {@link Atom} for a known header ({@code 'Content-Length'}), else
 *                        the name normalized as OTP does ({@code "X-Forwarded-Host"}).
 * @param unmodifiedField the name as it came.
 * @param value           the value, leading blanks skipped, continuation lines kept verbatim.
 */
public record HttpHeader(int bit, Object field, Object unmodifiedField, Object value) implements HttpPacket
{
    /**
     * The field as text in either mode ({@code "Content-Length"} for the atom).
     *
     * @return the normalized field name
     */
    public String fieldText()
    {
        return PacketData.list(field);
    }

    /**
     * The field name as it came, as text in either mode.
     *
     * @return the unmodified field name
     */
    public String unmodifiedFieldText()
    {
        return PacketData.list(unmodifiedField);
    }

    /**
     * The value as text in either mode (one char per byte).
     *
     * @return the value
     */
    public String valueText()
    {
        return PacketData.list(value);
    }

    @Override
    public String toString()
    {
        return "{http_header," + bit + "," + ErlangTerms.write(field) + "," + ErlangTerms.write(unmodifiedField) + "," +
            ErlangTerms.write(value) + "}";
    }
}
