package io.gentcp;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * {@link GenTcp#send}'s path: a packet's bytes to C in one native call, and C's answer as
 * Java's. A direct buffer goes in place. Heap data goes through a pooled direct buffer when it
 * fits one; a bigger packet, or any while every pooled buffer is lent out, goes as the array
 * itself, which jffi copies to C memory for the call (the send may wait, so the array must not
 * be pinned). No direct memory is allocated either way, and the pooled path allocates nothing.
 * A timed-out send of the socket backend becomes {@code {timeout, RestData}}: the unsent header
 * bytes asked of C (which put them on the wire), the rest from the caller's data.
 */
final class Sending
{
    private Sending()
    {
    }

    /** {@link GenTcp#send(Socket, byte[], int, int)}. */
    static void send(final Socket socket, final byte[] packet, final int offset, final int length)
    {
        Args.notNull(socket, "socket");
        final int size = Args.notNull(packet, "packet").length;
        if (offset < 0 || length < 0 || offset > size - length)
        {
            throw new IllegalArgumentException("offset/length: " + offset + "+" + length + " is outside a packet of " +
                size);
        }
        final DirectMemory.Scratch chunk = pooled(length);
        if (chunk != null)
        {
            sendThrough(chunk, socket, packet, offset, length);
        }
        else
        {
            sendArray(socket, ByteBuffer.wrap(packet, offset, length));
        }
    }

    /** {@link GenTcp#send(Socket, String)}. */
    static void send(final Socket socket, final String packet)
    {
        Args.notNull(socket, "socket");
        final int length = Args.notNull(packet, "packet").length();
        final DirectMemory.Scratch chunk = pooled(length);
        if (chunk != null)
        {
            sendThrough(chunk, socket, packet, 0, length);
        }
        else
        {
            final ByteBuffer bytes = ByteBuffer.wrap(newArray(length));
            latin1(packet, bytes);
            sendArray(socket, bytes);
        }
    }

    /** {@link GenTcp#send(Socket, ByteBuffer)}. */
    static void send(final Socket socket, final ByteBuffer packet)
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
            final DirectMemory.Scratch chunk = pooled(length);
            if (chunk != null)
            {
                sendThrough(chunk, socket, packet, packet.position(), length);
            }
            else
            {
                sendArray(socket, packet.hasArray() ? packet.slice() : copyOfReadOnly(packet, length));
            }
        }
        packet.position(packet.limit());
    }

    /** A pooled direct buffer for heap data of LENGTH bytes, or null when it does not fit one or none is free. */
    private static DirectMemory.Scratch pooled(final int length)
    {
        return length <= DirectMemory.CHUNK ? DirectMemory.borrow() : null;
    }

    /**
     * Sends LENGTH bytes of heap DATA from OFFSET (a byte[], a heap ByteBuffer, or a String of
     * one-byte characters) through CHUNK, a pooled direct buffer, which is given back after.
     */
    private static void sendThrough(final DirectMemory.Scratch chunk, final Socket socket, final Object data,
        final int offset, final int length)
    {
        try
        {
            final ByteBuffer buffer = chunk.buffer;
            if (data instanceof byte[] bytes)
            {
                buffer.put(0, bytes, offset, length);
            }
            else if (data instanceof ByteBuffer heap)
            {
                buffer.put(0, heap, offset, length);
            }
            else
            {
                latin1((String)data, buffer);
            }
            sendFrom(socket, chunk.address, length, buffer, 0);
        }
        finally
        {
            Reference.reachabilityFence(chunk);
            chunk.close();
        }
    }

    /**
     * TEXT's characters to DST from index 0, each as the byte it stands for: ISO-8859-1, a
     * character above 0xFF refused, as in Erlang.
     */
    private static void latin1(final String text, final ByteBuffer dst)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c > 0xff)
            {
                throw new IllegalArgumentException("packet: character " + (int)c + " at index " + i + " is not a byte");
            }
            dst.put(i, (byte)c);
        }
    }

    /** An array of LENGTH bytes for a packet; no memory for it is enomem, with nothing sent. */
    private static byte[] newArray(final int length)
    {
        try
        {
            return new byte[length];
        }
        catch (final OutOfMemoryError e)
        {
            throw Errors.exception(Reason.ENOMEM, length + " bytes");
        }
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

    /**
     * The LENGTH remaining bytes of a read-only heap buffer (which shows jffi no array) in an
     * array of their own; the buffer's position is left as it is.
     */
    private static ByteBuffer copyOfReadOnly(final ByteBuffer packet, final int length)
    {
        final byte[] copy = newArray(length);
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
            rc = Jfr.PRESENT && GenTcpSendBlockedEvent.TYPE.isEnabled() ? watched(socket, 0, data, length)
                : Parking.send(Native.lib(), socket.handle, data, length, socket.senders);
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
        final long rc = Jfr.PRESENT && GenTcpSendBlockedEvent.TYPE.isEnabled() ? watched(socket, address, null, length)
            : sendAt(socket, address, length);
        sendResult(socket, rc, length, data, offset);
    }

    /** gt_send of LENGTH bytes at ADDRESS: its answer. */
    private static long sendAt(final Socket socket, final long address, final long length)
    {
        // a platform thread's send may be a mailbox handler's, gathered with delay_send (Mailbox.send)
        return Parking.onVirtualThread() ? Parking.send(Native.lib(), socket.handle, address, length, socket.senders)
            : Mailbox.send(socket.handle, address, length);
    }

    /**
     * The send of LENGTH bytes at ADDRESS, or of HEAP's when it is not null, while JFR's
     * io.gentcp.SendBlocked is enabled: C's counts of the waits for the low watermark read
     * before and after it, an event committed when it waited. Its answer.
     */
    private static long watched(final Socket socket, final long address, final ByteBuffer heap, final long length)
    {
        final GenTcpSendBlockedEvent event = GenTcpSendBlockedEvent.before(socket);
        final long rc = heap == null ? sendAt(socket, address, length)
            : Parking.send(Native.lib(), socket.handle, heap, length, socket.senders);
        event.after(socket, rc);
        return rc;
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
                rest(socket, data, offset, (int)length, (int)rc));
        }
    }

    /**
     * The last UNSENT bytes of the packet of LENGTH bytes (DATA's from OFFSET) as it went out:
     * the unsent part of its length header, which C put on the wire and gives back, then DATA's.
     */
    private static byte[] rest(final Socket socket, final ByteBuffer data, final int offset, final int length,
        final int unsent)
    {
        final byte[] rest = new byte[unsent];
        final long fromHeader = Native.lib().gt_send_rest_header(socket.handle, length, unsent, ByteBuffer.wrap(rest),
            unsent);
        if (fromHeader < 0)
        {
            throw Errors.on("send", socket, fromHeader);
        }
        final int fromData = unsent - (int)fromHeader;
        data.get(offset + length - fromData, rest, (int)fromHeader, fromData);
        return rest;
    }
}
