package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.fd;
import static io.gentcp.Option.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.internal.Native;
import jnr.ffi.LibraryLoader;

/**
 * {fd, Fd}: sockets opened outside gentcp (straight from libc, here through jnr-ffi) are
 * adopted listening, connected or fresh; gentcp then owns and closes them.
 */
@Timeout(60)
class FdOptionTest
{
    /** The few libc calls that make a socket the way other code in a process would. */
    public interface LibC
    {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] address, int length);

        int listen(int fd, int backlog);

        int connect(int fd, byte[] address, int length);

        int open(String path, int flags);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final int SOCK_STREAM = 1; // Linux
    private static final int SOCK_DGRAM = 2;

    /** A struct sockaddr_in for 127.0.0.1:PORT. */
    private static byte[] loopback(final int port)
    {
        final byte[] sin = new byte[16];
        sin[0] = (byte)Native.AF_INET; // sin_family, little-endian on x86-64
        sin[1] = (byte)(Native.AF_INET >> 8);
        sin[2] = (byte)(port >> 8); // sin_port, network order
        sin[3] = (byte)port;
        sin[4] = 127;
        sin[7] = 1;
        return sin;
    }

    private static int streamSocket()
    {
        final int fd = LIBC.socket(Native.AF_INET, SOCK_STREAM, 0);
        assertTrue(fd >= 0);
        return fd;
    }

    @Test
    void aListeningFdIsUsedAsItIsAndClosedWithTheListenSocket()
    {
        final int fd = streamSocket();
        assertEquals(0, LIBC.bind(fd, loopback(0), 16));
        assertEquals(0, LIBC.listen(fd, 5));
        final ListenSocket l = GenTcp.listen(0, fd(fd), active(false), binary());
        final int port = Inet.port(l);
        try
        {
            final Socket c = GenTcp.connect("127.0.0.1", port, 5_000, active(false), binary());
            final Socket s = GenTcp.accept(l, 5_000);
            Pair.assertConnected(c, s);
            GenTcp.close(c);
            GenTcp.close(s);
        }
        finally
        {
            GenTcp.close(l);
        }
        // gentcp closed the descriptor: nobody listens there any more
        assertReason(Reason.ECONNREFUSED, () -> GenTcp.connect("127.0.0.1", port, 5_000));
    }

    @Test
    void aConnectedFdIsUsedAsItIsAndASecondAdoptionIsRefused()
    {
        final ListenSocket l = GenTcp.listen(0, active(false), binary());
        try
        {
            final int fd = streamSocket();
            assertEquals(0, LIBC.connect(fd, loopback(Inet.port(l)), 16));
            // the address is not used: the descriptor is connected already
            final Socket c = GenTcp.connect("127.0.0.1", 1, 5_000, fd(fd), active(false), binary());
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(Inet.port(l), Inet.peername(c).getPort());
            Pair.assertConnected(c, s);
            // a gentcp socket holds it: adopting it again would mean two closes
            assertReason(Reason.EBUSY, () -> GenTcp.connect("127.0.0.1", 1, 5_000, fd(fd)));
            Pair.assertConnected(c, s);
            GenTcp.close(c);
            assertReason(Reason.CLOSED, () -> GenTcp.recv(s, 0, 5_000));
            GenTcp.close(s);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void aFreshFdIsBoundWhereIpAndPortSayThenConnected()
    {
        SourcePort.assertConnectsFromAFreePort(fd(streamSocket()));
    }

    @Test
    void whatIsNoStreamSocketIsRefusedAndStaysTheCallers() throws Exception
    {
        int unused = 19_000;
        while (Files.exists(Path.of("/proc/self/fd/" + unused)))
        {
            unused++;
        }
        final int free = unused;
        assertReason(Reason.EBADF, () -> GenTcp.listen(0, fd(free)));
        final int udp = LIBC.socket(Native.AF_INET, SOCK_DGRAM, 0);
        assertReason(Reason.ESOCKTNOSUPPORT, () -> GenTcp.connect("127.0.0.1", 1, 5_000, fd(udp)));
        assertEquals(0, LIBC.close(udp)); // still the caller's to close
        final int file = LIBC.open("/dev/null", 0);
        assertReason(Reason.ENOTSOCK, () -> GenTcp.listen(0, fd(file)));
        assertEquals(0, LIBC.close(file));
        // a connected socket cannot listen; adopted, it is closed with the failed call
        final ListenSocket l = GenTcp.listen(0, active(false));
        try
        {
            final int connected = streamSocket();
            assertEquals(0, LIBC.connect(connected, loopback(Inet.port(l)), 16));
            final Socket s = GenTcp.accept(l, 5_000);
            assertReason(Reason.EINVAL, () -> GenTcp.listen(0, fd(connected)));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(s, 0, 5_000));
            GenTcp.close(s);
        }
        finally
        {
            GenTcp.close(l);
        }
        assertThrows(IllegalArgumentException.class, () -> fd(-1));
        assertFalse(fd(3).equals(fd(4)));
        assertEquals("{fd,3}", fd(3).toString());
    }
}
