package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.bindToDevice;
import static io.gentcp.Option.ifaddr;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.local;
import static io.gentcp.Option.netns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {netns, Path} and {bind_to_device, Name} across two network namespaces joined by a veth pair,
 * both made here with iproute2 and removed afterwards (also when a test fails); {protocol,
 * mptcp} over a namespace's own loopback. Skipped, with the reason printed, only when this
 * process may not create namespaces (not root).
 */
@Timeout(120)
class NetnsTest
{
    private static final String TAG = "gt" + ProcessHandle.current().pid();
    private static final String NS_A = TAG + "a";
    private static final String NS_B = TAG + "b";
    private static final String DEV_A = TAG + "va";
    private static final String DEV_B = TAG + "vb";
    private static final String ADDR_A = "10.200.0.1";
    private static final String ADDR_B = "10.200.0.2";
    private static final List<String> CREATED = new ArrayList<>();

    private static String path(final String ns)
    {
        return "/var/run/netns/" + ns;
    }

    /** Runs a command (bounded in time); returns its exit code, or throws with its output. */
    private static int run(final boolean mustSucceed, final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": did not finish in 20 s");
        }
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mustSucceed && p.exitValue() != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + output);
        }
        return p.exitValue();
    }

    @BeforeAll
    static void createNamespacesAndVethPair() throws Exception
    {
        if (run(false, "ip", "netns", "add", NS_A) != 0)
        {
            final boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream()
                .readAllBytes(), StandardCharsets.US_ASCII).trim());
            if (!root)
            {
                final String reason = "NetnsTest skipped: not root, so no network namespace can be created";
                System.out.println(reason);
                Assumptions.abort(reason);
            }
            throw new IllegalStateException("root, yet 'ip netns add " + NS_A + "' failed");
        }
        CREATED.add(NS_A);
        try
        {
            run(true, "ip", "netns", "add", NS_B);
            CREATED.add(NS_B);
            run(true, "ip", "link", "add", DEV_A, "netns", NS_A, "type", "veth", "peer", "name", DEV_B, "netns", NS_B);
            run(true, "ip", "-n", NS_A, "addr", "add", ADDR_A + "/30", "dev", DEV_A);
            run(true, "ip", "-n", NS_B, "addr", "add", ADDR_B + "/30", "dev", DEV_B);
            // link-local IPv6 addresses, usable at once (nodad): they need a scope id to be reached
            run(true, "ip", "-n", NS_A, "addr", "add", "fe80::1/64", "dev", DEV_A, "nodad");
            run(true, "ip", "-n", NS_B, "addr", "add", "fe80::2/64", "dev", DEV_B, "nodad");
            run(true, "ip", "-n", NS_A, "link", "set", DEV_A, "up");
            run(true, "ip", "-n", NS_B, "link", "set", DEV_B, "up");
            run(true, "ip", "-n", NS_A, "link", "set", "lo", "up");
        }
        catch (final Exception | Error e)
        {
            removeNamespaces();
            throw e;
        }
    }

    @AfterAll
    static void removeNamespaces() throws Exception
    {
        // deleting a namespace deletes the veth end inside it, and with it the pair
        for (final String ns : CREATED)
        {
            run(false, "ip", "netns", "del", ns);
        }
        CREATED.clear();
    }

    /** The interface index of DEV in NS (the scope id of its link-local addresses). */
    private static int ifindex(final String ns, final String dev) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder("ip", "-n", ns, "-o", "link", "show", dev).redirectErrorStream(true)
            .start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return Integer.parseInt(out.substring(0, out.indexOf(':')).trim());
    }

    private static String threadNamespace() throws IOException
    {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void aConnectionAcrossTwoNamespacesLeavesTheCallingThreadWhereItWas() throws IOException
    {
        final String before = threadNamespace();
        try (ListenSocket l = GenTcp.listen(0, netns(path(NS_A)), ip(ADDR_A), active(false), binary()))
        {
            final Socket c = GenTcp.connect(ADDR_A, Inet.port(l), 5_000, netns(path(NS_B)), active(false), binary());
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(ADDR_B, Inet.peername(s).getAddress().getHostAddress());
            assertEquals(ADDR_A, Inet.peername(c).getAddress().getHostAddress());
            Pair.assertConnected(c, s);
            GenTcp.close(c);
            GenTcp.close(s);
            // the root namespace has no such network: from here the listener is out of reach
            assertThrows(GenTcpException.class, () -> GenTcp.connect(ADDR_A, Inet.port(l), 500));
        }
        assertEquals(before, threadNamespace());
    }

    @Test
    void aLinkLocalIpv6AddressIsReachedThroughItsScopeId() throws Exception
    {
        final byte[] fe80x1 = InetAddress.getByName("fe80::1").getAddress();
        final int indexA = ifindex(NS_A, DEV_A);
        final int indexB = ifindex(NS_B, DEV_B);
        final Inet6Address local = Inet6Address.getByAddress(null, fe80x1, indexA);
        try (ListenSocket l = GenTcp.listen(0, netns(path(NS_A)), ifaddr(new InetSocketAddress(local, 0)),
            active(false)))
        {
            assertEquals(indexA, ((Inet6Address)Inet.sockname(l).getAddress()).getScopeId());
            final Inet6Address remote = Inet6Address.getByAddress(null, fe80x1, indexB);
            final Socket c = GenTcp.connect(remote, Inet.port(l), 5_000, netns(path(NS_B)), active(false));
            final Socket s = GenTcp.accept(l, 5_000);
            final Inet6Address peer = (Inet6Address)Inet.peername(s).getAddress();
            assertEquals(InetAddress.getByName("fe80::2"), InetAddress.getByAddress(peer.getAddress()));
            assertEquals(indexA, peer.getScopeId());
            assertEquals(indexB, ((Inet6Address)Inet.peername(c).getAddress()).getScopeId());
            GenTcp.close(c);
            GenTcp.close(s);
            // without its scope id a link-local address names no interface
            assertReason(Reason.EINVAL, () -> GenTcp.connect(InetAddress.getByAddress(fe80x1), Inet.port(l), 5_000,
                netns(path(NS_B))));
        }
    }

    @Test
    void bindToDeviceOnTheVethEnds()
    {
        try (ListenSocket l = GenTcp.listen(0, netns(path(NS_A)), bindToDevice(DEV_A), active(false)))
        {
            assertEquals(bindToDevice(DEV_A), Inet.getopt(l, OptionName.BIND_TO_DEVICE));
            final Socket c = GenTcp.connect(ADDR_A, Inet.port(l), 5_000, netns(path(NS_B)), bindToDevice(DEV_B));
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(ADDR_B, Inet.peername(s).getAddress().getHostAddress());
            GenTcp.close(c);
            GenTcp.close(s);
            // A's device does not exist in B, where the socket is made
            assertReason(Reason.ENODEV,
                () -> GenTcp.connect(ADDR_A, Inet.port(l), 5_000, netns(path(NS_B)), bindToDevice(DEV_A)));
            // bound to B's loopback, the connection cannot go out through the veth
            assertThrows(GenTcpException.class,
                () -> GenTcp.connect(ADDR_A, Inet.port(l), 500, netns(path(NS_B)), bindToDevice("lo")));
        }
    }

    @Test
    void abstractLocalNamesBelongToTheirNamespace()
    {
        final LocalAddress name = LocalAddress.abstractName(TAG + "-local");
        try (ListenSocket l = GenTcp.listen(0, local(), ifaddr(name), netns(path(NS_A)), active(false)))
        {
            assertReason(Reason.ECONNREFUSED, () -> GenTcp.connect(name, 5_000));
            final Socket c = GenTcp.connect(name, 5_000, netns(path(NS_A)));
            GenTcp.close(GenTcp.accept(l, 5_000));
            GenTcp.close(c);
        }
    }

    @Test
    void mptcpSocketsAreMadeInsideTheNamespace() throws Exception
    {
        Assumptions.assumeTrue(MptcpTest.linux(), "MPTCP sockets: Linux only");
        try
        {
            GenTcp.close(GenTcp.listen(0, Option.protocol(Option.Protocol.MPTCP)));
        }
        catch (final GenTcpException e)
        {
            Assumptions.assumeFalse(MptcpTest.NO_MPTCP.contains(e.reason()), "the kernel refuses MPTCP: " + e.reason());
            throw e;
        }
        try (ListenSocket l = GenTcp.listen(0, netns(path(NS_A)), ip("127.0.0.1"), active(false), binary(),
            Option.protocol(Option.Protocol.MPTCP)))
        {
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, netns(path(NS_A)), active(false),
                binary(), Option.protocol(Option.Protocol.MPTCP));
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(MptcpTest.IPPROTO_MPTCP, MptcpTest.protocolOf(l));
            assertEquals(MptcpTest.IPPROTO_MPTCP, MptcpTest.protocolOf(c));
            Pair.assertConnected(c, s);
            GenTcp.close(c);
            GenTcp.close(s);
        }
        // MPTCP turned off in B alone: a socket made there is refused, as one made in the
        // caller's namespace (where it is on) would not be
        run(true, "ip", "netns", "exec", NS_B, "sysctl", "-q", "-w", "net.mptcp.enabled=0");
        assertReason(Reason.ENOPROTOOPT, () -> GenTcp.connect(ADDR_A, 1, 5_000, netns(path(NS_B)),
            Option.protocol(Option.Protocol.MPTCP)));
        try (ListenSocket l = GenTcp.listen(0, netns(path(NS_B)), Option.protocol(Option.Protocol.TCP)))
        {
            assertEquals(MptcpTest.IPPROTO_TCP, MptcpTest.protocolOf(l));
        }
    }

    @Test
    void aMissingOrWrongNamespaceFileIsRefused()
    {
        assertReason(Reason.ENOENT, () -> GenTcp.listen(0, netns("/var/run/netns/" + TAG + "-none")));
        assertReason(Reason.EINVAL, () -> GenTcp.listen(0, netns("/proc/self/ns/mnt")));
        assertReason(Reason.EINVAL, () -> GenTcp.connect("127.0.0.1", 1, 5_000, netns("/etc/hostname")));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GenTcp.listen(0, netns(path(NS_A)), Option.fd(0)));
        assertTrue(e.getMessage().startsWith("netns:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> netns(""));
    }
}
