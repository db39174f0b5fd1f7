package io.gentcp.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One JSON object on one line, built key by key, as {@code --json} prints each result: strings
 * escaped as RFC 8259 requires (quote, backslash and every control character; nothing else, the
 * text stays UTF-8), numbers as given, and null for a figure that was not measured or is not
 * finite. Keys are written in the order they are put; putting one twice is a programming error.
 */
public final class Json
{
    /** RFC 8259's number grammar. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final StringBuilder text = new StringBuilder("{");
    private final Set<String> keys = new HashSet<>();

    private Json()
    {
    }

    /** An empty object. */
    public static Json object()
    {
        return new Json();
    }

    /** KEY: VALUE as a string, or null when VALUE is null. */
    public Json put(final String key, final String value)
    {
        return raw(key, value == null ? "null" : quote(value));
    }

    /** KEY: VALUE. */
    public Json put(final String key, final long value)
    {
        return raw(key, Long.toString(value));
    }

    /** KEY: VALUE. */
    public Json put(final String key, final boolean value)
    {
        return raw(key, Boolean.toString(value));
    }

    /** KEY: VALUE, or null when VALUE is NaN or infinite (JSON has no such numbers). */
    public Json put(final String key, final double value)
    {
        return raw(key, Double.isFinite(value) ? Double.toString(value) : "null");
    }

    /**
     * KEY: a number already formatted as the text output prints it (for example {@code 12.3}),
     * so that both say the same figure; null when FORMATTED is null.
     *
     * @throws IllegalArgumentException if FORMATTED is not a JSON number.
     */
    public Json number(final String key, final String formatted)
    {
        if (formatted != null && !NUMBER.matcher(formatted).matches())
        {
            throw new IllegalArgumentException(key + ": not a JSON number: '" + formatted + "'");
        }
        return raw(key, formatted == null ? "null" : formatted);
    }

    /** KEY: null. */
    public Json putNull(final String key)
    {
        return raw(key, "null");
    }

    private Json raw(final String key, final String value)
    {
        if (!keys.add(key))
        {
            throw new IllegalArgumentException("key put twice: " + key);
        }
        if (text.length() > 1)
        {
            text.append(',');
        }
        text.append(quote(key)).append(':').append(value);
        return this;
    }

    /** The object, on one line. */
    @Override
    public String toString()
    {
        return text + "}";
    }

    /** TEXT as a JSON string, in quotes. */
    static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default ->
                {
                    if (c < 0x20)
                    {
                        quoted.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
