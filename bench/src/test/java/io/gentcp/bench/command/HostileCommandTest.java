package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.bench.Main;
import io.gentcp.bench.ToolRun;

/** {@code hostile}: claims past the default receive budget end in emsgsize, and the peak RSS is printed. */
@Timeout(60)
class HostileCommandTest
{
    private final ToolRun tool = new ToolRun();

    /** Two connections each claiming 2000 MB for a second, with FLAGS: asserts success and returns stdout. */
    private String hostile(final String... flags)
    {
        final List<String> args = new ArrayList<>(List.of("hostile", "--connections", "2", "--claim-mb", "2000",
            "--seconds", "1"));
        args.addAll(List.of(flags));
        tool.succeed(args.toArray(new String[0]));
        return tool.out();
    }

    @Test
    void claimsPastTheBudgetEndInEmsgsize()
    {
        final String text = hostile();
        assertTrue(text.contains("connection 0: {error, emsgsize}"), text);
        assertTrue(text.contains("connection 1: {error, emsgsize}"), text);
        assertTrue(text.matches("(?s).*\npeak rss MB: \\d+\n"), text);
    }

    @Test
    void inActiveModeAClaimPastTheBudgetIsTcpErrorThenTcpClosed()
    {
        final String text = hostile("--active", "true");
        assertTrue(text.contains("connection 0: TcpError emsgsize then TcpClosed"), text);
        assertTrue(text.contains("connection 1: TcpError emsgsize then TcpClosed"), text);
    }

    @Test
    void aBadKindIsAUsageError()
    {
        assertEquals(Main.USAGE, tool.run("hostile", "--kind", "nope"));
        assertTrue(tool.err().contains("--kind must be"), tool.err());
    }
}
