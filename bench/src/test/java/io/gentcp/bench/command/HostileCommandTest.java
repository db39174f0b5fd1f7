package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.bench.Main;

/** {@code hostile}: claims past the default receive budget end in emsgsize, and the peak RSS is printed. */
@Timeout(60)
class HostileCommandTest
{
    @Test
    void claimsPastTheBudgetEndInEmsgsize()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(new String[] {"hostile", "--connections", "2", "--claim-mb", "2000", "--seconds", "1"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("connection 0: {error, emsgsize}"), text);
        assertTrue(text.contains("connection 1: {error, emsgsize}"), text);
        assertTrue(text.matches("(?s).*\npeak rss MB: \\d+\n"), text);
    }

    @Test
    void inActiveModeAClaimPastTheBudgetIsTcpErrorThenTcpClosed()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Main.run(new String[] {"hostile", "--connections", "2", "--claim-mb", "2000", "--seconds", "1",
            "--active", "true"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("connection 0: TcpError emsgsize then TcpClosed"), text);
        assertTrue(text.contains("connection 1: TcpError emsgsize then TcpClosed"), text);
    }

    @Test
    void aBadKindIsAUsageError()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, Main.run(new String[] {"hostile", "--kind", "nope"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--kind must be"), err.toString(StandardCharsets.UTF_8));
    }
}
