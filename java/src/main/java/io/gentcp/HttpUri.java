package io.gentcp;

/**
 * The URI of an {@link HttpRequest}, in OTP's five forms. Text is a {@code String} or a
 * {@code byte[]} as for every {@link HttpPacket}; the {@code ...Text()} accessors give it as a
 * {@code String} in either mode.
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
        /**
         * The path as text in either mode.
         *
         * @return the path
         */
        public String pathText()
        {
            return PacketData.list(path);
        }

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
        /**
         * The host as text in either mode.
         *
         * @return the host
         */
        public String hostText()
        {
            return PacketData.list(host);
        }

        /**
         * The path as text in either mode.
         *
         * @return the path
         */
        public String pathText()
        {
            return PacketData.list(path);
        }

        @Override
        public String toString()
        {
            return "{absoluteURI," + scheme + "," + ErlangTerms.write(host) + "," + (port < 0 ? "undefined" : port) +
                "," + ErlangTerms.write(path) + "}";
        }
    }

    /** {@code {scheme, Scheme, Rest}}: any other URI with a colon. */
    record Scheme(Object scheme, Object rest) implements HttpUri
    {
        /**
         * The scheme as text in either mode.
         *
         * @return the scheme
         */
        public String schemeText()
        {
            return PacketData.list(scheme);
        }

        /**
         * What follows the colon, as text in either mode.
         *
         * @return the rest
         */
        public String restText()
        {
            return PacketData.list(rest);
        }

        @Override
        public String toString()
        {
            return "{scheme," + ErlangTerms.write(scheme) + "," + ErlangTerms.write(rest) + "}";
        }
    }

    /** The URI as it came, when it has no other form. */
    record Text(Object uri) implements HttpUri
    {
        /**
         * The URI as text in either mode.
         *
         * @return the URI
         */
        public String uriText()
        {
            return PacketData.list(uri);
        }

        @Override
        public String toString()
        {
            return ErlangTerms.write(uri);
        }
    }
}
