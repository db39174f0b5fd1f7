package io.gentcp.bench.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gentcp.PacketType;
import io.gentcp.bench.ErlangPeerTest;
import io.gentcp.bench.Main;
import io.gentcp.bench.roundtrip.EchoInteropTest;

/**
 * gentcp blast and sink against OTP's gen_tcp: blast to an Erlang sink, and an Erlang sender
 * to the gentcp sink, checking the byte and packet counts at both ends.
 */
@Timeout(300)
class ThroughputInteropTest
{
    private static final int SIZE = 1000;
    private static final int COUNT = 2000;
    private static final long BYTES = (long)SIZE * COUNT + 1; // the last send carries 1 byte

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2", "4"})
    void blastToAnErlangSink(final String type) throws Exception
    {
        assumeTrue(EchoInteropTest.onPath("escript"), "no escript on PATH (apt-get install erlang-nox)");
        final Path script = ErlangPeerTest.script("sink");
        final int size = "1".equals(type) ? 200 : SIZE;
        final Process erlang = new ProcessBuilder("escript", script.toString(), type).redirectErrorStream(true).start();
        try (BufferedReader lines =
            new BufferedReader(new InputStreamReader(erlang.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = lines.readLine();
            assertTrue(first != null && first.startsWith("listening on "), "Erlang said: " + first);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, Main.run(new String[] {"blast", "--host", "127.0.0.1", "--port", first.substring(13),
                "--packet", type, "--size", Integer.toString(size), "--bytes", Long.toString(BYTES)},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            final long sends = (BYTES + size - 1) / size;
            assertEquals(new Transfer(BYTES, sends, 0),
                SinkBlastTest.parse(out.toString(StandardCharsets.UTF_8).trim()));
            final String theirs = lines.readLine();
            assertNotNull(theirs);
            if ("0".equals(type))
            {
                assertTrue(theirs.startsWith("bytes " + BYTES + " packets "), theirs);
            }
            else
            {
                assertEquals("bytes " + BYTES + " packets " + sends, theirs);
            }
        }
        finally
        {
            assertTrue(erlang.waitFor(60, TimeUnit.SECONDS));
            Files.deleteIfExists(script);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2", "4"})
    void sinkFromAnErlangSender(final String type) throws Exception
    {
        assumeTrue(EchoInteropTest.onPath("escript"), "no escript on PATH (apt-get install erlang-nox)");
        final Path script = ErlangPeerTest.script("sender");
        final BlockingQueue<Transfer> received = new LinkedBlockingQueue<>();
        try (SinkServer sink = SinkServer.start(0, PacketType.of(type), received::add, System.err))
        {
            final Process erlang = new ProcessBuilder("escript", script.toString(), Integer.toString(sink.port()), type,
                Integer.toString(SIZE), Integer.toString(COUNT)).redirectErrorStream(true).start();
            final String theirs = new String(erlang.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(erlang.waitFor(60, TimeUnit.SECONDS));
            assertEquals("sent " + (long)SIZE * COUNT, theirs);
            assertEquals(0, erlang.exitValue());
            final Transfer got = received.poll(60, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals((long)SIZE * COUNT, got.bytes());
            if ("0".equals(type))
            {
                assertTrue(got.packets() >= 1 && got.packets() <= (long)SIZE * COUNT, got.toString());
            }
            else
            {
                assertEquals(COUNT, got.packets());
            }
        }
        finally
        {
            Files.deleteIfExists(script);
        }
    }
}
