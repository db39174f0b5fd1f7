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

import io.gentcp.PacketType;
import io.gentcp.bench.Placement;
import io.gentcp.bench.transfer.Transfer;

/**
 * Runs the C throughput reference ({@code native/bench/throughput_ref.c}), which travels in the
 * gentcp jar beside {@code pingpong_ref}: extracted once to a temporary executable, deleted by
 * {@link #close()}. Each end runs as a child process whose stderr goes to ours.
 */
public final class ThroughputRef implements AutoCloseable
{
    /** How long a C end may take to finish once its peer is done: only a bound against hangs. */
    private static final long EXIT_TIMEOUT_SECONDS = 600;

    private final Path executable;

    private ThroughputRef(final Path executable)
    {
        this.executable = executable;
    }

    /** Extracts the program. */
    public static ThroughputRef extract() throws IOException
    {
        return new ThroughputRef(CReference.extract("throughput_ref"));
    }

    /** The command line of a C sink. */
    static List<String> sinkCommand(final Path executable, final PacketType packet, final int cpu)
    {
        return sinkCommand(executable, packet, cpu, false);
    }

    /** The command line of a C sink, with {@code --nodelay 1} (TCP_NODELAY) if NODELAY. */
    static List<String> sinkCommand(final Path executable, final PacketType packet, final int cpu,
        final boolean nodelay)
    {
        return withNodelay(List.of(executable.toString(), "sink", "--packet", Integer.toString(packet.headerLength()),
            "--cpu", Integer.toString(cpu)), nodelay);
    }

    /** The command line of a C blast. */
    static List<String> blastCommand(final Path executable, final int port, final PacketType packet, final int size,
        final long bytes, final int cpu)
    {
        return blastCommand(executable, port, packet, size, bytes, cpu, false);
    }

    /** The command line of a C blast, with {@code --nodelay 1} (TCP_NODELAY) if NODELAY. */
    static List<String> blastCommand(final Path executable, final int port, final PacketType packet, final int size,
        final long bytes, final int cpu, final boolean nodelay)
    {
        return withNodelay(List.of(executable.toString(), "blast", "--port", Integer.toString(port),
            "--packet", Integer.toString(packet.headerLength()), "--size", Integer.toString(size),
            "--bytes", Long.toString(bytes), "--cpu", Integer.toString(cpu)), nodelay);
    }

    private static List<String> withNodelay(final List<String> command, final boolean nodelay)
    {
        if (!nodelay)
        {
            return command;
        }
        final List<String> with = new ArrayList<>(command);
        with.add("--nodelay");
        with.add("1");
        return List.copyOf(with);
    }

    /**
     * Starts a C sink and waits for its port.
     *
     * @param packet the framing: raw, 1, 2 or 4.
     * @param cpu    its CPU, or {@link Placement#ANY_CPU}.
     * @return the running sink.
     */
    public End sink(final PacketType packet, final int cpu) throws IOException
    {
        return sink(packet, cpu, false);
    }

    /** A C sink whose connection sets TCP_NODELAY if NODELAY. */
    public End sink(final PacketType packet, final int cpu, final boolean nodelay) throws IOException
    {
        final End end = new End(start(sinkCommand(executable, packet, cpu, nodelay)));
        try
        {
            final String first = end.output.readLine();
            if (first == null || !first.startsWith("listening on "))
            {
                throw new IOException("C reference: expected 'listening on PORT', got " +
                    (first == null ? "nothing" : "'" + first + "'"));
            }
            end.port = Integer.parseInt(first.substring("listening on ".length()).trim());
            return end;
        }
        catch (final IOException | RuntimeException e)
        {
            end.close();
            throw e instanceof IOException io ? io : new IOException("C reference: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a C blast to PORT.
     *
     * @return the running sender.
     */
    public End blast(final int port, final PacketType packet, final int size, final long bytes, final int cpu)
        throws IOException
    {
        return blast(port, packet, size, bytes, cpu, false);
    }

    /** A C blast that sets TCP_NODELAY if NODELAY. */
    public End blast(final int port, final PacketType packet, final int size, final long bytes, final int cpu,
        final boolean nodelay) throws IOException
    {
        return new End(start(blastCommand(executable, port, packet, size, bytes, cpu, nodelay)));
    }

    private static Process start(final List<String> command) throws IOException
    {
        final Process process = new ProcessBuilder(new ArrayList<>(command))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        process.getOutputStream().close();
        return process;
    }

    /** Deletes the extracted program. */
    @Override
    public void close() throws IOException
    {
        Files.deleteIfExists(executable);
    }

    /** One running C end. {@link #close()} kills it if it is still running. */
    public static final class End implements AutoCloseable
    {
        private final Process process;
        private final BufferedReader output;
        private int port;

        private End(final Process process)
        {
            this.process = process;
            this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** A sink's port. */
        public int port()
        {
            return port;
        }

        /**
         * Waits for the end to finish and returns its counts.
         *
         * @throws IOException if it fails, runs past the time limit, or prints anything but its line.
         */
        public Transfer await() throws IOException, InterruptedException
        {
            if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IOException("C reference: still running after " + EXIT_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0)
            {
                throw new IOException("C reference: throughput_ref exited with status " + process.exitValue());
            }
            final String line = output.readLine();
            try
            {
                final Transfer transfer = Transfer.parseReference(line);
                if (output.readLine() != null)
                {
                    throw new IOException("C reference: more output after '" + line + "'");
                }
                return transfer;
            }
            catch (final IllegalArgumentException e)
            {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
            }
            output.close();
        }
    }
}
