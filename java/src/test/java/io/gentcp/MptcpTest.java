package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.gentcp.internal.Native;
import jnr.ffi.LibraryLoader;

/**
 * {protocol, mptcp} (OTP 28): listen and connect make Multipath TCP sockets where the kernel
 * has them (Linux 5.6), and the two ends talk over loopback; an adopted {fd, Fd} keeps its own
 * protocol. Skipped, with the kernel's reason, where the kernel refuses MPTCP; enotsup on other
 * platforms. (NetnsTest covers {netns, Path} with mptcp.)
 */
@Timeout(60)
class MptcpTest
{
    /** Linux's SO_PROTOCOL, IPPROTO_MPTCP and IPPROTO_TCP (read raw: the table has no name for them). */
    private static final int SO_PROTOCOL = 38;
    static final int IPPROTO_MPTCP = 262;
    static final int IPPROTO_TCP = 6;

    /** The kernel's answers for "no MPTCP here": not built, disabled by sysctl, kernel before 5.6. */
    static final Set<Reason> NO_MPTCP = Set.of(Reason.EPROTONOSUPPORT, Reason.ENOPROTOOPT, Reason.EINVAL);

    /** The libc calls that make and look at a descriptor the way other code in a process would. */
    public interface LibC
    {
        int socket(int domain, int type, int protocol);

        int fcntl(int fd, int command);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final int SOCK_STREAM = 1; // Linux
    private static final int F_GETFD = 1;

    /** A descriptor made as other code in the process would: socket(AF_INET, SOCK_STREAM, PROTOCOL). */
    private static int rawSocket(final int protocol)
    {
        final int fd = LIBC.socket(Native.AF_INET, SOCK_STREAM, protocol);
        assertTrue(fd >= 0, "socket(AF_INET, SOCK_STREAM, " + protocol + ")");
        return fd;
    }

    /** A descriptor made with IPPROTO_MPTCP by other code; skipped where the kernel refuses it. */
    private static int rawMptcpSocket()
    {
        Assumptions.assumeTrue(linux(), "MPTCP sockets: Linux only");
        final int fd = LIBC.socket(Native.AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
        Assumptions.assumeTrue(fd >= 0, "the kernel refuses MPTCP sockets (socket(2) failed)");
        return fd;
    }

    static boolean linux()
    {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
    }

    /** SOCKET's protocol as the kernel says (SO_PROTOCOL). */
    static int protocolOf(final InetSocket socket)
    {
        final byte[] v = Inet.getoptRaw(socket, (int)Native.constantOrMissing("SOL_SOCKET"), SO_PROTOCOL, 4);
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    private static ListenSocket mptcpListener()
    {
        try
        {
            return GenTcp.listen(0, Option.active(false), Option.ip("127.0.0.1"),
                Option.protocol(Option.Protocol.MPTCP));
        }
        catch (final GenTcpException e)
        {
            Assumptions.assumeFalse(NO_MPTCP.contains(e.reason()), "the kernel refuses MPTCP: " + e.reason());
            throw e;
        }
    }

    @Test
    void listenAndConnectExchangeDataOverMptcp()
    {
        Assumptions.assumeTrue(linux(), "MPTCP sockets: Linux only");
        try (ListenSocket l = mptcpListener();
            Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.active(false), Option.binary(),
                Option.protocol(Option.Protocol.MPTCP), Option.packet(2), Option.nodelay(true));
            Socket a = GenTcp.accept(l, 5_000))
        {
            assertEquals(IPPROTO_MPTCP, protocolOf(l));
            assertEquals(IPPROTO_MPTCP, protocolOf(c));
            assertEquals(IPPROTO_MPTCP, protocolOf(a)); // both ends asked for it
            assertEquals(Option.nodelay(true), Inet.getopt(c, OptionName.NODELAY)); // set on the new socket
            Inet.setopts(a, Option.binary(), Option.packet(2));
            GenTcp.send(c, "over mptcp");
            assertArrayEquals("over mptcp".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                GenTcp.<byte[]>recv(a, 0, 5_000));
            GenTcp.send(a, new byte[] {7});
            assertArrayEquals(new byte[] {7}, GenTcp.<byte[]>recv(c, 0, 5_000));
            assertReason(Reason.EINVAL, () -> Inet.setopts(c, Option.protocol(Option.Protocol.TCP)));
        }
    }

    @Test
    void aMptcpListenerAcceptsPlainTcpClients()
    {
        Assumptions.assumeTrue(linux(), "MPTCP sockets: Linux only");
        try (ListenSocket l = mptcpListener();
            Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.active(false), Option.binary());
            Socket a = GenTcp.accept(l, 5_000))
        {
            Inet.setopts(a, Option.binary());
            assertEquals(IPPROTO_TCP, protocolOf(c)); // the client did not ask for MPTCP
            Pair.assertConnected(c, a);
        }
    }

    @Test
    void anAdoptedMptcpFdKeepsItsProtocol()
    {
        final int fd = rawMptcpSocket();
        // fresh: bound and listening as a new socket would be, and still MPTCP
        try (ListenSocket l = GenTcp.listen(0, Option.fd(fd), Option.ip("127.0.0.1"), Option.active(false),
            Option.binary());
            Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.active(false), Option.binary(),
                Option.protocol(Option.Protocol.MPTCP));
            Socket a = GenTcp.accept(l, 5_000))
        {
            assertEquals(IPPROTO_MPTCP, protocolOf(l));
            assertEquals(IPPROTO_MPTCP, protocolOf(c));
            Pair.assertConnected(c, a);
            assertReason(Reason.EINVAL, () -> Inet.setopts(l, Option.protocol(Option.Protocol.TCP)));
        }
    }

    @Test
    void anFdWithTheProtocolNamedIsAdoptedAnotherIsEinvalAndStaysTheCallers()
    {
        final int mptcp = rawMptcpSocket();
        final GenTcpException e = assertThrows(GenTcpException.class,
            () -> GenTcp.listen(0, Option.fd(mptcp), Option.protocol(Option.Protocol.TCP)));
        assertEquals(Reason.EINVAL, e.reason());
        assertTrue(e.getMessage().contains("{fd," + mptcp + "}"), e.getMessage());
        assertTrue(LIBC.fcntl(mptcp, F_GETFD) >= 0, "the refused descriptor is still open");
        try (ListenSocket l = GenTcp.listen(0, Option.fd(mptcp), Option.protocol(Option.Protocol.MPTCP),
            Option.ip("127.0.0.1"), Option.active(false), Option.binary()))
        {
            assertEquals(IPPROTO_MPTCP, protocolOf(l));
            // a plain TCP descriptor named mptcp: refused too, and kept
            final int tcp = rawSocket(0);
            try
            {
                assertReason(Reason.EINVAL, () -> GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.fd(tcp),
                    Option.protocol(Option.Protocol.MPTCP)));
                assertTrue(LIBC.fcntl(tcp, F_GETFD) >= 0, "the refused descriptor is still open");
                try (Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, Option.fd(tcp),
                    Option.protocol(Option.Protocol.TCP), Option.active(false), Option.binary());
                    Socket a = GenTcp.accept(l, 5_000))
                {
                    assertEquals(IPPROTO_TCP, protocolOf(c));
                    Pair.assertConnected(c, a);
                }
            }
            catch (final RuntimeException | Error failure)
            {
                LIBC.close(tcp); // not adopted: still ours
                throw failure;
            }
        }
    }

    @Test
    void elsewhereItIsEnotsup()
    {
        Assumptions.assumeFalse(linux(), "Linux has MPTCP");
        assertReason(Reason.ENOTSUP, () -> GenTcp.listen(0, Option.protocol(Option.Protocol.MPTCP)));
    }

    @Test
    void tcpIsTheDefaultAndBadCombinationsAreRefusedByName()
    {
        try (ListenSocket l = GenTcp.listen(0, Option.protocol(Option.Protocol.TCP)))
        {
            assertTrue(Inet.port(l) > 0);
        }
        assertThrows(IllegalArgumentException.class, () -> Option.protocol(null));
    }

    @Test
    void theLastProtocolGivenIsTheOneTheSocketIsMadeWith()
    {
        Assumptions.assumeTrue(linux(), "SO_PROTOCOL: Linux's");
        try (ListenSocket l = GenTcp.listen(0, Option.protocol(Option.Protocol.MPTCP),
            Option.protocol(Option.Protocol.TCP), Option.active(false)))
        {
            assertEquals(IPPROTO_TCP, protocolOf(l));
        }
        try (ListenSocket l = mptcpListener())
        {
            assertEquals(IPPROTO_MPTCP, protocolOf(l));
        }
    }
}
