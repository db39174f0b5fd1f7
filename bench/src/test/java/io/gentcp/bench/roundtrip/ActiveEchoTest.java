package io.gentcp.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.Active;
import io.gentcp.IdleStrategy;
import io.gentcp.Mailbox;
import io.gentcp.PacketType;
import io.gentcp.bench.Main;
import io.gentcp.bench.Placement;

/** The echo server and the ping client in the active modes: round trips through mailboxes. */
@Timeout(60)
class ActiveEchoTest
{
    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    private static Active parse(final String mode)
    {
        return switch (mode)
        {
            case "true" -> Active.TRUE;
            case "once" -> Active.ONCE;
            default -> Active.count(Integer.parseInt(mode));
        };
    }

    @ParameterizedTest
    @CsvSource({"once, once, 4", "true, 3, 2", "2, true, 0", "once, true, 1", "3, once, 4"})
    void activeServersAndClientsRoundTrip(final String serverMode, final String clientMode, final int packet)
        throws Exception
    {
        try (EchoServer server = EchoServer.start(0, PacketType.of(packet), 1, IdleStrategy.block(), System.err,
                Placement.ANY_CPU, 0, parse(serverMode));
            GenTcpActiveRoundTrip client = GenTcpActiveRoundTrip.connect("127.0.0.1", server.port(),
                PacketType.of(packet), 100, IdleStrategy.block(), parse(clientMode)))
        {
            for (int i = 0; i < 200; i++)
            {
                assertEquals(100, client.roundTrip(i));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"--active, sometimes", "--active, 0", "--active, 40000"})
    void badActiveFlagsAreUsageErrors(final String flag, final String value)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(new String[] {"echo", "--port", "0", flag, value},
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(Main.USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--active"), err.toString(StandardCharsets.UTF_8));
    }
}
