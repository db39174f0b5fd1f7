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
    /** gentcp's idle strategy for passive receives. */
    IDLE(Scope.SOCKET),
    /** {@code {ip, Address}}: the local address to bind. Creation only. */
    IP(Scope.CREATION),
    /** {@code {port, Port}}: the local port to bind. Creation only. */
    PORT(Scope.CREATION),
    /** {@code {backlog, B}}: the listen queue length. Listen only. */
    BACKLOG(Scope.LISTEN),
    /** {@code inet | inet6}: the address family. Creation only. */
    FAMILY(Scope.CREATION);

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

    private final Scope scope;
    private final String atom = name().toLowerCase(Locale.ROOT);

    OptionName(final Scope scope)
    {
        this.scope = scope;
    }

    Scope scope()
    {
        return scope;
    }

    /** The Erlang atom. */
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
