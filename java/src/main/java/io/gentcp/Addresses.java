package io.gentcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.LibGentcp;
import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * Addresses between Java and the C ABI: an address travels as (family, high 64 bits, low 64
 * bits) and comes back as the GT_SOCKADDR_SIZE record that gt_sockname writes.
 */
final class Addresses
{
    private Addresses()
    {
    }

    static int family(final InetAddress address)
    {
        return address instanceof Inet6Address ? Native.AF_INET6 : Native.AF_INET;
    }

    static long high(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        return b.length == 16 ? ByteBuffer.wrap(b, 0, 8).getLong() : 0;
    }

    static long low(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        return b.length == 16 ? ByteBuffer.wrap(b, 8, 8).getLong() : ByteBuffer.wrap(b).getInt() & 0xffffffffL;
    }

    /** The C address family of FAMILY. */
    static int af(final Option.Family family)
    {
        return switch (family)
        {
            case INET -> Native.AF_INET;
            case INET6 -> Native.AF_INET6;
            case LOCAL -> Native.AF_UNIX;
        };
    }

    /** Binds a local socket to NAME; an error names VERB, the call it is made for (listen, bind). */
    static void bindLocal(final long handle, final LocalAddress name, final String verb)
    {
        final byte[] bytes = name.name();
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(bytes.length))
        {
            scratch.buffer.put(0, bytes);
            final long rc = Native.lib().gt_bind_local(handle, scratch.address, bytes.length);
            if (rc < 0)
            {
                throw Errors.failed(rc, verb, name);
            }
            java.lang.ref.Reference.reachabilityFence(scratch);
        }
    }

    static void connectLocal(final long handle, final LocalAddress name, final long timeoutMs)
    {
        final byte[] bytes = name.name();
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(bytes.length))
        {
            scratch.buffer.put(0, bytes);
            final LibGentcp lib = Native.lib();
            final long rc = Parking.connect(lib, handle, timeoutMs,
                limit -> lib.gt_connect_local(handle, scratch.address, bytes.length, limit));
            if (rc < 0)
            {
                throw Errors.failed(rc, "connect", name);
            }
            java.lang.ref.Reference.reachabilityFence(scratch);
        }
    }

    /** IP:PORT as an error message names it: 127.0.0.1:80, [::1]:80. */
    static String text(final InetAddress ip, final int port)
    {
        final String host = ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The port argument of gt_bind/gt_connect: the port, and an IPv6 address's scope id in bits 32..63. */
    static long portArg(final InetAddress address, final int port)
    {
        final long scope = address instanceof Inet6Address six ? six.getScopeId() & 0xffffffffL : 0;
        return scope << 32 | port;
    }

    /** The wildcard address of a family. */
    static InetAddress any(final Option.Family family)
    {
        try
        {
            return InetAddress.getByAddress(new byte[family == Option.Family.INET6 ? 16 : 4]);
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The addresses to try for HOST, in order. With an explicit family only that family's; without,
     * IPv4 first (OTP's default family is inet), then IPv6. Throws nxdomain when there is none.
     */
    static List<InetAddress> resolve(final String host, final Option.Family family)
    {
        final InetAddress[] all;
        try
        {
            all = InetAddress.getAllByName(host);
        }
        catch (final UnknownHostException e)
        {
            throw Errors.exception(Reason.NXDOMAIN, host);
        }
        final List<InetAddress> result = new ArrayList<>();
        for (final InetAddress a : all)
        {
            if (a instanceof Inet4Address && family != Option.Family.INET6)
            {
                result.add(a);
            }
        }
        for (final InetAddress a : all)
        {
            if (a instanceof Inet6Address && family != Option.Family.INET)
            {
                result.add(a);
            }
        }
        if (result.isEmpty())
        {
            throw Errors.exception(Reason.NXDOMAIN, host + " has no " + family + " address");
        }
        return result;
    }

    /** Reads the record written by gt_sockname/gt_peername: an InetSocketAddress or a LocalAddress. */
    static Object decode(final ByteBuffer record)
    {
        final ByteBuffer b = record.duplicate().order(ByteOrder.nativeOrder());
        final int family = b.getInt(Native.SOCKADDR_FAMILY_OFF);
        if (family == Native.AF_UNIX)
        {
            final byte[] name = new byte[b.getInt(Native.SOCKADDR_PORT_OFF)];
            b.get(Native.SOCKADDR_ADDR_OFF, name);
            return new LocalAddress(name);
        }
        final int port = b.getInt(Native.SOCKADDR_PORT_OFF);
        final byte[] address = new byte[family == Native.AF_INET6 ? 16 : 4];
        b.get(Native.SOCKADDR_ADDR_OFF, address);
        try
        {
            final int scope = b.getInt(Native.SOCKADDR_SCOPE_OFF);
            final InetAddress ip = family == Native.AF_INET6 && scope != 0
                ? Inet6Address.getByAddress(null, address, scope)
                : InetAddress.getByAddress(address);
            return new InetSocketAddress(ip, port);
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** gt_sockname or gt_peername of a handle: an InetSocketAddress or a LocalAddress. */
    static Object name(final long handle, final boolean peer)
    {
        try (DirectMemory.Scratch record = DirectMemory.scratch(Native.SOCKADDR_MAX))
        {
            final int rc = peer
                ? Native.lib().gt_peername(handle, record.address, Native.SOCKADDR_MAX)
                : Native.lib().gt_sockname(handle, record.address, Native.SOCKADDR_MAX);
            Errors.check(handle, rc);
            return decode(record.buffer);
        }
    }

    /**
     * The IP address and port of SOCKET (null: an IllegalArgumentException); a local socket is
     * eafnosupport (see Inet.localSockname).
     */
    static InetSocketAddress inetName(final InetSocket socket, final boolean peer)
    {
        return nameAs(InetSocketAddress.class, socket, peer);
    }

    /** The name of a local SOCKET (null: an IllegalArgumentException); an IP socket is eafnosupport. */
    static LocalAddress localName(final InetSocket socket, final boolean peer)
    {
        return nameAs(LocalAddress.class, socket, peer);
    }

    /**
     * SOCKET's name (its peer's: PEER) as KIND; a socket of the other kind is eafnosupport,
     * naming the call that fits it.
     */
    private static <T> T nameAs(final Class<T> kind, final InetSocket socket, final boolean peer)
    {
        final Object name = name(Args.notNull(socket, "socket").handle, peer);
        if (kind.isInstance(name))
        {
            return kind.cast(name);
        }
        final boolean local = name instanceof LocalAddress;
        final String fits = local ? (peer ? "localPeername" : "localSockname") : (peer ? "peername" : "sockname");
        throw Errors.exception(Reason.EAFNOSUPPORT,
            (local ? "a local socket" : "not a local socket") + ": use Inet." + fits);
    }
}
