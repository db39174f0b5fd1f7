package io.gentcp;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

import io.gentcp.internal.LibGentcp;
import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * Erlang's {@code gen_tcp}: listen, accept, connect, send, recv, shutdown and close.
 *
 * <p>Each call answers as its Erlang twin: {@code {ok, X}} is the return value and
 * {@code {error, Reason}} a {@link GenTcpException} carrying the {@link Reason}. A bad
 * argument (null, a negative length or timeout) is an {@link IllegalArgumentException} or
 * {@link NullPointerException} naming it, thrown before anything reaches the C library.
 *
 * <p>Time limits are in milliseconds; the overloads without one wait forever (Erlang's
 * {@code infinity}).
 *
 * <p>Passive receives run on the caller's thread: the waiting is done in C by the socket's
 * {@link IdleStrategy}. The {@code ByteBuffer} calls allocate nothing; the {@code byte[]} and
 * {@code String} calls allocate only their result.
 */
public final class GenTcp
{
    // The facade: the plumbing of listen, connect, send and recv is in Listening, Connecting,
    // Sending and Receiving; argument and time-limit checks in Args and Timeouts.

    /** Erlang's {@code infinity} as a time limit. */
    public static final long INFINITY = -1;

    private GenTcp()
    {
    }

    // ---------------------------------------------------------------- listen / accept

    /**
     * {@code gen_tcp:listen(Port, Options)}: a socket listening on PORT (0 = a free port the
     * kernel picks; {@link Inet#port} tells which). Like every socket made by {@code listen},
     * {@code accept} or {@code connect}, it belongs to the calling thread's {@link Mailbox} and
     * closes when that thread ends, unless handed on with {@link #controllingProcess}.
     *
     * @param port the port, 0 for one the kernel picks
     * @param options the socket's options
     * @return the listen socket
     */
    public static ListenSocket listen(final int port, final Option... options)
    {
        return Listening.listen(port, options);
    }

    /**
     * {@code gen_tcp:listen(Port, Options)} with the options as a list.
     *
     * @param port the port, 0 for one the kernel picks
     * @param options the socket's options
     * @return the listen socket
     */
    public static ListenSocket listen(final int port, final List<Option> options)
    {
        return listen(port, Args.notNull(options, "options").toArray(new Option[0]));
    }

    /**
     * {@code gen_tcp:accept(ListenSocket)}: waits for a connection.
     *
     * @param listenSocket the listen socket
     * @return the accepted socket, owned by the calling thread's mailbox
     */
    public static Socket accept(final ListenSocket listenSocket)
    {
        return accept(listenSocket, -1);
    }

    /**
     * {@code gen_tcp:accept(ListenSocket, Timeout)}. The new socket inherits the listen socket's
     * options. Several threads may accept on one listen socket at once; closing it wakes them all
     * with {@code closed}. On a virtual thread the wait parks the thread, not its carrier, and
     * an interrupt ends it as {@code timeout} with the interrupt status left set (README,
     * "Virtual threads").
     *
     * @param listenSocket the listen socket
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the accepted socket, owned by the calling thread's mailbox
     */
    public static Socket accept(final ListenSocket listenSocket, final long timeoutMs)
    {
        Args.notNull(listenSocket, "listenSocket");
        final LibGentcp lib = Native.lib();
        final GenTcpAcceptEvent event = Jfr.PRESENT ? new GenTcpAcceptEvent() : null; // (JFR)
        if (event != null)
        {
            event.begin();
        }
        final long handle = Parking.accept(lib, listenSocket.handle, Timeouts.checkTimeout(timeoutMs),
            listenSocket.acceptors);
        if (handle < 0)
        {
            final GenTcpException e = Errors.on("accept", listenSocket, handle);
            if (event != null)
            {
                event.failed(listenSocket, e);
            }
            throw e;
        }
        final Socket socket = new Socket(handle);
        try
        {
            Mailbox.current().adopt(socket); // the acceptor owns it, whoever owns the listen socket
        }
        catch (final RuntimeException e)
        {
            lib.gt_close(handle);
            throw e;
        }
        if (event != null)
        {
            event.accepted(listenSocket, socket);
        }
        return socket;
    }

    // ---------------------------------------------------------------- connect

    /**
     * {@code gen_tcp:connect(Address, Port, Options)}: ADDRESS is a host name or an IP literal.
     *
     * @param address a host name or an IP address literal
     * @param port the peer's port
     * @param options the socket's options
     * @return the connected socket
     */
    public static Socket connect(final String address, final int port, final Option... options)
    {
        return connect(address, port, -1, options);
    }

    /**
     * {@code gen_tcp:connect(Address, Port, Options, Timeout)}. On a virtual thread (every
     * connect form) the wait parks the thread, not its carrier, and an interrupt ends it as
     * {@code timeout} with the interrupt status left set (README, "Virtual threads"); the
     * socket is then closed, as after any connect that fails. (Resolving a host name is the
     * JDK's, and may block.)
     *
     * @param address a host name or an IP address literal
     * @param port the peer's port
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @param options the socket's options
     * @return the connected socket
     */
    public static Socket connect(final String address, final int port, final long timeoutMs, final Option... options)
    {
        return Connecting.connect(address, port, timeoutMs, options);
    }

    /**
     * {@code gen_tcp:connect(Address, Port, Options)} with an address.
     *
     * @param address the peer's address
     * @param port the peer's port
     * @param options the socket's options
     * @return the connected socket
     */
    public static Socket connect(final InetAddress address, final int port, final Option... options)
    {
        return connect(address, port, -1, options);
    }

    /**
     * {@code gen_tcp:connect(Address, Port, Options, Timeout)} with an address.
     *
     * @param address the peer's address
     * @param port the peer's port
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @param options the socket's options
     * @return the connected socket
     */
    public static Socket connect(final InetAddress address, final int port, final long timeoutMs,
        final Option... options)
    {
        return Connecting.connect(address, port, timeoutMs, options);
    }

    /**
     * {@code gen_tcp:connect({local, Path}, 0, [local | Options], Timeout)}: connects a
     * {@code local} (Unix domain) socket. {@code {ifaddr, {local, Name}}} binds the client
     * first; {@code ip} and a port are bad arguments here.
     *
     * @param address the peer's name
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @param options the socket's options
     * @return the connected socket
     */
    public static Socket connect(final LocalAddress address, final long timeoutMs, final Option... options)
    {
        return Connecting.connect(address, timeoutMs, options);
    }

    /**
     * {@link #connect(LocalAddress, long, Option...)} without a time limit.
     *
     * @param address the peer's name
     * @param options the socket's options
     * @return the connected socket
     */
    public static Socket connect(final LocalAddress address, final Option... options)
    {
        return connect(address, -1, options);
    }

    // ---------------------------------------------------------------- send

    /**
     * {@code gen_tcp:send(Socket, Packet)} of bytes. With {@code {packet, N}} this is one packet.
     *
     * <p>As with OTP's inet backend the call writes at once, without blocking, and what the
     * kernel does not take is queued (in C) and written by a background thread; it returns as
     * soon as the packet is in the kernel or the queue. A send that brings the queue to
     * {@code high_watermark} waits until it is down to {@code low_watermark}, at most
     * {@code send_timeout} ({@code timeout}: the packet stays queued). An error of queued data
     * is reported by the next call ({@code closed}, or {@code econnreset} with
     * {@code show_econnreset}). On a virtual thread that wait (and the socket backend's wait
     * for the kernel) parks the thread, its carrier free, with the same answers; an interrupt
     * ends it as {@code timeout} (the interrupt status left set) without send_timeout_close's
     * reset: the packet stays queued, or, with the socket backend, the bytes not sent are the
     * {@code {timeout, RestData}}.
     *
     * @param socket the socket
     * @param packet the bytes
     */
    public static void send(final Socket socket, final byte[] packet)
    {
        Args.notNull(packet, "packet");
        send(socket, packet, 0, packet.length);
    }

    /**
     * Sends LENGTH bytes of PACKET from OFFSET as one packet.
     *
     * @param socket the socket
     * @param packet the array that holds the bytes
     * @param offset where they start in it
     * @param length how many there are
     */
    public static void send(final Socket socket, final byte[] packet, final int offset, final int length)
    {
        Sending.send(socket, packet, offset, length);
    }

    /**
     * {@code gen_tcp:send(Socket, Packet)} of a string: Erlang's list of bytes. Each character
     * is one byte (ISO-8859-1); a character above 0xFF is a bad argument, as in Erlang.
     *
     * @param socket the socket
     * @param packet the characters, each one byte
     */
    public static void send(final Socket socket, final String packet)
    {
        Sending.send(socket, packet);
    }

    /**
     * Sends the remaining bytes of PACKET as one packet and advances its position to its limit.
     * A direct buffer is sent in place, with no copy and no allocation.
     *
     * @param socket the socket
     * @param packet the bytes between its position and its limit
     */
    public static void send(final Socket socket, final ByteBuffer packet)
    {
        Sending.send(socket, packet);
    }

    // ---------------------------------------------------------------- recv

    /**
     * {@code gen_tcp:recv(Socket, Length)}: the next packet, waiting as long as it takes.
     * In {@code binary} mode a {@code byte[]}, in {@code list} mode a {@code String} of
     * ISO-8859-1 characters (one per byte). See {@link #recv(Socket, int, long)}; for a result
     * type the compiler checks, {@link #recvBinary}, {@link #recvList} and {@link #recvHttp}.
     *
     * @param <T> {@code byte[]} in {@code binary} mode ({@link HeaderPacket} with {@code {header, N}}),
     *            {@code String} in {@code list} mode, {@link HttpPacket} with the HTTP packet types
     * @param socket the socket
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @return the packet
     */
    public static <T> T recv(final Socket socket, final int length)
    {
        return recv(socket, length, -1);
    }

    /**
     * {@code gen_tcp:recv(Socket, Length, Timeout)}. With {@code {packet, raw}}, LENGTH 0 returns
     * the bytes available and LENGTH &gt; 0 exactly LENGTH bytes; other packet types return one
     * packet and take LENGTH 0 ({@code einval} otherwise). A timeout keeps the bytes received so
     * far for the next call. After the peer closes, complete packets still arrive, then
     * {@code closed} once, then {@code enotconn}. A packet that finds no memory (in C, or for
     * its array: {@code OutOfMemoryError}, or a header claiming more than the longest Java
     * array) is {@code enomem} and closes the connection, as {@code emsgsize} does.
     *
     * <p>On a virtual thread every form of recv waits by parking the thread, not its carrier;
     * an interrupt ends the wait as {@code timeout}, nothing lost, with the interrupt status
     * left set (README, "Virtual threads"). On a platform thread an interrupt does not end it.
     *
     * @param <T> {@code byte[]} in {@code binary} mode ({@link HeaderPacket} with {@code {header, N}}),
     *            {@code String} in {@code list} mode, {@link HttpPacket} with the HTTP packet types
     * @param socket the socket
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the packet
     */
    public static <T> T recv(final Socket socket, final int length, final long timeoutMs)
    {
        return Receiving.recv(socket, length, timeoutMs);
    }

    /**
     * {@link #recv(Socket, int, long)} with the packet as bytes whatever the socket's mode: in
     * {@code list} mode the same bytes (no {@code String} is made), with {@code {header, N}}
     * the header bytes then the rest. The result type is checked at compile time, unlike
     * {@code recv}'s {@code <T>}. It receives as {@link #recv(Socket, int, ByteBuffer, long)}
     * does, which C refuses on an HTTP packet type without taking the packet.
     *
     * @param socket the socket, with a packet type other than the HTTP ones
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the packet's bytes
     * @throws IllegalArgumentException naming {@code socket} when its packet type is an HTTP
     *         one (its packets are records: {@link #recvHttp}); no packet is taken
     */
    public static byte[] recvBinary(final Socket socket, final int length, final long timeoutMs)
    {
        return Receiving.recvBinary(socket, length, timeoutMs);
    }

    /**
     * {@link #recvBinary(Socket, int, long)} without a time limit.
     *
     * @param socket the socket, with a packet type other than the HTTP ones
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @return the packet's bytes
     */
    public static byte[] recvBinary(final Socket socket, final int length)
    {
        return recvBinary(socket, length, INFINITY);
    }

    /**
     * {@link #recv(Socket, int, long)} with the packet as text whatever the socket's mode: one
     * char per byte (ISO-8859-1), as {@code list} mode gives it. Received as
     * {@link #recvBinary(Socket, int, long)} is.
     *
     * @param socket the socket, with a packet type other than the HTTP ones
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the packet as text
     * @throws IllegalArgumentException naming {@code socket} when its packet type is an HTTP
     *         one ({@link #recvHttp}); no packet is taken
     */
    public static String recvList(final Socket socket, final int length, final long timeoutMs)
    {
        return Receiving.recvList(socket, length, timeoutMs);
    }

    /**
     * {@link #recvList(Socket, int, long)} without a time limit.
     *
     * @param socket the socket, with a packet type other than the HTTP ones
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @return the packet as text
     */
    public static String recvList(final Socket socket, final int length)
    {
        return recvList(socket, length, INFINITY);
    }

    /**
     * {@link #recv(Socket, int, long)} on a socket with an HTTP packet type ({@code http},
     * {@code httph}, {@code http_bin}, {@code httph_bin}): the next request or response line,
     * header, end of headers or error.
     *
     * @param socket the socket, with an HTTP packet type
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the packet
     * @throws IllegalArgumentException naming {@code socket} when its packet type is not an
     *         HTTP one, before anything is received
     * @throws IllegalStateException when another thread changed the socket's packet type to a
     *         non-HTTP one while this call waited: the packet it took then is lost (C takes a
     *         packet in the form the socket's options give at that moment)
     */
    public static HttpPacket recvHttp(final Socket socket, final long timeoutMs)
    {
        Args.notNull(socket, "socket");
        Timeouts.checkTimeout(timeoutMs);
        PacketData.expectHttp(socket);
        return PacketData.http(recv(socket, 0, timeoutMs));
    }

    /**
     * {@link #recvHttp(Socket, long)} without a time limit.
     *
     * @param socket the socket, with an HTTP packet type
     * @return the packet
     */
    public static HttpPacket recvHttp(final Socket socket)
    {
        return recvHttp(socket, INFINITY);
    }

    /**
     * {@link #recv(Socket, int, ByteBuffer, long)} without a time limit.
     *
     * @param socket the socket
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @param dst where the bytes go
     * @return the number of bytes received, or the size of a packet that does not fit, negated
     */
    public static int recv(final Socket socket, final int length, final ByteBuffer dst)
    {
        return recv(socket, length, dst, -1);
    }

    /**
     * Receives into DST (at its position, which advances), allocating nothing when DST is
     * direct. Returns the number of bytes received. If the next packet does not fit in DST's
     * remaining space, nothing is taken from the socket and its size is returned negated, so
     * the caller can retry with a larger buffer. With {@code {packet, raw}} and LENGTH &gt; 0,
     * DST must have LENGTH bytes remaining.
     *
     * @param socket the socket
     * @param length the number of bytes with {@code {packet, raw}}, else 0
     * @param dst where the bytes go
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the number of bytes received, or the size of a packet that does not fit, negated
     */
    public static int recv(final Socket socket, final int length, final ByteBuffer dst, final long timeoutMs)
    {
        return Receiving.recv(socket, length, dst, timeoutMs);
    }

    /**
     * Receives the next packet, waiting for it as {@link #recv(Socket, int, ByteBuffer, long)}
     * does, and then every further complete packet that has already arrived (at most
     * MAX_PACKETS in all), in one call: a burst of small packets costs one call and one system
     * call rather than one each. A gentcp addition, for the framed packet types (not HTTP).
     *
     * <p>Each packet is written at DST's position as a 4-byte big-endian length followed by its
     * bytes, and the position advances past them. Returns the number of bytes written; if the
     * first packet does not fit in DST's remaining space, nothing is taken and the room it needs
     * is returned negated. Raw data arrives as one piece, as from {@code recv(S, 0)}. Allocates
     * nothing when DST is direct.
     *
     * @param socket the socket
     * @param dst where the packets go
     * @param maxPackets the most packets to take, at least 1
     * @param timeoutMs the time limit in milliseconds, or {@link #INFINITY}
     * @return the number of bytes written, or the room the first packet needs, negated
     */
    public static int recvBatch(final Socket socket, final ByteBuffer dst, final int maxPackets, final long timeoutMs)
    {
        return Receiving.recvBatch(socket, dst, maxPackets, timeoutMs);
    }

    // ---------------------------------------------------------------- ownership

    /**
     * {@code gen_tcp:controlling_process(Socket, Pid)}: NEW_OWNER becomes the mailbox that
     * receives SOCKET's messages. Only the current owner's thread may call it
     * ({@code not_owner}); a closed NEW_OWNER is {@code badarg}, a closed socket {@code closed}.
     * Every message of SOCKET that the caller's mailbox already holds moves with it, of every
     * kind, ahead of anything newer (OTP leaves tcp_passive, tcp_error and http behind; gentcp
     * does not, deliberately).
     *
     * @param socket the socket
     * @param newOwner the mailbox that takes the socket over
     */
    public static void controllingProcess(final InetSocket socket, final Mailbox newOwner)
    {
        Args.notNull(socket, "socket");
        Args.notNull(newOwner, "newOwner");
        final Mailbox from = Mailbox.currentIfOpen();
        final LibGentcp lib = Native.lib();
        socket.moveLock.lock();
        try
        {
            final int rc = lib.gt_controlling_process(socket.handle, from == null ? 0 : from.handle, newOwner.handle,
                0);
            if (rc < 0)
            {
                throw Errors.about(socket.handle, Errors.exception(Errors.reason(rc), socket + " to " + newOwner));
            }
            if (from != null && from != newOwner)
            {
                from.handOver(socket, newOwner);
            }
            socket.owner = newOwner;
            lib.gt_controlling_process(socket.handle, 0, 0, 1);
        }
        finally
        {
            socket.moveLock.unlock();
        }
    }

    // ---------------------------------------------------------------- shutdown / close

    /** How {@link #shutdown} closes a socket: {@code read}, {@code write} or {@code read_write}. */
    public enum How
    {
        /** {@code read}: no more receiving. */
        READ,
        /** {@code write}: no more sending; the peer reads end of stream. */
        WRITE,
        /** {@code read_write}: both. */
        READ_WRITE
    }

    /**
     * {@code gen_tcp:shutdown(Socket, How)}: closes one or both directions. With data in the send
     * queue, the writing side shuts down after the last byte; the call returns at once.
     *
     * @param socket the socket
     * @param how the direction or directions to close
     */
    public static void shutdown(final Socket socket, final How how)
    {
        Args.notNull(socket, "socket");
        Args.notNull(how, "how");
        final int code = switch (how)
        {
            case READ -> Native.SHUT_RD;
            case WRITE -> Native.SHUT_WR;
            case READ_WRITE -> Native.SHUT_RDWR;
        };
        final long rc = Native.lib().gt_shutdown(socket.handle, code);
        if (rc < 0)
        {
            throw Errors.on("shutdown", socket, rc);
        }
    }

    /**
     * {@code gen_tcp:close(Socket)}: always succeeds, also on a closed socket. Threads blocked in
     * recv, accept or send on it return {@code closed} at once. With data still in the send
     * queue it first waits as OTP's does: until the queue drains, giving up after 5 s without
     * progress ({@code {linger, {true, T}}}: after T s; {@code {true, 0}}: at once), in which
     * case the rest is dropped and the connection reset. That wait is the caller's alone: the
     * socket is closed for every other thread from the start (blocked ones return at once,
     * whatever the linger). As in Erlang, the messages an active socket already sent its owner's
     * {@link Mailbox} stay there, naming this very object, and none come after the close. On a
     * virtual thread the wait parks (its carrier stays free); an interrupt ends it as its limit
     * would: the rest is dropped, the connection reset, the interrupt status left set.
     *
     * @param socket the socket, open or closed
     */
    public static void close(final InetSocket socket)
    {
        Args.notNull(socket, "socket");
        socket.closedByApplication();
        final GenTcpCloseEvent event = Jfr.PRESENT ? new GenTcpCloseEvent() : null; // (JFR)
        // before the close, its counters go with it; a socket closed already is not recorded again
        final boolean record = event != null && event.isEnabled() && event.countersOf(socket);
        if (record)
        {
            event.begin();
        }
        Parking.close(Native.lib(), socket.handle);
        if (record)
        {
            event.closed(GenTcpCloseEvent.BY_APPLICATION, Reason.CLOSED);
        }
    }
}
