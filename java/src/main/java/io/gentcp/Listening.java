package io.gentcp;

import java.net.InetAddress;

import io.gentcp.internal.LibGentcp;
import io.gentcp.internal.Native;

/**
 * {@link GenTcp#listen}'s plumbing: the family from the options, the socket opened and bound
 * (to an ip and port, a local name, or left as an adopted fd has it) and put to listening; a
 * failure closes it and names what was listened on.
 */
final class Listening
{
    private Listening()
    {
    }

    /** {@link GenTcp#listen(int, Option...)}. */
    static ListenSocket listen(final int port, final Option[] options)
    {
        Args.checkPort(port);
        final SocketOptions parsed = SocketOptions.parse(options, true);
        final int localPort = parsed.port >= 0 ? parsed.port : port;
        final Option.Family family = parsed.family != null ? parsed.family
            : parsed.ip != null ? SocketOptions.familyOf(parsed.ip) : Option.Family.INET;
        if (family == Option.Family.LOCAL && localPort != 0)
        {
            throw new IllegalArgumentException("port: must be 0 on a local socket, was " + localPort);
        }
        final LibGentcp lib = Native.lib();
        final long handle = parsed.open(family);
        try
        {
            parsed.apply(handle);
            // an adopted socket is bound already (perhaps listening), unless ip or port say where
            if (parsed.fd < 0 || parsed.ip != null || parsed.local != null || localPort > 0)
            {
                bindLocal(handle, family, parsed, localPort);
            }
            final long rc = lib.gt_listen(handle, parsed.backlog);
            if (rc < 0)
            {
                throw Errors.failed(rc, "listen", listenTarget(family, parsed, localPort));
            }
            final ListenSocket socket = new ListenSocket(handle);
            Mailbox.current().adopt(socket);
            return socket;
        }
        catch (final RuntimeException e)
        {
            lib.gt_close(handle);
            throw e;
        }
    }

    /** What a listen that failed was done to, as its error names it: an address, a local name or an fd. */
    private static Object listenTarget(final Option.Family family, final SocketOptions parsed, final int localPort)
    {
        if (parsed.fd >= 0 && parsed.ip == null && parsed.local == null && localPort == 0)
        {
            return "{fd," + parsed.fd + "}";
        }
        if (family == Option.Family.LOCAL)
        {
            return parsed.local != null ? parsed.local : "a local socket";
        }
        return Addresses.text(parsed.ip != null ? parsed.ip : Addresses.any(family), localPort);
    }

    /** Binds a listen socket: to its ip (or any) and port, or its local name. */
    private static void bindLocal(final long handle, final Option.Family family, final SocketOptions parsed,
        final int localPort)
    {
        if (family == Option.Family.LOCAL)
        {
            // without a name the kernel binds an abstract one of its own choosing (autobind)
            Addresses.bindLocal(handle, parsed.local != null ? parsed.local : new LocalAddress(new byte[0]), "listen");
            return;
        }
        final InetAddress ip = parsed.ip != null ? parsed.ip : Addresses.any(family);
        final long rc = Native.lib().gt_bind(handle, Addresses.high(ip), Addresses.low(ip),
            Addresses.portArg(ip, localPort));
        if (rc < 0)
        {
            throw Errors.failed(rc, "listen", ip, localPort);
        }
    }
}
