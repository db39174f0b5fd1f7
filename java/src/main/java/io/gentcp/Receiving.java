package io.gentcp;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.LibGentcp;
import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * {@link GenTcp#recv}'s path, for every form: a packet that fits a pooled direct buffer taken
 * in one native call (allocating only the result, nothing for a direct destination); a bigger
 * one asked its size first and taken into its own array; the form C took it in (bytes, text,
 * {@code {header, N}}, HTTP) made into Java's value; a packet that finds no memory ends the
 * connection as {@code enomem}; and C's refusal of a byte receive on an HTTP packet type told
 * as the misuse it is.
 */
final class Receiving
{
    /** What a byte receive on an HTTP packet type (%s) is told. */
    private static final String DELIVERS_HTTP = "a {packet, %s} socket delivers HttpPackets: use recv(socket, 0)";
    private static final byte[] NO_ROOM = new byte[0];

    private Receiving()
    {
    }

    /** {@link GenTcp#recv(Socket, int, long)}. */
    static <T> T recv(final Socket socket, final int length, final long timeoutMs)
    {
        Args.notNull(socket, "socket");
        Args.checkLength(length);
        Timeouts.checkTimeout(timeoutMs);
        // The hot path: a packet that fits a pooled direct buffer, in one native call. A virtual
        // thread that may park takes none: it would keep it while parked, and a few parked
        // threads would hold the whole pool.
        final DirectMemory.Scratch chunk =
            length <= DirectMemory.CHUNK && !mayPark(timeoutMs) ? DirectMemory.borrow() : null;
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

    /** {@link GenTcp#recvBinary(Socket, int, long)}. */
    static byte[] recvBinary(final Socket socket, final int length, final long timeoutMs)
    {
        Args.notNull(socket, "socket");
        Args.checkLength(length);
        Timeouts.checkTimeout(timeoutMs);
        return packetBytes(socket, length, timeoutMs, "recvBinary");
    }

    /** {@link GenTcp#recvList(Socket, int, long)}. */
    static String recvList(final Socket socket, final int length, final long timeoutMs)
    {
        Args.notNull(socket, "socket");
        Args.checkLength(length);
        Timeouts.checkTimeout(timeoutMs);
        return new String(packetBytes(socket, length, timeoutMs, "recvList"), StandardCharsets.ISO_8859_1);
    }

    /** {@link GenTcp#recv(Socket, int, ByteBuffer, long)}. */
    static int recv(final Socket socket, final int length, final ByteBuffer dst, final long timeoutMs)
    {
        Args.notNull(socket, "socket");
        Args.notNull(dst, "dst");
        Args.checkLength(length);
        Timeouts.checkTimeout(timeoutMs);
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
            final long address = receivedIntoAddress(socket, dst) + dst.position();
            n = Parking.recvBytes(lib, socket.handle, length, timeoutMs, address, room);
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
            throw refused(socket, n, "dst", DELIVERS_HTTP);
        }
        return n > room ? (int)-n : (int)n;
    }

    /** {@link GenTcp#recvBatch}. */
    static int recvBatch(final Socket socket, final ByteBuffer dst, final int maxPackets, final long timeoutMs)
    {
        Args.notNull(socket, "socket");
        Args.notNull(dst, "dst");
        Timeouts.checkTimeout(timeoutMs);
        if (maxPackets < 1)
        {
            throw new IllegalArgumentException("maxPackets: must be >= 1, was " + maxPackets);
        }
        if (!dst.isDirect() || dst.isReadOnly())
        {
            throw new IllegalArgumentException("dst: must be a writable direct buffer");
        }
        final int room = dst.remaining();
        if (room <= Native.BATCH_LENGTH_BYTES)
        {
            throw new IllegalArgumentException(
                "dst: needs at least " + (Native.BATCH_LENGTH_BYTES + 1) + " bytes remaining, has " + room);
        }
        final long n = Parking.recvBatch(Native.lib(), socket.handle, timeoutMs,
            receivedIntoAddress(socket, dst) + dst.position(), room, maxPackets);
        Reference.reachabilityFence(dst);
        if (n < 0)
        {
            throw refused(socket, n, "socket", DELIVERS_HTTP);
        }
        if (n > room)
        {
            return (int)-n;
        }
        dst.position(dst.position() + (int)n);
        return (int)n;
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

    /**
     * The next packet's bytes for CALL (recvBinary, recvList), by the byte receive: through a
     * pooled buffer when it fits one, else its size first (untaken), then into its own array, as
     * bigPacket does for recv.
     */
    private static byte[] packetBytes(final Socket socket, final int length, final long timeoutMs, final String call)
    {
        final LibGentcp lib = Native.lib();
        long n;
        final DirectMemory.Scratch chunk =
            length <= DirectMemory.CHUNK && !mayPark(timeoutMs) ? DirectMemory.borrow() : null;
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
                throw refused(socket, n, "socket", call + " on a socket with {packet, %s}: use recvHttp");
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

    /** The size of the next packet, waiting for it, untaken; an empty one is taken (0), or -errno. */
    private static long sizeOfNext(final Socket socket, final int length, final long timeoutMs)
    {
        return recvHeap(socket, length, ByteBuffer.wrap(NO_ROOM), 0, timeoutMs);
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
                throw failed(socket, r);
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
     * The exception for RC, an answer of a receive of bytes. C answers einval for an HTTP packet
     * type, which delivers HttpPackets rather than bytes (told at once, or when the type became
     * one while the call waited): that misuse is an IllegalArgumentException naming ARGUMENT,
     * MISUSE its message with the packet type for its %s.
     */
    private static RuntimeException refused(final Socket socket, final long rc, final String argument,
        final String misuse)
    {
        if (rc == -Native.EINVAL)
        {
            final long packet = Native.lib().gt_getopt(socket.handle, Native.OPT_PACKET);
            final PacketType type = packet >= 0 ? SocketOptions.packetType((int)packet) : null;
            if (type != null && type.isHttp())
            {
                return new IllegalArgumentException(argument + ": " + String.format(misuse, type));
            }
        }
        return failed(socket, rc);
    }

    /**
     * The exception for recv's answer RC (< 0). A closed there is the peer's close when C
     * still has the socket: JFR's io.gentcp.Close records it, once, when enabled.
     */
    private static GenTcpException failed(final Socket socket, final long rc)
    {
        if (Jfr.PRESENT && rc == -Native.ECLOSED)
        {
            GenTcpCloseEvent.byPeerToRecv(socket); // JFR, when enabled
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
}
