package io.gentcp.bench;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader of the one-line JSON objects {@code --json} prints, for tests: an object whose
 * values are strings, numbers, booleans or null (what the tool writes), RFC 8259's grammar and
 * nothing more (no trailing commas, no leading zeros, no NaN, no unescaped control characters,
 * no duplicate keys, nothing after the object). Numbers are read as {@link BigDecimal}, so that
 * {@code 12.3} stays {@code 12.3}.
 */
public final class JsonCheck
{
    private final String text;
    private int at;

    private JsonCheck(final String text)
    {
        this.text = text;
    }

    /**
     * Parses TEXT as one object.
     *
     * @throws IllegalArgumentException saying where TEXT breaks the grammar.
     */
    public static Map<String, Object> parse(final String text)
    {
        final JsonCheck p = new JsonCheck(text);
        final Map<String, Object> object = p.object();
        if (p.at != text.length())
        {
            throw p.fail("text after the object");
        }
        return object;
    }

    private Map<String, Object> object()
    {
        expect('{');
        final Map<String, Object> object = new LinkedHashMap<>();
        if (peek() == '}')
        {
            at++;
            return object;
        }
        while (true)
        {
            final String key = string();
            expect(':');
            if (object.containsKey(key))
            {
                throw fail("duplicate key " + key);
            }
            object.put(key, value());
            final char c = next();
            if (c == '}')
            {
                return object;
            }
            if (c != ',')
            {
                throw fail("expected , or }");
            }
        }
    }

    private Object value()
    {
        final char c = peek();
        if (c == '"')
        {
            return string();
        }
        if (c == '-' || c >= '0' && c <= '9')
        {
            return number();
        }
        for (final String word : new String[] {"true", "false", "null"})
        {
            if (text.startsWith(word, at))
            {
                at += word.length();
                return "null".equals(word) ? null : Boolean.valueOf(word);
            }
        }
        throw fail("expected a value");
    }

    private BigDecimal number()
    {
        final int start = at;
        if (peek() == '-')
        {
            at++;
        }
        if (peek() == '0')
        {
            at++;
        }
        else
        {
            digits();
        }
        if (at < text.length() && text.charAt(at) == '.')
        {
            at++;
            digits();
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E'))
        {
            at++;
            if (peek() == '+' || peek() == '-')
            {
                at++;
            }
            digits();
        }
        return new BigDecimal(text.substring(start, at));
    }

    private void digits()
    {
        final int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9')
        {
            at++;
        }
        if (at == start)
        {
            throw fail("expected a digit");
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder s = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return s.toString();
            }
            if (c < 0x20)
            {
                throw fail("unescaped control character");
            }
            if (c != '\\')
            {
                s.append(c);
                continue;
            }
            final char e = next();
            switch (e)
            {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' ->
                {
                    if (at + 4 > text.length() || !text.substring(at, at + 4).matches("[0-9a-fA-F]{4}"))
                    {
                        throw fail("bad \\u escape");
                    }
                    s.append((char)Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw fail("bad escape \\" + e);
            }
        }
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            throw fail("expected " + c);
        }
    }

    private char peek()
    {
        if (at >= text.length())
        {
            throw fail("unexpected end");
        }
        return text.charAt(at);
    }

    private char next()
    {
        final char c = peek();
        at++;
        return c;
    }

    private IllegalArgumentException fail(final String what)
    {
        return new IllegalArgumentException(what + " at " + at + " in " + text);
    }
}
