package io.gentcp;

/**
 * {@code {http_error, Line}}: a line that is not valid HTTP where it came.
 *
 * @param line the raw line, its CR LF included.
 */
public record HttpError(Object line) implements HttpPacket
{
    /**
     * The line as text in either mode, its CR LF included.
     *
     * @return the line
     */
    public String lineText()
    {
        return PacketData.list(line);
    }

    @Override
    public String toString()
    {
        return "{http_error," + ErlangTerms.write(line) + "}";
    }
}
