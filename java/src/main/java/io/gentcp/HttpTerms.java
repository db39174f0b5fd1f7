package io.gentcp;

import static io.gentcp.Packet.slot;
import static io.gentcp.Packet.text;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.gentcp.internal.Native;

/**
 * Builds an {@link HttpPacket} from the fields C wrote into an IO block (gentcp.h,
 * GT_DECODE_HTTP_*): C parses, this only copies the slices it points at into Java values.
 */
final class HttpTerms
{
    private static final Atom HTTP = new Atom("http");
    private static final Atom HTTPS = new Atom("https");

    private HttpTerms()
    {
    }

    /** Where an IO block's name area is: after its slots. */
    private static final int NAME_OFF = slot(Native.DECODE_SLOTS);
    /** The size of an IO block (gt_decode's), which also precedes an HTTP packet's bytes in a receive. */
    static final int IO_BYTES = NAME_OFF + Native.DECODE_NAME_MAX;

    /** The packet that gt_recv wrote to the first N bytes of DST: [IO block][packet bytes]. */
    static HttpPacket fromRecv(final ByteBuffer dst, final int n, final boolean binary)
    {
        final byte[] packet = new byte[n - IO_BYTES];
        dst.get(IO_BYTES, packet);
        return read(dst.duplicate().order(java.nio.ByteOrder.nativeOrder()), packet, 0, binary);
    }

    /** The packet whose bytes start at BASE in PACKET; BINARY: text as byte[] (the _bin types). */
    static HttpPacket read(final ByteBuffer io, final byte[] packet, final int base, final boolean binary)
    {
        final int kind = (int)get(io, Native.DECODE_HTTP_KIND);
        if (kind == Native.HTTP_REQUEST)
        {
            final Object methodText = text(packet, base, get(io, Native.DECODE_HTTP_METHOD_OFF),
                get(io, Native.DECODE_HTTP_METHOD_LEN), binary);
            final Object method = get(io, Native.DECODE_HTTP_METHOD) > 0
                ? new Atom(text(packet, base, get(io, Native.DECODE_HTTP_METHOD_OFF),
                    get(io, Native.DECODE_HTTP_METHOD_LEN), false).toString())
                : methodText;
            return new HttpRequest(method, uri(io, packet, base, binary), (int)get(io, Native.DECODE_HTTP_MAJOR),
                (int)get(io, Native.DECODE_HTTP_MINOR));
        }
        if (kind == Native.HTTP_RESPONSE)
        {
            return new HttpResponse((int)get(io, Native.DECODE_HTTP_MAJOR), (int)get(io, Native.DECODE_HTTP_MINOR),
                get(io, Native.DECODE_HTTP_STATUS),
                text(packet, base, get(io, Native.DECODE_HTTP_PHRASE_OFF), get(io, Native.DECODE_HTTP_PHRASE_LEN),
                    binary));
        }
        if (kind == Native.HTTP_HEADER)
        {
            final int bit = (int)get(io, Native.DECODE_HTTP_BIT);
            final long nameLength = get(io, Native.DECODE_HTTP_NAME_LEN);
            final Object unmodified = text(packet, base, get(io, Native.DECODE_HTTP_FIELD_OFF),
                get(io, Native.DECODE_HTTP_FIELD_LEN), binary);
            final Object field;
            if (nameLength < 0)
            {
                field = unmodified; // a name too long to normalize stays as it came (OTP)
            }
            else
            {
                final byte[] name = new byte[(int)nameLength];
                io.get(NAME_OFF, name);
                field = bit > 0 ? new Atom(new String(name, StandardCharsets.ISO_8859_1))
                    : binary ? name : new String(name, StandardCharsets.ISO_8859_1);
            }
            return new HttpHeader(bit, field, unmodified,
                text(packet, base, get(io, Native.DECODE_HTTP_VALUE_OFF), get(io, Native.DECODE_HTTP_VALUE_LEN),
                    binary));
        }
        if (kind == Native.HTTP_EOH)
        {
            return HttpEoh.INSTANCE;
        }
        return new HttpError(text(packet, base, get(io, Native.DECODE_BODY_OFF), get(io, Native.DECODE_BODY_LEN),
            binary));
    }

    private static HttpUri uri(final ByteBuffer io, final byte[] packet, final int base, final boolean binary)
    {
        final int kind = (int)get(io, Native.DECODE_HTTP_URI);
        final Object a = text(packet, base, get(io, Native.DECODE_HTTP_URI_A_OFF),
            get(io, Native.DECODE_HTTP_URI_A_LEN), binary);
        if (kind == Native.URI_STAR)
        {
            return new HttpUri.Star();
        }
        if (kind == Native.URI_ABS_PATH)
        {
            return new HttpUri.AbsPath(a);
        }
        final Object b = text(packet, base, get(io, Native.DECODE_HTTP_URI_B_OFF),
            get(io, Native.DECODE_HTTP_URI_B_LEN), binary);
        if (kind == Native.URI_ABSOLUTE)
        {
            final Atom scheme = get(io, Native.DECODE_HTTP_URI_SCHEME) == Native.HTTP_SCHEME_HTTPS ? HTTPS : HTTP;
            return new HttpUri.AbsoluteUri(scheme, a, (int)get(io, Native.DECODE_HTTP_URI_PORT), b);
        }
        if (kind == Native.URI_SCHEME)
        {
            return new HttpUri.Scheme(a, b);
        }
        return new HttpUri.Text(a);
    }

    private static long get(final ByteBuffer io, final int index)
    {
        return io.getLong(slot(index));
    }
}
