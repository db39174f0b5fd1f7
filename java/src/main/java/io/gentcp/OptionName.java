package io.gentcp;

import java.util.Locale;

/**
 * The name of an option, as {@code inet:getopts/2} takes it. {@link #atom()} is the Erlang
 * atom ({@code packet_size}, {@code nodelay} ...).
 */
public enum OptionName
{
    /** {@code list | binary}: how received data is delivered. */
    MODE(Scope.SOCKET),
    /** {@code {packet, Type}}: the framing. */
    PACKET(Scope.SOCKET),
    /** {@code {packet_size, N}}: the largest packet body accepted; 0 = no limit. */
    PACKET_SIZE(Scope.SOCKET),
    /** {@code {line_delimiter, Char}}: where {@code {packet, line}} lines end. Not a listen option, not inherited. */
    LINE_DELIMITER(Scope.NOT_LISTEN),
    /** {@code {line_length, N}}: {@link Packet#decode} only; lines longer than N come in pieces. */
    LINE_LENGTH(Scope.DECODE),
    /** {@code {active, ...}}: passive or message delivery. */
    ACTIVE(Scope.SOCKET),
    /** {@code {buffer, N}}: the user-level receive buffer size. */
    BUFFER(Scope.SOCKET),
    /** {@code {recbuf, N}}: the kernel receive buffer (SO_RCVBUF). */
    RECBUF(Scope.SOCKET),
    /** {@code {sndbuf, N}}: the kernel send buffer (SO_SNDBUF). */
    SNDBUF(Scope.SOCKET),
    /** {@code {nodelay, B}}: TCP_NODELAY. */
    NODELAY(Scope.SOCKET),
    /** {@code {reuseaddr, B}}: SO_REUSEADDR. */
    REUSEADDR(Scope.SOCKET),
    /** {@code {exit_on_close, B}}: false keeps the socket open for sends after the peer's FIN (half-close). */
    EXIT_ON_CLOSE(Scope.SOCKET),
    /** {@code {show_econnreset, B}}: a reset from the peer is {@code econnreset}, not {@code closed}. */
    SHOW_ECONNRESET(Scope.SOCKET),
    /** {@code {header, N}}: binary packets as {@code [B1, ..., BN | Binary]}. */
    HEADER(Scope.SOCKET),
    /** {@code {deliver, term | port}}: the form of active messages. */
    DELIVER(Scope.SOCKET),
    /** {@code {high_msgq_watermark, N}}: at most N messages of one socket per batch the owner takes. */
    HIGH_MSGQ_WATERMARK(Scope.SOCKET),
    /** {@code {low_msgq_watermark, N}}: stored; the owner takes more once it has handled a batch. */
    LOW_MSGQ_WATERMARK(Scope.SOCKET),
    /** {@code {send_timeout, Ms | infinity}}: how long a send may block on a full send queue. */
    SEND_TIMEOUT(Scope.SOCKET),
    /** {@code {send_timeout_close, B}}: a send that times out resets the connection. */
    SEND_TIMEOUT_CLOSE(Scope.SOCKET),
    /** {@code {delay_send, B}}: sends are queued and coalesced into fewer writes. */
    DELAY_SEND(Scope.SOCKET),
    /** {@code {high_watermark, N}}: the send-queue size in bytes at which a send blocks. */
    HIGH_WATERMARK(Scope.SOCKET),
    /** {@code {low_watermark, N}}: the send-queue size a blocked send waits for. */
    LOW_WATERMARK(Scope.SOCKET),
    /** {@code {inet_backend, inet | socket}}: the first option of connect or listen only. */
    INET_BACKEND(Scope.CREATION),
    /** {@code {bind_to_device, Name}}: SO_BINDTODEVICE; in listen, connect and setopts, read back by getopts ("" when unbound). */
    BIND_TO_DEVICE(Scope.SOCKET),
    /** {@code {raw, Protocol, OptionNum, ValueBin}}: any socket option, as bytes. Set only; read with {@link Inet#getoptRaw}. */
    RAW(Scope.SOCKET),
    /** {@code {linger, {B, T}}}: SO_LINGER; {@code {true, 0}} makes close reset the connection. */
    LINGER(Scope.SOCKET),
    /** {@code {keepalive, B}}: SO_KEEPALIVE. */
    KEEPALIVE(Kernel.BOOLEAN),
    /** {@code {dontroute, B}}: SO_DONTROUTE. */
    DONTROUTE(Kernel.BOOLEAN),
    /** {@code {priority, N}}: SO_PRIORITY. */
    PRIORITY(Kernel.INTEGER),
    /** {@code {tos, N}}: IP_TOS (IPv4). */
    TOS(Kernel.INTEGER),
    /** {@code {ttl, N}}: IP_TTL (IPv4). */
    TTL(Kernel.INTEGER),
    /** {@code {tclass, N}}: IPV6_TCLASS (IPv6). */
    TCLASS(Kernel.INTEGER),
    /** {@code {ipv6_v6only, B}}: IPV6_V6ONLY (IPv6). */
    IPV6_V6ONLY(Kernel.BOOLEAN),
    /** {@code {recvtos, B}}: IP_RECVTOS (IPv4). */
    RECVTOS(Kernel.BOOLEAN),
    /** {@code {recvttl, B}}: IP_RECVTTL (IPv4). */
    RECVTTL(Kernel.BOOLEAN),
    /** {@code {recvtclass, B}}: IPV6_RECVTCLASS (IPv6). */
    RECVTCLASS(Kernel.BOOLEAN),
    /** {@code {pktoptions, List}}: read-only, the IP values of the last packet received (see {@link PktOptions}). */
    PKTOPTIONS(Scope.SOCKET),
    /** gentcp: SO_REUSEPORT, several listeners sharing one port. */
    REUSEPORT(Kernel.BOOLEAN),
    /** gentcp: TCP_QUICKACK. */
    QUICKACK(Kernel.BOOLEAN),
    /** gentcp: TCP_CORK. */
    CORK(Kernel.BOOLEAN),
    /** gentcp: TCP_NOTSENT_LOWAT, bytes. */
    NOTSENT_LOWAT(Kernel.INTEGER),
    /** gentcp: TCP_USER_TIMEOUT, milliseconds. */
    USER_TIMEOUT(Kernel.INTEGER),
    /** gentcp: TCP_KEEPIDLE, seconds. */
    KEEPIDLE(Kernel.INTEGER),
    /** gentcp: TCP_KEEPINTVL, seconds. */
    KEEPINTVL(Kernel.INTEGER),
    /** gentcp: TCP_KEEPCNT. */
    KEEPCNT(Kernel.INTEGER),
    /** gentcp: SO_MARK. */
    MARK(Kernel.INTEGER),
    /** gentcp: SO_INCOMING_CPU. */
    INCOMING_CPU(Kernel.INTEGER),
    /** gentcp: SO_BUSY_POLL, microseconds the kernel may busy-poll the device on a blocking read. */
    BUSY_POLL(Kernel.INTEGER),
    /** gentcp: TCP fast open: TCP_FASTOPEN's queue length on a listener, TCP_FASTOPEN_CONNECT on a client. */
    FASTOPEN(Kernel.INTEGER),
    /** gentcp: SO_PREFER_BUSY_POLL. */
    PREFER_BUSY_POLL(Kernel.BOOLEAN),
    /** gentcp's idle strategy for passive receives. */
    IDLE(Scope.SOCKET),
    /** {@code {ip, Address}}: the local address to bind. Creation only. */
    IP(Scope.CREATION),
    /** {@code {ifaddr, Address | SockAddr}}: as ip; a socket address sets the local address and port together. Creation only. */
    IFADDR(Scope.CREATION),
    /** {@code {port, Port}}: the local port to bind. Creation only. */
    PORT(Scope.CREATION),
    /** {@code {backlog, B}}: the listen queue length. Listen only. */
    BACKLOG(Scope.LISTEN),
    /** {@code inet | inet6}: the address family. Creation only. */
    FAMILY(Scope.CREATION),
    /** {@code {netns, Path}}: create the socket in that network namespace. Creation only. */
    NETNS(Scope.CREATION),
    /** {@code {fd, Fd}}: adopt a socket opened elsewhere. Creation only. */
    FD(Scope.CREATION),
    /** {@code {tcp_module, M}}: an Erlang callback module; not meaningful in Java, refused by listen and connect. */
    TCP_MODULE(Scope.CREATION);

    /** Where an option may appear. */
    enum Scope
    {
        /** In listen, connect, setopts and getopts. */
        SOCKET,
        /** In listen and connect only. */
        CREATION,
        /** In listen only. */
        LISTEN,
        /** In connect, setopts and getopts, but not in listen (OTP: badarg). */
        NOT_LISTEN,
        /** In {@link Packet#decode} only. */
        DECODE
    }

    /** A kernel option passed through as it is: a boolean or a non-negative integer. */
    enum Kernel
    {
        BOOLEAN, INTEGER
    }

    private final Scope scope;
    private final Kernel kernel;
    private final String atom = name().toLowerCase(Locale.ROOT);

    OptionName(final Scope scope)
    {
        this.scope = scope;
        this.kernel = null;
    }

    OptionName(final Kernel kernel)
    {
        this.scope = Scope.SOCKET;
        this.kernel = kernel;
    }

    /** For a kernel option, its kind; else null. */
    Kernel kernel()
    {
        return kernel;
    }

    Scope scope()
    {
        return scope;
    }

    /**
     * The Erlang atom.
     *
     * @return the atom's text
     */
    public String atom()
    {
        return atom;
    }

    @Override
    public String toString()
    {
        return atom;
    }
}
