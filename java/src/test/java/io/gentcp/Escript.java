package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The escripts of the test resources (erlang/), run on the OTP of the PATH: a real gen_tcp peer. */
final class Escript
{
    private Escript()
    {
    }

    /** Whether an escript is on the PATH (Debian's erlang-nox, which .ci/run installs). */
    static boolean available()
    {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "escript")));
    }

    /** Copies the scripts NAMES from the test resources into a new temporary directory. */
    static Path extract(final String... names) throws IOException
    {
        final Path dir = Files.createTempDirectory("gentcp-erlang");
        for (final String name : names)
        {
            try (InputStream in = Escript.class.getResourceAsStream("/erlang/" + name))
            {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return dir;
    }

    /** Runs SCRIPT and returns its standard output; fails on a non-zero exit or after 60 s. */
    static String run(final Path script, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("escript", script.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(script.getFileName() + " did not finish");
        }
        final String text = new String(out, StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), script.getFileName() + " said: " + text);
        return text;
    }
}
