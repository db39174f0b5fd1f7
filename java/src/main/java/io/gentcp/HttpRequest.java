package io.gentcp;

/**
 * {@code {http_request, Method, Uri, {Major, Minor}}}.
 *
 * @param method an {@link Atom} for OPTIONS, GET, HEAD, POST, PUT, DELETE and TRACE (matched
 *               case-sensitively), else the method's text.
 * @param uri    the request URI.
 * @param major  the HTTP major version (0 for an HTTP/0.9 request without a version).
 * @param minor  the HTTP minor version.
 */
public record HttpRequest(Object method, HttpUri uri, int major, int minor) implements HttpPacket
{
    /**
     * The method as text in either mode ({@code "GET"} for the atom {@code 'GET'}).
     *
     * @return the method
     */
    public String methodText()
    {
        return PacketData.list(method);
    }

    @Override
    public String toString()
    {
        return "{http_request," + ErlangTerms.write(method) + "," + uri + ",{" + major + "," + minor + "}}";
    }
}
