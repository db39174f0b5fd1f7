package io.gentcp;

import java.nio.charset.StandardCharsets;

/**
 * Writes values as {@code io:format("~w", [Term])} does, so gentcp's results can be compared
 * with an Erlang node's character for character: binaries as {@code <<1,2,3>>}, strings as
 * lists of integers, atoms quoted when they need it.
 */
public final class ErlangTerms
{
    private ErlangTerms()
    {
    }

    /**
     * A {@code byte[]} as a binary, a {@code String} as a list of its chars, an {@link Atom}, a number, or a term's own
     * toString.
     *
     * @param value the value to write
     * @return the Erlang term's text
     */
    public static String write(final Object value)
    {
        if (value instanceof byte[] bytes)
        {
            return binary(bytes);
        }
        if (value instanceof String text)
        {
            return list(text);
        }
        if (value instanceof HeaderPacket packet)
        {
            return packet.toString();
        }
        return String.valueOf(value);
    }

    /**
     * {@code <<1,2,3>>}.
     *
     * @param bytes the binary's bytes
     * @return the Erlang term's text
     */
    public static String binary(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder(bytes.length * 4 + 4).append("<<");
        for (int i = 0; i < bytes.length; i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            out.append(bytes[i] & 0xff);
        }
        return out.append(">>").toString();
    }

    /**
     * {@code [104,105]} for "hi"; {@code []} when empty.
     *
     * @param text the characters, one list element each
     * @return the Erlang term's text
     */
    public static String list(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() * 4 + 2).append('[');
        for (int i = 0; i < text.length(); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            out.append((int)text.charAt(i));
        }
        return out.append(']').toString();
    }

    /**
     * An atom: bare when it starts with a lower-case letter and has only letters, digits, _ and @; else quoted.
     *
     * @param name the atom's text
     * @return the Erlang term's text
     */
    public static String atom(final String name)
    {
        boolean bare = !name.isEmpty() && name.charAt(0) >= 'a' && name.charAt(0) <= 'z';
        for (int i = 0; bare && i < name.length(); i++)
        {
            final char c = name.charAt(i);
            bare = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '@';
        }
        if (bare)
        {
            return name;
        }
        final StringBuilder out = new StringBuilder(name.length() + 2).append('\'');
        for (final byte b : name.getBytes(StandardCharsets.ISO_8859_1))
        {
            final int c = b & 0xff;
            if (c == '\'' || c == '\\')
            {
                out.append('\\').append((char)c);
            }
            else
            {
                out.append((char)c);
            }
        }
        return out.append('\'').toString();
    }
}
