package io.gentcp.bench.reference;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gentcp.bench.roundtrip.Figures;

/**
 * Parses the one line the C reference prints:
 * {@code p50_ns=N p90_ns=N p99_ns=N p999_ns=N max_ns=N rtt_per_sec=N}, whole numbers, in that
 * order, one space apart, with an optional line end. Anything else is refused.
 */
final class ReferenceOutput
{
    static final String FORMAT = "p50_ns=N p90_ns=N p99_ns=N p999_ns=N max_ns=N rtt_per_sec=N";

    private static final Pattern LINE = Pattern.compile(
        "p50_ns=(\\d{1,18}) p90_ns=(\\d{1,18}) p99_ns=(\\d{1,18}) p999_ns=(\\d{1,18}) max_ns=(\\d{1,18})" +
        " rtt_per_sec=(\\d{1,18})\\r?\\n?");
    private static final int MAX_QUOTED = 200;

    private ReferenceOutput()
    {
    }

    /**
     * The figures in the C reference's output.
     *
     * @param output everything it wrote to stdout.
     * @return its figures.
     * @throws IllegalArgumentException naming the expected format and quoting the output, if
     *         it is anything but the one line.
     */
    static Figures parse(final String output)
    {
        final Matcher m = LINE.matcher(output);
        if (!m.matches())
        {
            throw new IllegalArgumentException("C reference: expected one line '" + FORMAT + "', got " + quote(output));
        }
        return new Figures(
            Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)),
            Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)),
            Long.parseLong(m.group(5)),
            Long.parseLong(m.group(6)));
    }

    private static String quote(final String output)
    {
        if (output.isEmpty())
        {
            return "nothing";
        }
        final String shown = output.length() > MAX_QUOTED ? output.substring(0, MAX_QUOTED) + "..." : output;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }
}
