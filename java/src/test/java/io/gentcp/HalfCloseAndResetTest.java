package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.exitOnClose;
import static io.gentcp.Option.showEconnreset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** exit_on_close and show_econnreset (reference 2.3, tests 50, 59, 60). */
@Timeout(60)
class HalfCloseAndResetTest
{
    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    /** A peer that resets the connection: java.net with SO_LINGER 0, test-only. */
    private static void resetFrom(final int port, final byte[] first) throws Exception
    {
        try (java.net.Socket peer = new java.net.Socket())
        {
            peer.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            peer.getOutputStream().write(first);
            peer.setSoLinger(true, 0);
        }
    }

    @Test
    void halfCloseAnswersClosedEveryTimeAndSendsGoOn()
    {
        try (Pair p = Pair.of(binary(), exitOnClose(false)))
        {
            GenTcp.send(p.client, "last words");
            GenTcp.shutdown(p.client, GenTcp.How.WRITE);
            assertArrayEquals("last words".getBytes(), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000)); // not enotconn
            GenTcp.send(p.server, "still talking");
            assertArrayEquals("still talking".getBytes(), GenTcp.recv(p.client, 0, 5_000));
            assertEquals(exitOnClose(false), Inet.getopt(p.server, OptionName.EXIT_ON_CLOSE));
        }
    }

    @Test
    void halfCloseInActiveModeStaysActiveAndCanSend()
    {
        try (Pair p = Pair.of(binary(), exitOnClose(false)))
        {
            Inet.setopts(p.server, active(true));
            GenTcp.shutdown(p.client, GenTcp.How.WRITE);
            assertEquals(new TcpClosed(p.server), Mailbox.current().receive(5_000));
            assertEquals(active(true), Inet.getopt(p.server, OptionName.ACTIVE));
            GenTcp.send(p.server, "after tcp_closed");
            assertArrayEquals("after tcp_closed".getBytes(), GenTcp.recv(p.client, 0, 5_000));
            assertReason(Reason.TIMEOUT, () -> Mailbox.current().receive(50));
        }
    }

    @Test
    void aResetLooksLikeACloseUnlessShowEconnreset() throws Exception
    {
        for (final boolean show : new boolean[] {false, true})
        {
            final ListenSocket l = GenTcp.listen(0, binary(), active(false), showEconnreset(show));
            try
            {
                resetFrom(Inet.port(l), "data".getBytes());
                final Socket s = GenTcp.accept(l, 5_000);
                assertEquals(showEconnreset(show), Inet.getopt(s, OptionName.SHOW_ECONNRESET)); // inherited
                // the reset may discard the data: read until the error
                Reason first = null;
                for (int i = 0; i < 3 && first == null; i++)
                {
                    try
                    {
                        GenTcp.recv(s, 0, 5_000);
                    }
                    catch (final GenTcpException e)
                    {
                        first = e.reason();
                    }
                }
                assertEquals(show ? Reason.ECONNRESET : Reason.CLOSED, first);
                assertReason(Reason.ENOTCONN, () -> GenTcp.recv(s, 0, 5_000));
                GenTcp.close(s);
            }
            finally
            {
                GenTcp.close(l);
            }
        }
    }

    @Test
    void anActiveSocketSeesTcpErrorEconnresetThenTcpClosed() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false), showEconnreset(true));
        try
        {
            resetFrom(Inet.port(l), new byte[0]);
            final Socket s = GenTcp.accept(l, 5_000);
            Inet.setopts(s, active(true));
            assertEquals(new TcpError(s, Reason.ECONNRESET), Mailbox.current().receive(5_000));
            assertEquals(new TcpClosed(s), Mailbox.current().receive(5_000));
        }
        finally
        {
            GenTcp.close(l);
        }
    }
}
