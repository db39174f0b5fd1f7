package io.gentcp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import io.gentcp.internal.Native;

/**
 * The options of a listen or connect call sorted into what is needed to create the socket
 * (family, addresses, fd, netns, backlog) and what is set on it (through {@link OptionCodec});
 * and the C numbers of packet types, active modes and idle strategies.
 */
final class SocketOptions
{
    /** OTP's default listen backlog (inet_int.hrl LISTEN_BACKLOG). */
    static final int DEFAULT_BACKLOG = 5;

    Option.Family family;
    InetAddress ip;
    /** {ifaddr, {local, Path}}: the name a local socket binds to. */
    LocalAddress local;
    /** The option that gave IP (ip or ifaddr), for error messages. */
    String ipFrom = "ip";
    int port = -1;
    /** {fd, Fd}: the descriptor to adopt, or -1. */
    int fd = -1;
    /** {netns, Path}: the namespace to create the socket in, or null. */
    String netns;
    int backlog = DEFAULT_BACKLOG;
    /** {protocol, P}: the protocol to make the socket with, or null (TCP). */
    Option.Protocol protocol;
    final List<Option> socketOptions = new ArrayList<>();

    /** Sorts OPTIONS; a null, or an option that this call does not take, is a bad argument. */
    static SocketOptions parse(final Option[] options, final boolean listen)
    {
        Args.notNull(options, "options");
        final SocketOptions parsed = new SocketOptions();
        for (int index = 0; index < options.length; index++)
        {
            final Option option = options[index];
            if (option == null)
            {
                throw new IllegalArgumentException("options: null option");
            }
            switch (option.name())
            {
                case FAMILY -> parsed.family = (Option.Family)option.value();
                // the socket is made with it (open), in its namespace if netns; the last one wins
                case PROTOCOL -> parsed.protocol = (Option.Protocol)option.value();
                case INET_BACKEND ->
                {
                    if (index != 0)
                    {
                        throw new IllegalArgumentException("inet_backend: must be the first option, was at position " +
                            (index + 1));
                    }
                    parsed.socketOptions.add(option);
                }
                // applied first of all, like OTP's, with the other socket options; the last one
                // given wins, as for every option
                case BIND_TO_DEVICE ->
                {
                    parsed.socketOptions.removeIf(o -> o.name() == OptionName.BIND_TO_DEVICE);
                    parsed.socketOptions.add(0, option);
                }
                // OTP's rules: each of ip and port is the last one given, and an ifaddr socket
                // address sets both (so it overrides earlier ones and later ones update it).
                case IP ->
                {
                    parsed.ip = (InetAddress)option.value();
                    parsed.ipFrom = "ip";
                }
                case IFADDR ->
                {
                    if (option.value() instanceof LocalAddress name)
                    {
                        parsed.local = name;
                        continue;
                    }
                    if (option.value() instanceof java.net.InetSocketAddress sockaddr)
                    {
                        parsed.ip = sockaddr.getAddress();
                        parsed.port = sockaddr.getPort();
                    }
                    else
                    {
                        parsed.ip = (InetAddress)option.value();
                    }
                    parsed.ipFrom = "ifaddr";
                }
                case PORT -> parsed.port = (Integer)option.value();
                case FD -> parsed.fd = (Integer)option.value();
                case NETNS -> parsed.netns = (String)option.value();
                case BACKLOG ->
                {
                    if (!listen)
                    {
                        throw new IllegalArgumentException("backlog: a listen option, not a connect option");
                    }
                    parsed.backlog = (Integer)option.value();
                }
                case PKTOPTIONS -> throw new IllegalArgumentException("pktoptions: read-only (Inet.getopts reads it)");
                case TCP_MODULE -> throw new IllegalArgumentException("tcp_module: not meaningful in Java " +
                    "(gentcp has a single TCP implementation); remove {tcp_module, " + option.value() + "}");
                case LINE_LENGTH ->
                    throw new IllegalArgumentException("line_length: a decode option, not a socket option");
                case LINE_DELIMITER ->
                {
                    if (listen)
                    {
                        throw new IllegalArgumentException(
                            "line_delimiter: not a listen option (set it on the accepted socket)");
                    }
                    parsed.socketOptions.add(option);
                }
                default -> parsed.socketOptions.add(option);
            }
        }
        parsed.checkConsistent();
        return parsed;
    }

    /**
     * Checks that the sorted options agree with each other (netns with fd, a local address with
     * family, ip and port, ip with family); a local ifaddr makes the family local.
     */
    private void checkConsistent()
    {
        if (netns != null && fd >= 0)
        {
            throw new IllegalArgumentException("netns: an adopted {fd, Fd} is in its namespace already");
        }
        if (local != null)
        {
            if (family != null && family != Option.Family.LOCAL)
            {
                throw new IllegalArgumentException("ifaddr: " + local + " is not an " + family + " address");
            }
            family = Option.Family.LOCAL;
        }
        if (family == Option.Family.LOCAL)
        {
            if (ip != null)
            {
                throw new IllegalArgumentException(ipFrom + ": an IP address on a local socket");
            }
            if (port > 0)
            {
                throw new IllegalArgumentException("port: must be 0 on a local socket, was " + port);
            }
        }
        if (ip != null && family != null && family != familyOf(ip))
        {
            throw new IllegalArgumentException(ipFrom + ": " + ip.getHostAddress() + " is not an " + family +
                " address");
        }
    }

    static Option.Family familyOf(final InetAddress address)
    {
        return Addresses.family(address) == Native.AF_INET6 ? Option.Family.INET6 : Option.Family.INET;
    }

    /**
     * A new socket of SOCKET_FAMILY made with the protocol (inside the namespace, with netns), or
     * the adopted {fd, Fd}, whose protocol is its own (einval when the protocol option names
     * another, the descriptor then left to the caller): its handle.
     */
    long open(final Option.Family socketFamily)
    {
        final int code = protocol == Option.Protocol.MPTCP ? Native.PROTOCOL_MPTCP : Native.PROTOCOL_TCP;
        final long handle;
        if (netns != null)
        {
            final byte[] path = netns.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (io.gentcp.internal.DirectMemory.Scratch scratch = io.gentcp.internal.DirectMemory.scratch(path.length))
            {
                scratch.buffer.put(0, path);
                handle = Native.lib().gt_socket_netns_protocol(Addresses.af(socketFamily), scratch.address,
                    path.length, code);
                java.lang.ref.Reference.reachabilityFence(scratch);
            }
        }
        else if (fd >= 0)
        {
            handle = Native.lib().gt_socket_fd_protocol(fd, protocol == null ? Native.PROTOCOL_OWN : code);
            if (handle == -Native.EINVAL)
            {
                throw Errors.failed(handle, "adopt", "{fd," + fd + "}: not a " + protocol + " socket");
            }
        }
        else
        {
            handle = Native.lib().gt_socket_protocol(Addresses.af(socketFamily), code);
        }
        if (handle < 0 && protocol == Option.Protocol.MPTCP && fd < 0)
        {
            // the kernel's refusal of MPTCP (eprotonosupport, enoprotoopt), or enotsup
            throw Errors.failed(handle, "socket", "{protocol,mptcp}" + (netns != null ? " in " + netns : ""));
        }
        return Errors.check(handle);
    }

    /**
     * Sets every socket option on a new handle, in the order given (a later one wins). A value
     * the socket refuses as invalid is a bad argument of listen/connect, as OTP's badarg: an
     * IllegalArgumentException naming the option. Other refusals (enodev, eperm, enotsup ...)
     * are the call's error.
     */
    void apply(final long handle)
    {
        for (final Option option : socketOptions)
        {
            final int rc = OptionCodec.set(handle, option);
            if (rc == -Native.EINVAL)
            {
                throw new IllegalArgumentException(option.name().atom() + ": " + option +
                    " refused by the socket (einval)");
            }
            if (rc < 0)
            {
                throw Errors.failed(rc, "setopts", option);
            }
        }
    }

    private static final PacketType[] PACKET_TYPES = PacketType.values();

    /** The C library's number for each packet type (GT_PACKET_*), asked once. */
    private static final int[] PACKET_CODES = new int[PacketType.values().length];

    static
    {
        for (final PacketType type : PacketType.values())
        {
            final String suffix = type.headerLength() > 0 ? Integer.toString(type.headerLength()) : type.name();
            PACKET_CODES[type.ordinal()] = (int)Native.constantOrMissing("GT_PACKET_" + suffix);
        }
    }

    static int packetCode(final PacketType type)
    {
        return PACKET_CODES[type.ordinal()];
    }

    static PacketType packetType(final int code)
    {
        for (final PacketType type : PACKET_TYPES)
        {
            if (PACKET_CODES[type.ordinal()] == code)
            {
                return type;
            }
        }
        throw new IllegalStateException("libgentcp reported an unknown packet type " + code);
    }

    static long activeCode(final Active active)
    {
        return switch (active.kind())
        {
            case FALSE -> Native.ACTIVE_FALSE;
            case TRUE -> Native.ACTIVE_TRUE;
            case ONCE -> Native.ACTIVE_ONCE;
            case COUNT -> Native.ACTIVE_ADD_ZERO + active.count(); // {active, N} adds N (OTP)
        };
    }

    static Active active(final int code)
    {
        if (code == Native.ACTIVE_TRUE)
        {
            return Active.TRUE;
        }
        if (code == Native.ACTIVE_ONCE)
        {
            return Active.ONCE;
        }
        return code > 0 ? Active.count(code) : Active.FALSE;
    }

    static int idleCode(final IdleStrategy idle)
    {
        return switch (idle.kind())
        {
            case BLOCK -> Native.IDLE_BLOCK;
            case SPIN -> Native.IDLE_SPIN;
            case BUSY -> Native.IDLE_BUSY;
        };
    }
}
