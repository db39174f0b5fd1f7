package io.gentcp;

/**
 * {@code {http_response, {Major, Minor}, Status, Phrase}}.
 *
 * @param major  the HTTP major version.
 * @param minor  the HTTP minor version.
 * @param status the status code, as written (no range check, as in OTP).
 * @param phrase the reason phrase (possibly empty).
 */
public record HttpResponse(int major, int minor, long status, Object phrase) implements HttpPacket
{
    /**
     * The reason phrase as text in either mode.
     *
     * @return the phrase
     */
    public String phraseText()
    {
        return PacketData.list(phrase);
    }

    @Override
    public String toString()
    {
        return "{http_response,{" + major + "," + minor + "}," + status + "," + ErlangTerms.write(phrase) + "}";
    }
}
