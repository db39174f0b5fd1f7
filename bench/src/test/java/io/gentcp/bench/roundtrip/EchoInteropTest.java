package io.gentcp.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;

/**
 * An OTP gen_tcp client against gentcp's echo server (the code of {@code gentcp.jar echo}) for
 * every packet type whose packets can be echoed, up to 16 MiB for {packet, 4}: each packet must
 * come back byte for byte, framed as an Erlang peer frames it.
 */
@Timeout(300)
public class EchoInteropTest
{
    @ParameterizedTest
    @CsvSource({
        "4, 0 1 255 256 65535 65536 1048576 16777216",
        "2, 0 1 255 256 65535",
        "1, 0 1 100 255",
        "raw, 1 100 65536 1048576",
        "line, 0 1 100 1459 1460 1461 10000",
        "sunrm, 0 1 1000 65536",
        "asn1, 0 1 1000 65536",
        "cdr, 0 1 1000 65536",
        "fcgi, 0 1 1000 65535",
        "tpkt, 0 1 1000 65531"})
    void anErlangClientGetsEveryPacketBack(final String type, final String sizes) throws Exception
    {
        assumeTrue(onPath("escript"), "no escript on PATH (apt-get install erlang-nox)");
        final Path script = Files.createTempFile("gentcp-echo-client", ".escript");
        try (InputStream in = EchoInteropTest.class.getResourceAsStream("/echo_client.escript"))
        {
            Files.write(script, in.readAllBytes());
        }
        try (EchoServer server = EchoServer.start(0, PacketType.of(type), 2, IdleStrategy.block(), System.err))
        {
            final List<String> command = new ArrayList<>(List.of("escript", script.toString(),
                Integer.toString(server.port()), type));
            command.addAll(List.of(sizes.split(" ")));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(240, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("the Erlang client did not finish");
            }
            assertEquals("ok " + sizes.split(" ").length, out, "packet " + type);
        }
        finally
        {
            Files.deleteIfExists(script);
        }
    }

    public static boolean onPath(final String program)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, program)))
            {
                return true;
            }
        }
        return false;
    }
}
