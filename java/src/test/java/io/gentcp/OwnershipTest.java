package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.once;
import static io.gentcp.Option.deliver;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Owners: controlling_process, owner exit, who may do what (reference 2.4, tests 62-67). */
@Timeout(60)
class OwnershipTest
{
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void cleanUp() throws Exception
    {
        other.submit(() -> Mailbox.current().close()).get(10, TimeUnit.SECONDS);
        other.shutdown();
        Mailbox.current().close();
    }

    /** The other thread's mailbox. */
    private Mailbox otherMailbox() throws Exception
    {
        return other.submit(Mailbox::current).get(10, TimeUnit.SECONDS);
    }

    private static String text(final Object message)
    {
        return new String((byte[])((Tcp)message).data(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyTheOwnerHandsASocketOnAndTheNewOwnerCanHandItOnAgain() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0);
        final Mailbox theirs = otherMailbox();
        final Mailbox mine = Mailbox.current();
        try
        {
            // a non-owner tries to take it
            final GenTcpException e = other.submit(() ->
            {
                try
                {
                    GenTcp.controllingProcess(l, theirs);
                    return null;
                }
                catch (final GenTcpException x)
                {
                    return x;
                }
            }).get(10, TimeUnit.SECONDS);
            assertEquals(Reason.NOT_OWNER, e.reason());
            GenTcp.controllingProcess(l, mine); // to yourself: ok
            GenTcp.controllingProcess(l, theirs);
            assertReason(Reason.NOT_OWNER, () -> GenTcp.controllingProcess(l, theirs));
            other.submit(() -> GenTcp.controllingProcess(l, mine)).get(10, TimeUnit.SECONDS);
            GenTcp.controllingProcess(l, mine);
        }
        finally
        {
            GenTcp.close(l);
        }
        assertReason(Reason.CLOSED, () -> GenTcp.controllingProcess(l, mine));
    }

    @Test
    void aClosedMailboxIsBadarg() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0);
        final Mailbox theirs = otherMailbox();
        other.submit(theirs::close).get(10, TimeUnit.SECONDS);
        assertReason(Reason.BADARG, () -> GenTcp.controllingProcess(l, theirs));
        GenTcp.close(l);
    }

    @Test
    void pendingMessagesMoveWithTheSocketAndStayFirst() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, "pending1");
            GenTcp.send(p.client, "pending2");
            // take messages up to a user message: any socket messages met on the way were taken
            // by the old owner (usually none: a message from another thread is no reason to
            // read the sockets, and Erlang orders messages per sender only)
            final Mailbox mine = Mailbox.current();
            mine.send("marker");
            final List<Object> seen = new ArrayList<>();
            seen.add(mine.receive(5_000));
            while (!"marker".equals(seen.get(seen.size() - 1)))
            {
                seen.add(mine.receive(5_000));
            }
            final int alreadyTaken = seen.size() - 1;
            final Mailbox theirs = otherMailbox();
            GenTcp.controllingProcess(p.server, theirs);
            GenTcp.send(p.client, "after");
            final List<String> got = other.submit(() ->
            {
                final List<String> texts = new ArrayList<>();
                for (int i = 0; i < 3 - alreadyTaken; i++)
                {
                    texts.add(text(Mailbox.current().receive(5_000)));
                }
                return texts;
            }).get(20, TimeUnit.SECONDS);
            final List<String> all = new ArrayList<>();
            for (int i = 0; i < alreadyTaken; i++)
            {
                all.add(text(seen.get(i)));
            }
            all.addAll(got);
            assertEquals(List.of("pending1", "pending2", "after"), all);
            assertReason(Reason.TIMEOUT, () -> mine.receive(50));
        }
    }

    /**
     * Sockets handed on from mailbox to mailbox, four of them, while their data flows keep
     * each socket's messages in order: the messages the old owner held come before newer
     * ones even when the new owner's receive is already in C as the socket moves (its receive
     * then brings the socket's newer messages along with the hand-over's wake-up). The stress
     * suite's hand-over scenario found them overtaking: a TcpClosed before the data held for it.
     */
    @Test
    void messagesKeepTheirOrderWhileSocketsMoveBetweenMailboxes() throws Exception
    {
        // a race: each round loses it most of the time without the fix (4 of 5 rounds did)
        for (int round = 0; round < 5; round++)
        {
            handSocketsOnWhileTheirDataFlows(20, 16, 4, 4);
        }
    }

    /**
     * A mailbox that was handed a socket may receive its messages and hand it on again while
     * the move that brought it is still handing over the old owner's held messages: the move
     * must end first (every held message passed on, delivery resumed), or the rest of those
     * messages land in a mailbox that no longer owns the socket, and a later owner sees a gap.
     * Two owners, long runs of held messages (300 packets per socket sent at once), a
     * hand-over after every eighth message.
     */
    @Test
    void aSocketIsHandedOnAgainOnlyOnceTheMoveThatBroughtItHasEnded() throws Exception
    {
        // a race: lost in 4 of 6 runs of one round without the fix
        for (int round = 0; round < 3; round++)
        {
            handSocketsOnWhileTheirDataFlows(8, 300, 2, 8);
        }
    }

    /**
     * SOCKETS pairs, each sending PACKETS numbered {packet, 4} packets at once, their server
     * ends {active, true} among OWNERS mailbox threads; each owner checks that every socket's
     * packets come in order and hands the socket to the next owner after every EVERY-th.
     */
    private static void handSocketsOnWhileTheirDataFlows(final int sockets, final int packets, final int owners,
        final int every) throws Exception
    {
        final java.util.Map<Socket, int[]> next = new java.util.concurrent.ConcurrentHashMap<>();
        final Mailbox[] boxes = new Mailbox[owners];
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(owners);
        final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(sockets);
        final List<CompletableFuture<Void>> done = new ArrayList<>();
        final Object end = new Object();
        try (Pairs pairs = Pairs.of(sockets, () -> Pair.of(binary(), packet(4))))
        {
            for (final Pair p : pairs)
            {
                next.put(p.server, new int[1]);
            }
            for (int b = 0; b < owners; b++)
            {
                final int me = b;
                final CompletableFuture<Void> f = new CompletableFuture<>();
                done.add(f);
                new Thread(() ->
                {
                    try
                    {
                        boxes[me] = Mailbox.current();
                        ready.countDown();
                        for (;;)
                        {
                            final Object m;
                            try
                            {
                                m = boxes[me].receive(20_000);
                            }
                            catch (final GenTcpException e)
                            {
                                throw new AssertionError("owner " + me + ": " + e + " with " + open.get() +
                                    " sockets open");
                            }
                            if (m == end)
                            {
                                break;
                            }
                            final Socket s = m instanceof Tcp ? ((Tcp)m).socket() : ((TcpClosed)m).socket();
                            final int[] n = next.get(s);
                            if (m instanceof TcpClosed)
                            {
                                assertEquals(packets, n[0], "packets before TcpClosed");
                                GenTcp.close(s);
                                if (open.decrementAndGet() == 0)
                                {
                                    for (final Mailbox box : boxes)
                                    {
                                        box.send(end);
                                    }
                                }
                                continue;
                            }
                            assertEquals(String.valueOf(n[0]), text(m), "the next packet of its socket");
                            n[0]++;
                            if (n[0] % every == 0)
                            {
                                try
                                {
                                    GenTcp.controllingProcess(s, boxes[(me + 1) % owners]);
                                }
                                catch (final GenTcpException e)
                                {
                                    assertEquals(Reason.CLOSED, e.reason()); // its stream ended: TcpClosed comes here
                                }
                            }
                        }
                        f.complete(null);
                    }
                    catch (final Throwable e)
                    {
                        f.completeExceptionally(e);
                    }
                    finally
                    {
                        Mailbox.current().close();
                    }
                }, "owner-" + b).start();
            }
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < sockets; i++)
            {
                final Socket s = pairs.get(i).server;
                GenTcp.controllingProcess(s, boxes[i % owners]);
                Inet.setopts(s, active(true));
            }
            sendNumbered(pairs, packets, done);
            for (final Pair p : pairs)
            {
                GenTcp.close(p.client);
            }
            for (final CompletableFuture<Void> f : done)
            {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Sends "0" to PACKETS-1 on the client end of every pair in turn; a send refused means an owner failed. */
    private static void sendNumbered(final Pairs pairs, final int packets, final List<CompletableFuture<Void>> done)
        throws Exception
    {
        try
        {
            for (int k = 0; k < packets; k++)
            {
                for (final Pair p : pairs)
                {
                    GenTcp.send(p.client, String.valueOf(k));
                }
            }
        }
        catch (final GenTcpException e)
        {
            // an owner failed and closed its mailbox: its failure is the one to see
            CompletableFuture.anyOf(done.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Test
    void whenTheOwnerGoesAwayItsSocketsCloseAndThePeerSeesIt() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false));
        final int port = Inet.port(l);
        // another thread connects, then closes its mailbox (its process exits)
        other.submit(() ->
        {
            final Socket c = GenTcp.connect("127.0.0.1", port, 5_000, binary());
            GenTcp.send(c, "bye");
            Mailbox.current().close();
            return c;
        }).get(10, TimeUnit.SECONDS);
        final Socket s = GenTcp.accept(l, 5_000);
        assertEquals("bye", new String((byte[])GenTcp.recv(s, 0, 5_000), StandardCharsets.ISO_8859_1));
        assertReason(Reason.CLOSED, () -> GenTcp.recv(s, 0, 5_000));
        GenTcp.close(s);
        GenTcp.close(l);
    }

    @Test
    void whenTheOwnerThreadEndsWithoutClosingItsMailboxItsSocketsCloseAndThePeerSeesIt() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false));
        final int port = Inet.port(l);
        final Socket[] made = new Socket[2];
        // a thread makes an active and a passive socket, then ends: its process exits
        final Thread owner = new Thread(() ->
        {
            made[0] = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(true));
            made[1] = GenTcp.connect("127.0.0.1", port, 5_000, binary());
            GenTcp.send(made[1], "bye");
        });
        owner.start();
        owner.join(10_000);
        final Socket first = GenTcp.accept(l, 5_000);
        final Socket second = GenTcp.accept(l, 5_000);
        // the reaper closes the dead thread's mailbox; 5 s is far beyond its 200 ms interval
        assertReason(Reason.CLOSED, () -> GenTcp.recv(first, 0, 5_000));
        assertEquals("bye", new String((byte[])GenTcp.recv(second, 0, 5_000), StandardCharsets.ISO_8859_1));
        assertReason(Reason.CLOSED, () -> GenTcp.recv(second, 0, 5_000));
        assertReason(Reason.CLOSED, () -> GenTcp.send(made[0], "too late"));
        GenTcp.close(first);
        GenTcp.close(second);
        GenTcp.close(l);
    }

    @Test
    void aNonOwnerMaySendAndAcceptAndTheAcceptorOwnsWhatItAccepts() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(true));
        try
        {
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary(), active(false));
            final CompletableFuture<Object> acceptor = CompletableFuture.supplyAsync(() ->
            {
                final Socket s = GenTcp.accept(l, 5_000);
                GenTcp.send(s, "from the acceptor");
                return Mailbox.current().receive(5_000); // the accepted, active socket is this thread's
            }, other);
            GenTcp.send(c, "to the acceptor");
            final Tcp m = assertInstanceOf(Tcp.class, acceptor.get(10, TimeUnit.SECONDS));
            assertEquals("to the acceptor", new String((byte[])m.data(), StandardCharsets.ISO_8859_1));
            assertEquals("from the acceptor",
                new String((byte[])GenTcp.recv(c, 0, 5_000), StandardCharsets.ISO_8859_1));
            assertReason(Reason.TIMEOUT, () -> Mailbox.current().receive(50));
            GenTcp.close(c);
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void oneMailboxManySocketsEveryMessageInOrderPerSocket() throws Exception
    {
        final int sockets = 50;
        final int each = 100;
        final ListenSocket l = GenTcp.listen(0, binary(), packet(2), active(true));
        final List<Socket> clients = new ArrayList<>();
        final List<Socket> servers = new ArrayList<>();
        try
        {
            for (int i = 0; i < sockets; i++)
            {
                clients.add(GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary(), packet(2), active(false)));
                servers.add(GenTcp.accept(l, 5_000));
            }
            final CompletableFuture<Void> senders = CompletableFuture.runAsync(() ->
            {
                for (int k = 0; k < each; k++)
                {
                    for (final Socket c : clients)
                    {
                        GenTcp.send(c, "m" + k);
                    }
                }
            }, other);
            final int[] next = new int[sockets];
            for (int n = 0; n < sockets * each; n++)
            {
                final Tcp m = assertInstanceOf(Tcp.class, Mailbox.current().receive(10_000));
                final int i = servers.indexOf(m.socket());
                assertTrue(i >= 0);
                assertEquals("m" + next[i]++, new String((byte[])m.data(), StandardCharsets.ISO_8859_1));
            }
            senders.get(10, TimeUnit.SECONDS);
            assertReason(Reason.TIMEOUT, () -> Mailbox.current().receive(50));
        }
        finally
        {
            clients.forEach(GenTcp::close);
            GenTcp.close(l);
        }
        // the mailbox owns the servers: closing it closes them
        Mailbox.current().close();
        assertReason(Reason.EINVAL, () -> Inet.getopt(servers.get(0), OptionName.ACTIVE));
    }

    @Test
    void closingAMailboxWithUnreadDataClosesItsSockets() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(once()));
        final int port = Inet.port(l);
        // the client belongs to the other thread's mailbox, so it outlives ours
        final Socket c = other.submit(() -> GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false)))
            .get(10, TimeUnit.SECONDS);
        final Socket s = GenTcp.accept(l, 5_000);
        GenTcp.send(c, "unread");
        GenTcp.send(c, "unread too");
        Mailbox.current().close();
        assertReason(Reason.CLOSED, () -> GenTcp.recv(c, 0, 5_000)); // the peer sees the close
        assertReason(Reason.CLOSED, () -> GenTcp.send(s, "x"));
        assertReason(Reason.CLOSED, () -> GenTcp.accept(l, 0));
        GenTcp.close(c);
    }

    /** One message as comparable text: its kind and content, and whose socket it is. */
    private static String describe(final Object m)
    {
        if (m instanceof Tcp t)
        {
            return "tcp " + t.socket() + " " + new String((byte[])t.data(), StandardCharsets.ISO_8859_1);
        }
        if (m instanceof PortData d)
        {
            return "port " + d.socket() + " " + new String((byte[])d.data(), StandardCharsets.ISO_8859_1);
        }
        if (m instanceof Http h)
        {
            return "http " + h.socket() + " " + h.packet();
        }
        return String.valueOf(m); // TcpClosed, TcpError, TcpPassive: records with the socket
    }

    /**
     * The owner takes SOCKET's first message and hands the socket on: the other thread gets the
     * rest in order, whether they were already decoded in Java, queued in C or still in the
     * kernel (loopback delivers within the sender's call, so usually all three at once); THEN
     * runs after the hand-over. (A tcp_error is not among them: OTP's port exits with the
     * tcp_closed that always follows it, and a socket whose port has exited cannot be handed
     * on, here as in OTP.)
     */
    private List<String> handOverAfterTheFirst(final Socket socket, final int rest, final Runnable then)
        throws Exception
    {
        final Mailbox mine = Mailbox.current();
        final List<String> seen = new ArrayList<>();
        seen.add(describe(mine.receive(5_000)));
        GenTcp.controllingProcess(socket, otherMailbox());
        then.run();
        seen.addAll(other.submit(() ->
        {
            final List<String> texts = new ArrayList<>();
            for (int i = 0; i < rest; i++)
            {
                texts.add(describe(Mailbox.current().receive(5_000)));
            }
            assertReason(Reason.TIMEOUT, () -> Mailbox.current().receive(50));
            return texts;
        }).get(20, TimeUnit.SECONDS));
        assertReason(Reason.TIMEOUT, () -> mine.receive(50));
        return seen;
    }

    @Test
    void everyKindOfMessageMovesWithItsSocketInOrder() throws Exception
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            final String s = p.server.toString();
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, "a");
            GenTcp.send(p.client, "b");
            assertEquals(List.of("tcp " + s + " a", "tcp " + s + " b", new TcpClosed(p.server).toString()),
                handOverAfterTheFirst(p.server, 2, () -> GenTcp.close(p.client)));
        }
        try (Pair p = Pair.of(binary()))
        {
            Inet.setopts(p.server, packet(PacketType.HTTP_BIN), active(true));
            GenTcp.send(p.client, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
            final String s = p.server.toString();
            assertEquals(List.of("http " + s + " {http_request,'GET',{abs_path,<<47,120>>},{1,1}}",
                "http " + s + " {http_header,14,'Host',<<72,111,115,116>>,<<104>>}", "http " + s + " http_eoh"),
                handOverAfterTheFirst(p.server, 2, () -> { }));
        }
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            Inet.setopts(p.server, deliver(Option.Deliver.PORT), active(true));
            GenTcp.send(p.client, "x");
            GenTcp.send(p.client, "y");
            assertEquals(List.of("port " + p.server + " x", "port " + p.server + " y"),
                handOverAfterTheFirst(p.server, 1, () -> { }));
        }
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            Inet.setopts(p.server, active(2));
            GenTcp.send(p.client, "x");
            GenTcp.send(p.client, "y");
            assertEquals(List.of("tcp " + p.server + " x", "tcp " + p.server + " y",
                new TcpPassive(p.server).toString()), handOverAfterTheFirst(p.server, 2, () -> { }));
        }
    }

    @Test
    void controllingProcessOnAClosedConnectedSocketIsClosedAndANullOwnerIsAnArgumentError()
    {
        try (Pair p = Pair.of(binary()))
        {
            assertThrows(IllegalArgumentException.class, () -> GenTcp.controllingProcess(p.server, null));
            GenTcp.close(p.server);
            assertReason(Reason.CLOSED, () -> GenTcp.controllingProcess(p.server, Mailbox.current()));
        }
    }

    /** OTP controlling_process_self: handed to itself, the socket still dies with its owner. */
    @Test
    void aSocketHandedToItsOwnThreadStillDiesWithIt() throws Exception
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false));
        final Socket[] made = new Socket[1];
        final Thread owner = new Thread(() ->
        {
            made[0] = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary());
            GenTcp.controllingProcess(made[0], Mailbox.current());
        });
        owner.start();
        owner.join(10_000);
        final Socket s = GenTcp.accept(l, 5_000);
        assertReason(Reason.CLOSED, () -> GenTcp.recv(s, 0, 5_000));
        assertReason(Reason.EINVAL, () -> Inet.port(made[0]));
        GenTcp.close(s);
        GenTcp.close(l);
    }
}
