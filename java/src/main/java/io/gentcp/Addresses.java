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
import io.gentcp.internal.Native;

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

    /** Reads the record written by gt_sockname/gt_peername. */
    static InetSocketAddress decode(final ByteBuffer record)
    {
        final ByteBuffer b = record.duplicate().order(ByteOrder.nativeOrder());
        final int family = b.getInt(0);
        final int port = b.getInt(4);
        final byte[] address = new byte[family == Native.AF_INET6 ? 16 : 4];
        b.position(8);
        b.get(address);
        try
        {
            final int scope = b.getInt(24);
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

    /** gt_sockname or gt_peername of a handle. */
    static InetSocketAddress name(final long handle, final boolean peer)
    {
        final DirectMemory.Scratch record = DirectMemory.scratch(Native.SOCKADDR_SIZE);
        final int rc = peer
            ? Native.lib().gt_peername(handle, record.address, Native.SOCKADDR_SIZE)
            : Native.lib().gt_sockname(handle, record.address, Native.SOCKADDR_SIZE);
        Errors.check(rc);
        return decode(record.buffer);
    }
}
