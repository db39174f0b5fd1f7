package io.gentcp;

import io.gentcp.internal.Native;
import java.nio.ByteBuffer;

/**
 * Reads the header of a message that {@code gt_mailbox_receive} wrote, the one place in Java
 * that knows its layout: the header's size, its fields' offsets and the payload's padding are
 * all asked of C at start-up ({@code GT_MSG_*} in gentcp.h). The buffer is in the machine's
 * byte order. Static methods on the position, so that reading a message allocates nothing.
 */
final class MessageHeader
{
    static final int SIZE = Native.MSG_HEADER;
    private static final int KIND = Native.MSG_KIND_OFF;
    private static final int REASON = Native.MSG_REASON_OFF;
    private static final int HANDLE = Native.MSG_HANDLE_OFF;
    private static final int LENGTH = Native.MSG_LENGTH_OFF;
    private static final int ALIGN_MASK = Native.MSG_ALIGN - 1;

    private MessageHeader()
    {
    }

    /** The message's kind, a {@code Native.MSG_*}. */
    static int kind(final ByteBuffer b, final int pos)
    {
        return b.getInt(pos + KIND);
    }

    /** Its reason: the packet's form for MSG_TCP, the code for MSG_TCP_ERROR, MSG_HTTP_BIN or 0 for MSG_HTTP. */
    static int reason(final ByteBuffer b, final int pos)
    {
        return b.getInt(pos + REASON);
    }

    /** The socket's handle; for MSG_HELD the address of C's block. */
    static long handle(final ByteBuffer b, final int pos)
    {
        return b.getLong(pos + HANDLE);
    }

    /** The payload's bytes, without padding (for MSG_HELD the block's). */
    static long length(final ByteBuffer b, final int pos)
    {
        return b.getLong(pos + LENGTH);
    }

    /** Where the payload of the message at POS begins. */
    static int payload(final int pos)
    {
        return pos + SIZE;
    }

    /** Where the message after the one at POS, with a payload of LENGTH bytes, begins. */
    static int next(final int pos, final int length)
    {
        return pos + SIZE + ((length + ALIGN_MASK) & ~ALIGN_MASK);
    }
}
