package io.gentcp;

import java.util.Objects;

/**
 * An Erlang atom where gen_tcp delivers one inside a term: the known HTTP methods
 * ({@code 'GET'}), the known header names ({@code 'Content-Length'}), the URI schemes
 * ({@code http}, {@code https}). {@link #toString()} writes it as Erlang does, quoted when needed.
 *
 * @param name the atom's text.
 */
public record Atom(String name)
{
    /**
     * Checks the name.
     *
     * @param name the atom's text, not null
     */
    public Atom
    {
        Objects.requireNonNull(name, "name");
    }

    /** The atom as {@code io:format("~w")} writes it: bare if it is a plain lower-case word, else quoted. */
    @Override
    public String toString()
    {
        return ErlangTerms.atom(name);
    }
}
