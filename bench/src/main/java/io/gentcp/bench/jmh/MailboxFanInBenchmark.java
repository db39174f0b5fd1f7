package io.gentcp.bench.jmh;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;

import java.nio.ByteBuffer;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.gentcp.GenTcp;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Mailbox;
import io.gentcp.MailboxHandler;
import io.gentcp.Socket;
import io.gentcp.Tcp;

/**
 * One mailbox owning many active sockets ({@code {active, true}}, {@code {packet, 2}}), a
 * 32-byte message sent on each in turn: one operation is a send on the next client and the
 * mailbox's receive of it, as a record ({@link #sendOneReceiveOne}: a {@code Tcp} and its
 * {@code byte[]}) or handed to a {@link MailboxHandler} ({@link #sendOneHandleOne}: a view of
 * the bytes, no allocation). Throughput is messages per second; run {@code -bm sample} for
 * percentiles and {@code -prof gc} for the allocation per message.
 */
public class MailboxFanInBenchmark extends LoopbackBenchmark
{
    /** The sockets, each with its own peer. */
    @State(Scope.Thread)
    public static class Sockets
    {
        /** How many active sockets the mailbox owns. */
        @Param({"1000"})
        public int count;

        ListenSocket listen;
        Socket[] clients;
        ByteBuffer message;
        Mailbox mailbox;
        int next;
        /** What the handler variant hands its messages to: it sums the packets' lengths. */
        final Summer summer = new Summer();

        /** Opens COUNT connections; this thread's mailbox owns the accepted, active ends. */
        @Setup(Level.Trial)
        public void setUp()
        {
            mailbox = Mailbox.current();
            listen = GenTcp.listen(0, binary(), packet(2), active(true));
            clients = new Socket[count];
            for (int i = 0; i < count; i++)
            {
                clients[i] = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, binary(), packet(2), active(false));
                GenTcp.accept(listen, 5_000);
            }
            message = ByteBuffer.allocateDirect(32);
        }

        /** Sends the message on the next client, in turn. */
        void sendOnNext()
        {
            final Socket client = clients[next];
            next = next + 1 == count ? 0 : next + 1;
            message.clear();
            GenTcp.send(client, message);
        }

        /** Closes the mailbox (and the accepted sockets it owns with it). */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            mailbox.close();
        }
    }

    /** A handler that reads each packet's length, and fails on anything but a packet. */
    static final class Summer implements MailboxHandler
    {
        long bytes;

        @Override
        public void onData(final Socket socket, final ByteBuffer data)
        {
            bytes += data.remaining();
        }

        @Override
        public void onMessage(final Object message)
        {
            throw new IllegalStateException("unexpected " + message);
        }
    }

    /** A message on the next socket, and its receipt through the mailbox, handed to a handler. */
    @Benchmark
    public long sendOneHandleOne(final Sockets s)
    {
        s.sendOnNext();
        if (s.mailbox.receive(s.summer, 1, 5_000) != 1)
        {
            throw new IllegalStateException("no message within 5 s");
        }
        return s.summer.bytes;
    }

    /** A message on the next socket, and its receipt through the mailbox. */
    @Benchmark
    public Object sendOneReceiveOne(final Sockets s)
    {
        s.sendOnNext();
        final Object m = s.mailbox.receive(5_000);
        if (!(m instanceof Tcp))
        {
            throw new IllegalStateException("unexpected " + m);
        }
        return m;
    }
}
