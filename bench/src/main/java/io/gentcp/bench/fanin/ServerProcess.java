package io.gentcp.bench.fanin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.gentcp.bench.reference.CReference;

/**
 * One of fanin's servers, running in a process of its own: a Java kind in a child JVM
 * ({@link FaninServer}), {@code c-epoll} as the C program {@code fanin_echo} (extracted from
 * the jar, deleted again by {@link #close}). Started, it has printed {@code listening on PORT}.
 */
public final class ServerProcess implements AutoCloseable
{
    /** The server that is a C program rather than a {@link FaninServer} kind. */
    public static final String C_EPOLL = "c-epoll";
    /** How long a server may take to print its port. */
    private static final long START_TIMEOUT_MS = 60_000;
    private static final String LISTENING = "listening on ";

    private final String name;
    private final Process process;
    private final int port;
    private final Path executable;

    private ServerProcess(final String name, final Process process, final int port, final Path executable)
    {
        this.name = name;
        this.process = process;
        this.port = port;
        this.executable = executable;
    }

    /**
     * The command line of server NAME's process, listening with a queue of BACKLOG; ECHO is fanin_echo (c-epoll
     * only).
     */
    static List<String> command(final String name, final int backlog, final Path echo)
    {
        if (C_EPOLL.equals(name))
        {
            return List.of(echo.toString(), "--port", "0", "--backlog", Integer.toString(backlog));
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22)
        {
            command.add("--enable-native-access=ALL-UNNAMED"); // jnr-ffi's and Netty's JNI, without warnings
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FaninServer.class.getName(),
            "--kind", name, "--port", "0", "--backlog", Integer.toString(backlog)));
        return command;
    }

    /**
     * Starts server NAME, listening with a queue of BACKLOG, and reads its port.
     *
     * @return the running server, or null if NAME is a kind this JDK cannot run.
     * @throws IOException if it cannot start or does not print {@code listening on PORT} in time.
     * @throws InterruptedException if interrupted while waiting for it.
     */
    public static ServerProcess start(final String name, final int backlog) throws IOException, InterruptedException
    {
        final Path echo = C_EPOLL.equals(name) ? CReference.extract("fanin_echo") : null;
        Process process = null;
        try
        {
            process = new ProcessBuilder(command(name, backlog, echo))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            final String first = ChildOutput.firstLine(process.getInputStream(), START_TIMEOUT_MS,
                name + ": did not print its port");
            if (first == null && process.waitFor(10, TimeUnit.SECONDS) &&
                process.exitValue() == FaninServer.UNAVAILABLE)
            {
                deleteIfPresent(echo);
                return null;
            }
            if (first == null || !first.startsWith(LISTENING))
            {
                throw new IOException(name + ": expected 'listening on PORT', got " +
                    (first == null ? "nothing" : "'" + first + "'"));
            }
            return new ServerProcess(name, process, Integer.parseInt(first.substring(LISTENING.length()).trim()), echo);
        }
        catch (final IOException | RuntimeException | InterruptedException e)
        {
            if (process != null)
            {
                stop(process);
            }
            deleteIfPresent(echo);
            throw e;
        }
    }

    public String name()
    {
        return name;
    }

    public long pid()
    {
        return process.pid();
    }

    public int port()
    {
        return port;
    }

    /** Throws unless the process still runs, saying WHEN it was found dead. */
    void checkAlive(final String when) throws IOException
    {
        if (!process.isAlive())
        {
            throw new IOException("the server died" + when + " (exit status " + process.exitValue() + ")");
        }
    }

    /** Ends the server (standard input closed, a Java server's cue, then killed) and deletes its executable. */
    @Override
    public void close() throws IOException
    {
        stop(process);
        deleteIfPresent(executable);
    }

    private static void stop(final Process process)
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException e)
        {
            // it is killed below
        }
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteIfPresent(final Path executable) throws IOException
    {
        if (executable != null)
        {
            Files.deleteIfExists(executable);
        }
    }
}
