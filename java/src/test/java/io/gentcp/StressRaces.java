package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Many threads calling close, recv, send, setopts, controllingProcess, shutdown, getopts and
 * their mailboxes' receive on the same shared sockets at once. Every call must end in a
 * documented outcome (its value, or one of the reasons listed for it), no call may hang past
 * the scenario's limit, and every packet that arrives, by recv or as a message, must be whole,
 * come from the peer of the socket that delivers it (each packet names its pair and the side
 * that sent it), and carry exactly the bytes its header describes: packets of concurrent
 * senders never interleave, and no socket delivers another's bytes.
 *
 * <p>Closing a socket closes its pair and puts a new pair in its place (a new connection,
 * owned by the closing worker until a controllingProcess moves it); now and then a worker
 * closes its whole mailbox, and with it every socket it owns, under the others' calls.
 */
final class StressRaces
{
    private static final int WORKERS = 8;
    private static final int HEADER = 16;
    /**
     * A send waits at most this long at the high watermark, so that senders cannot all wait on readers that wait too.
     */
    private static final int SEND_TIMEOUT_MS = 100;

    private static final Set<Reason> SEND = EnumSet.of(Reason.CLOSED, Reason.TIMEOUT, Reason.ENOTCONN);
    private static final Set<Reason> RECV = EnumSet.of(Reason.CLOSED, Reason.TIMEOUT, Reason.EINVAL, Reason.EALREADY,
        Reason.ENOTCONN);
    private static final Set<Reason> OPTS = EnumSet.of(Reason.EINVAL);
    private static final Set<Reason> OWNER = EnumSet.of(Reason.NOT_OWNER, Reason.CLOSED, Reason.BADARG);
    private static final Set<Reason> SHUTDOWN = EnumSet.of(Reason.CLOSED, Reason.ENOTCONN);
    private static final Set<Reason> INFO = EnumSet.of(Reason.EINVAL, Reason.ENOTCONN);
    private static final Set<Reason> RECEIVE = EnumSet.of(Reason.TIMEOUT);

    private StressRaces()
    {
    }

    /** One end of connection PAIR (unique in the run): side 0 connected, side 1 accepted. */
    private record End(int pair, int side)
    {
    }

    /**
     * What the workers share: the sockets (slot 2p and 2p+1 hold the two ends of pair p's
     * current connection), each worker's mailbox, the run's deadline and its counts.
     */
    private static final class Shared
    {
        final AtomicReferenceArray<Socket> sockets;
        final Map<Socket, End> ends = new ConcurrentHashMap<>();
        final AtomicInteger connections = new AtomicInteger();
        final List<Socket> all = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicReferenceArray<Mailbox> owners = new AtomicReferenceArray<>(WORKERS);
        final StressRun.Deadline deadline;
        /** Packets checked, and calls made, by all the workers. */
        final AtomicLong packets = new AtomicLong();
        final AtomicLong calls = new AtomicLong();

        Shared(final int pairs, final StressRun.Deadline deadline)
        {
            sockets = new AtomicReferenceArray<>(2 * pairs);
            this.deadline = deadline;
        }

        /** A new connection (unique number) for the pair in slots 2p and 2p+1. */
        void connect(final int pair)
        {
            final int id = connections.getAndIncrement();
            final ListenSocket l = GenTcp.listen(0, binary(), packet(4), active(false),
                Option.sendTimeout(SEND_TIMEOUT_MS));
            try
            {
                final Socket client = GenTcp.connect("127.0.0.1", Inet.port(l), 10_000, binary(), packet(4),
                    active(false), Option.sendTimeout(SEND_TIMEOUT_MS));
                final Socket server = GenTcp.accept(l, 10_000);
                all.add(client);
                all.add(server);
                ends.put(client, new End(id, 0));
                ends.put(server, new End(id, 1));
                sockets.set(2 * pair, client);
                sockets.set(2 * pair + 1, server);
            }
            finally
            {
                GenTcp.close(l);
            }
        }
    }

    static void run(final long seed, final int pairs, final int opsPerWorker, final long limitMs) throws Exception
    {
        final StressRun.Deadline deadline = new StressRun.Deadline(limitMs);
        final StressRun.Failures failures = new StressRun.Failures();
        final Shared shared = new Shared(pairs, deadline);
        final CountDownLatch ready = new CountDownLatch(WORKERS);
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        try
        {
            for (int p = 0; p < pairs; p++)
            {
                shared.connect(p);
            }
            for (int w = 0; w < WORKERS; w++)
            {
                final int worker = w;
                final SplittableRandom r = new SplittableRandom(StressRun.mix(seed + w));
                threads.add(failures.start("stress-race-" + w, () ->
                {
                    shared.owners.set(worker, Mailbox.current());
                    ready.countDown();
                    go.await();
                    new Worker(worker, r, shared).run(opsPerWorker);
                }));
            }
            if (!ready.await(deadline.remainingMs(), TimeUnit.MILLISECONDS))
            {
                throw new AssertionError("the race workers did not start");
            }
            // hand the sockets out among the workers' mailboxes, so that each has some to own
            final SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < 2 * pairs; i++)
            {
                GenTcp.controllingProcess(shared.sockets.get(i), shared.owners.get(r.nextInt(WORKERS)));
            }
            go.countDown();
            failures.join(threads, deadline);
            System.out.printf("stress races: %d slots, %d connections, %d workers, %d calls, %d packets checked%n",
                2 * pairs, shared.connections.get(), WORKERS, shared.calls.get(), shared.packets.get());
        }
        finally
        {
            go.countDown();
            synchronized (shared.all)
            {
                for (final Socket s : shared.all)
                {
                    GenTcp.close(s);
                }
            }
        }
    }

    private static final class Worker
    {
        private final int id;
        private final SplittableRandom r;
        private final Shared shared;
        private Mailbox mine = Mailbox.current();
        private int seq;

        Worker(final int id, final SplittableRandom r, final Shared shared)
        {
            this.id = id;
            this.r = r;
            this.shared = shared;
        }

        void run(final int ops)
        {
            for (int i = 0; i < ops && !shared.deadline.passed(); i++)
            {
                final int slot = r.nextInt(shared.sockets.length());
                final Socket s = shared.sockets.get(slot);
                if (s == null) // being replaced
                {
                    continue;
                }
                final int op = r.nextInt(1000);
                try
                {
                    if (op < 300)
                    {
                        GenTcp.send(s, packetFrom(shared.ends.get(s)));
                    }
                    else if (op < 500)
                    {
                        final byte[] got = GenTcp.recv(s, 0, r.nextInt(20) == 0 ? 50 : r.nextInt(3));
                        check(s, got);
                    }
                    else if (op < 650)
                    {
                        Inet.setopts(s, randomOption());
                    }
                    else if (op < 750)
                    {
                        GenTcp.controllingProcess(s, shared.owners.get(r.nextInt(shared.owners.length())));
                    }
                    else if (op < 900)
                    {
                        drain();
                    }
                    else if (op < 990)
                    {
                        if (r.nextBoolean())
                        {
                            Inet.getopts(s, OptionName.ACTIVE, OptionName.HIGH_WATERMARK, OptionName.SEND_TIMEOUT);
                        }
                        else
                        {
                            Inet.getstat(s);
                        }
                    }
                    else if (op < 992)
                    {
                        GenTcp.shutdown(s, GenTcp.How.WRITE);
                    }
                    else if (op < 999)
                    {
                        // the pair goes, a new connection takes its slots
                        final int pair = slot / 2;
                        final Socket other = shared.sockets.get(slot ^ 1);
                        GenTcp.close(s);
                        if (other != null) // null: another worker is replacing the pair
                        {
                            GenTcp.close(other);
                        }
                        if (shared.sockets.compareAndSet(slot, s, null))
                        {
                            shared.connect(pair);
                        }
                    }
                    else if (r.nextInt(4) == 0)
                    {
                        // the owner "exits": its sockets close with it
                        mine.close();
                        mine = Mailbox.current();
                        shared.owners.set(id, mine);
                    }
                }
                catch (final GenTcpException e)
                {
                    final Set<Reason> allowed = op < 300 ? SEND : op < 500 ? RECV : op < 650 ? OPTS : op < 750 ? OWNER
                        : op < 900 ? RECEIVE : op < 990 ? INFO : SHUTDOWN;
                    if (!allowed.contains(e.reason()))
                    {
                        throw new AssertionError("worker " + id + ", operation " + op + " on " + shared.ends.get(s) +
                            ": " + e, e);
                    }
                }
                shared.calls.incrementAndGet();
            }
            // the worker's last look at its mailbox
            try
            {
                drain();
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.TIMEOUT)
                {
                    throw e;
                }
            }
        }

        private Option randomOption()
        {
            switch (r.nextInt(6))
            {
                case 0:
                    return active(false);
                case 1:
                    return active(Option.once());
                case 2:
                    return active(1 + r.nextInt(5));
                case 3:
                    return active(r.nextInt(8) == 0);
                case 4:
                    return Option.nodelay(r.nextBoolean());
                default:
                    final int high = 1024 << r.nextInt(8);
                    return r.nextBoolean() ? Option.highWatermark(high) : Option.lowWatermark(high / 2);
            }
        }

        /** Up to 20 messages of this worker's mailbox, each checked. */
        private void drain()
        {
            for (int i = 0; i < 20; i++)
            {
                final Object m = mine.receive(r.nextInt(2));
                if (m instanceof Tcp)
                {
                    final Tcp tcp = (Tcp)m;
                    check(tcp.socket(), (byte[])tcp.data());
                }
                else if (m instanceof TcpClosed || m instanceof TcpPassive)
                {
                    final InetSocket s = m instanceof TcpClosed ? ((TcpClosed)m).socket() : ((TcpPassive)m).socket();
                    if (!shared.ends.containsKey(s))
                    {
                        throw new AssertionError("a message naming a socket of no pair: " + m);
                    }
                }
                else if (m instanceof TcpError)
                {
                    throw new AssertionError("worker " + id + ": " + m + " for " +
                        shared.ends.get(((TcpError)m).socket()));
                }
                else
                {
                    throw new AssertionError("worker " + id + ": a message no one sent: " + m);
                }
            }
        }

        /** A packet that names FROM (pair, side), this worker and its number, then bytes made from those. */
        private byte[] packetFrom(final End from)
        {
            final int size = r.nextInt(50) == 0 ? r.nextInt(200_000) : r.nextInt(2_000);
            final byte[] packet = new byte[HEADER + size];
            putInt(packet, 0, from.pair());
            putInt(packet, 4, from.side());
            putInt(packet, 8, id);
            putInt(packet, 12, seq++);
            fill(packet);
            return packet;
        }

        private static void fill(final byte[] packet)
        {
            final byte[] body = body(getInt(packet, 0), getInt(packet, 4), getInt(packet, 8), getInt(packet, 12),
                packet.length - HEADER);
            System.arraycopy(body, 0, packet, HEADER, body.length);
        }

        private static byte[] body(final int pair, final int side, final int worker, final int seq, final int size)
        {
            final byte[] body = new byte[size];
            new SplittableRandom(StressRun.mix(((long)pair << 40) ^ ((long)side << 32) ^ ((long)worker << 24) ^ seq))
                .nextBytes(body);
            return body;
        }

        /** GOT arrived on AT: it must be a whole packet that AT's peer sent. */
        private void check(final InetSocket at, final byte[] got)
        {
            final End end = shared.ends.get(at);
            if (end == null)
            {
                throw new AssertionError("a packet delivered by a socket of no pair");
            }
            if (got.length < HEADER)
            {
                throw new AssertionError("a packet of " + got.length + " bytes on " + end + ": not one that was sent");
            }
            final int pair = getInt(got, 0);
            final int side = getInt(got, 4);
            if (pair != end.pair() || side != 1 - end.side())
            {
                throw new AssertionError("socket " + end + " delivered a packet sent by " + new End(pair, side));
            }
            final byte[] body = body(pair, side, getInt(got, 8), getInt(got, 12), got.length - HEADER);
            for (int i = 0; i < body.length; i++)
            {
                if (body[i] != got[HEADER + i])
                {
                    throw new AssertionError("socket " + end + ": packet " + getInt(got, 12) + " of worker " +
                        getInt(got, 8) + " differs at byte " + (HEADER + i) + " of " + got.length);
                }
            }
            shared.packets.incrementAndGet();
        }

        private static void putInt(final byte[] b, final int at, final int v)
        {
            b[at] = (byte)(v >>> 24);
            b[at + 1] = (byte)(v >>> 16);
            b[at + 2] = (byte)(v >>> 8);
            b[at + 3] = (byte)v;
        }

        private static int getInt(final byte[] b, final int at)
        {
            return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
        }
    }
}
