package io.gentcp.bench.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Generates decode_packet cases, one {@code TYPE HEX [options]} line each: random bytes, and
 * edges built per type (every header-length boundary, packet_size on and off by one, every
 * known HTTP header in odd cases, continuation lines, each URI form, malformed lines), each
 * also truncated at every byte. Deterministic for a seed.
 */
final class DecodeCases
{
    static final String[] TYPES = {"raw", "0", "1", "2", "4", "asn1", "sunrm", "cdr", "fcgi", "tpkt", "line",
        "http", "httph", "http_bin", "httph_bin"};

    static final String[] KNOWN_HEADERS = {"Cache-Control", "Connection", "Date", "Pragma", "Transfer-Encoding",
        "Upgrade", "Via", "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "From",
        "Host", "If-Modified-Since", "If-Match", "If-None-Match", "If-Range", "If-Unmodified-Since", "Max-Forwards",
        "Proxy-Authorization", "Range", "Referer", "User-Agent", "Age", "Location", "Proxy-Authenticate", "Public",
        "Retry-After", "Server", "Vary", "Warning", "Www-Authenticate", "Allow", "Content-Base", "Content-Encoding",
        "Content-Language", "Content-Length", "Content-Location", "Content-Md5", "Content-Range", "Content-Type",
        "Etag", "Expires", "Last-Modified", "Accept-Ranges", "Set-Cookie", "Set-Cookie2", "X-Forwarded-For", "Cookie",
        "Keep-Alive", "Proxy-Connection"};

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT",
        "PATCH", "get", "Get", "FOO", "M-SEARCH", "G@T"};
    private static final String[] URIS = {"*", "/", "/a/b?c=d", "http://example.com:8080/a/b?c=d",
        "HTTP://Example.com/", "http://example.com", "http://example.com:0/", "http://example.com:80x/",
        "https://example.com/x",
        "https://h:99999/p", "http://:80/", "ftp://host/file", "example.com:443", "something_else",
        "http://user@host/p", "https://example.com:8042/over/there?name=ferret#nose", "", "/%20x"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/12.345", "HTTP/1.1 extra",
        "HTTP/x.1", "FOO/1.1", "HTTP/1", "http/1.1", "HTTP/1.", "HTTP/.1", ""};
    private static final String[] ENDINGS = {"\r\n", "\n", "\r\n\r\n", "\r\nX", "\nX", "\r\n Y\r\nZ",
        "\r\n\tcont\r\n\r\n", ""};

    private final Random random;
    private final List<String> cases = new ArrayList<>();

    DecodeCases(final long seed)
    {
        this.random = new Random(seed);
    }

    List<String> generate()
    {
        for (final String type : TYPES)
        {
            for (int i = 0; i < 400; i++)
            {
                add(type, randomBytes(random.nextInt(24)), randomOptions(type));
            }
        }
        lengthPrefixed();
        headerIncluded();
        lines();
        http();
        return cases;
    }

    private void lengthPrefixed()
    {
        for (final int h : new int[] {1, 2, 4})
        {
            for (final long len : new long[] {0, 1, 2, 3, 5, 127, 128, 255, 256, 65535, 65536, 0x7ffffffbL, 0x7ffffffcL,
                0x80000000L, 0xffffffffL})
            {
                if (h < 4 && len >= 1L << (8 * h))
                {
                    continue;
                }
                final byte[] header = be(len, h);
                final byte[] body = randomBytes((int)Math.min(len, 6) + random.nextInt(3));
                final byte[] all = concat(header, body);
                truncations(Integer.toString(h), all, "");
                for (final long ps : new long[] {len - 1, len, len + 1})
                {
                    if (ps >= 0)
                    {
                        add(Integer.toString(h), all, "packet_size=" + ps);
                    }
                }
            }
        }
    }

    private void headerIncluded()
    {
        for (int i = 0; i < 60; i++)
        {
            final int len = random.nextInt(8);
            final byte[] body = randomBytes(len + random.nextInt(3));
            truncations("sunrm", concat(be((random.nextBoolean() ? 0x80000000L : 0) | len, 4), body), "");
            final boolean little = random.nextBoolean();
            final byte[] giop = concat("GIOP".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {1, 0, (byte)(little ? 1 : 0), 0});
            final byte[] size = little ? new byte[] {(byte)len, 0, 0, 0} : be(len, 4);
            truncations("cdr", concat(concat(giop, size), body), "");
            final int pad = random.nextInt(4);
            truncations("fcgi", concat(
                new byte[] {(byte)(random.nextInt(8) == 0 ? 2 : 1), 1, 0, 1, 0, (byte)len, (byte)pad, 0},
                randomBytes(len + pad + random.nextInt(2))), "");
            truncations("tpkt", concat(
                new byte[] {(byte)(random.nextInt(8) == 0 ? 2 : 3), 0, 0, (byte)(len + random.nextInt(6))}, body), "");
            final byte[][] tags = {{0x30}, {(byte)0xe0}, {0x1f, (byte)0x83, 0x27}};
            final byte[] tag = tags[random.nextInt(tags.length)];
            final byte[][] lengths = {{(byte)len}, {(byte)0x81, (byte)len}, {(byte)0x82, 0, (byte)len},
                {(byte)0x84, 0, 0, 0, (byte)len}, {(byte)0x80}, {(byte)0x85, 0, 0, 0, 0, (byte)len}};
            truncations("asn1", concat(concat(tag, lengths[random.nextInt(lengths.length)]), body), "");
            for (final String type : new String[] {"sunrm", "cdr", "fcgi", "tpkt", "asn1"})
            {
                add(type, concat(be(len, 4), body), "packet_size=" + Math.max(0, len - 1 + random.nextInt(3)));
            }
        }
    }

    private void lines()
    {
        for (int i = 0; i < 300; i++)
        {
            final StringBuilder text = new StringBuilder();
            final int pieces = 1 + random.nextInt(3);
            for (int p = 0; p < pieces; p++)
            {
                text.append("abcdefghij", 0, random.nextInt(11));
                text.append(random.nextBoolean() ? "\n" : random.nextBoolean() ? "\r\n" : "X");
            }
            final byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
            final String options = switch (random.nextInt(5))
            {
                case 0 -> "";
                case 1 -> "line_length=" + random.nextInt(12);
                case 2 -> "packet_size=" + random.nextInt(12);
                case 3 -> "packet_size=" + random.nextInt(12) + " line_length=" + random.nextInt(12);
                default -> "line_delimiter=88";
            };
            truncations("line", bytes, options);
        }
    }

    private void http()
    {
        final String[] requestTypes = {"http", "http_bin"};
        final String[] headerTypes = {"httph", "httph_bin"};
        for (final String method : METHODS)
        {
            for (final String uri : URIS)
            {
                final String version = VERSIONS[random.nextInt(VERSIONS.length)];
                final String line = method + " " + uri + (version.isEmpty() ? "" : " " + version);
                final String ending = ENDINGS[random.nextInt(ENDINGS.length)];
                truncations(requestTypes[random.nextInt(2)], latin1(line + ending), httpLimit(line.length()));
            }
        }
        for (final String version : VERSIONS)
        {
            for (final String status : new String[] {"200 OK", "404 Object Not Found", "200", "2000 Too big", "abc x",
                "200  two  spaces", ""})
            {
                truncations(requestTypes[random.nextInt(2)], latin1(version + " " + status + "\r\n"), "");
            }
        }
        for (final String name : KNOWN_HEADERS)
        {
            for (final String form : new String[] {name, name.toLowerCase(), name.toUpperCase(), oddCase(name)})
            {
                final String value = random.nextBoolean() ? " value  " : "\tv";
                add(headerTypes[random.nextInt(2)], latin1(form + ":" + value + "\r\nX"), "");
            }
        }
        final String[] odd = {"x-a_b.c~d: v", "sec-webSocket-key: k", "Bad Name: x", "Name : x", "Ho@st: v",
            "no colon", " leading: x", ": x", "Host: a\rb", "A: b\r\n c\r\n\td", "content-length:   42  ",
            "x: ", "X-" + "a".repeat(49) + ": long", "x".repeat(51) + ": v", "\r\n", "\n"};
        for (final String line : odd)
        {
            for (final String ending : new String[] {"\r\nX", "\r\n", "\nZ"})
            {
                truncations(headerTypes[random.nextInt(2)], latin1(line + ending), "");
                add(requestTypes[random.nextInt(2)], latin1(line + ending), "");
            }
        }
        for (int i = 0; i < 200; i++)
        {
            final String line = METHODS[random.nextInt(METHODS.length)] + " /" + "a".repeat(random.nextInt(20)) +
                " HTTP/1.1\r\n";
            add(requestTypes[random.nextInt(2)], latin1(line),
                "packet_size=" + (line.length() - 2 + random.nextInt(4)));
            add(requestTypes[random.nextInt(2)], latin1(line),
                "line_length=" + (line.length() - 2 + random.nextInt(4)));
        }
    }

    private String httpLimit(final int length)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> "packet_size=" + (length + random.nextInt(4));
            case 1 -> "line_length=" + (length + random.nextInt(4));
            default -> "";
        };
    }

    private String oddCase(final String name)
    {
        final StringBuilder out = new StringBuilder();
        for (final char c : name.toCharArray())
        {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    private String randomOptions(final String type)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> "packet_size=" + random.nextInt(10);
            case 1 -> "line".equals(type) ? "line_length=" + random.nextInt(10) : "";
            case 2 -> "line".equals(type) ? "line_delimiter=" + random.nextInt(256) : "";
            default -> "";
        };
    }

    /** The case, and the case cut at every byte. */
    private void truncations(final String type, final byte[] bytes, final String options)
    {
        for (int n = 0; n <= bytes.length; n++)
        {
            add(type, java.util.Arrays.copyOf(bytes, n), options);
        }
    }

    private void add(final String type, final byte[] bytes, final String options)
    {
        cases.add((type + " " + HexFormat.of().formatHex(bytes) + " " + options).trim().replaceAll(" +", " "));
    }

    private byte[] randomBytes(final int n)
    {
        final byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] be(final long value, final int n)
    {
        final byte[] out = new byte[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = (byte)(value >>> (8 * (n - 1 - i)));
        }
        return out;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] latin1(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
