package io.gentcp;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;

/**
 * {@code erlang:decode_packet/3}: the framing of the sockets, applied to bytes you hold. It is
 * the same C code that frames socket data, so the two always agree.
 */
public final class Packet
{
    private Packet()
    {
    }

    /**
     * Decodes one packet of TYPE from the start of BYTES. OPTIONS may be
     * {@link Option#packetSize}, {@link Option#lineLength} and, with {@link PacketType#LINE}
     * only, {@link Option#lineDelimiter}; anything else is a bad argument, as in Erlang.
     *
     * @param type the packet type
     * @param bytes the bytes to decode
     * @param options the limits that apply
     * @return what Erlang's {@code decode_packet} returns
     */
    public static Decoded decode(final PacketType type, final byte[] bytes, final Option... options)
    {
        Args.notNull(type, "type");
        Args.notNull(bytes, "bytes");
        Args.notNull(options, "options");
        long packetSize = 0;
        long lineLength = 0;
        int delimiter = '\n';
        for (final Option option : options)
        {
            switch (Args.notNull(option, "options").name())
            {
                case PACKET_SIZE -> packetSize = (Long)option.value();
                case LINE_LENGTH -> lineLength = (Long)option.value();
                case LINE_DELIMITER ->
                {
                    if (type != PacketType.LINE)
                    {
                        throw new IllegalArgumentException("line_delimiter: only with packet type line, not " + type);
                    }
                    delimiter = (Integer)option.value();
                }
                default -> throw new IllegalArgumentException("options: " + option + " is not a decode_packet option");
            }
        }
        // The IO block and the bytes share one buffer: [IO block][bytes].
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(HttpTerms.IO_BYTES + bytes.length))
        {
            final ByteBuffer io = scratch.buffer.duplicate().order(ByteOrder.nativeOrder());
            io.putLong(slot(Native.DECODE_TYPE), SocketOptions.packetCode(type));
            io.putLong(slot(Native.DECODE_PACKET_SIZE), packetSize);
            io.putLong(slot(Native.DECODE_LINE_LENGTH), lineLength);
            io.putLong(slot(Native.DECODE_DELIMITER), delimiter);
            io.put(HttpTerms.IO_BYTES, bytes);
            final long rc = Native.lib().gt_decode(scratch.address, scratch.address + HttpTerms.IO_BYTES, bytes.length);
            Reference.reachabilityFence(scratch);
            if (rc < 0)
            {
                throw new IllegalArgumentException("type: libgentcp refused packet type " + type);
            }
            if (rc == Native.DECODE_MORE)
            {
                return new Decoded.More(io.getLong(slot(Native.DECODE_TOTAL)));
            }
            if (rc != Native.DECODE_OK)
            {
                return new Decoded.Invalid();
            }
            final int total = (int)io.getLong(slot(Native.DECODE_TOTAL));
            final byte[] rest = Arrays.copyOfRange(bytes, total, bytes.length);
            if (type.isHttp())
            {
                return new Decoded.Ok(HttpTerms.read(io, bytes, 0,
                    type == PacketType.HTTP_BIN || type == PacketType.HTTPH_BIN), rest);
            }
            final int off = (int)io.getLong(slot(Native.DECODE_BODY_OFF));
            final int len = (int)io.getLong(slot(Native.DECODE_BODY_LEN));
            return new Decoded.Ok(Arrays.copyOfRange(bytes, off, off + len), rest);
        }
    }

    /** Where slot INDEX of an IO block is: the slots are gentcp.h's int64 values, from its start. */
    static int slot(final int index)
    {
        return index * Long.BYTES;
    }

    /** Text of the packet as the type wants it: a byte[] for the _bin types, else a String. */
    static Object text(final byte[] packet, final int base, final long off, final long len, final boolean binary)
    {
        final int from = base + (int)off;
        return binary ? Arrays.copyOfRange(packet, from, from + (int)len)
            : new String(packet, from, (int)len, StandardCharsets.ISO_8859_1);
    }
}
