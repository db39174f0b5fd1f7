package io.gentcp.bench.fanin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.gentcp.bench.Placement;
import io.gentcp.bench.reference.CReference;

/**
 * fanin's load: the C program {@code fanin_load}, extracted from the jar once (deleted again by
 * {@link #close}) and run once per round and server, W seconds of warm-up then S measured with
 * N connections and K requests in flight on each, every echo checked.
 */
public final class LoadGenerator implements AutoCloseable
{
    /** fanin_load's own bound on connecting, and slack beyond its windows, for its bound here. */
    private static final long SLACK_MS = 120_000;

    private final Path executable;

    private LoadGenerator(final Path executable)
    {
        this.executable = executable;
    }

    /** The shape of a run: what {@code fanin_load} is told, besides the server. */
    public record Load(int connections, int inflight, int seconds, int warmupSeconds, Placement placement)
    {
    }

    /**
     * Extracts {@code fanin_load}.
     *
     * @throws IOException if the jar has no such program or it cannot be written.
     */
    public static LoadGenerator extract() throws IOException
    {
        return new LoadGenerator(CReference.extract("fanin_load"));
    }

    /**
     * One run against SERVER; what fanin_load says on stderr is passed on to ERR.
     *
     * @return fanin_load's output (its result line).
     * @throws IOException if the server is dead before or after, or fanin_load fails or overruns.
     * @throws InterruptedException if interrupted while waiting for it.
     */
    public String run(final ServerProcess server, final Load load, final PrintStream err)
        throws IOException, InterruptedException
    {
        server.checkAlive("");
        final Process process = new ProcessBuilder(command(server, load)).start();
        process.getOutputStream().close();
        final CompletableFuture<String> stdout = ChildOutput.readAll(process.getInputStream());
        final CompletableFuture<String> stderr = ChildOutput.readAll(process.getErrorStream());
        final long boundMs = (load.seconds() + load.warmupSeconds()) * 1000L + SLACK_MS;
        try
        {
            if (!process.waitFor(boundMs, TimeUnit.MILLISECONDS))
            {
                throw new IOException("fanin_load did not finish within " + boundMs + " ms");
            }
            final String output = ChildOutput.within(stdout, 10_000, "fanin_load's output");
            final String errors = ChildOutput.within(stderr, 10_000, "fanin_load's errors").trim();
            if (!errors.isEmpty())
            {
                err.println(errors);
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("fanin_load exited with status " + process.exitValue() +
                    (errors.isEmpty() ? "" : ": " + errors.lines().reduce((a, b) -> b).orElse("")));
            }
            server.checkAlive(" during the run");
            return output;
        }
        finally
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
            }
        }
    }

    private List<String> command(final ServerProcess server, final Load load)
    {
        final List<String> command = new ArrayList<>(List.of(executable.toString(),
            "--port", Integer.toString(server.port()),
            "--connections", Integer.toString(load.connections()),
            "--inflight", Integer.toString(load.inflight()),
            "--seconds", Integer.toString(load.seconds()),
            "--warmup-seconds", Integer.toString(load.warmupSeconds()),
            "--server-pid", Long.toString(server.pid())));
        if (!load.placement().equals(Placement.ANY))
        {
            command.addAll(List.of("--cpu", Integer.toString(load.placement().clientCpu()),
                "--server-cpu", Integer.toString(load.placement().serverCpu())));
        }
        return command;
    }

    /** Deletes the extracted program. */
    @Override
    public void close() throws IOException
    {
        Files.deleteIfExists(executable);
    }
}
