package io.gentcp;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Many {@link Pair}s for one test, closed together. */
final class Pairs extends AbstractList<Pair> implements AutoCloseable
{
    private final List<Pair> pairs;

    private Pairs(final List<Pair> pairs)
    {
        this.pairs = pairs;
    }

    /** N pairs, each from MAKE; if one cannot be made, those made already are closed. */
    static Pairs of(final int n, final Supplier<Pair> make)
    {
        final Pairs made = new Pairs(new ArrayList<>(n));
        try
        {
            for (int i = 0; i < n; i++)
            {
                made.pairs.add(make.get());
            }
        }
        catch (final RuntimeException | Error e)
        {
            made.close();
            throw e;
        }
        return made;
    }

    @Override
    public Pair get(final int index)
    {
        return pairs.get(index);
    }

    @Override
    public int size()
    {
        return pairs.size();
    }

    @Override
    public void close()
    {
        pairs.forEach(Pair::close);
    }
}
