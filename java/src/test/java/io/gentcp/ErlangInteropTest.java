package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gentcp against a real OTP gen_tcp peer (Debian's erlang-nox, installed by .ci/run): the
 * framing on the wire and the close sequence must be the same as between two Erlang nodes.
 */
@Timeout(120)
class ErlangInteropTest
{
    private static Path scripts;

    @BeforeAll
    static void needsEscript() throws IOException
    {
        final boolean found = Escript.available();
        if (!found)
        {
            System.out.println("ErlangInteropTest skipped: no escript on PATH (apt-get install erlang-nox)");
        }
        assumeTrue(found, "no escript on PATH (apt-get install erlang-nox)");
        scripts = Escript.extract("echo_client.escript", "sender.escript");
    }

    private static String escript(final String name, final String... args) throws Exception
    {
        return Escript.run(scripts.resolve(name), args);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4})
    void anErlangClientGetsItsPacketsEchoedByGentcp(final int type) throws Exception
    {
        try (ListenSocket l = GenTcp.listen(0, binary(), packet(type), active(false)))
        {
            final Thread echo = new Thread(() ->
            {
                final Socket s = GenTcp.accept(l, 30_000);
                try (s)
                {
                    while (true)
                    {
                        GenTcp.send(s, GenTcp.<byte[]>recv(s, 0, 30_000));
                    }
                }
                catch (final GenTcpException e)
                {
                    // closed: the client is done
                }
            });
            echo.start();
            final List<String> args = new ArrayList<>(List.of(Integer.toString(Inet.port(l)), Integer.toString(type)));
            final int[] sizes = type == 1 ? new int[] {0, 1, 100, 255}
                : type == 2 ? new int[] {0, 1, 255, 256, 65535}
                : new int[] {1, 255, 256, 65535, 65536, 1 << 20};
            for (final int size : sizes)
            {
                args.add(Integer.toString(size));
            }
            assertEquals("ok " + sizes.length, escript("echo_client.escript", args.toArray(new String[0])));
            echo.join(30_000);
        }
    }

    @Test
    void packetsFromAnErlangPeerThenClosedThenEnotconn() throws Exception
    {
        try (ListenSocket l = GenTcp.listen(0, binary(), packet(2), active(false)))
        {
            assertEquals("sent 3", escript("sender.escript", Integer.toString(Inet.port(l)), "2", "one", "", "three"));
            final Socket s = GenTcp.accept(l, 10_000);
            assertEquals("one", new String((byte[])GenTcp.recv(s, 0, 10_000), StandardCharsets.ISO_8859_1));
            assertEquals(0, ((byte[])GenTcp.recv(s, 0, 10_000)).length);
            assertEquals("three", new String((byte[])GenTcp.recv(s, 0, 10_000), StandardCharsets.ISO_8859_1));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(s, 0, 10_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(s, 0, 10_000));
            GenTcp.close(s);
        }
    }
}
