package io.gentcp.bench.transfer;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.GenTcp;
import io.gentcp.PacketType;
import io.gentcp.Socket;
import io.gentcp.bench.Main;

/** gentcp sink and blast against each other: the counts at both ends and the printed lines. */
@Timeout(120)
public class SinkBlastTest
{
    static final Pattern LINE = Pattern.compile(
        "bytes=(\\d+) packets=(\\d+) seconds=\\d+\\.\\d{6} MiB/s=\\d+\\.\\d msg/s=\\d+");

    /** A transfer's counts from a printed line. */
    static Transfer parse(final String line)
    {
        final Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        return new Transfer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), 0);
    }

    @ParameterizedTest
    @CsvSource({
        "raw, 65536, 1048576",
        "raw, 1000, 100001",
        "0, 1, 3000",
        "1, 255, 100000",
        "2, 1000, 100001",
        "4, 1024, 1048576",
        "4, 1000, 100001",
        "4, 300000, 1000000",
        "4, 1024, 0",
    })
    void blastCountsWhatTheSinkReceives(final String type, final int size, final long bytes) throws Exception
    {
        final PacketType packet = PacketType.of(type);
        final BlockingQueue<Transfer> received = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (SinkServer sink = SinkServer.start(0, packet, received::add, System.err))
        {
            assertEquals(0, Main.run(new String[] {"blast", "--host", "127.0.0.1", "--port",
                Integer.toString(sink.port()), "--packet", type, "--size", Integer.toString(size), "--bytes",
                Long.toString(bytes)},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                err.toString(StandardCharsets.UTF_8));
            final Transfer sent = parse(out.toString(StandardCharsets.UTF_8).trim());
            final long sends = (bytes + size - 1) / size;
            assertEquals(new Transfer(bytes, sends, 0), sent);
            // blast returns once the sink has closed, which it does after counting
            final Transfer got = received.poll(60, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals(bytes, got.bytes());
            if (packet == PacketType.RAW)
            {
                assertTrue(got.packets() >= (bytes > 0 ? 1 : 0) && got.packets() <= bytes, got.toString());
            }
            else
            {
                assertEquals(sends, got.packets());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "4, 1024, 1048576, --delay-send",
        "4, 1000, 100001, --nodelay",
        "raw, 65536, 1048576, --delay-send --nodelay",
        "1, 200, 100000, --nodelay --delay-send",
    })
    void blastWithSwitchesCountsWhatANodelaySinkReceives(final String type, final int size, final long bytes,
        final String switches) throws Exception
    {
        final PacketType packet = PacketType.of(type);
        final BlockingQueue<Transfer> received = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (SinkServer sink = SinkServer.start(0, packet, new Tuning(true, false, 0), received::add, System.err))
        {
            final String line = "blast --host 127.0.0.1 --port " + sink.port() + " --packet " + type + " --size " +
                size + " --bytes " + bytes + " " + switches;
            assertEquals(0, Main.run(line.split(" "), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
            final long sends = (bytes + size - 1) / size;
            assertEquals(new Transfer(bytes, sends, 0), parse(out.toString(StandardCharsets.UTF_8).trim()));
            final Transfer got = received.poll(60, TimeUnit.SECONDS);
            assertNotNull(got);
            assertEquals(bytes, got.bytes());
            if (packet != PacketType.RAW)
            {
                assertEquals(sends, got.packets());
            }
        }
    }

    @Test
    void theSinkServesConnectionsOneAfterAnotherAndAtOnce() throws Exception
    {
        final BlockingQueue<Transfer> received = new LinkedBlockingQueue<>();
        try (SinkServer sink = SinkServer.start(0, PacketType.FOUR, received::add, System.err))
        {
            final Socket a = GenTcp.connect("127.0.0.1", sink.port(), binary(), packet(PacketType.FOUR), active(false));
            final Socket b = GenTcp.connect("127.0.0.1", sink.port(), binary(), packet(PacketType.FOUR), active(false));
            try
            {
                assertEquals(10_000, Blast.send(b, 100, 10_000).bytes());
                assertEquals(new Transfer(10_000, 100, 0), counts(received.poll(60, TimeUnit.SECONDS)));
                assertEquals(20_000, Blast.send(a, 1000, 20_000).bytes());
                assertEquals(new Transfer(20_000, 20, 0), counts(received.poll(60, TimeUnit.SECONDS)));
            }
            finally
            {
                GenTcp.close(a);
                GenTcp.close(b);
            }
        }
    }

    @Test
    void aPeerThatFramesDifferentlyGetsEmsgsizeNotAHugeBuffer() throws Exception
    {
        final BlockingQueue<Transfer> received = new LinkedBlockingQueue<>();
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        try (SinkServer sink = SinkServer.start(0, PacketType.FOUR, received::add,
            new PrintStream(new Lines(log), true, StandardCharsets.UTF_8)))
        {
            // Raw 0x5a bytes read as a {packet, 4} header announce 1,515,870,810 bytes.
            final Socket raw =
                GenTcp.connect("127.0.0.1", sink.port(), binary(), packet(PacketType.RAW), active(false));
            try
            {
                GenTcp.send(raw, new byte[] {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a});
                assertEquals("sink: connection: emsgsize", log.poll(60, TimeUnit.SECONDS));
            }
            finally
            {
                GenTcp.close(raw);
            }
            final Socket good =
                GenTcp.connect("127.0.0.1", sink.port(), binary(), packet(PacketType.FOUR), active(false));
            try
            {
                Blast.send(good, 10, 100);
                assertEquals(new Transfer(100, 10, 0), counts(received.poll(60, TimeUnit.SECONDS)));
            }
            finally
            {
                GenTcp.close(good);
            }
            assertTrue(received.isEmpty() && log.isEmpty(), received + " " + log);
        }
    }

    private static Transfer counts(final Transfer t)
    {
        assertNotNull(t);
        return new Transfer(t.bytes(), t.packets(), 0);
    }

    @Test
    void theSinkCommandPrintsItsPortFirstThenALinePerConnection() throws Exception
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final PrintStream out = new PrintStream(new Lines(lines), true, StandardCharsets.UTF_8);
        final Thread command = new Thread(() -> Main.run(new String[] {"sink", "--port", "0", "--packet", "2"}, out,
            System.err), "sink-command");
        command.setDaemon(true); // the command runs until killed, as it does for its users
        command.start();
        final String first = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(first);
        assertTrue(first.matches("listening on \\d+"), first);
        final int port = Integer.parseInt(first.substring("listening on ".length()));
        final Socket s = GenTcp.connect("127.0.0.1", port, binary(), packet(PacketType.TWO), active(false));
        try
        {
            Blast.send(s, 500, 5000);
        }
        finally
        {
            GenTcp.close(s);
        }
        final String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line);
        assertEquals(new Transfer(5000, 10, 0), parse(line));
    }

    /** An output stream that hands over each complete line. */
    public static final class Lines extends OutputStream
    {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        public Lines(final BlockingQueue<String> lines)
        {
            this.lines = lines;
        }

        @Override
        public synchronized void write(final int b)
        {
            if (b == '\n')
            {
                lines.add(line.toString(StandardCharsets.UTF_8).replace("\r", ""));
                line.reset();
            }
            else
            {
                line.write(b);
            }
        }
    }
}
