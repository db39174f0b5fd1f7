package io.gentcp.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * {@code --hgrm FILE}: where the HdrHistogram percentile distributions of a run's round trips go,
 * in microseconds ({@link Histogram#outputPercentileDistribution}, the format HdrHistogram's
 * plotter reads: one distribution per file). {@code ping} writes FILE itself; {@code pingpong},
 * which has several, writes one file per row it sampled in this JVM, named
 * {@code BASE-IMPL.hgrm} (BASE: FILE without a trailing {@code .hgrm}; IMPL: the row's name in
 * lower case, every run of other characters than letters and digits one {@code -}), with
 * {@code --runs} above 1 {@code BASE-IMPL-runR.hgrm}. Rows without a histogram (the C ones, the
 * medians) write none. An existing file is overwritten.
 */
public final class HgrmFiles
{
    /** The extension of a percentile distribution file. */
    static final String EXTENSION = ".hgrm";
    /** The histograms are in nanoseconds; the files in microseconds. */
    private static final double NANOS_PER_MICRO = 1000.0;

    private final Path file;
    private final int runs;

    private HgrmFiles(final Path file, final int runs)
    {
        this.file = file;
        this.runs = runs;
    }

    /**
     * The {@code --hgrm} of FLAGS, or null when it was not given, checked before anything runs:
     * its directory must exist and take a new file, and FILE itself, if it exists, must be a
     * file that can be written.
     *
     * @param runs how many runs will write (file names say the run when there are several).
     * @throws UsageException naming FILE and why it cannot be written.
     */
    public static HgrmFiles of(final Flags flags, final int runs)
    {
        final String name = flags.optional("--hgrm");
        if (name == null)
        {
            return null;
        }
        if (name.isEmpty())
        {
            throw new UsageException(flags.command() + ": --hgrm must not be empty");
        }
        final Path file = Path.of(name).toAbsolutePath();
        final Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir))
        {
            throw new UsageException(flags.command() + ": --hgrm: cannot write " + name + ": no directory " + dir);
        }
        if (Files.isDirectory(file))
        {
            throw new UsageException(flags.command() + ": --hgrm: cannot write " + name + ": it is a directory");
        }
        try
        {
            Files.delete(Files.createTempFile(dir, ".gentcp-hgrm-", ".probe"));
            if (Files.exists(file))
            {
                Files.newOutputStream(file, StandardOpenOption.APPEND).close(); // opened, not changed
            }
        }
        catch (final IOException | UnsupportedOperationException | SecurityException e)
        {
            throw new UsageException(flags.command() + ": --hgrm: cannot write " + name + ": " + e);
        }
        return new HgrmFiles(file, runs);
    }

    /** The one file of a command with one result ({@code ping}): FILE as given. */
    public Path single()
    {
        return file;
    }

    /** The file of row IMPL of run RUN (from 1), as the class comment says. */
    public Path forRow(final String impl, final int run)
    {
        final String name = file.getFileName().toString();
        final String base = name.endsWith(EXTENSION) && name.length() > EXTENSION.length()
            ? name.substring(0, name.length() - EXTENSION.length())
            : name;
        return file.resolveSibling(base + "-" + slug(impl) + (runs > 1 ? "-run" + run : "") + EXTENSION);
    }

    /** IMPL in lower case, each run of characters other than ASCII letters and digits one {@code -}. */
    static String slug(final String impl)
    {
        return impl.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** Writes HISTOGRAM's percentile distribution (nanoseconds, written as microseconds) to FILE. */
    public static void write(final Path file, final Histogram histogram) throws IOException
    {
        try (OutputStream bytes = Files.newOutputStream(file);
            PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, NANOS_PER_MICRO);
            out.flush();
            if (out.checkError())
            {
                throw new IOException("cannot write " + file);
            }
        }
    }
}
