package io.gentcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.gentcp.PacketType;
import io.gentcp.bench.roundtrip.EchoServer;

/** --hgrm: HdrHistogram's percentile distribution of the round trips, written where asked, checked first. */
@Timeout(120)
class HgrmTest
{
    /** The column header HdrHistogram's outputPercentileDistribution starts with. */
    private static final String HEADER = "Value     Percentile TotalCount 1/(1-Percentile)";

    @TempDir
    Path dir;

    private final ToolRun tool = new ToolRun();

    /** Checks FILE is a distribution of COUNT values and returns its lines. */
    private static List<String> distribution(final Path file, final long count) throws IOException
    {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(HEADER, lines.get(0).strip(), file.toString());
        final List<String> data = lines.stream().filter(l -> l.strip().matches("[0-9.]+ +[0-9.]+ +[0-9]+ +.*"))
            .toList();
        assertTrue(data.size() > 2, lines.toString());
        assertEquals(Long.toString(count), data.get(data.size() - 1).strip().split(" +")[2], lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("#[Mean")), lines.toString());
        return lines;
    }

    @Test
    void pingWritesTheDistributionInMicroseconds() throws IOException
    {
        final Path file = dir.resolve("ping.hgrm");
        Files.writeString(file, "an older file, overwritten");
        try (EchoServer server = EchoServer.start(0, PacketType.FOUR, 1))
        {
            assertEquals(0, tool.run("ping", "--host", "127.0.0.1", "--port", Integer.toString(server.port()),
                "--count", "300", "--warmup", "30", "--hgrm=" + file, "--json"), tool.err());
        }
        final List<String> lines = distribution(file, 300);
        final double maxUs = ((BigDecimal)JsonCheck.parse(tool.out().strip()).get("max_us"))
            .doubleValue();
        final String maxLine = lines.stream().filter(l -> l.startsWith("#[Max")).findFirst().orElseThrow();
        final double fileMax = Double.parseDouble(maxLine.replaceAll(".*Max += *([0-9.]+).*", "$1"));
        // the same round trips: the file's max (its bucket's top, in us) and the JSON's (its middle) within 1%
        assertEquals(maxUs, fileMax, maxUs / 100 + 0.1, maxLine);
    }

    @Test
    void pingpongWritesAFilePerRowItSampled() throws IOException
    {
        final Path base = dir.resolve("pp.hgrm");
        assertEquals(0, tool.run("pingpong", "--count", "100", "--warmup", "10", "--hgrm", base.toString()),
            tool.err());
        for (final String impl : new String[] {"gentcp", "gentcp-active-once", "java-nio"})
        {
            distribution(dir.resolve("pp-" + impl + ".hgrm"), 100);
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(3, files.count()); // none for the C reference, which has no histogram
        }
    }

    @Test
    void withRunsEachFileSaysItsRun() throws IOException
    {
        final Path base = dir.resolve("r");
        assertEquals(0,
            tool.run("pingpong", "--count", "50", "--warmup", "5", "--runs", "2", "--hgrm", base.toString()),
            tool.err());
        for (final String name : new String[] {"r-gentcp-run1.hgrm", "r-gentcp-run2.hgrm", "r-java-nio-run2.hgrm"})
        {
            distribution(dir.resolve(name), 50);
        }
        assertFalse(Files.exists(dir.resolve("r-gentcp.hgrm")));
    }

    @Test
    void anUnwritableFileIsTheOneLineErrorBeforeAnythingRuns() throws IOException
    {
        // port 1: nothing listens there, so getting past the check would exit 1, not 2
        for (final String bad : new String[] {dir.resolve("no/such/dir/x.hgrm").toString(), dir.toString(), ""})
        {
            assertEquals(Main.USAGE, tool.run("ping", "--host", "127.0.0.1", "--port", "1", "--hgrm", bad), bad);
            assertEquals(1, tool.err().lines().count(), tool.err());
            assertTrue(tool.err().startsWith("gentcp: ping: --hgrm"), tool.err());
            assertTrue(tool.err().strip().endsWith("; see 'gentcp ping --help'"), tool.err());
            assertEquals(Main.USAGE, tool.run("pingpong", "--hgrm=" + bad), bad);
            assertEquals("", tool.out()); // not even the table header
            assertTrue(tool.err().startsWith("gentcp: pingpong: --hgrm"), tool.err());
        }
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(0, files.count()); // the check leaves nothing behind
        }
    }

    @Test
    void rowNamesBecomeFileNames()
    {
        assertEquals("gentcp-active-once", HgrmFiles.slug("gentcp {active,once}"));
        assertEquals("gentcp-virtual", HgrmFiles.slug("gentcp (virtual)"));
        assertEquals("gentcp-once-vs-c-echo", HgrmFiles.slug("gentcp once vs C echo"));
        assertEquals("java-nio", HgrmFiles.slug("java.nio"));
    }
}
