package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * A socket the reaper closed because its owner thread ended says so in the message of every
 * later error on it ("closed: owner thread worker-7 (#1234) ended"; the reason stays
 * {@code closed}), and the close is logged through System.Logger "io.gentcp" at DEBUG (the
 * JDK's default backend is java.util.logging, where DEBUG is FINE). A socket the application
 * closed, or handed to a live thread first, says nothing of the kind.
 */
@Timeout(60)
class OwnerEndedTest
{
    /** Held here: java.util.logging keeps only weak references to its loggers. */
    private static final Logger JUL = Logger.getLogger("io.gentcp");

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(final LogRecord r)
        {
            logged.add(r);
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };
    private Level levelBefore;
    private ListenSocket listen;

    @BeforeEach
    void captureTheLog()
    {
        assumeTrue(MailboxReaper.INTERVAL_NANOS > 0, "the reaper is turned off (gentcp.mailbox.reapMillis=0)");
        levelBefore = JUL.getLevel();
        JUL.setLevel(Level.FINE);
        JUL.addHandler(capture);
        listen = GenTcp.listen(0, binary(), active(false));
    }

    @AfterEach
    void restore()
    {
        if (listen != null)
        {
            GenTcp.close(listen);
        }
        JUL.removeHandler(capture);
        JUL.setLevel(levelBefore);
        Mailbox.current().close();
    }

    /** Runs BODY on a new platform thread called NAME and waits until it has ended. */
    private static Thread runAndEnd(final String name, final Runnable body) throws InterruptedException
    {
        final Thread t = new Thread(body, name);
        t.start();
        t.join(VirtualThreadTest.BOUND_MS);
        assertTrue(!t.isAlive(), name + " did not end");
        return t;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    private static long id(final Thread t)
    {
        return t.getId();
    }

    /** CALL fails with REASON and exactly MESSAGE. */
    private static GenTcpException assertError(final Reason reason, final String message, final Executable call)
    {
        final GenTcpException e = assertThrows(GenTcpException.class, call);
        assertEquals(reason, e.reason(), () -> "the reason, message " + e.getMessage());
        assertEquals(message, e.getMessage());
        return e;
    }

    /** Waits (bounded) until the peer of a socket whose owner ended reads its close. */
    private static void peerSeesTheClose(final Socket peer)
    {
        final GenTcpException e = assertThrows(GenTcpException.class,
            () -> GenTcp.recv(peer, 0, VirtualThreadTest.BOUND_MS));
        assertEquals(Reason.CLOSED, e.reason());
        GenTcp.close(peer);
    }

    @Test
    void everyLaterErrorOnTheSocketOfAnEndedOwnerSaysSoAndTheCloseIsLogged() throws InterruptedException
    {
        final int port = Inet.port(listen);
        final Socket[] made = new Socket[2];
        final ListenSocket[] listens = new ListenSocket[1];
        final Thread owner = runAndEnd("worker-7", () ->
        {
            made[0] = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false));
            made[1] = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(true));
            listens[0] = GenTcp.listen(0);
        });
        peerSeesTheClose(GenTcp.accept(listen, 5_000));
        peerSeesTheClose(GenTcp.accept(listen, 5_000));
        final String closed = "closed: owner thread worker-7 (#" + id(owner) + ") ended";
        final Socket passive = made[0];
        final GenTcpException first = assertError(Reason.CLOSED, closed, () -> GenTcp.send(passive, "too late"));
        assertError(Reason.CLOSED, closed, () -> GenTcp.send(passive, ByteBuffer.allocateDirect(4)));
        assertError(Reason.CLOSED, closed, () -> GenTcp.recv(passive, 0, 1_000));
        assertError(Reason.CLOSED, closed, () -> GenTcp.recv(passive, 0, ByteBuffer.allocate(10), 0));
        assertError(Reason.CLOSED, closed, () -> GenTcp.recvBatch(passive, ByteBuffer.allocateDirect(64), 4, 0));
        assertError(Reason.CLOSED, closed, () -> GenTcp.controllingProcess(passive, Mailbox.current()));
        assertError(Reason.CLOSED, closed, () -> GenTcp.shutdown(passive, GenTcp.How.WRITE));
        assertError(Reason.CLOSED, closed, () -> GenTcp.accept(listens[0], 1_000));
        // an answer other than closed keeps its reason and says why too
        final GenTcpException port0 = assertThrows(GenTcpException.class, () -> Inet.port(passive));
        assertEquals(Reason.EINVAL, port0.reason());
        assertTrue(port0.getMessage().startsWith("einval") && port0.getMessage().endsWith(": " + closed),
            port0.getMessage());
        final GenTcpException opts = assertThrows(GenTcpException.class,
            () -> Inet.getopts(passive, OptionName.ACTIVE));
        assertTrue(opts.getMessage().endsWith(": " + closed) || opts.getMessage().equals(closed), opts.getMessage());
        final GenTcpException set = assertThrows(GenTcpException.class, () -> Inet.setopts(passive, active(true)));
        assertTrue(set.getMessage().endsWith(": " + closed) || set.getMessage().equals(closed), set.getMessage());
        // the active one too; a close by the application afterwards changes nothing
        final Socket activeOne = made[1];
        GenTcp.close(activeOne);
        final GenTcpException again = assertError(Reason.CLOSED, closed, () -> GenTcp.send(activeOne, "too late"));
        assertSame(first, again, "one stack-less exception per dead owner, as for every routine closed");

        final List<LogRecord> aboutIt = logged.stream().filter(r -> r.getMessage().contains(closed)).toList();
        assertEquals(1, aboutIt.size(),
            () -> "one log record of the close: " + logged.stream().map(LogRecord::getMessage).toList());
        assertEquals(Level.FINE, aboutIt.get(0).getLevel(), "System.Logger's DEBUG");
        assertEquals("io.gentcp", aboutIt.get(0).getLoggerName());
    }

    @Test
    void aSocketTheApplicationClosedOrHandedOnSaysNothingOfItsOwnersEnd() throws Exception
    {
        final int port = Inet.port(listen);
        final Socket[] made = new Socket[2];
        final Mailbox mine = Mailbox.current();
        runAndEnd("worker-8", () ->
        {
            made[0] = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false));
            GenTcp.close(made[0]);
            made[1] = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false));
            GenTcp.controllingProcess(made[1], mine);
        });
        final Socket closedEarly = GenTcp.accept(listen, 5_000);
        final Socket handedOn = GenTcp.accept(listen, 5_000);
        peerSeesTheClose(closedEarly);
        // Once the reaper has looked at worker-8 (its mailbox is gone), the handed-on socket still works.
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VirtualThreadTest.BOUND_MS);
        while (logged.stream().noneMatch(r -> r.getMessage().contains("worker-8")))
        {
            assertTrue(System.nanoTime() < end, "worker-8's mailbox was never reaped");
            Thread.sleep(1); // a poll of the event itself (the log record), bounded
        }
        GenTcp.send(made[1], "still here");
        assertEquals("still here", new String((byte[])GenTcp.recv(handedOn, 0, 5_000), StandardCharsets.ISO_8859_1));
        final Socket early = made[0];
        assertError(Reason.CLOSED, "closed", () -> GenTcp.send(early, "x"));
        GenTcp.close(made[1]);
        GenTcp.close(handedOn);
    }

    @Test
    void aVirtualOwnerWithoutANameIsNamedByItsId() throws InterruptedException
    {
        VirtualThreadTest.assumeVirtualThreads(OwnerEndedTest.class);
        final int port = Inet.port(listen);
        final Socket[] made = new Socket[1];
        final Thread owner = VirtualThreadTest.startVirtual(
            () -> made[0] = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false)));
        VirtualThreadTest.join(owner);
        peerSeesTheClose(GenTcp.accept(listen, 5_000));
        final Socket s = made[0];
        assertError(Reason.CLOSED, "closed: owner thread #" + id(owner) + " ended", () -> GenTcp.recv(s, 0, 1_000));
    }
}
