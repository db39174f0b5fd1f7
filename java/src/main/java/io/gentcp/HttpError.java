package io.gentcp;

/**
 * {@code {http_error, Line}}: a line that is not valid HTTP where it came.
 *
 * @param line the raw line, its CR LF included.
 */
public record HttpError(Object line) implements HttpPacket
{
    @Override
    public String toString()
    {
        return "{http_error," + ErlangTerms.write(line) + "}";
    }
}
