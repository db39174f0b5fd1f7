package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** inet:getstat counters. */
@Timeout(60)
class GetstatTest
{
    @Test
    void countsPacketsAndBytesBothWays()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            GenTcp.send(p.client, new byte[10]);
            GenTcp.send(p.client, new byte[20]);
            GenTcp.send(p.client, new byte[30]);
            for (int i = 0; i < 3; i++)
            {
                GenTcp.recv(p.server, 0, 5_000);
            }
            final SocketStats sent = Inet.getstat(p.client);
            assertEquals(3, sent.sendCnt());
            assertEquals(3 * 4 + 60, sent.sendOct());
            assertEquals(34, sent.sendMax());
            final SocketStats received = Inet.getstat(p.server);
            assertEquals(3, received.recvCnt());
            assertEquals(72, received.recvOct());
            assertEquals(34, received.recvMax());
            assertEquals(0, received.sendCnt());
            assertEquals(true, received.recvAvg() > 10 && received.recvAvg() <= 34, "avg " + received.recvAvg());
            GenTcp.close(p.client);
            assertReason(Reason.EINVAL, () -> Inet.getstat(p.client));
        }
    }
}
