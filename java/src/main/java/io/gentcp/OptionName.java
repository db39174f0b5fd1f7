package io.gentcp;

import java.util.Locale;

/**
 * The name of an option, as {@code inet:getopts/2} takes it. {@link #atom()} is the Erlang
 * atom ({@code packet_size}, {@code nodelay} ...).
 */
public enum OptionName
{
    /** {@code list | binary}: how received data is delivered. */
    MODE(OptionValue.MODE),
    /** {@code {packet, Type}}: the framing. */
    PACKET(OptionValue.PACKET),
    /** {@code {packet_size, N}}: the largest packet body accepted; 0 = no limit. */
    PACKET_SIZE(OptionValue.LONG),
    /** {@code {line_delimiter, Char}}: where {@code {packet, line}} lines end. Not a listen option, not inherited. */
    LINE_DELIMITER(OptionValue.INT),
    /** {@code {line_length, N}}: {@link Packet#decode} only; lines longer than N come in pieces. */
    LINE_LENGTH(OptionValue.NONE),
    /** {@code {active, ...}}: passive or message delivery. */
    ACTIVE(OptionValue.ACTIVE),
    /** {@code {buffer, N}}: the user-level receive buffer size. */
    BUFFER(OptionValue.INT),
    /** {@code {recbuf, N}}: the kernel receive buffer (SO_RCVBUF). */
    RECBUF(OptionValue.INT),
    /** {@code {sndbuf, N}}: the kernel send buffer (SO_SNDBUF). */
    SNDBUF(OptionValue.INT),
    /** {@code {nodelay, B}}: TCP_NODELAY. */
    NODELAY(OptionValue.FLAG),
    /** {@code {reuseaddr, B}}: SO_REUSEADDR. */
    REUSEADDR(OptionValue.FLAG),
    /** {@code {exit_on_close, B}}: false keeps the socket open for sends after the peer's FIN (half-close). */
    EXIT_ON_CLOSE(OptionValue.FLAG),
    /** {@code {show_econnreset, B}}: a reset from the peer is {@code econnreset}, not {@code closed}. */
    SHOW_ECONNRESET(OptionValue.FLAG),
    /** {@code {header, N}}: binary packets as {@code [B1, ..., BN | Binary]}. */
    HEADER(OptionValue.INT),
    /** {@code {deliver, term | port}}: the form of active messages. */
    DELIVER(OptionValue.DELIVER),
    /** {@code {high_msgq_watermark, N}}: at most N messages of one socket per batch the owner takes. */
    HIGH_MSGQ_WATERMARK(OptionValue.INT),
    /** {@code {low_msgq_watermark, N}}: stored; the owner takes more once it has handled a batch. */
    LOW_MSGQ_WATERMARK(OptionValue.INT),
    /** {@code {send_timeout, Ms | infinity}}: how long a send may block on a full send queue. */
    SEND_TIMEOUT(OptionValue.SEND_TIMEOUT),
    /** {@code {send_timeout_close, B}}: a send that times out resets the connection. */
    SEND_TIMEOUT_CLOSE(OptionValue.FLAG),
    /** {@code {delay_send, B}}: sends are queued and coalesced into fewer writes. */
    DELAY_SEND(OptionValue.FLAG),
    /** {@code {high_watermark, N}}: the send-queue size in bytes at which a send blocks. */
    HIGH_WATERMARK(OptionValue.INT),
    /** {@code {low_watermark, N}}: the send-queue size a blocked send waits for. */
    LOW_WATERMARK(OptionValue.INT),
    /** {@code {inet_backend, inet | socket}}: the first option of connect or listen only. */
    INET_BACKEND(OptionValue.BACKEND),
    /**
     * {@code {bind_to_device, Name}}: SO_BINDTODEVICE; in listen, connect and setopts, read back by getopts ("" when
     * unbound).
     */
    BIND_TO_DEVICE(OptionValue.NONE),
    /**
     * {@code {raw, Protocol, OptionNum, ValueBin}}: any socket option, as bytes. Set only; read with
     * {@link Inet#getoptRaw}.
     */
    RAW(OptionValue.NONE),
    /** {@code {linger, {B, T}}}: SO_LINGER; {@code {true, 0}} makes close reset the connection. */
    LINGER(OptionValue.LINGER),
    /** {@code {keepalive, B}}: SO_KEEPALIVE. */
    KEEPALIVE(OptionValue.FLAG),
    /** {@code {dontroute, B}}: SO_DONTROUTE. */
    DONTROUTE(OptionValue.FLAG),
    /** {@code {priority, N}}: SO_PRIORITY. */
    PRIORITY(OptionValue.INT),
    /** {@code {tos, N}}: IP_TOS (IPv4). */
    TOS(OptionValue.INT),
    /** {@code {ttl, N}}: IP_TTL (IPv4). */
    TTL(OptionValue.INT),
    /** {@code {tclass, N}}: IPV6_TCLASS (IPv6). */
    TCLASS(OptionValue.INT),
    /** {@code {ipv6_v6only, B}}: IPV6_V6ONLY (IPv6). */
    IPV6_V6ONLY(OptionValue.FLAG),
    /** {@code {recvtos, B}}: IP_RECVTOS (IPv4). */
    RECVTOS(OptionValue.FLAG),
    /** {@code {recvttl, B}}: IP_RECVTTL (IPv4). */
    RECVTTL(OptionValue.FLAG),
    /** {@code {recvtclass, B}}: IPV6_RECVTCLASS (IPv6). */
    RECVTCLASS(OptionValue.FLAG),
    /** {@code {pktoptions, List}}: read-only, the IP values of the last packet received (see {@link PktOptions}). */
    PKTOPTIONS(OptionValue.NONE),
    /** {@code {reuseport, B}} (OTP 26): SO_REUSEPORT, several listeners sharing one port. */
    REUSEPORT(OptionValue.FLAG),
    /** {@code {reuseport_lb, B}} (OTP 26): a shared port with load balancing (Linux: SO_REUSEPORT). */
    REUSEPORT_LB(OptionValue.FLAG),
    /** {@code {exclusiveaddruse, B}} (OTP 26): Windows' SO_EXCLUSIVEADDRUSE; kept and read back, no effect here. */
    EXCLUSIVEADDRUSE(OptionValue.FLAG),
    /** {@code {read_ahead, B}} (OTP 27.1): false: a recv or active delivery reads nothing past the packet it takes. */
    READ_AHEAD(OptionValue.FLAG),
    /** {@code {protocol, tcp | mptcp}} (OTP 28): the socket's protocol. Creation only. */
    PROTOCOL(OptionValue.PROTOCOL),
    /** gentcp: {@code {timestamping, Flags}}, the kernel's SO_TIMESTAMPING (see {@link Option#timestamping}). */
    TIMESTAMPING(OptionValue.TIMESTAMPING),
    /** gentcp: TCP_QUICKACK. */
    QUICKACK(OptionValue.FLAG),
    /** gentcp: TCP_CORK. */
    CORK(OptionValue.FLAG),
    /** gentcp: TCP_NOTSENT_LOWAT, bytes. */
    NOTSENT_LOWAT(OptionValue.INT),
    /** {@code {user_timeout, N}} (OTP 28): TCP_USER_TIMEOUT, milliseconds. */
    USER_TIMEOUT(OptionValue.INT),
    /** {@code {keepidle, N}} (OTP 28): TCP_KEEPIDLE, seconds. */
    KEEPIDLE(OptionValue.INT),
    /** {@code {keepintvl, N}} (OTP 28): TCP_KEEPINTVL, seconds. */
    KEEPINTVL(OptionValue.INT),
    /** {@code {keepcnt, N}} (OTP 28): TCP_KEEPCNT. */
    KEEPCNT(OptionValue.INT),
    /** gentcp: SO_MARK. */
    MARK(OptionValue.INT),
    /** gentcp: SO_INCOMING_CPU. */
    INCOMING_CPU(OptionValue.INT),
    /** gentcp: SO_BUSY_POLL, microseconds the kernel may busy-poll the device on a blocking read. */
    BUSY_POLL(OptionValue.INT),
    /** gentcp: TCP fast open: TCP_FASTOPEN's queue length on a listener, TCP_FASTOPEN_CONNECT on a client. */
    FASTOPEN(OptionValue.INT),
    /** gentcp: SO_PREFER_BUSY_POLL. */
    PREFER_BUSY_POLL(OptionValue.FLAG),
    /** gentcp's idle strategy for passive receives. */
    IDLE(OptionValue.NONE),
    /** {@code {ip, Address}}: the local address to bind. Creation only. */
    IP(OptionValue.NONE),
    /**
     * {@code {ifaddr, Address | SockAddr}}: as ip; a socket address sets the local address and port together. Creation
     * only.
     */
    IFADDR(OptionValue.NONE),
    /** {@code {port, Port}}: the local port to bind. Creation only. */
    PORT(OptionValue.NONE),
    /** {@code {backlog, B}}: the listen queue length. Listen only. */
    BACKLOG(OptionValue.NONE),
    /** {@code inet | inet6}: the address family. Creation only. */
    FAMILY(OptionValue.NONE),
    /** {@code {netns, Path}}: create the socket in that network namespace. Creation only. */
    NETNS(OptionValue.NONE),
    /** {@code {fd, Fd}}: adopt a socket opened elsewhere. Creation only. */
    FD(OptionValue.NONE),
    /** {@code {tcp_module, M}}: an Erlang callback module; not meaningful in Java, refused by listen and connect. */
    TCP_MODULE(OptionValue.NONE);

    private final OptionValue value;
    private final String atom = name().toLowerCase(Locale.ROOT);

    OptionName(final OptionValue value)
    {
        this.value = value;
    }

    /** How its value is C's number; {@link OptionValue#NONE} for the options of no one C id. */
    OptionValue value()
    {
        return value;
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
