package io.gentcp.bench.transfer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gentcp.bench.Json;

/**
 * What one end of a one-way transfer counted: body bytes, packets (sends for a sender; packets,
 * or reads with {@code {packet, raw}}, for a receiver) and the nanoseconds it took.
 *
 * @param bytes   body bytes, headers not included.
 * @param packets packets sent or received.
 * @param nanos   the wall time of the transfer.
 */
public record Transfer(long bytes, long packets, long nanos)
{
    private static final double MIB = 1024.0 * 1024.0;
    private static final Pattern REFERENCE_LINE =
        Pattern.compile("bytes=(\\d{1,18}) packets=(\\d{1,18}) ns=(\\d{1,18})\\r?\\n?");

    /** Checks the counts. */
    public Transfer
    {
        if (bytes < 0 || packets < 0 || nanos < 0)
        {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** Seconds, from the nanoseconds. */
    public double seconds()
    {
        return nanos / 1e9;
    }

    /** Mebibytes (2^20 bytes) of body per second. */
    public double mibPerSecond()
    {
        return bytes / MIB / Math.max(seconds(), 1e-9);
    }

    /** Packets per second. */
    public double packetsPerSecond()
    {
        return packets / Math.max(seconds(), 1e-9);
    }

    /**
     * The line {@code sink} and {@code blast} print:
     * {@code bytes=N packets=N seconds=S MiB/s=X msg/s=N} (seconds with 6 decimals, MiB/s with 1).
     */
    public String line()
    {
        return String.format(Locale.ROOT, "bytes=%d packets=%d seconds=%.6f MiB/s=%.1f msg/s=%d", bytes, packets,
            seconds(), mibPerSecond(), Math.round(packetsPerSecond()));
    }

    /**
     * {@link #line()} as a JSON object, {@code {"type":TYPE,"bytes":N,"packets":N,"seconds":S,
     * "mib_per_s":X,"msg_per_s":N}}, each figure formatted as the line formats it.
     */
    public String json(final String type)
    {
        return Json.object().put("type", type).put("bytes", bytes).put("packets", packets)
            .number("seconds", String.format(Locale.ROOT, "%.6f", seconds()))
            .number("mib_per_s", String.format(Locale.ROOT, "%.1f", mibPerSecond()))
            .put("msg_per_s", Math.round(packetsPerSecond())).toString();
    }

    /**
     * Parses the line the C reference ({@code throughput_ref}) prints: {@code bytes=N packets=N ns=N}.
     *
     * @throws IllegalArgumentException quoting the line if it is anything else.
     */
    public static Transfer parseReference(final String line)
    {
        final Matcher m = REFERENCE_LINE.matcher(line == null ? "" : line);
        if (!m.matches())
        {
            throw new IllegalArgumentException("C reference: expected 'bytes=N packets=N ns=N', got " +
                (line == null ? "nothing" : "'" + line + "'"));
        }
        return new Transfer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }
}
