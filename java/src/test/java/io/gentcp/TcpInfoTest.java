package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inet.tcpInfo: the kernel's TCP_INFO of a loopback connection, and its errors. */
@Timeout(60)
class TcpInfoTest
{
    private static final int SENT = 3000;
    private static final int REPLIED = 1000;

    @Test
    void anExchangeShowsInTheCountsAndTimes()
    {
        try (Pair p = Pair.of(binary()))
        {
            assertEquals(Optional.of(TcpInfo.State.ESTABLISHED), Inet.tcpInfo(p.client).state());
            assertEquals(Optional.of(TcpInfo.State.LISTEN), Inet.tcpInfo(p.listen).state());
            GenTcp.send(p.client, new byte[SENT]);
            assertEquals(SENT, ((byte[])GenTcp.recv(p.server, SENT, 5_000)).length);
            GenTcp.send(p.server, new byte[REPLIED]);
            // the reply carries the server's ACK of what the client sent: once the client has
            // read it, its kernel counts all of it as acknowledged
            assertEquals(REPLIED, ((byte[])GenTcp.recv(p.client, REPLIED, 5_000)).length);
            final TcpInfo client = Inet.tcpInfo(p.client);
            assertEquals(Optional.of(TcpInfo.State.ESTABLISHED), client.state());
            assertTrue(client.bytesAcked().orElseThrow() >= SENT, client.toString());
            assertTrue(client.bytesReceived().orElseThrow() >= REPLIED, client.toString());
            assertTrue(client.rtt().orElseThrow() > 0, client.toString());
            assertTrue(client.sndCwnd().orElseThrow() > 0, client.toString());
            assertTrue(client.rttvar().isPresent() && client.totalRetrans().isPresent(), client.toString());
            final TcpInfo server = Inet.tcpInfo(p.server);
            assertTrue(server.bytesReceived().orElseThrow() >= SENT, server.toString());
            assertTrue(server.bytesAcked().orElseThrow() >= 0, server.toString());
        }
    }

    @Test
    void thePeersCloseLeavesCloseWait()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.close(p.client);
            // the server's recv has met the client's FIN: the kernel has moved to CLOSE_WAIT
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
            assertEquals(Optional.of(TcpInfo.State.CLOSE_WAIT), Inet.tcpInfo(p.server).state());
            assertReason(Reason.EINVAL, () -> Inet.tcpInfo(p.client));
        }
    }

    @Test
    void badArgumentsAndLocalSockets()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inet.tcpInfo(null));
        assertTrue(e.getMessage().contains("socket"), e.getMessage());
        final ListenSocket l = GenTcp.listen(0, Option.local(), active(false));
        try
        {
            assertReason(Reason.EAFNOSUPPORT, () -> Inet.tcpInfo(l));
        }
        finally
        {
            GenTcp.close(l);
        }
        assertReason(Reason.EINVAL, () -> Inet.tcpInfo(l));
    }
}
