package example;

import static io.gentcp.Option.*;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Reason;
import io.gentcp.Socket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * README's "A first taste", as a user's program: listen, connect, accept, send "Some Data",
 * receive it, echo it back, receive the echo, close; then the server's recv must give
 * {error, closed}. The listener is bound to 127.0.0.1 on a port
 * the kernel picks (README's 5678 could be taken), so nothing leaves loopback. Prints one line
 * starting "first-taste: ok" and exits 0 when every step gave what gen_tcp gives; otherwise
 * prints why and exits 1.
 */
public final class FirstTaste
{
    private static final long TIMEOUT_MS = 10_000;

    public static void main(final String[] args)
    {
        final int feature = Runtime.version().feature();
        final String expected = System.getProperty("first-taste.expected-java", "any");
        if (!expected.equals("any") && Integer.parseInt(expected) != feature)
        {
            fail("running on Java " + feature + ", not on Java " + expected + " as this run was meant to");
        }

        // server
        final ListenSocket lSock = GenTcp.listen(0, binary(), packet(0), active(false), ifaddr("127.0.0.1"));
        final int port = Inet.port(lSock);

        // client: passive too (README's client has gen_tcp's default, active, and never receives;
        // recv on an active socket is {error, einval}, as in gen_tcp)
        final Socket c = GenTcp.connect("localhost", port, binary(), packet(0), active(false));
        final Socket sock = GenTcp.accept(lSock, TIMEOUT_MS);
        GenTcp.send(c, "Some Data");

        final byte[] sent = "Some Data".getBytes(StandardCharsets.ISO_8859_1);
        final byte[] bin = recvAll(sock, sent.length); // {ok, Bin}
        if (!Arrays.equals(bin, sent))
        {
            fail("the server received " + show(bin) + ", not " + show(sent));
        }
        GenTcp.send(sock, bin);
        final byte[] echo = recvAll(c, sent.length);
        if (!Arrays.equals(echo, sent))
        {
            fail("the client received the echo " + show(echo) + ", not " + show(sent));
        }

        GenTcp.close(c);
        try
        {
            final byte[] more = GenTcp.recv(sock, 0, TIMEOUT_MS);
            fail("after the client closed, the server received " + show(more) + " instead of {error, closed}");
        }
        catch (final GenTcpException e)
        {
            if (e.reason() != Reason.CLOSED)
            {
                fail("after the client closed, the server's recv gave " + e.reason() + ", not CLOSED");
            }
        }
        GenTcp.close(sock);
        GenTcp.close(lSock);
        System.out.println("first-taste: ok on Java " + feature + ": \"Some Data\" sent, received and echoed over 127.0.0.1:"
            + port + "; the server saw the client's close as {error, closed}; " + where(FirstTaste.class) + ", gentcp "
            + where(GenTcp.class));
    }

    /** {packet, 0} gives what has arrived, so a message can come in more than one recv. */
    private static byte[] recvAll(final Socket socket, final int length)
    {
        byte[] all = new byte[0];
        while (all.length < length)
        {
            final byte[] part = GenTcp.recv(socket, 0, TIMEOUT_MS);
            final int had = all.length;
            all = Arrays.copyOf(all, had + part.length);
            System.arraycopy(part, 0, all, had, part.length);
        }
        return all;
    }

    /** "in module NAME", or "on the class path" (the unnamed module). */
    private static String where(final Class<?> c)
    {
        return c.getModule().isNamed() ? "in module " + c.getModule().getName() : "on the class path";
    }

    private static String show(final byte[] bytes)
    {
        return "\"" + new String(bytes, StandardCharsets.ISO_8859_1) + "\" (" + bytes.length + " bytes)";
    }

    private static void fail(final String why)
    {
        System.err.println("first-taste: FAILED: " + why);
        System.exit(1);
    }
}
