package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.backlog;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connect/close churn: client threads connect, maybe send a packet or wait briefly for one,
 * and close (or shut down first), over and over, some to a port nothing listens on; acceptor
 * threads accept with time limits and close at once, after a recv, after a send, or after
 * {active, once} messages; finally the listen socket closes under the acceptors still waiting.
 * Every call ends in a documented outcome; each packet carries its sender's local port, so a
 * packet (or a message) on any other connection than its own is caught.
 */
final class StressChurn
{
    private static final int CONNECTORS = 4;
    private static final int ACCEPTORS = 2;

    private StressChurn()
    {
    }

    static void run(final long seed, final int connectionsPerConnector, final long limitMs) throws Exception
    {
        final StressRun.Deadline deadline = new StressRun.Deadline(limitMs);
        final StressRun.Failures failures = new StressRun.Failures();
        final ListenSocket listen = GenTcp.listen(0, binary(), packet(4), active(false), backlog(1024));
        final int port = Inet.port(listen);
        final ListenSocket gone = GenTcp.listen(0);
        final int deadPort = Inet.port(gone);
        GenTcp.close(gone);
        final AtomicLong connected = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong checked = new AtomicLong();
        final AtomicBoolean connectorsDone = new AtomicBoolean();
        final List<Thread> acceptors = new ArrayList<>();
        final List<Thread> connectors = new ArrayList<>();
        try
        {
            for (int a = 0; a < ACCEPTORS; a++)
            {
                final SplittableRandom r = new SplittableRandom(StressRun.mix(seed + 100 + a));
                acceptors.add(failures.start("stress-acceptor-" + a, () ->
                    accept(listen, r, connectorsDone, deadline, accepted, checked)));
            }
            for (int c = 0; c < CONNECTORS; c++)
            {
                final SplittableRandom r = new SplittableRandom(StressRun.mix(seed + c));
                connectors.add(failures.start("stress-connector-" + c, () ->
                {
                    for (int i = 0; i < connectionsPerConnector && !deadline.passed(); i++)
                    {
                        connectOnce(port, deadPort, r, connected, refused);
                    }
                }));
            }
            failures.join(connectors, deadline);
            connectorsDone.set(true);
        }
        finally
        {
            // ends every accept still waiting: with closed, at once
            GenTcp.close(listen);
        }
        failures.join(acceptors, deadline);
        if (accepted.get() > connected.get())
        {
            throw new AssertionError(accepted.get() + " connections accepted, but only " + connected.get() + " made");
        }
        System.out.printf("stress churn: %d connects, %d refused, %d accepted, %d packets checked%n", connected.get(),
            refused.get(), accepted.get(), checked.get());
    }

    private static void connectOnce(final int port, final int deadPort, final SplittableRandom r,
        final AtomicLong connected, final AtomicLong refused)
    {
        if (r.nextInt(20) == 0)
        {
            try
            {
                GenTcp.close(GenTcp.connect("127.0.0.1", deadPort, 5_000, binary()));
                throw new AssertionError("a connect to port " + deadPort + ", where nothing listens, succeeded");
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.ECONNREFUSED)
                {
                    throw e;
                }
                refused.incrementAndGet();
                return;
            }
        }
        final boolean activeOnce = r.nextInt(4) == 0;
        final Socket s = GenTcp.connect("127.0.0.1", port, 10_000, binary(), packet(4),
            activeOnce ? active(Option.once()) : active(false));
        final int myPort = Inet.sockname(s).getPort();
        connected.incrementAndGet();
        try
        {
            switch (r.nextInt(5))
            {
                case 0:
                    break;
                case 1:
                case 2:
                    GenTcp.send(s, packetFor(myPort, r));
                    break;
                case 3:
                    GenTcp.send(s, packetFor(myPort, r));
                    GenTcp.shutdown(s, GenTcp.How.WRITE);
                    break;
                default:
                    if (!activeOnce)
                    {
                        checkPacket(GenTcp.recv(s, 0, r.nextInt(20)), myPort, "connection from port " + myPort);
                    }
                    break;
            }
        }
        catch (final GenTcpException e)
        {
            // the acceptor may close first, or have nothing to say
            if (e.reason() != Reason.CLOSED && e.reason() != Reason.TIMEOUT && e.reason() != Reason.ENOTCONN)
            {
                throw e;
            }
        }
        finally
        {
            GenTcp.close(s);
        }
        // what an active socket's mailbox received: only messages of this connection, none after close
        final Mailbox mine = Mailbox.current();
        for (;;)
        {
            final Object m;
            try
            {
                m = mine.receive(0);
            }
            catch (final GenTcpException e)
            {
                break;
            }
            if (m instanceof Tcp && ((Tcp)m).socket() == s)
            {
                checkPacket((byte[])((Tcp)m).data(), myPort, "message for the connection from port " + myPort);
            }
            else if (!(m instanceof TcpClosed) || ((TcpClosed)m).socket() != s)
            {
                throw new AssertionError("after closing its connection, a connector's mailbox holds " + m);
            }
        }
    }

    private static void accept(final ListenSocket listen, final SplittableRandom r, final AtomicBoolean connectorsDone,
        final StressRun.Deadline deadline, final AtomicLong accepted, final AtomicLong checked)
    {
        final Mailbox mine = Mailbox.current();
        final Map<InetSocket, Integer> peers = Collections.synchronizedMap(new IdentityHashMap<>());
        for (;;)
        {
            final Socket s;
            try
            {
                s = GenTcp.accept(listen, Math.min(500, deadline.remainingMs()));
            }
            catch (final GenTcpException e)
            {
                if (e.reason() == Reason.CLOSED)
                {
                    return;
                }
                if (e.reason() != Reason.TIMEOUT || deadline.passed())
                {
                    throw e;
                }
                continue;
            }
            accepted.incrementAndGet();
            try
            {
                final int peer = Inet.peername(s).getPort();
                peers.put(s, peer);
                switch (r.nextInt(4))
                {
                    case 0:
                        break;
                    case 1:
                        checkPacket(GenTcp.recv(s, 0, 50), peer, "accepted from port " + peer);
                        checked.incrementAndGet();
                        break;
                    case 2:
                        GenTcp.send(s, packetFor(peer, r)); // to the connector: its own port
                        break;
                    default:
                        Inet.setopts(s, active(Option.once()));
                        final Object m = mine.receive(50);
                        if (m instanceof Tcp)
                        {
                            final Integer from = peers.get(((Tcp)m).socket());
                            if (from == null)
                            {
                                throw new AssertionError(
                                    "a message naming a socket this acceptor never accepted: " + m);
                            }
                            checkPacket((byte[])((Tcp)m).data(), from,
                                "message for the socket accepted from port " + from);
                            checked.incrementAndGet();
                        }
                        else if (!(m instanceof TcpClosed) || !peers.containsKey(((TcpClosed)m).socket()))
                        {
                            throw new AssertionError("an acceptor got " + m);
                        }
                        break;
                }
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.CLOSED && e.reason() != Reason.TIMEOUT && e.reason() != Reason.ENOTCONN &&
                    e.reason() != Reason.EINVAL)
                {
                    throw e;
                }
            }
            finally
            {
                GenTcp.close(s);
            }
        }
    }

    /**
     * A packet: a port (the connector's: it sent it, or it is the one to receive it), then up to 2 KiB made from it.
     */
    private static byte[] packetFor(final int fromPort, final SplittableRandom r)
    {
        final byte[] body = body(fromPort, r.nextInt(2_048));
        final byte[] packet = new byte[4 + body.length];
        packet[0] = (byte)(fromPort >>> 24);
        packet[1] = (byte)(fromPort >>> 16);
        packet[2] = (byte)(fromPort >>> 8);
        packet[3] = (byte)fromPort;
        System.arraycopy(body, 0, packet, 4, body.length);
        return packet;
    }

    private static byte[] body(final int port, final int size)
    {
        final byte[] body = new byte[size];
        new SplittableRandom(StressRun.mix(port)).nextBytes(body);
        return body;
    }

    private static void checkPacket(final byte[] got, final int peerPort, final String where)
    {
        final int from = got.length < 4 ? -1
            : ((got[0] & 0xff) << 24) | ((got[1] & 0xff) << 16) | ((got[2] & 0xff) << 8) | (got[3] & 0xff);
        if (from != peerPort)
        {
            throw new AssertionError(where + ": a packet sent from port " + from + " (" + got.length + " bytes)");
        }
        final byte[] want = body(from, got.length - 4);
        for (int i = 0; i < want.length; i++)
        {
            if (want[i] != got[4 + i])
            {
                throw new AssertionError(where + ": byte " + (4 + i) + " of " + got.length + " differs");
            }
        }
    }
}
