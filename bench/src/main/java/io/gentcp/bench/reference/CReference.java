package io.gentcp.bench.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import io.gentcp.bench.Placement;
import io.gentcp.bench.roundtrip.Figures;
import io.gentcp.bench.roundtrip.Workload;

/**
 * Runs the C reference ping-pong ({@code native/bench/pingpong_ref.c}), which travels in the
 * tool's jar (bench/target/gentcp.jar, not the library's) as
 * {@code META-INF/native/<platform>/pingpong_ref}, as do the other C programs the tool runs
 * ({@code throughput_ref}, {@code fanin_load}, {@code fanin_echo}): extracted to a temporary
 * executable (under {@code gentcp.extract.dir}, default {@code java.io.tmpdir}), run as a child
 * process with the workload's flags, its one output line parsed. Its stderr goes to ours.
 */
public final class CReference
{
    private static final String EXTRACT_DIR_PROPERTY = "gentcp.extract.dir";

    private CReference()
    {
    }

    /** The classpath resource of the C program NAME ({@code pingpong_ref}, {@code throughput_ref}) on this machine. */
    static String resource(final String name)
    {
        return "/META-INF/native/" + io.gentcp.internal.Native.platform() + "/" + name;
    }

    /**
     * How an end of the C reference learns that data has come: {@code recv}, a blocking (or
     * spinning) recv, the floor of a passive socket; {@code epoll}, epoll_wait and then recv,
     * the floor of an active socket's mailbox.
     */
    public enum Wait
    {
        RECV, EPOLL;

        String flag()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The C reference's command line for WORKLOAD, both ends waiting in recv. */
    static List<String> command(final Path executable, final Workload workload, final Placement placement)
    {
        return command(executable, workload, placement, Wait.RECV, Wait.RECV);
    }

    /** The C reference's command line for WORKLOAD, each end waiting its way (the default recv is left out). */
    static List<String> command(final Path executable, final Workload workload, final Placement placement,
        final Wait server, final Wait client)
    {
        final List<String> command = new ArrayList<>(List.of(executable.toString(),
            "--packet", Integer.toString(workload.packet().headerLength()),
            "--size", Integer.toString(workload.size()),
            "--count", Integer.toString(workload.count()),
            "--warmup", Integer.toString(workload.warmup()),
            "--idle", workload.idle().toString(),
            "--server-cpu", Integer.toString(placement.serverCpu()),
            "--client-cpu", Integer.toString(placement.clientCpu())));
        if (server != Wait.RECV)
        {
            command.addAll(List.of("--server-wait", server.flag()));
        }
        if (client != Wait.RECV)
        {
            command.addAll(List.of("--client-wait", client.flag()));
        }
        return command;
    }

    /**
     * Runs the workload in C.
     *
     * @param workload  what to run.
     * @param placement the CPUs of its two ends.
     * @return its figures.
     * @throws IOException if the program is missing, cannot run, fails, or prints anything but its line.
     * @throws InterruptedException if interrupted while waiting for it.
     */
    public static Figures run(final Workload workload, final Placement placement)
        throws IOException, InterruptedException
    {
        return run(workload, placement, Wait.RECV, Wait.RECV);
    }

    /**
     * Runs the workload in C, each end waiting its way.
     *
     * @param workload  what to run.
     * @param placement the CPUs of its two ends.
     * @param server    how the echoing end waits.
     * @param client    how the timing end waits.
     * @return its figures.
     * @throws IOException if the program is missing, cannot run, fails, or prints anything but its line.
     * @throws InterruptedException if interrupted while waiting for it.
     */
    public static Figures run(final Workload workload, final Placement placement, final Wait server, final Wait client)
        throws IOException, InterruptedException
    {
        final Path executable = extract("pingpong_ref");
        try
        {
            final Process process = new ProcessBuilder(command(executable, workload, placement, server, client))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            process.getOutputStream().close();
            final String output;
            try (InputStream in = process.getInputStream())
            {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            final int status = process.waitFor();
            if (status != 0)
            {
                throw new IOException("C reference: " + executable.getFileName() + " exited with status " + status);
            }
            try
            {
                return ReferenceOutput.parse(output);
            }
            catch (final IllegalArgumentException e)
            {
                throw new IOException(e.getMessage(), e);
            }
        }
        finally
        {
            Files.deleteIfExists(executable);
        }
    }

    /**
     * Extracts the C program NAME to a new temporary executable, which the caller deletes.
     *
     * @throws IOException if the jar has no such program or it cannot be written.
     */
    public static Path extract(final String name) throws IOException
    {
        final String resource = resource(name);
        final Path dir = Paths.get(System.getProperty(EXTRACT_DIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        final Path executable;
        try (InputStream in = CReference.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                throw new IOException("C reference: the classpath has no " + resource +
                    " (the gentcp tool was not built for this platform)");
            }
            Files.createDirectories(dir);
            executable = Files.createTempFile(dir, "gentcp-" + name + "-", "");
            try
            {
                Files.copy(in, executable, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final IOException e)
            {
                Files.deleteIfExists(executable);
                throw e;
            }
        }
        if (!executable.toFile().setExecutable(true, true))
        {
            Files.deleteIfExists(executable);
            throw new IOException("C reference: cannot make " + executable + " executable");
        }
        return executable;
    }
}
