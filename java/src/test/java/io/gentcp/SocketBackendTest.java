package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.inetBackend;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.recbuf;
import static io.gentcp.Option.sendTimeout;
import static io.gentcp.Option.sndbuf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {inet_backend, socket}: the manual's differences in send, shutdown and peer loss (reference 2.7). */
@Timeout(60)
class SocketBackendTest
{
    private static final long LONG_MS = 10_000;

    private static Pair socketPair(final Option... more)
    {
        final Option[] all = new Option[more.length + 5];
        all[0] = inetBackend(Option.Backend.SOCKET);
        all[1] = binary();
        all[2] = active(false);
        all[3] = sndbuf(4096);
        all[4] = recbuf(4096);
        System.arraycopy(more, 0, all, 5, more.length);
        final ListenSocket l = GenTcp.listen(0, all);
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, all);
        final Socket s = GenTcp.accept(l, 5_000);
        return Pair.of(l, c, s);
    }

    /** Sends 64 KiB at a time until a send fails (the peer is gone), at most 1,000 times. */
    private static GenTcpException sendUntilItFails(final Socket socket)
    {
        for (int i = 0; i < 1000; i++)
        {
            try
            {
                GenTcp.send(socket, new byte[65536]);
            }
            catch (final GenTcpException e)
            {
                return e;
            }
        }
        throw new AssertionError("1,000 sends to a closed peer all succeeded");
    }

    @Test
    void onlyAsTheFirstOptionOfConnectOrListen()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GenTcp.listen(0, binary(), inetBackend(Option.Backend.SOCKET)));
        assertTrue(e.getMessage().startsWith("inet_backend:"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> GenTcp.connect("127.0.0.1", 1, 1_000, active(false), inetBackend(Option.Backend.INET)));
        try (Pair p = Pair.of())
        {
            // like every creation option in setopts
            assertReason(Reason.EINVAL, () -> Inet.setopts(p.client, inetBackend(Option.Backend.SOCKET)));
        }
        GenTcp.close(GenTcp.listen(0, inetBackend(Option.Backend.INET), binary())); // first: fine
    }

    @Test
    void sendBlocksUntilSentAndATimeoutCarriesTheUnsentBytes()
    {
        try (Pair p = socketPair(packet(4), sendTimeout(300)))
        {
            final byte[] data = new byte[4 << 20];
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (byte)(i * 31 + (i >> 9));
            }
            final long t0 = System.nanoTime();
            final GenTcpException e = assertThrows(GenTcpException.class, () -> GenTcp.send(p.client, data));
            final long took = System.nanoTime() - t0;
            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(250), "took " + took);
            final byte[] rest = e.rest();
            assertTrue(rest.length > 0 && rest.length < data.length, "rest " + rest.length);
            assertArrayEquals(Arrays.copyOfRange(data, data.length - rest.length, data.length), rest);
            assertEquals(0, Inet.getstat(p.client).sendPend()); // no queue in this backend
            // What was sent plus RestData is the whole packet: the peer's raw bytes are the prefix.
            Inet.setopts(p.server, packet(0));
            final ByteArrayOutputStream got = new ByteArrayOutputStream();
            final int sent = 4 + data.length - rest.length;
            while (got.size() < sent)
            {
                got.writeBytes(GenTcp.<byte[]>recv(p.server, 0, LONG_MS));
            }
            final byte[] wire = got.toByteArray();
            assertEquals(sent, wire.length);
            assertArrayEquals(new byte[] {0, 0x40, 0, 0}, Arrays.copyOf(wire, 4));
            assertArrayEquals(Arrays.copyOf(data, sent - 4), Arrays.copyOfRange(wire, 4, sent));
        }
    }

    @Test
    void aTimeoutInsideTheHeaderGivesItsRemainingBytes()
    {
        try (Pair p = socketPair(packet(4), sendTimeout(0)))
        {
            final byte[] kb = new byte[1024];
            GenTcpException e = null;
            for (int i = 0; i < 100_000 && e == null; i++)
            {
                try
                {
                    GenTcp.send(p.client, kb);
                }
                catch (final GenTcpException t)
                {
                    e = t;
                }
            }
            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(e.rest().length >= 1 && e.rest().length <= 1028);
            if (e.rest().length > 1024)
            {
                final byte[] header = {0, 0, 4, 0};
                assertArrayEquals(Arrays.copyOfRange(header, 1028 - e.rest().length, 4),
                    Arrays.copyOf(e.rest(), e.rest().length - 1024));
            }
        }
    }

    @Test
    void closeWakesASenderBlockedForever() throws Exception
    {
        try (Pair p = socketPair())
        {
            final java.util.concurrent.CompletableFuture<GenTcpException> sender =
                java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> assertThrows(GenTcpException.class, () -> GenTcp.send(p.client, new byte[16 << 20])));
            assertTrue(GenTcp.<byte[]>recv(p.server, 0, LONG_MS).length > 0); // the sender is in its send
            assertEquals(0, Inet.getstat(p.client).sendPend()); // getstat answers while it blocks
            GenTcp.close(p.client); // neither blocks on the sender nor waits for a queue
            assertEquals(Reason.CLOSED, sender.get(LONG_MS, TimeUnit.MILLISECONDS).reason());
        }
    }

    @Test
    void anActiveSocketWhoseSendFindsThePeerGoneGetsItsDataThenTcpClosed()
    {
        try (Pair p = socketPair())
        {
            GenTcp.send(p.server, "Whatever");
            GenTcp.close(p.server);
            assertEquals(Reason.CLOSED, sendUntilItFails(p.client).reason());
            Inet.setopts(p.client, active(true));
            final Tcp data = (Tcp)Mailbox.current().receive(LONG_MS);
            assertEquals("Whatever", new String((byte[])data.data()));
            assertEquals(new TcpClosed(p.client), Mailbox.current().receive(LONG_MS)); // not tcp_error
        }
        finally
        {
            Mailbox.current().close();
        }
    }

    @Test
    void shutdownWriteIsImmediate()
    {
        try (Pair p = socketPair())
        {
            GenTcp.send(p.client, "Hej Client");
            GenTcp.shutdown(p.client, GenTcp.How.WRITE);
            assertEquals("Hej Client", new String(GenTcp.<byte[]>recv(p.server, 0, LONG_MS)));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, LONG_MS));
        }
    }

    @Test
    void aSendFindingThePeerGoneLeavesTheSocketReadable()
    {
        try (Pair p = socketPair())
        {
            GenTcp.send(p.server, "Whatever");
            GenTcp.close(p.server);
            final GenTcpException e = sendUntilItFails(p.client);
            assertEquals(Reason.CLOSED, e.reason());
            assertNull(e.rest());
            assertEquals("Whatever", new String(GenTcp.<byte[]>recv(p.client, 0, LONG_MS)));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, LONG_MS));
        }
    }
}
