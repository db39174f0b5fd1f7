package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {raw, Protocol, OptionNum, Value}: SO_KEEPALIVE (SOL_SOCKET 1, option 9 on Linux) set raw, read raw and by name. */
@Timeout(60)
class RawOptionTest
{
    private static final int SOL_SOCKET = 1;
    private static final int SO_KEEPALIVE = 9;
    /** Linux's SO_TIMESTAMPING (asm-generic), which would fill the error queue gentcp never reads. */
    private static final int SO_TIMESTAMPING = 37;

    private static byte[] nativeInt(final int v)
    {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    @Test
    void setRawReadBackRawAndByName()
    {
        try (Pair p = Pair.of())
        {
            Inet.setopts(p.client, raw(SOL_SOCKET, SO_KEEPALIVE, nativeInt(1)));
            assertArrayEquals(nativeInt(1), Inet.getoptRaw(p.client, SOL_SOCKET, SO_KEEPALIVE, 4));
            assertEquals(Option.keepalive(true), Inet.getopt(p.client, OptionName.KEEPALIVE));
            // the kernel's refusal is the call's result (a 1-byte int is too short)
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.client, raw(SOL_SOCKET, SO_KEEPALIVE, new byte[1])));
            assertReason(Reason.ENOPROTOOPT, () -> Inet.getoptRaw(p.client, SOL_SOCKET, 9999, 4));
        }
        assertThrows(IllegalArgumentException.class, () -> raw(-1, 1, new byte[4]));
        assertEquals("{raw,1,9,<<1,0,0,0>>}", raw(1, 9, new byte[] {1, 0, 0, 0}).toString());
    }

    @Test
    void anOptionThatWouldFillTheErrorQueueIsRefused()
    {
        try (Pair p = Pair.of(Option.binary()))
        {
            assertReason(Reason.ENOTSUP, () -> Inet.setopts(p.client, raw(SOL_SOCKET, SO_TIMESTAMPING, nativeInt(1))));
            Pair.assertConnected(p.client, p.server); // and the socket goes on as before
        }
    }
}
