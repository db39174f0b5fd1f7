package io.gentcp.bench;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.PacketType;
import io.gentcp.Reason;
import io.gentcp.Socket;
import io.gentcp.bench.roundtrip.EchoInteropTest;

/**
 * gentcp against OTP peers the other way round: {@code gentcp ping} against an Erlang echo
 * server, and a gentcp {packet, http} socket beside an Erlang one receiving the same pipelined
 * stream, term for term.
 */
@Timeout(300)
public class ErlangPeerTest
{
    /** Copies the escript NAME from the test resources to a temporary file, which the caller deletes. */
    public static Path script(final String name) throws Exception
    {
        final Path file = Files.createTempFile("gentcp-" + name, ".escript");
        try (InputStream in = ErlangPeerTest.class.getResourceAsStream("/" + name + ".escript"))
        {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2", "4"})
    void gentcpPingAgainstAnErlangEchoServer(final String type) throws Exception
    {
        assumeTrue(EchoInteropTest.onPath("escript"), "no escript on PATH (apt-get install erlang-nox)");
        final Path server = script("echo_server");
        final Process erlang = new ProcessBuilder("escript", server.toString(), type).redirectErrorStream(true).start();
        try (BufferedReader lines =
            new BufferedReader(new InputStreamReader(erlang.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = lines.readLine();
            assertTrue(first != null && first.startsWith("listening on "), "Erlang said: " + first);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int status = Main.run(new String[] {"ping", "--host", "127.0.0.1", "--port", first.substring(13),
                "--packet", type, "--size", "100", "--count", "2000", "--warmup", "100"}, new PrintStream(out, true),
                System.err);
            assertEquals(0, status);
            final String report = out.toString(StandardCharsets.UTF_8);
            assertTrue(report.contains("p50 ") && report.contains("round trips/s "), report);
            assertEquals("done 2100", lines.readLine());
        }
        finally
        {
            assertTrue(erlang.waitFor(60, TimeUnit.SECONDS));
            Files.deleteIfExists(server);
        }
    }

    @Test
    void httpSocketsDeliverTheSameTermsAsAnErlangSocket() throws Exception
    {
        assumeTrue(EchoInteropTest.onPath("escript"), "no escript on PATH (apt-get install erlang-nox)");
        final String stream = String.join("",
            "GET / HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n",
            "POST http://otp.ericsson.se:8000/product/internal/ HTTP/1.1\r\ncontent-LENGTH: 0\r\n",
            "X-Continued: a\r\n b\r\n\tc\r\nInvalid line without a colon\r\n\r\n",
            "OPTIONS * HTTP/1.0\r\nset-cookie: x=1\r\n\r\n",
            "garbage\r\n",
            "PATCH ftp://cnn.example.com&story=breaking_news@10.0.0.1/top_story.htm HTTP/1.1\r\n\r\n",
            "get something_else HTTP/1.1\r\nsec-websocket-key: k\r\n\r\n",
            "HTTP/1.0 404 Object Not Found\r\nServer: x\r\nDate: y\r\nContent-Type: text/plain\r\nVary: *\r\n\r\n");
        for (final PacketType type : new PacketType[] {PacketType.HTTP, PacketType.HTTP_BIN})
        {
            final Path peer = script("http_peer");
            final Path data = Files.createTempFile("gentcp-http", ".txt");
            Files.write(data, stream.getBytes(StandardCharsets.ISO_8859_1));
            final ListenSocket l = GenTcp.listen(0, binary(), packet(type), packetSize(65536), active(false));
            final Process erlang = new ProcessBuilder("escript", peer.toString(), Integer.toString(Inet.port(l)),
                data.toString(), type.toString()).redirectErrorStream(true).start();
            try
            {
                final Socket s = GenTcp.accept(l, 30_000);
                final List<String> ours = new ArrayList<>();
                while (true)
                {
                    try
                    {
                        ours.add(GenTcp.recv(s, 0, 30_000).toString());
                    }
                    catch (final GenTcpException e)
                    {
                        assertEquals(Reason.CLOSED, e.reason());
                        ours.add("closed");
                        break;
                    }
                }
                GenTcp.close(s);
                final String theirs = new String(erlang.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(erlang.waitFor(60, TimeUnit.SECONDS));
                assertEquals(List.of(theirs.split("\n")), ours, "packet " + type);
                assertTrue(ours.size() > 20, "the stream has many packets: " + ours.size());
            }
            finally
            {
                GenTcp.close(l);
                Files.deleteIfExists(peer);
                Files.deleteIfExists(data);
            }
        }
    }
}
