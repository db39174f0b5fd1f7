package io.gentcp;

/**
 * The URI of an {@link HttpRequest}, in OTP's five forms. Text is a {@code String} or a
 * {@code byte[]} as for every {@link HttpPacket}.
 */
public sealed interface HttpUri
{
    /** {@code '*'}. */
    record Star() implements HttpUri
    {
        @Override
        public String toString()
        {
            return "'*'";
        }
    }

    /** {@code {abs_path, Path}}. */
    record AbsPath(Object path) implements HttpUri
    {
        @Override
        public String toString()
        {
            return "{abs_path," + ErlangTerms.write(path) + "}";
        }
    }

    /**
     * {@code {absoluteURI, http | https, Host, Port | undefined, Path}}; {@code port} is -1 for
     * {@code undefined}. An IPv6 host keeps its brackets ({@code "[::1]"}, the OTP 26 rule).
     */
    record AbsoluteUri(Atom scheme, Object host, int port, Object path) implements HttpUri
    {
        @Override
        public String toString()
        {
            return "{absoluteURI," + scheme + "," + ErlangTerms.write(host) + "," + (port < 0 ? "undefined" : port) + "," +
                ErlangTerms.write(path) + "}";
        }
    }

    /** {@code {scheme, Scheme, Rest}}: any other URI with a colon. */
    record Scheme(Object scheme, Object rest) implements HttpUri
    {
        @Override
        public String toString()
        {
            return "{scheme," + ErlangTerms.write(scheme) + "," + ErlangTerms.write(rest) + "}";
        }
    }

    /** The URI as it came, when it has no other form. */
    record Text(Object uri) implements HttpUri
    {
        @Override
        public String toString()
        {
            return ErlangTerms.write(uri);
        }
    }
}
