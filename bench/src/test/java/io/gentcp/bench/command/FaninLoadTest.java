package io.gentcp.bench.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.bench.reference.CReference;

/**
 * fanin_load against a tiny Java echo server that misbehaves once: the load exits 1 and names
 * what went wrong (an altered byte, an echo of the wrong request, a closed connection), and
 * against a faithful one it prints its line with errors=0. Each case is one connection for
 * about a second at most.
 */
@Timeout(60)
class FaninLoadTest
{
    /** What the test server does to its Nth echo on connection 0. */
    private enum Fault
    {
        NONE, FLIP_BODY_BYTE, REPEAT_PREVIOUS, CLOSE
    }

    /** Echo of the third packet goes wrong. */
    private static final int BAD_ECHO = 3;

    /** Serves connections one thread each, faithfully but for FAULT on the first one's BAD_ECHO-th packet. */
    private static ServerSocket server(final Fault fault) throws IOException
    {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(() ->
        {
            for (int index = 0;; index++)
            {
                final Socket socket;
                try
                {
                    socket = listener.accept();
                }
                catch (final IOException e)
                {
                    return; // the test closed the listener
                }
                final Fault mine = index == 0 ? fault : Fault.NONE;
                final Thread echo = new Thread(() -> echo(socket, mine), "fanin-test-echo");
                echo.setDaemon(true);
                echo.start();
            }
        }, "fanin-test-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return listener;
    }

    private static void echo(final Socket socket, final Fault fault)
    {
        try (socket)
        {
            socket.setTcpNoDelay(true);
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] previous = null;
            for (int n = 1; n < 10_000_000; n++)
            {
                final byte[] body = new byte[in.readInt()];
                in.readFully(body);
                byte[] echo = body;
                if (n == BAD_ECHO)
                {
                    switch (fault)
                    {
                        case FLIP_BODY_BYTE -> echo[20] ^= 1;
                        case REPEAT_PREVIOUS -> echo = previous;
                        case CLOSE ->
                        {
                            return;
                        }
                        case NONE ->
                        {
                            // the echo is the message as it came
                        }
                        default -> throw new IllegalStateException("unknown fault " + fault);
                    }
                }
                out.writeInt(echo.length);
                out.write(echo);
                out.flush();
                previous = body.clone();
            }
        }
        catch (final IOException e)
        {
            // the load ended: it resets its connections
        }
    }

    private record Outcome(int status, String stdout, String stderr)
    {
    }

    private static Outcome load(final Fault fault, final int connections) throws Exception
    {
        final Path executable = CReference.extract("fanin_load");
        try (ServerSocket listener = server(fault))
        {
            final Process process = new ProcessBuilder(List.of(executable.toString(), "--port",
                Integer.toString(listener.getLocalPort()), "--connections", Integer.toString(connections),
                "--seconds", "1", "--warmup-seconds", "0")).start();
            process.getOutputStream().close();
            final String stdout = read(process.getInputStream());
            final String stderr = read(process.getErrorStream());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "fanin_load did not end");
            return new Outcome(process.exitValue(), stdout, stderr);
        }
        finally
        {
            Files.deleteIfExists(executable);
        }
    }

    private static String read(final InputStream in) throws IOException
    {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aFaithfulServerGivesALineWithoutErrors() throws Exception
    {
        final Outcome outcome = load(Fault.NONE, 3);
        assertEquals(0, outcome.status(), outcome.stderr());
        final FaninResult result = FaninResult.parse(outcome.stdout());
        assertTrue(result.msgs() > 0, outcome.stdout());
        assertEquals(-1, result.serverCpuNs(), "no --server-pid: no server CPU time");
        assertEquals(3, result.connections());
    }

    @Test
    void anAlteredByteIsAnError() throws Exception
    {
        final Outcome outcome = load(Fault.FLIP_BODY_BYTE, 2);
        assertEquals(1, outcome.status(), outcome.stdout());
        assertEquals("", outcome.stdout());
        assertTrue(outcome.stderr().contains("connection 0: echo mismatch: request 2 differs at body byte 20"),
            outcome.stderr());
    }

    @Test
    void anEchoOfAnotherRequestIsAnError() throws Exception
    {
        final Outcome outcome = load(Fault.REPEAT_PREVIOUS, 2);
        assertEquals(1, outcome.status(), outcome.stdout());
        assertTrue(outcome.stderr().contains(
            "connection 0: echo mismatch: expected request 2 of this connection, got request 1 of connection 0"),
            outcome.stderr());
    }

    @Test
    void aClosedConnectionIsAnError() throws Exception
    {
        final Outcome outcome = load(Fault.CLOSE, 2);
        assertEquals(1, outcome.status(), outcome.stdout());
        assertTrue(outcome.stderr().contains("connection 0: "), outcome.stderr());
        assertTrue(outcome.stderr().contains("the server closed the connection") ||
            outcome.stderr().contains("Connection reset"), outcome.stderr());
    }

    @Test
    void aBadCommandLineExits2() throws Exception
    {
        final Path executable = CReference.extract("fanin_load");
        try
        {
            for (final List<String> args : List.of(List.of("--connections", "5"),
                List.of("--port", "1", "--connections", "0"),
                List.of("--port", "1", "--connections", "1", "--size", "7"),
                List.of("--port", "1", "--connections", "1", "--server-cpu", "0")))
            {
                final List<String> command = new java.util.ArrayList<>(List.of(executable.toString()));
                command.addAll(args);
                final Process process = new ProcessBuilder(command).start();
                process.getOutputStream().close();
                final String stderr = read(process.getErrorStream());
                assertTrue(process.waitFor(10, TimeUnit.SECONDS));
                assertEquals(2, process.exitValue(), args + ": " + stderr);
                assertTrue(stderr.startsWith("fanin_load: "), stderr);
            }
        }
        finally
        {
            Files.deleteIfExists(executable);
        }
    }
}
