package io.gentcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the tool's Main in this JVM and keeps what it printed on stdout and stderr. */
public final class ToolRun
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Main.run with ARGS; its exit status. What an earlier run printed is dropped first. */
    public int run(final String... args)
    {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Main.run with ARGS, asserting that it exits 0 (its stderr the message otherwise); its stdout's lines. */
    public List<String> succeed(final String... args)
    {
        assertEquals(0, run(args), err());
        return lines();
    }

    public String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed on stdout, split at line separators. */
    public List<String> lines()
    {
        return List.of(out().split(System.lineSeparator()));
    }

    public String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }
}
