package io.gentcp.bench.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gentcp.bench.Placement;
import io.gentcp.bench.roundtrip.Workload;

/**
 * The C reference's echoing end alone ({@code pingpong_ref --serve-only}), for a client of
 * ours: it serves one connection for the workload's warm-up and measured messages, then exits.
 * Pinned as the placement's server CPU says; it waits in recv as the workload's idle strategy
 * says (blocking, spinning, or spinning then blocking).
 */
public final class CEchoServer implements AutoCloseable
{
    private static final String LISTENING = "listening on ";
    /** How long the program may take to say its port, and to exit once its client is done. */
    private static final long START_AND_END_SECONDS = 30;

    private final Path executable;
    private final Process process;
    private final int port;

    private CEchoServer(final Path executable, final Process process, final int port)
    {
        this.executable = executable;
        this.process = process;
        this.port = port;
    }

    /** Starts the echo end of WORKLOAD and waits for its port. */
    public static CEchoServer start(final Workload workload, final Placement placement) throws IOException
    {
        final Path executable = CReference.extract("pingpong_ref");
        Process process = null;
        try
        {
            final List<String> command = new ArrayList<>(CReference.command(executable, workload, placement));
            command.add("--serve-only");
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            final String line = out.readLine(); // the program writes it at once, or exits
            if (line == null || !line.startsWith(LISTENING))
            {
                throw new IOException("C reference: pingpong_ref --serve-only said '" + line + "', not its port");
            }
            final CEchoServer server = new CEchoServer(executable, process,
                Integer.parseInt(line.substring(LISTENING.length()).trim()));
            process = null;
            return server;
        }
        finally
        {
            if (process != null)
            {
                process.destroyForcibly();
                Files.deleteIfExists(executable);
            }
        }
    }

    public int port()
    {
        return port;
    }

    /** Waits for the program to exit (its client is done), killing it if it does not; deletes it. */
    @Override
    public void close() throws IOException
    {
        try
        {
            if (!process.waitFor(START_AND_END_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("C reference: pingpong_ref --serve-only did not exit after its client");
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("C reference: pingpong_ref --serve-only exited with status " +
                    process.exitValue());
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for pingpong_ref --serve-only", e);
        }
        finally
        {
            Files.deleteIfExists(executable);
        }
    }
}
