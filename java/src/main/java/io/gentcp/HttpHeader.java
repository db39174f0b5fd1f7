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
    @Override
    public String toString()
    {
        return "{http_header," + bit + "," + ErlangTerms.write(field) + "," + ErlangTerms.write(unmodifiedField) + "," +
            ErlangTerms.write(value) + "}";
    }
}
