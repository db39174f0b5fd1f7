package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Inet#nativeMemory()}: the receive buffers, send queues and mailboxes the C library
 * holds rise with the data they hold, and come back exactly to where they were once the
 * sockets (and the mailbox) are closed (issue 15, item 3's counters).
 */
@Timeout(60)
class NativeMemoryTest
{
    /** A partial packet that a timed-out recv keeps buffered holds one receive buffer. */
    @Test
    void aPartialPacketHoldsAReceiveBuffer()
    {
        final NativeMemory before = settled();
        try (Pair p = Pair.rawClient(PacketType.of(4)))
        {
            final byte[] partial = new byte[4 + 1000];
            partial[1] = 1; /* claims 65536 bytes */
            GenTcp.send(p.client, partial);
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 0, 200));
            final NativeMemory during = Inet.nativeMemory();
            assertEquals(before.receiveBufferBlocks() + 1, during.receiveBufferBlocks());
            assertTrue(during.receiveBufferBytes() >= before.receiveBufferBytes() + 65536 + 4, during::toString);
        }
        Mailbox.current().close();
        assertBackTo(before);
    }

    /** What the kernel does not take is queued in C until the socket closes. */
    @Test
    void anUndrainedSendHoldsASendQueue()
    {
        final NativeMemory before = settled();
        final Pair p = Pair.of(binary(), Option.sndbuf(4096), Option.recbuf(4096));
        try
        {
            GenTcp.send(p.client, new byte[1 << 20]);
            final NativeMemory during = Inet.nativeMemory();
            assertTrue(during.sendQueueBlocks() >= before.sendQueueBlocks() + 1, during::toString);
            assertTrue(during.sendQueueBytes() > before.sendQueueBytes(), during::toString);
        }
        finally
        {
            GenTcp.close(p.server); /* first: the client's close then drops its queue at once */
            GenTcp.close(p.client);
            GenTcp.close(p.listen);
            Mailbox.current().close(); /* the sockets' owner, had they been active */
        }
        assertBackTo(before);
    }

    /** A mailbox and the lists of the sockets it owns, given back when it closes. */
    @Test
    void aMailboxWithMessagesHoldsItsState()
    {
        final NativeMemory before = settled();
        final Pair p = Pair.of(binary(), packet(4));
        try
        {
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, new byte[300_000]); /* bigger than the mailbox's buffer */
            final Tcp got = assertInstanceOf(Tcp.class, Mailbox.current().receive(10_000));
            assertEquals(300_000, ((byte[])got.data()).length);
            final NativeMemory during = Inet.nativeMemory();
            assertTrue(during.mailboxBlocks() >= before.mailboxBlocks() + 2, during::toString);
            assertTrue(during.mailboxBytes() > before.mailboxBytes(), during::toString);
        }
        finally
        {
            p.close();
            Mailbox.current().close();
        }
        assertBackTo(before);
    }

    /**
     * The counters once earlier tests' releases are done, so that only this test moves them: the
     * counters are process-wide, and the reaper may still be closing the mailboxes of owners that
     * ended before (10,000 of them after ManyConnectionsTest). A round begun after now reaches
     * every such mailbox; two rounds make sure one began after now; none watched means none
     * is left to close.
     */
    private static NativeMemory settled()
    {
        Mailbox.current().close();
        // Or until none is watched: the reaper parks once it has nothing to watch, so after
        // reaping the last dead owner's mailbox it starts no second round.
        final long target = MailboxReaper.rounds() + 2;
        ReaperScaleTest.await(() -> MailboxReaper.watched() == 0 || MailboxReaper.rounds() >= target,
            "2 more reaper rounds, or no mailbox watched");
        return Inet.nativeMemory();
    }

    /** Waits (bounded) until no count is above BEFORE's: a close's releases may end a moment after it returns. */
    private static void assertBackTo(final NativeMemory before)
    {
        final Baseline.NativeCounters b = new Baseline.NativeCounters(before);
        ReaperScaleTest.await(() -> Baseline.NativeCounters.now().atMost(b), "the counters back to " + before);
    }
}
