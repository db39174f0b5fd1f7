package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.RoundTripSampler;

/** The figures as ping and pingpong print them. */
class LatencyReportTest
{
    private static final Figures FIGURES = new Figures(78_800, 92_800, 116_800, 183_000, 2_126_000, 15_704.4);

    @Test
    void pingLinesAreMicrosecondsWithOneDecimalThenTheRate()
    {
        assertEquals(List.of(
            "p50 78.8 us",
            "p90 92.8 us",
            "p99 116.8 us",
            "p99.9 183.0 us",
            "max 2126.0 us",
            "round trips/s 15704"), LatencyReport.lines(FIGURES));
    }

    @Test
    void printWritesTheLines()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LatencyReport.print(new PrintStream(bytes, false, StandardCharsets.UTF_8), FIGURES);
        assertEquals(String.join(System.lineSeparator(), LatencyReport.lines(FIGURES)) + System.lineSeparator(),
            bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void roundsToTheNearestTenthAndWholeRate()
    {
        final Figures f = new Figures(949, 950, 1_049, 12_345_678, 0, 0.5);
        assertEquals(List.of("p50 0.9 us", "p90 1.0 us", "p99 1.0 us", "p99.9 12345.7 us", "max 0.0 us",
            "round trips/s 1"), LatencyReport.lines(f));
    }

    @Test
    void tableHeaderAndRowsAlign()
    {
        assertEquals("impl                  p50 us   p90 us   p99 us  p99.9 us   max us      rtt/s  vs C p50",
            LatencyReport.TABLE_HEADER);
        assertEquals("C reference             78.8     92.8    116.8     183.0   2126.0      15704      1.00",
            LatencyReport.tableRow("C reference", FIGURES, 78_800));
        final Figures gentcp = new Figures(80_100, 93_000, 117_000, 190_000, 1_500_000, 15_500);
        assertEquals("gentcp                  80.1     93.0    117.0     190.0   1500.0      15500      1.02",
            LatencyReport.tableRow("gentcp", gentcp, 78_800));
        assertEquals(LatencyReport.TABLE_HEADER.length(),
            LatencyReport.tableRow("java.nio (block)", gentcp, 1).length());
    }

    @Test
    void ratioWithoutAReferenceIsADash()
    {
        assertEquals("-", LatencyReport.tableRow("x", FIGURES, 0).substring(85));
    }

    @Test
    void figuresOfAHistogram()
    {
        final Histogram h = new Histogram(1, RoundTripSampler.HIGHEST_NS, 3);
        for (int i = 1; i <= 2000; i++)
        {
            h.recordValue(i); // below 2048 ns every nanosecond has its own bucket
        }
        assertEquals(new Figures(1000, 1800, 1980, 1998, 2000, 1000.0), Figures.of(h, 2_000_000_000L));
    }

    @Test
    void figuresOfAHistogramAreTheMiddleOfTheirBucket()
    {
        final Histogram h = new Histogram(1, RoundTripSampler.HIGHEST_NS, 3);
        h.recordValue(500_000); // 3 digits: a 256 ns bucket, 499968..500223
        final Figures f = Figures.of(h, 1);
        assertEquals(500_096, f.p50Ns());
        assertEquals(500_096, f.maxNs());
        assertEquals("p50 500.1 us", LatencyReport.lines(f).get(0));
    }
}
