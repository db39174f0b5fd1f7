package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.ifaddr;
import static io.gentcp.Option.inet;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.local;
import static io.gentcp.Option.nodelay;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The local family: AF_UNIX stream sockets on a path and on an abstract name. */
@Timeout(60)
class LocalSocketTest
{
    @TempDir
    Path dir;

    /** A framed exchange in both directions over a connected pair. */
    private static void exchange(final Socket a, final Socket b)
    {
        GenTcp.send(a, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, GenTcp.<byte[]>recv(b, 0, 5_000));
        GenTcp.send(b, "back".getBytes());
        assertArrayEquals("back".getBytes(), GenTcp.<byte[]>recv(a, 0, 5_000));
    }

    @Test
    void aPathListenerTakesConnectionsAndNamesAreReported()
    {
        final LocalAddress name = LocalAddress.path(dir.resolve("s").toString());
        try (ListenSocket l = GenTcp.listen(0, local(), ifaddr(name), binary(), packet(4), active(false)))
        {
            assertTrue(Files.exists(dir.resolve("s")));
            assertEquals(name, Inet.localSockname(l));
            final Socket c = GenTcp.connect(name, 5_000, binary(), packet(4), active(false));
            final Socket s = GenTcp.accept(l, 5_000);
            exchange(c, s);
            assertEquals(name, Inet.localPeername(c));
            assertTrue(Inet.localSockname(c).isUnnamed());
            assertTrue(Inet.localPeername(s).isUnnamed());
            assertEquals("{local,<<>>}", Inet.localPeername(s).toString());
            assertEquals(List.of(), Inet.getopts(c, OptionName.TOS, OptionName.KEEPIDLE));
            // IP names of a local socket, and local names of an IP socket, are eafnosupport
            assertReason(Reason.EAFNOSUPPORT, () -> Inet.sockname(c));
            assertReason(Reason.EAFNOSUPPORT, () -> Inet.peername(c));
            // not TCP: nodelay is enotsup, and getopts leaves it out
            assertReason(Reason.ENOTSUP, () -> Inet.setopts(c, nodelay(true)));
            assertEquals(List.of(packet(4)), Inet.getopts(s, OptionName.NODELAY, OptionName.PACKET));
            GenTcp.close(c);
            assertReason(Reason.CLOSED, () -> GenTcp.recv(s, 0, 5_000));
            GenTcp.close(s);
        }
        try (Pair p = Pair.of())
        {
            assertReason(Reason.EAFNOSUPPORT, () -> Inet.localSockname(p.client));
        }
    }

    @Test
    void abstractNamesWorkBothAsListenerAndAsTheClientsOwnName()
    {
        final String unique = "gentcp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final LocalAddress server = LocalAddress.abstractName(unique);
        final LocalAddress client = LocalAddress.abstractName(unique + "-client");
        assertTrue(server.isAbstract());
        final ListenSocket l = GenTcp.listen(0, ifaddr(server), binary(), active(false)); // ifaddr implies local
        try
        {
            assertEquals(server, Inet.localSockname(l));
            final Socket c = GenTcp.connect(server, 5_000, ifaddr(client), binary(), active(false));
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(client, Inet.localPeername(s));
            assertEquals(client, Inet.localSockname(c));
            GenTcp.send(c, new byte[] {9});
            assertArrayEquals(new byte[] {9}, GenTcp.<byte[]>recv(s, 1, 5_000));
            GenTcp.close(c);
            GenTcp.close(s);
        }
        finally
        {
            GenTcp.close(l);
        }
        // gone with its socket: connecting now is refused
        assertReason(Reason.ECONNREFUSED, () -> GenTcp.connect(server, 5_000));
    }

    @Test
    void activeModeDeliversLocalSocketDataToTheOwnersMailbox()
    {
        try (ListenSocket l = GenTcp.listen(0, local(), active(false)))
        {
            final Socket c = GenTcp.connect(Inet.localSockname(l), 5_000, packet(2), Option.active(Option.once()),
                binary());
            final Socket s = GenTcp.accept(l, 5_000);
            Inet.setopts(s, packet(2));
            GenTcp.send(s, new byte[] {7, 8});
            final Object message = Mailbox.current().receive(5_000);
            assertEquals(c, ((Tcp)message).socket());
            assertArrayEquals(new byte[] {7, 8}, (byte[])((Tcp)message).data());
            GenTcp.close(s);
            Inet.setopts(c, Option.active(Option.once()));
            assertEquals(new TcpClosed(c), Mailbox.current().receive(5_000));
            GenTcp.close(c);
        }
    }

    @Test
    void aListenerWithoutANameGetsAnAbstractOneFromTheKernel()
    {
        try (ListenSocket l = GenTcp.listen(0, local(), active(false)))
        {
            final LocalAddress name = Inet.localSockname(l);
            assertTrue(name.isAbstract(), name.toString());
            final Socket c = GenTcp.connect(name, 5_000);
            GenTcp.close(GenTcp.accept(l, 5_000));
            GenTcp.close(c);
        }
    }

    @Test
    void badLocalArgumentsAreRefusedByName()
    {
        final LocalAddress name = LocalAddress.path(dir.resolve("x").toString());
        assertReason(Reason.ENOENT, () -> GenTcp.connect(LocalAddress.path(dir.resolve("none").toString()), 5_000));
        assertStartsWith("port:", assertThrows(IllegalArgumentException.class, () -> GenTcp.listen(5, local())));
        assertStartsWith("ip:", assertThrows(IllegalArgumentException.class,
            () -> GenTcp.listen(0, local(), ip("127.0.0.1"))));
        assertStartsWith("ifaddr:", assertThrows(IllegalArgumentException.class,
            () -> GenTcp.listen(0, inet(), ifaddr(name))));
        assertStartsWith("local:", assertThrows(IllegalArgumentException.class,
            () -> GenTcp.connect("127.0.0.1", 1, 5_000, local())));
        assertStartsWith("address:", assertThrows(IllegalArgumentException.class,
            () -> GenTcp.connect(name, 5_000, inet())));
        assertReason(Reason.ENOTSUP, () -> GenTcp.listen(0, local(), nodelay(true)));
        assertStartsWith("local:",
            assertThrows(IllegalArgumentException.class, () -> LocalAddress.path("x".repeat(108))));
        assertStartsWith("local:", assertThrows(IllegalArgumentException.class, () -> LocalAddress.path("a\0b")));
        assertStartsWith("local:", assertThrows(IllegalArgumentException.class, () -> LocalAddress.path("")));
        assertFalse(LocalAddress.abstractName("y".repeat(107)).isUnnamed());
        assertStartsWith("local:", assertThrows(IllegalArgumentException.class,
            () -> LocalAddress.abstractName("y".repeat(108))));
        assertEquals("{local,<<47,97>>}", LocalAddress.path("/a").toString());
    }

    private static void assertStartsWith(final String prefix, final IllegalArgumentException e)
    {
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
