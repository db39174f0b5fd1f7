package io.gentcp;

import java.net.InetAddress;
import java.util.List;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.LibGentcp;
import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * {@link GenTcp#connect}'s plumbing: the options checked against the address, a host name
 * resolved, each address tried in turn within one time limit (a socket opened, its options
 * applied, bound when {@code ip}, {@code ifaddr} or {@code port} ask, then the connect's wait,
 * parked on a virtual thread), an adopted fd that is connected already used as it is, and a
 * socket whose connect failed closed, as OTP does.
 */
final class Connecting
{
    private Connecting()
    {
    }

    /** {@link GenTcp#connect(String, int, long, Option...)}. */
    static Socket connect(final String address, final int port, final long timeoutMs, final Option[] options)
    {
        final SocketOptions parsed = inetOptions(address, port, timeoutMs, options);
        // The family is the one asked for, else that of a local address to bind (for a name to
        // look up; an IP literal of the other family is then a bad ip/ifaddr), else any.
        final Option.Family family = parsed.family != null ? parsed.family
            : parsed.ip != null && !Option.isIpLiteral(address) ? SocketOptions.familyOf(parsed.ip) : null;
        return firstThatConnects(Addresses.resolve(address, family), port, timeoutMs, parsed);
    }

    /** {@link GenTcp#connect(InetAddress, int, long, Option...)}. */
    static Socket connect(final InetAddress address, final int port, final long timeoutMs, final Option[] options)
    {
        final SocketOptions parsed = inetOptions(address, port, timeoutMs, options);
        return firstThatConnects(List.of(address), port, timeoutMs, parsed);
    }

    /** The OPTIONS of a connect to ADDRESS (a name or an IP address) and PORT, every argument checked. */
    private static SocketOptions inetOptions(final Object address, final int port, final long timeoutMs,
        final Option[] options)
    {
        Args.notNull(address, "address");
        Args.checkPort(port);
        Timeouts.checkTimeout(timeoutMs);
        final SocketOptions parsed = SocketOptions.parse(options, false);
        if (parsed.family == Option.Family.LOCAL)
        {
            throw new IllegalArgumentException("local: connect a local socket with a LocalAddress");
        }
        return parsed;
    }

    /** {@link GenTcp#connect(LocalAddress, long, Option...)}. */
    static Socket connect(final LocalAddress address, final long timeoutMs, final Option[] options)
    {
        Args.notNull(address, "address");
        Timeouts.checkTimeout(timeoutMs);
        if (address.isUnnamed())
        {
            throw new IllegalArgumentException("address: an empty local name");
        }
        final SocketOptions parsed = SocketOptions.parse(options, false);
        if (parsed.family != null && parsed.family != Option.Family.LOCAL)
        {
            throw new IllegalArgumentException("address: " + address + " is not an " + parsed.family + " address");
        }
        if (parsed.ip != null)
        {
            throw new IllegalArgumentException(parsed.ipFrom + ": an IP address on a local socket");
        }
        if (!Jfr.PRESENT || !GenTcpConnectEvent.TYPE.isEnabled())
        {
            return connectLocal(address, timeoutMs, parsed); // JFR off: no event made
        }
        final GenTcpConnectEvent event = new GenTcpConnectEvent();
        event.begin();
        try
        {
            final Socket socket = connectLocal(address, timeoutMs, parsed);
            event.connected(address, 0, socket);
            return socket;
        }
        catch (final GenTcpException e)
        {
            event.failed(address, 0, e);
            throw e;
        }
    }

    /** The connect to the local ADDRESS, its arguments checked, without its JFR event. */
    private static Socket connectLocal(final LocalAddress address, final long timeoutMs, final SocketOptions parsed)
    {
        final LibGentcp lib = Native.lib();
        final long handle = parsed.open(Option.Family.LOCAL);
        try
        {
            parsed.apply(handle);
            if (parsed.local != null)
            {
                Addresses.bindLocal(handle, parsed.local, "bind");
            }
            if (!adoptedConnected(handle, parsed))
            {
                Addresses.connectLocal(handle, address, timeoutMs);
            }
            return newSocket(handle);
        }
        catch (final RuntimeException e)
        {
            lib.gt_close(handle);
            throw e;
        }
    }

    /** Whether HANDLE is an adopted {fd, Fd} that is connected already: then it is used as it is. */
    private static boolean adoptedConnected(final long handle, final SocketOptions parsed)
    {
        if (parsed.fd < 0)
        {
            return false;
        }
        try (DirectMemory.Scratch record = DirectMemory.scratch(Native.SOCKADDR_MAX))
        {
            return Native.lib().gt_peername(handle, record.address, Native.SOCKADDR_MAX) == 0;
        }
    }

    /** The Socket of HANDLE, connected, owned by the calling thread's mailbox. */
    private static Socket newSocket(final long handle)
    {
        final Socket socket = new Socket(handle);
        Mailbox.current().adopt(socket);
        return socket;
    }

    /** Tries each address in turn until one connects, within one overall time limit. */
    private static Socket firstThatConnects(final List<InetAddress> addresses, final int port, final long timeoutMs,
        final SocketOptions parsed)
    {
        final long start = System.nanoTime();
        GenTcpException last = null;
        for (final InetAddress address : addresses)
        {
            if (parsed.family != null && SocketOptions.familyOf(address) != parsed.family)
            {
                continue;
            }
            final long left = Timeouts.msLeft(timeoutMs, start);
            try
            {
                return connectOne(address, port, left, parsed);
            }
            catch (final GenTcpException e)
            {
                last = e;
                if (e.reason() == Reason.TIMEOUT || parsed.fd >= 0) // an adopted fd is closed after one try
                {
                    break;
                }
            }
        }
        if (last == null)
        {
            throw Errors.exception(Reason.NXDOMAIN, "no " + parsed.family + " address");
        }
        throw last;
    }

    /**
     * Connects to ADDRESS and PORT within TIMEOUT_MS on a socket of its own, made with PARSED's
     * options and bound first when they name a local ip or port; closed when anything fails.
     */
    private static Socket connectOne(final InetAddress address, final int port, final long timeoutMs,
        final SocketOptions parsed)
    {
        if (!Jfr.PRESENT || !GenTcpConnectEvent.TYPE.isEnabled())
        {
            return connectOneUnrecorded(address, port, timeoutMs, parsed); // JFR off: no event made
        }
        final GenTcpConnectEvent event = new GenTcpConnectEvent();
        event.begin();
        try
        {
            final Socket socket = connectOneUnrecorded(address, port, timeoutMs, parsed);
            event.connected(address, port, socket);
            return socket;
        }
        catch (final GenTcpException e)
        {
            event.failed(address, port, e);
            throw e;
        }
    }

    /** {@link #connectOne} without its JFR event. */
    private static Socket connectOneUnrecorded(final InetAddress address, final int port, final long timeoutMs,
        final SocketOptions parsed)
    {
        final LibGentcp lib = Native.lib();
        final int family = Addresses.family(address);
        final long handle = parsed.open(SocketOptions.familyOf(address));
        try
        {
            parsed.apply(handle);
            if (adoptedConnected(handle, parsed))
            {
                return newSocket(handle); // {fd, Fd} connected elsewhere: ADDRESS is not used
            }
            if (parsed.ip != null || parsed.port > 0)
            {
                final InetAddress local = parsed.ip != null
                    ? parsed.ip
                    : Addresses.any(SocketOptions.familyOf(address));
                if (Addresses.family(local) != family)
                {
                    throw new IllegalArgumentException(parsed.ipFrom + ": " + local.getHostAddress() +
                        " is not of the family of " + address.getHostAddress());
                }
                final long bound = lib.gt_bind(handle, Addresses.high(local), Addresses.low(local),
                    Addresses.portArg(local, Math.max(parsed.port, 0)));
                if (bound < 0)
                {
                    throw Errors.isRoutine(bound)
                        ? Errors.exception(bound)
                        : Errors.failed(bound, "bind",
                            Addresses.text(local, Math.max(parsed.port, 0)) + " to connect to " +
                                Addresses.text(address, port));
                }
            }
            final long high = Addresses.high(address);
            final long low = Addresses.low(address);
            final long portArg = Addresses.portArg(address, port);
            final long rc = Parking.connect(lib, handle, timeoutMs,
                limit -> lib.gt_connect(handle, high, low, portArg, limit));
            if (rc < 0)
            {
                throw Errors.failed(rc, "connect", address, port);
            }
            return newSocket(handle);
        }
        catch (final RuntimeException e)
        {
            lib.gt_close(handle); // OTP closes the socket of a connect that failed or timed out
            throw e;
        }
    }
}
