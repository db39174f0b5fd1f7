package io.gentcp;

/** {@code http_eoh}: the empty line that ends the headers. */
public record HttpEoh() implements HttpPacket
{
    /** The one value. */
    public static final HttpEoh INSTANCE = new HttpEoh();

    @Override
    public String toString()
    {
        return "http_eoh";
    }
}
