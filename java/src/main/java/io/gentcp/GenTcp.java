package io.gentcp;

import java.lang.ref.Reference;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.gentcp.internal.DirectMemory;
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
        checkPort(port);
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
        final long rc = Native.lib().gt_bind(handle, Addresses.high(ip), Addresses.low(ip), Addresses.portArg(ip, localPort));
        if (rc < 0)
        {
            throw Errors.failed(rc, "listen", ip, localPort);
        }
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
        final long handle = Parking.accept(lib, listenSocket.handle, checkTimeout(timeoutMs), listenSocket.acceptors);
        if (handle < 0)
        {
            throw Errors.on("accept", listenSocket, handle);
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
        Args.notNull(address, "address");
        checkPort(port);
        checkTimeout(timeoutMs);
        final SocketOptions parsed = SocketOptions.parse(options, false);
        notLocal(parsed);
        // The family is the one asked for, else that of a local address to bind (for a name to
        // look up; an IP literal of the other family is then a bad ip/ifaddr), else any.
        final Option.Family family = parsed.family != null ? parsed.family
            : parsed.ip != null && !Option.isIpLiteral(address) ? SocketOptions.familyOf(parsed.ip) : null;
        return connect(Addresses.resolve(address, family), port, timeoutMs, parsed);
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
    public static Socket connect(final InetAddress address, final int port, final long timeoutMs, final Option... options)
    {
        Args.notNull(address, "address");
        checkPort(port);
        checkTimeout(timeoutMs);
        final SocketOptions parsed = SocketOptions.parse(options, false);
        notLocal(parsed);
        return connect(List.of(address), port, timeoutMs, parsed);
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
        Args.notNull(address, "address");
        checkTimeout(timeoutMs);
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
            return newSocket(handle, parsed);
        }
        catch (final RuntimeException e)
        {
            lib.gt_close(handle);
            throw e;
        }
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

    private static Socket newSocket(final long handle, final SocketOptions parsed)
    {
        final Socket socket = new Socket(handle);
        Mailbox.current().adopt(socket);
        return socket;
    }

    /** Tries each address in turn until one connects, within one overall time limit. */
    private static Socket connect(final List<InetAddress> addresses, final int port, final long timeoutMs,
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
            final long left = msLeft(timeoutMs, start);
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

    private static Socket connectOne(final InetAddress address, final int port, final long timeoutMs,
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
                return newSocket(handle, parsed); // {fd, Fd} connected elsewhere: ADDRESS is not used
            }
            if (parsed.ip != null || parsed.port > 0)
            {
                final InetAddress local = parsed.ip != null ? parsed.ip : Addresses.any(SocketOptions.familyOf(address));
                if (Addresses.family(local) != family)
                {
                    throw new IllegalArgumentException(parsed.ipFrom + ": " + local.getHostAddress() + " is not of the family of "
                        + address.getHostAddress());
                }
                final long bound = lib.gt_bind(handle, Addresses.high(local), Addresses.low(local),
                    Addresses.portArg(local, Math.max(parsed.port, 0)));
                if (bound < 0)
                {
                    throw Errors.isRoutine(bound) ? Errors.exception(bound) : Errors.failed(bound, "bind",
                        Addresses.text(local, Math.max(parsed.port, 0)) + " to connect to " + Addresses.text(address, port));
                }
            }
            final long high = Addresses.high(address);
            final long low = Addresses.low(address);
            final long portArg = Addresses.portArg(address, port);
            final long rc = Parking.connect(lib, handle, timeoutMs, limit -> lib.gt_connect(handle, high, low, portArg, limit));
            if (rc < 0)
            {
                throw Errors.failed(rc, "connect", address, port);
            }
            return newSocket(handle, parsed);
        }
        catch (final RuntimeException e)
        {
            lib.gt_close(handle); // OTP closes the socket of a connect that failed or timed out
            throw e;
        }
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
        Args.notNull(socket, "socket");
        final int size = Args.notNull(packet, "packet").length;
        if (offset < 0 || length < 0 || offset > size - length)
        {
            throw new IllegalArgumentException("offset/length: " + offset + "+" + length + " is outside a packet of " + size);
        }
        final DirectMemory.Scratch chunk = length <= DirectMemory.CHUNK ? DirectMemory.borrow() : null;
        if (chunk == null)
        {
            sendArray(socket, ByteBuffer.wrap(packet, offset, length));
            return;
        }
        try
        {
            chunk.buffer.put(0, packet, offset, length);
            sendFrom(socket, chunk.address, length, chunk.buffer, 0);
        }
        finally
        {
            Reference.reachabilityFence(chunk);
            chunk.close();
        }
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
        Args.notNull(socket, "socket");
        final int length = Args.notNull(packet, "packet").length();
        final DirectMemory.Scratch chunk = length <= DirectMemory.CHUNK ? DirectMemory.borrow() : null;
        if (chunk == null)
        {
            final byte[] bytes;
            try
            {
                bytes = new byte[length];
            }
            catch (final OutOfMemoryError e)
            {
                throw Errors.exception(Reason.ENOMEM, length + " bytes");
            }
            latin1(packet, bytes);
            sendArray(socket, ByteBuffer.wrap(bytes));
            return;
        }
        try
        {
            final ByteBuffer buffer = chunk.buffer;
            for (int i = 0; i < length; i++)
            {
                buffer.put(i, latin1(packet, i));
            }
            sendFrom(socket, chunk.address, length, buffer, 0);
        }
        finally
        {
            Reference.reachabilityFence(chunk);
            chunk.close();
        }
    }

    /** Character I of TEXT as the byte it stands for: ISO-8859-1, anything above 0xFF refused. */
    private static byte latin1(final String text, final int i)
    {
        final char c = text.charAt(i);
        if (c > 0xff)
        {
            throw new IllegalArgumentException("packet: character " + (int)c + " at index " + i + " is not a byte");
        }
        return (byte)c;
    }

    private static void latin1(final String text, final byte[] dst)
    {
        for (int i = 0; i < dst.length; i++)
        {
            dst[i] = latin1(text, i);
        }
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
        Args.notNull(socket, "socket");
        final int length = Args.notNull(packet, "packet").remaining();
        if (packet.isDirect())
        {
            sendFrom(socket, sentFromAddress(socket, packet) + packet.position(), length, packet, packet.position());
            Reference.reachabilityFence(packet);
        }
        else
        {
            final DirectMemory.Scratch chunk = length <= DirectMemory.CHUNK ? DirectMemory.borrow() : null;
            if (chunk == null)
            {
                sendArray(socket, packet.hasArray() ? packet.slice() : copyOfReadOnly(packet, length));
            }
            else
            {
                try
                {
                    chunk.buffer.put(0, packet, packet.position(), length);
                    sendFrom(socket, chunk.address, length, chunk.buffer, 0);
                }
                finally
                {
                    Reference.reachabilityFence(chunk);
                    chunk.close();
                }
            }
        }
        packet.position(packet.limit());
    }

    /** The address of DIRECT, which SOCKET sends from (remembered for its next send). */
    private static long sentFromAddress(final Socket socket, final ByteBuffer direct)
    {
        final DirectMemory.Known known = DirectMemory.known(socket.sentFrom, direct);
        if (known != socket.sentFrom)
        {
            socket.sentFrom = known;
        }
        return known.address();
    }

    /** The address of DIRECT, which SOCKET receives into (remembered for its next receive). */
    private static long receivedIntoAddress(final Socket socket, final ByteBuffer direct)
    {
        final DirectMemory.Known known = DirectMemory.known(socket.receivedInto, direct);
        if (known != socket.receivedInto)
        {
            socket.receivedInto = known;
        }
        return known.address();
    }

    /*
     * Heap data goes to C through a pooled direct buffer when it fits one (one native call, as
     * from a direct buffer). A bigger packet, or any while every pooled buffer is lent out,
     * goes as the array itself (sendArray), which jffi copies to C memory for the call: the
     * send may wait, so the array must not be pinned. No direct memory either way.
     */

    /**
     * The LENGTH remaining bytes of a read-only heap buffer (which shows jffi no array) in an
     * array of their own; the buffer's position is left as it is. No memory for it is enomem,
     * with nothing sent.
     */
    private static ByteBuffer copyOfReadOnly(final ByteBuffer packet, final int length)
    {
        final byte[] copy;
        try
        {
            copy = new byte[length];
        }
        catch (final OutOfMemoryError e)
        {
            throw Errors.exception(Reason.ENOMEM, length + " bytes");
        }
        packet.get(packet.position(), copy);
        return ByteBuffer.wrap(copy);
    }

    /** Sends the remaining bytes of DATA, a heap buffer backed by an array, as one packet, without direct memory. */
    private static void sendArray(final Socket socket, final ByteBuffer data)
    {
        final int length = data.remaining();
        final long rc;
        try
        {
            rc = Parking.send(Native.lib(), socket.handle, data, length, socket.senders);
        }
        catch (final OutOfMemoryError e)
        {
            // jffi had no memory for its copy: nothing was sent, the stream is intact.
            throw Errors.exception(Reason.ENOMEM, length + " bytes");
        }
        sendResult(socket, rc, length, data, data.position());
    }

    /** Sends LENGTH bytes at ADDRESS, which are also DATA's from OFFSET (read only for {timeout, RestData}). */
    private static void sendFrom(final Socket socket, final long address, final long length, final ByteBuffer data,
        final int offset)
    {
        // a platform thread's send may be a mailbox handler's, gathered with delay_send (Mailbox.send)
        final long rc = Parking.onVirtualThread()
            ? Parking.send(Native.lib(), socket.handle, address, length, socket.senders)
            : Mailbox.send(socket.handle, address, length);
        sendResult(socket, rc, length, data, offset);
    }

    /** The answer RC of gt_send for LENGTH bytes that are also DATA's from OFFSET. */
    private static void sendResult(final Socket socket, final long rc, final long length, final ByteBuffer data,
        final int offset)
    {
        if (rc < 0)
        {
            throw Errors.on("send", socket, rc);
        }
        if (rc > 0)
        {
            throw new GenTcpException(Reason.TIMEOUT, "timeout: " + rc + " bytes not sent", false,
                rest(headerLength(socket), data, offset, (int)length, (int)rc));
        }
    }

    /** The length header of SOCKET's packet type (asked when a send timed out: a cold path). */
    private static int headerLength(final Socket socket)
    {
        final long packet = Native.lib().gt_getopt(socket.handle, Native.OPT_PACKET);
        return packet < 0 ? 0 : SocketOptions.packetType((int)packet).headerLength();
    }

    /** The last UNSENT bytes of the packet as it went out: its length header, then DATA. */
    private static byte[] rest(final int headerLength, final ByteBuffer data, final int offset, final int length,
        final int unsent)
    {
        final byte[] rest = new byte[unsent];
        final int fromHeader = Math.max(0, unsent - length);
        for (int i = 0; i < fromHeader; i++)
        {
            final int index = headerLength - fromHeader + i; // big-endian header byte
            rest[i] = (byte)((long)length >>> (8 * (headerLength - 1 - index)));
        }
        data.get(offset + length - (unsent - fromHeader), rest, fromHeader, unsent - fromHeader);
        return rest;
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
        Args.notNull(socket, "socket");
        checkLength(length);
        checkTimeout(timeoutMs);
        // The hot path: a packet that fits a pooled direct buffer, in one native call. A virtual
        // thread that may park takes none: it would keep it while parked, and a few parked
        // threads would hold the whole pool.
        final DirectMemory.Scratch chunk = length <= DirectMemory.CHUNK && !mayPark(timeoutMs) ? DirectMemory.borrow() : null;
        final long r;
        if (chunk != null)
        {
            try
            {
                r = Parking.recv(Native.lib(), socket.handle, length, timeoutMs, chunk.address, DirectMemory.CHUNK);
                final long n = r & Native.RECV_BYTES_MASK;
                if (r >= 0 && n <= DirectMemory.CHUNK)
                {
                    return received(socket, chunk.buffer, (int)n, form(r), null);
                }
            }
            finally
            {
                Reference.reachabilityFence(chunk);
                chunk.close();
            }
        }
        else
        {
            // No buffer is held while the call waits: it answers the packet's size, untaken.
            r = Parking.recv(Native.lib(), socket.handle, length, timeoutMs, 0, 0);
        }
        return bigPacket(socket, length, timeoutMs, r);
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
        Args.notNull(socket, "socket");
        checkLength(length);
        checkTimeout(timeoutMs);
        return packetBytes(socket, length, timeoutMs, "recvBinary");
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
        Args.notNull(socket, "socket");
        checkLength(length);
        checkTimeout(timeoutMs);
        return new String(packetBytes(socket, length, timeoutMs, "recvList"), StandardCharsets.ISO_8859_1);
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
     * The next packet's bytes for CALL (recvBinary, recvList), by the byte receive: through a
     * pooled buffer when it fits one, else its size first (untaken), then into its own array, as
     * bigPacket does for recv.
     */
    private static byte[] packetBytes(final Socket socket, final int length, final long timeoutMs, final String call)
    {
        final LibGentcp lib = Native.lib();
        long n;
        final DirectMemory.Scratch chunk = length <= DirectMemory.CHUNK && !mayPark(timeoutMs) ? DirectMemory.borrow() : null;
        if (chunk != null)
        {
            try
            {
                n = Parking.recvBytes(lib, socket.handle, length, timeoutMs, chunk.address, DirectMemory.CHUNK);
                if (n >= 0 && n <= DirectMemory.CHUNK)
                {
                    final byte[] bytes = new byte[(int)n];
                    chunk.buffer.get(0, bytes);
                    return bytes;
                }
            }
            finally
            {
                Reference.reachabilityFence(chunk);
                chunk.close();
            }
        }
        else
        {
            n = sizeOfNext(socket, length, timeoutMs);
            if (n == 0)
            {
                return new byte[0]; // an empty packet: the size query took it
            }
        }
        for (;;)
        {
            if (n < 0)
            {
                throw n == -Native.EINVAL ? refusedForHttp(socket, n, call + " on a socket with {packet, %s}: use recvHttp")
                    : Errors.on("recv", socket, n);
            }
            final byte[] bytes = arrayFor(socket, n);
            final long taken = recvHeap(socket, length, ByteBuffer.wrap(bytes), (int)n, 0);
            if (taken >= 0 && taken <= n)
            {
                return taken == n ? bytes : java.util.Arrays.copyOf(bytes, (int)taken);
            }
            // Another thread received the packet meanwhile (a misuse, as in OTP): wait for the
            // next. (A bigger one came instead: its size.)
            if (taken == -Native.ETIMEOUT)
            {
                n = sizeOfNext(socket, length, timeoutMs);
                if (n == 0)
                {
                    return new byte[0];
                }
            }
            else
            {
                n = taken;
            }
        }
    }

    private static final byte[] NO_ROOM = new byte[0];

    /** The size of the next packet, waiting for it, untaken; an empty one is taken (0), or -errno. */
    private static long sizeOfNext(final Socket socket, final int length, final long timeoutMs)
    {
        return recvHeap(socket, length, ByteBuffer.wrap(NO_ROOM), 0, timeoutMs);
    }

    /**
     * For einval RC of a byte receive: an IllegalArgumentException naming {@code socket} when its
     * packet type is an HTTP one (MESSAGE's %s is the type), else the error as any other.
     */
    private static RuntimeException refusedForHttp(final Socket socket, final long rc, final String message)
    {
        final long packet = Native.lib().gt_getopt(socket.handle, Native.OPT_PACKET);
        final PacketType type = packet >= 0 ? SocketOptions.packetType((int)packet) : null;
        return type != null && type.isHttp() ? new IllegalArgumentException("socket: " + String.format(message, type))
            : Errors.on("recv", socket, rc);
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
        checkTimeout(timeoutMs);
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

    /** Whether a receive with TIMEOUT_MS may park this thread (a virtual thread that may wait). */
    private static boolean mayPark(final long timeoutMs)
    {
        return timeoutMs != 0 && Parking.onVirtualThread();
    }

    /** The form (a Native.FORM_*) in which C took the packet that its answer R (>= 0) tells of. */
    private static int form(final long r)
    {
        return (int)(r >>> Native.RECV_FORM_SHIFT);
    }

    /**
     * The packet whose size N a receive answered, too big for a pooled buffer (or the pool was
     * lent out), which C holds complete: taken straight into its own array, without direct
     * memory. The array is pinned for that call, which never waits (time limit 0: the packet is
     * buffered, so it makes no syscall either). An array the heap cannot give (OutOfMemoryError,
     * or a size above Java's array limit) is enomem, and the connection is closed as for
     * emsgsize: the packet cannot be skipped, so the stream's position is lost.
     */
    private static <T> T bigPacket(final Socket socket, final int length, final long timeoutMs, final long answer)
    {
        final LibGentcp lib = Native.lib();
        long r = answer;
        for (;;)
        {
            if (r < 0)
            {
                throw Errors.on("recv", socket, r);
            }
            final long n = r & Native.RECV_BYTES_MASK;
            final byte[] bytes = arrayFor(socket, n);
            final ByteBuffer dst = ByteBuffer.wrap(bytes);
            if (n == 0)
            {
                return received(socket, dst, 0, form(r), bytes); // an empty packet: the size query took it
            }
            final long taken = lib.gt_recv(socket.handle, length, 0, dst, n);
            final long got = taken & Native.RECV_BYTES_MASK;
            if (taken >= 0 && got == n)
            {
                return received(socket, dst, (int)n, form(taken), bytes);
            }
            if (taken >= 0 && got < n)
            {
                return received(socket, dst, (int)got, form(taken), null);
            }
            // Another thread received the packet meanwhile (a misuse, as in OTP); this one waits
            // for the next. (A bigger one came instead: its size.)
            r = taken == -Native.ETIMEOUT ? Parking.recv(lib, socket.handle, length, timeoutMs, 0, 0) : taken;
        }
    }

    /**
     * An array for a packet of N bytes that C holds complete; one the heap cannot give
     * (OutOfMemoryError, or a size above Java's array limit) is enomem, the connection closed.
     */
    private static byte[] arrayFor(final Socket socket, final long n)
    {
        if (n > Native.MAX_PACKET_LENGTH)
        {
            throw abandon(socket, n);
        }
        try
        {
            return new byte[(int)n];
        }
        catch (final OutOfMemoryError e)
        {
            throw abandon(socket, n);
        }
    }

    /** The exception for a packet of N bytes that found no memory; the connection is closed. */
    private static GenTcpException abandon(final Socket socket, final long n)
    {
        final long rc = Native.lib().gt_recv_abandon(socket.handle);
        final Reason reason = rc == -Native.ECLOSED ? Reason.CLOSED : Reason.ENOMEM;
        return Errors.exception(reason, "a packet of " + n + " bytes");
    }

    /**
     * The packet that a receive wrote to the first N bytes of SRC, presented in FORM, which C
     * decided as it took the packet (the socket's options may have changed since: they are not
     * looked at again). BYTES, when not null, is SRC's array of exactly N bytes, which a binary
     * packet then is. Memory for it that cannot be found is enomem, as in bigPacket.
     */
    @SuppressWarnings("unchecked")
    private static <T> T received(final Socket socket, final ByteBuffer src, final int n, final int form,
        final byte[] bytes)
    {
        try
        {
            if (form == Native.FORM_HTTP || form == Native.FORM_HTTP_BIN)
            {
                return (T)HttpTerms.fromRecv(src, n, form == Native.FORM_HTTP_BIN);
            }
            byte[] data = bytes;
            if (data == null)
            {
                data = new byte[n];
                src.get(0, data);
            }
            if (form == Native.FORM_LIST)
            {
                return (T)new String(data, StandardCharsets.ISO_8859_1);
            }
            final int header = form - Native.FORM_BINARY;
            return (T)(header > 0 ? HeaderPacket.of(data, header) : data);
        }
        catch (final OutOfMemoryError e)
        {
            throw abandon(socket, n);
        }
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
        Args.notNull(socket, "socket");
        Args.notNull(dst, "dst");
        checkLength(length);
        checkTimeout(timeoutMs);
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("dst: read-only buffer");
        }
        final int room = dst.remaining();
        if (length > room)
        {
            throw new IllegalArgumentException("dst: " + room + " bytes remaining, length is " + length);
        }
        final LibGentcp lib = Native.lib();
        final long n;
        if (dst.isDirect())
        {
            n = Parking.recvBytes(lib, socket.handle, length, timeoutMs, receivedIntoAddress(socket, dst) + dst.position(),
                room);
            Reference.reachabilityFence(dst);
            if (n >= 0 && n <= room)
            {
                dst.position(dst.position() + (int)n);
            }
        }
        else
        {
            n = recvHeap(socket, length, dst, room, timeoutMs);
        }
        if (n < 0)
        {
            throw refused(socket, n, "dst");
        }
        return n > room ? (int)-n : (int)n;
    }

    /**
     * The exception for RC, an answer of a receive of bytes. C answers einval for an HTTP packet
     * type, which delivers HttpPackets rather than bytes (told at once, or when the type became
     * one while the call waited): that misuse, named after ARGUMENT, is an IllegalArgumentException.
     */
    private static RuntimeException refused(final Socket socket, final long rc, final String argument)
    {
        if (rc == -Native.EINVAL)
        {
            final long packet = Native.lib().gt_getopt(socket.handle, Native.OPT_PACKET);
            final PacketType type = packet >= 0 ? SocketOptions.packetType((int)packet) : null;
            if (type != null && type.isHttp())
            {
                return new IllegalArgumentException(argument + ": a {packet, " + type
                    + "} socket delivers HttpPackets: use recv(socket, 0)");
            }
        }
        return Errors.on("recv", socket, rc);
    }

    /**
     * recv into a heap buffer DST with ROOM bytes remaining: what gt_recv_bytes answers, its position
     * advanced past what was received. Through a pooled buffer when ROOM fits one; else a size
     * query, then the packet straight into DST's array (pinned for a call that never waits).
     */
    private static long recvHeap(final Socket socket, final int length, final ByteBuffer dst, final int room,
        final long timeoutMs)
    {
        final LibGentcp lib = Native.lib();
        // (No room: a buffer all the same, so that the call answers as for a direct one.)
        final DirectMemory.Scratch chunk = room == 0 ? DirectMemory.scratch(0)
            : room <= DirectMemory.CHUNK && !mayPark(timeoutMs) ? DirectMemory.borrow() : null;
        if (chunk != null)
        {
            try
            {
                final long n = Parking.recvBytes(lib, socket.handle, length, timeoutMs, chunk.address, room);
                if (n >= 0 && n <= room)
                {
                    dst.put(dst.position(), chunk.buffer, 0, (int)n);
                    dst.position(dst.position() + (int)n);
                }
                return n;
            }
            finally
            {
                Reference.reachabilityFence(chunk);
                chunk.close();
            }
        }
        long n = Parking.recvBytes(lib, socket.handle, length, timeoutMs, 0, 0);
        while (n > 0 && n <= room) // (0: an empty packet, which the size query took)
        {
            final long taken = lib.gt_recv_bytes(socket.handle, length, 0, dst.slice(), room);
            if (taken >= 0 && taken <= room)
            {
                dst.position(dst.position() + (int)taken);
                return taken;
            }
            // As in bigPacket: another thread took it; wait for the next.
            n = taken == -Native.ETIMEOUT ? Parking.recvBytes(lib, socket.handle, length, timeoutMs, 0, 0) : taken;
        }
        return n;
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
        Args.notNull(socket, "socket");
        Args.notNull(dst, "dst");
        checkTimeout(timeoutMs);
        if (maxPackets < 1)
        {
            throw new IllegalArgumentException("maxPackets: must be >= 1, was " + maxPackets);
        }
        if (!dst.isDirect() || dst.isReadOnly())
        {
            throw new IllegalArgumentException("dst: must be a writable direct buffer");
        }
        final int room = dst.remaining();
        if (room < 5)
        {
            throw new IllegalArgumentException("dst: needs at least 5 bytes remaining, has " + room);
        }
        final long n = Parking.recvBatch(Native.lib(), socket.handle, timeoutMs,
            receivedIntoAddress(socket, dst) + dst.position(), room, maxPackets);
        Reference.reachabilityFence(dst);
        if (n < 0)
        {
            throw refused(socket, n, "socket");
        }
        if (n > room)
        {
            return (int)-n;
        }
        dst.position(dst.position() + (int)n);
        return (int)n;
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
            final int rc = lib.gt_controlling_process(socket.handle, from == null ? 0 : from.handle, newOwner.handle, 0);
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
        Parking.close(Native.lib(), socket.handle);
    }

    // ---------------------------------------------------------------- argument checks

    private static void notLocal(final SocketOptions parsed)
    {
        if (parsed.family == Option.Family.LOCAL)
        {
            throw new IllegalArgumentException("local: connect a local socket with a LocalAddress");
        }
    }

    static void checkPort(final int port)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port: must be 0..65535, was " + port);
        }
    }

    static long checkTimeout(final long timeoutMs)
    {
        if (timeoutMs < -1)
        {
            throw new IllegalArgumentException("timeout: must be >= 0 ms (or -1 for infinity), was " + timeoutMs);
        }
        return timeoutMs;
    }

    /**
     * What is left of a limit of TIMEOUT_MS (-1: infinity, which stays -1) that started at
     * START_NANOS ({@link System#nanoTime()}), in whole ms (the elapsed time rounded down, so
     * a wait never ends early). Only subtractions: no limit up to {@code Long.MAX_VALUE}
     * overflows, as {@code timeoutMs * 1_000_000} would from about 9.2e12 ms.
     */
    static long msLeft(final long timeoutMs, final long startNanos)
    {
        if (timeoutMs < 0)
        {
            return -1;
        }
        return Math.max(0, timeoutMs - (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static void checkLength(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length: must be >= 0, was " + length);
        }
    }
}
