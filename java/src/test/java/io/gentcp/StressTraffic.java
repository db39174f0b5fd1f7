package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stress suite's traffic scenarios: thousands of connections, each carrying a
 * {@link StressPlan} of random packet types and sizes, checked byte by byte at the far end,
 * through one mailbox ({active, once} or {active, N}) or through a platform thread per
 * connection (passive recv, every packet echoed and checked again by the client).
 *
 * <p>Each client first sends its connection number (4 bytes, raw) and registers its local
 * port under it; the server reads the number, checks that the peer's port is the one
 * registered for it, and only then takes the connection's packet type (so the bytes already
 * buffered behind the number are framed by the new type). From then on every message must
 * name the socket its bytes were sent to: a message naming any other socket, or another
 * connection's bytes, fails the check.
 */
final class StressTraffic
{
    /** Client threads; each connects and drives its share of the connections. */
    private static final int DRIVERS = 4;
    private static final long IO_TIMEOUT_MS = 60_000;

    private StressTraffic()
    {
    }

    /**
     * What a scenario's clients and servers share: the connections' plans, the listen socket
     * they connect to, the port each client registered for its connection, the deadline and
     * the failures.
     */
    private static final class Traffic implements AutoCloseable
    {
        final StressPlan[] plans;
        final StressRun.Deadline deadline;
        final StressRun.Failures failures = new StressRun.Failures();
        final Map<Integer, Integer> ports = new ConcurrentHashMap<>();
        final ListenSocket listen;

        /** The deadline is LIMIT_MS from now. */
        Traffic(final StressPlan[] plans, final long limitMs)
        {
            this.plans = plans;
            this.deadline = new StressRun.Deadline(limitMs);
            this.listen = GenTcp.listen(0, binary(), active(false), packet(0), backlog(plans.length));
        }

        /** The connection number the client sent first, checked against the port it registered. */
        int identify(final Socket s)
        {
            final int peerPort = Inet.peername(s).getPort();
            final byte[] id = GenTcp.recv(s, 4, Math.min(IO_TIMEOUT_MS, deadline.remainingMs()));
            final int conn = ((id[0] & 0xff) << 24) | ((id[1] & 0xff) << 16) | ((id[2] & 0xff) << 8) | (id[3] & 0xff);
            final Integer registered = ports.get(peerPort);
            if (registered == null || registered != conn)
            {
                throw new AssertionError("the socket from port " + peerPort + " says connection " + conn +
                    ", registered: " + registered);
            }
            return conn;
        }

        @Override
        public void close()
        {
            GenTcp.close(listen);
        }
    }

    /**
     * CONNS connections into one mailbox, which owns every accepted socket: {active, once}
     * re-armed after each message (ACTIVE_N 0), or {active, ACTIVE_N} re-armed at each
     * TcpPassive, which must come after exactly ACTIVE_N messages.
     */
    static void mailbox(final long seed, final int conns, final int activeN, final long limitMs) throws Exception
    {
        final SplittableRandom r = new SplittableRandom(seed);
        try (Traffic traffic = new Traffic(StressPlan.randomPlans(conns, r, 16, 1 << 20, false), limitMs))
        {
            final List<Thread> threads = new ArrayList<>();
            final long[] delivered = new long[2];
            threads.add(traffic.failures.start("stress-mailbox", () -> serveMailbox(traffic, activeN, delivered)));
            startClients(traffic, r.nextLong(), false, threads);
            traffic.failures.join(threads, traffic.deadline);
            System.out.printf("stress mailbox %s: %d connections, %d messages, %d bytes%n",
                activeN == 0 ? "{active, once}" : "{active, " + activeN + "}", conns, delivered[0], delivered[1]);
        }
    }

    private static final class Conn
    {
        final StressPlan plan;
        final StressPlan.Checker checker;
        /** In the hand-over scenario: -1 {active, true}, 0 {active, once}, 1 {active, N}. */
        final int mode;
        int sinceArmed;
        boolean closed;

        Conn(final StressPlan plan)
        {
            this(plan, 0);
        }

        Conn(final StressPlan plan, final int mode)
        {
            this.plan = plan;
            this.mode = mode;
            this.checker = plan.new Checker("server");
        }
    }

    private static void serveMailbox(final Traffic traffic, final int activeN, final long[] delivered)
    {
        final StressPlan[] plans = traffic.plans;
        final StressRun.Deadline deadline = traffic.deadline;
        final Mailbox mine = Mailbox.current();
        final Option arm = activeN == 0 ? active(Option.once()) : active(activeN);
        final Map<Socket, Conn> conns = new IdentityHashMap<>();
        for (int i = 0; i < plans.length; i++)
        {
            final Socket s = GenTcp.accept(traffic.listen, deadline.remainingMs());
            final StressPlan plan = plans[traffic.identify(s)];
            final Conn previous = conns.put(s, new Conn(plan));
            if (previous != null)
            {
                throw new AssertionError("accept handed out the socket of " + previous.plan + " again");
            }
            Inet.setopts(s, plan.packetOption(), arm);
        }
        int open = plans.length;
        while (open > 0)
        {
            if (traffic.failures.any())
            {
                return;
            }
            final Object m;
            try
            {
                m = mine.receive(deadline.remainingMs());
            }
            catch (final GenTcpException e)
            {
                throw new AssertionError(e.reason() + " with " + open + " of " + plans.length +
                    " connections not closed yet", e);
            }
            if (!(m instanceof SocketMessage))
            {
                throw new AssertionError("a message no one sent: " + m);
            }
            final Conn c = conns.get(socketOf((SocketMessage)m));
            if (c == null)
            {
                throw new AssertionError("a message naming a socket this mailbox never accepted: " + m);
            }
            if (c.closed)
            {
                throw new AssertionError("a message after TcpClosed, for " + c.plan + ": " + m);
            }
            if (m instanceof Tcp)
            {
                final Tcp tcp = (Tcp)m;
                c.checker.onData((byte[])tcp.data());
                delivered[0]++;
                delivered[1] += ((byte[])tcp.data()).length;
                c.sinceArmed++;
                if (activeN == 0)
                {
                    if (c.sinceArmed > 1)
                    {
                        throw new AssertionError("{active, once} delivered " + c.sinceArmed +
                            " messages for one arming, " + c.plan);
                    }
                    c.sinceArmed = 0;
                    Inet.setopts(tcp.socket(), arm);
                }
                else if (c.sinceArmed > activeN)
                {
                    throw new AssertionError("{active, " + activeN + "} delivered " + c.sinceArmed + " messages, " +
                        c.plan);
                }
            }
            else if (m instanceof TcpPassive && activeN != 0)
            {
                if (c.sinceArmed != activeN)
                {
                    throw new AssertionError("TcpPassive after " + c.sinceArmed + " messages of {active, " + activeN +
                        "}, " + c.plan);
                }
                c.sinceArmed = 0;
                Inet.setopts(((TcpPassive)m).socket(), arm);
            }
            else if (m instanceof TcpClosed)
            {
                c.checker.assertComplete();
                c.closed = true;
                GenTcp.close(((TcpClosed)m).socket());
                open--;
            }
            else
            {
                throw new AssertionError("unexpected for " + c.plan + ": " + m);
            }
        }
    }

    /** A socket handed over to a mailbox, to arm; then the end of the scenario. */
    private record Arm(Socket socket)
    {
    }

    private static final Object DONE = new Object();

    /**
     * CONNS connections spread over MAILBOXES mailboxes, each connection in its own active mode
     * ({active, true}, {active, once} or {active, N}); a mailbox hands a socket to another one
     * now and then while its data flows (controllingProcess), so that messages it already
     * holds move with the socket: each connection's packets must still arrive whole, in order
     * and once, and every message name its own socket.
     */
    static void handover(final long seed, final int conns, final int mailboxes, final long limitMs) throws Exception
    {
        final SplittableRandom r = new SplittableRandom(seed);
        final StressPlan[] plans = new StressPlan[conns];
        final int[] modes = new int[conns];
        for (int i = 0; i < conns; i++)
        {
            plans[i] = StressPlan.random(i, r, 16, 256 << 10, false);
            modes[i] = r.nextInt(3) - 1; // -1 {active, true}, 0 {active, once}, 1 {active, N}
        }
        final int activeN = 2 + r.nextInt(5);
        final Map<Socket, Conn> all = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(conns);
        final java.util.concurrent.atomic.AtomicLong moves = new java.util.concurrent.atomic.AtomicLong();
        final Mailbox[] boxes = new Mailbox[mailboxes];
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(mailboxes);
        try (Traffic traffic = new Traffic(plans, limitMs))
        {
            final StressRun.Deadline deadline = traffic.deadline;
            final StressRun.Failures failures = traffic.failures;
            final List<Thread> threads = new ArrayList<>();
            for (int b = 0; b < mailboxes; b++)
            {
                final int box = b;
                final SplittableRandom mr = new SplittableRandom(StressRun.mix(seed + 1000 + b));
                threads.add(failures.start("stress-handover-" + b, () ->
                {
                    boxes[box] = Mailbox.current();
                    ready.countDown();
                    ownAndHandOver(box, boxes, all, open, moves, activeN, mr, deadline, failures);
                }));
            }
            if (!ready.await(deadline.remainingMs(), java.util.concurrent.TimeUnit.MILLISECONDS))
            {
                throw new AssertionError("the mailbox threads did not start");
            }
            threads.add(failures.start("stress-handover-acceptor", () ->
            {
                for (int i = 0; i < conns && !failures.any(); i++)
                {
                    final Socket s = GenTcp.accept(traffic.listen, deadline.remainingMs());
                    final int conn = traffic.identify(s);
                    all.put(s, new Conn(plans[conn], modes[conn]));
                    Inet.setopts(s, plans[conn].packetOption());
                    final Mailbox to = boxes[conn % mailboxes];
                    GenTcp.controllingProcess(s, to);
                    to.send(new Arm(s));
                }
            }));
            startClients(traffic, r.nextLong(), false, threads);
            failures.join(threads, deadline);
            System.out.printf("stress mailbox hand-over: %d connections over %d mailboxes, %d hand-overs%n", conns,
                mailboxes, moves.get());
        }
    }

    private static Option arm(final int mode, final int activeN)
    {
        return mode < 0 ? active(true) : mode == 0 ? active(Option.once()) : active(activeN);
    }

    private static void ownAndHandOver(final int box, final Mailbox[] boxes, final Map<Socket, Conn> all,
        final java.util.concurrent.atomic.AtomicInteger open, final java.util.concurrent.atomic.AtomicLong moves,
        final int activeN, final SplittableRandom r, final StressRun.Deadline deadline,
        final StressRun.Failures failures)
    {
        final Mailbox mine = boxes[box];
        for (;;)
        {
            if (failures.any())
            {
                return;
            }
            final Object m;
            try
            {
                // a second at a time: another thread's failure ends this one too
                m = mine.receive(Math.min(1_000, deadline.remainingMs()));
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.TIMEOUT && !deadline.passed())
                {
                    continue;
                }
                throw new AssertionError(e.reason() + " with " + open.get() + " connections not closed yet", e);
            }
            if (m == DONE)
            {
                return;
            }
            if (m instanceof Arm)
            {
                final Socket s = ((Arm)m).socket();
                Inet.setopts(s, arm(all.get(s).mode, activeN));
                continue;
            }
            if (!(m instanceof SocketMessage))
            {
                throw new AssertionError("a message no one sent: " + m);
            }
            final Socket s = (Socket)socketOf((SocketMessage)m);
            final Conn c = all.get(s);
            if (c == null)
            {
                throw new AssertionError("a message naming a socket never accepted: " + m);
            }
            synchronized (c)
            {
                if (c.closed)
                {
                    throw new AssertionError("a message after TcpClosed, for " + c.plan + ": " + m);
                }
                if (m instanceof Tcp)
                {
                    c.checker.onData((byte[])((Tcp)m).data());
                    c.sinceArmed++;
                    if (c.mode == 0)
                    {
                        c.sinceArmed = 0;
                        Inet.setopts(s, arm(0, activeN));
                    }
                    else if (c.mode > 0 && c.sinceArmed > activeN)
                    {
                        throw new AssertionError("{active, " + activeN + "} delivered " + c.sinceArmed + " messages, " +
                            c.plan);
                    }
                    if (r.nextInt(4) == 0)
                    {
                        handOver(s, boxes[(box + 1 + r.nextInt(boxes.length - 1)) % boxes.length], moves);
                    }
                }
                else if (m instanceof TcpPassive && c.mode > 0)
                {
                    if (c.sinceArmed != activeN)
                    {
                        throw new AssertionError("TcpPassive after " + c.sinceArmed + " messages of {active, " +
                            activeN + "}, " + c.plan);
                    }
                    c.sinceArmed = 0;
                    Inet.setopts(s, arm(c.mode, activeN));
                }
                else if (m instanceof TcpClosed)
                {
                    closeEnded(c, s, open, boxes);
                }
                else
                {
                    throw new AssertionError("unexpected for " + c.plan + ": " + m);
                }
            }
        }
    }

    /**
     * The stream of C (socket S) ended: checks that it is complete, closes S and, when it was the last open one,
     * tells every mailbox in BOXES that all is done.
     */
    private static void closeEnded(final Conn c, final Socket s, final java.util.concurrent.atomic.AtomicInteger open,
        final Mailbox[] boxes)
    {
        c.checker.assertComplete();
        c.closed = true;
        GenTcp.close(s);
        if (open.decrementAndGet() == 0)
        {
            for (final Mailbox b : boxes)
            {
                b.send(DONE);
            }
        }
    }

    /** Hands S over to mailbox TO, counting it in MOVES, unless its stream has ended. */
    private static void handOver(final Socket s, final Mailbox to, final java.util.concurrent.atomic.AtomicLong moves)
    {
        try
        {
            GenTcp.controllingProcess(s, to);
            moves.incrementAndGet();
        }
        catch (final GenTcpException e)
        {
            // the stream has ended (its TcpClosed is on its way here): the socket is gone, as an
            // Erlang port is once it has sent tcp_closed
            if (e.reason() != Reason.CLOSED)
            {
                throw e;
            }
        }
    }

    private static InetSocket socketOf(final SocketMessage m)
    {
        if (m instanceof Tcp)
        {
            return ((Tcp)m).socket();
        }
        if (m instanceof TcpClosed)
        {
            return ((TcpClosed)m).socket();
        }
        if (m instanceof TcpError)
        {
            return ((TcpError)m).socket();
        }
        if (m instanceof TcpPassive)
        {
            return ((TcpPassive)m).socket();
        }
        throw new AssertionError("unexpected message " + m);
    }

    /**
     * DRIVERS client threads, each connecting its share of PLANS and then sending packet after
     * packet round-robin over its connections; with ECHOED, after each round it reads every
     * echo back and checks it. Each closes its connections when done.
     */
    private static void startClients(final Traffic traffic, final long seed, final boolean echoed,
        final List<Thread> threads)
    {
        final StressPlan[] plans = traffic.plans;
        final int port = Inet.port(traffic.listen);
        for (int d = 0; d < DRIVERS; d++)
        {
            final int driver = d;
            final SplittableRandom r = new SplittableRandom(StressRun.mix(seed + d));
            threads.add(traffic.failures.start("stress-client-" + d, () ->
            {
                final List<StressPlan> mine = new ArrayList<>();
                for (int i = driver; i < plans.length; i += DRIVERS)
                {
                    mine.add(plans[i]);
                }
                final Socket[] sockets = new Socket[mine.size()];
                final StressPlan.Checker[] echoes = new StressPlan.Checker[mine.size()];
                for (int i = 0; i < sockets.length; i++)
                {
                    final StressPlan plan = mine.get(i);
                    sockets[i] = GenTcp.connect("127.0.0.1", port, IO_TIMEOUT_MS, binary(), active(false), packet(0));
                    traffic.ports.put(Inet.sockname(sockets[i]).getPort(), plan.conn);
                    GenTcp.send(sockets[i], new byte[] {(byte)(plan.conn >>> 24), (byte)(plan.conn >>> 16),
                        (byte)(plan.conn >>> 8), (byte)plan.conn});
                    Inet.setopts(sockets[i], plan.packetOption());
                    echoes[i] = plan.new Checker("client (echo)");
                }
                int most = 0;
                for (final StressPlan plan : mine)
                {
                    most = Math.max(most, plan.packets);
                }
                for (int seq = 0; seq < most && !traffic.failures.any(); seq++)
                {
                    for (int i = 0; i < sockets.length; i++)
                    {
                        if (seq < mine.get(i).packets)
                        {
                            mine.get(i).send(sockets[i], mine.get(i).packet(seq)[0], r);
                        }
                    }
                    if (echoed)
                    {
                        for (int i = 0; i < sockets.length; i++)
                        {
                            if (seq < mine.get(i).packets)
                            {
                                readEcho(sockets[i], mine.get(i), seq, echoes[i], traffic.deadline);
                            }
                        }
                    }
                }
                for (int i = 0; i < sockets.length; i++)
                {
                    if (echoed)
                    {
                        echoes[i].assertComplete();
                    }
                    GenTcp.close(sockets[i]);
                }
            }));
        }
    }

    private static void readEcho(final Socket s, final StressPlan plan, final int seq, final StressPlan.Checker echo,
        final StressRun.Deadline deadline)
    {
        final long limit = Math.min(IO_TIMEOUT_MS, deadline.remainingMs());
        if (plan.type == PacketType.RAW)
        {
            final int n = plan.packet(seq)[1].length;
            if (n > 0)
            {
                echo.onData(GenTcp.recv(s, n, limit));
            }
        }
        else
        {
            echo.onData(GenTcp.recv(s, 0, limit));
        }
    }

    /**
     * CONNS connections, each served by a platform thread of its own: passive recv of every
     * packet, checked, and sent back; the client checks each echo. The acceptor owns the
     * sockets and outlives their threads.
     */
    static void threadPerConnection(final long seed, final int conns, final long limitMs) throws Exception
    {
        final SplittableRandom r = new SplittableRandom(seed);
        try (Traffic traffic = new Traffic(StressPlan.randomPlans(conns, r, 8, 256 << 10, true), limitMs))
        {
            final StressRun.Failures failures = traffic.failures;
            final List<Thread> threads = new ArrayList<>();
            final long[] echoed = new long[1];
            threads.add(failures.start("stress-acceptor", () ->
            {
                final List<Thread> servers = new ArrayList<>();
                for (int i = 0; i < conns && !failures.any(); i++)
                {
                    final Socket s = GenTcp.accept(traffic.listen, traffic.deadline.remainingMs());
                    servers.add(failures.start("stress-server-" + i, () -> echo(traffic, s, echoed)));
                }
                failures.join(servers, traffic.deadline);
            }));
            startClients(traffic, r.nextLong(), true, threads);
            failures.join(threads, traffic.deadline);
            synchronized (echoed)
            {
                System.out.printf("stress thread per connection: %d connections, %d packets echoed%n", conns,
                    echoed[0]);
            }
        }
    }

    private static void echo(final Traffic traffic, final Socket s, final long[] echoed)
    {
        try
        {
            final StressPlan plan = traffic.plans[traffic.identify(s)];
            final StressPlan.Checker checker = plan.new Checker("server");
            Inet.setopts(s, plan.packetOption());
            int packets = 0;
            for (;;)
            {
                final byte[] data;
                try
                {
                    data = GenTcp.recv(s, 0, Math.min(IO_TIMEOUT_MS, traffic.deadline.remainingMs()));
                }
                catch (final GenTcpException e)
                {
                    if (e.reason() != Reason.CLOSED)
                    {
                        throw e;
                    }
                    break;
                }
                checker.onData(data);
                GenTcp.send(s, data);
                packets++;
            }
            checker.assertComplete();
            synchronized (echoed)
            {
                echoed[0] += packets;
            }
        }
        finally
        {
            GenTcp.close(s);
        }
    }
}
