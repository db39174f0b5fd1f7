package io.gentcp.bench.command;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

import io.gentcp.CpuAffinity;
import io.gentcp.GenTcp;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.PacketType;
import io.gentcp.Socket;
import io.gentcp.bench.Flags;
import io.gentcp.bench.Json;
import io.gentcp.bench.Placement;
import io.gentcp.bench.reference.ThroughputRef;
import io.gentcp.bench.transfer.Blast;
import io.gentcp.bench.transfer.NioTransfer;
import io.gentcp.bench.transfer.Sink;
import io.gentcp.bench.transfer.Transfer;
import io.gentcp.bench.transfer.Tuning;

/**
 * {@code throughput [--bytes N] [--messages N] [--runs R] [--cpus S,C] [--nodelay]}: one-way bulk
 * transfers over loopback, each with one C end ({@code throughput_ref}), side by side in one run:
 * C to C, gentcp to C, gentcp with {@code {delay_send, true}} to C, C to gentcp, java.nio to C,
 * C to java.nio; first raw in 64 KiB sends (N bytes),
 * then 1 KiB {@code {packet, 4}} messages, one send each (N messages). Every row is the
 * receiver's count (from accept to end of file) after one unmeasured warm-up transfer of an
 * eighth of the size, and is divided by the C-to-C row of its table. With {@code --runs R}
 * every table is run R times round, rows interleaved, and each row is its median MiB/s (on a
 * shared machine, one run's load spike then moves no ratio). The receiver runs on CPU
 * S and the sender on CPU C (the JVM end pins its thread, the C end its process). With
 * {@code --nodelay} every end of every row sets TCP_NODELAY (gentcp {@code {nodelay, true}}).
 * With {@code --json} each row is a JSON object with the same figures, and the titles and headers
 * are left out.
 */
public final class ThroughputCommand
{
    public static final Set<String> FLAGS = Set.of("--bytes", "--messages", "--runs", "--cpus", "--nodelay", "--json");
    private static final double MIB = 1024.0 * 1024.0;
    /** How long a receiver in this JVM waits for the C sender to connect: only a bound against hangs. */
    private static final int ACCEPT_TIMEOUT_MS = 60_000;
    /** The raw table's send size. */
    static final int RAW_SIZE = 64 * 1024;
    /** The framed table's message body. */
    static final int PACKET_SIZE = 1024;
    static final String TABLE_HEADER = row("sender -> receiver", "MiB/s", "msg/s", "vs C");

    private ThroughputCommand()
    {
    }

    /** The ends a row can have. */
    enum Impl
    {
        C("C"), GENTCP("gentcp"), GENTCP_DELAY_SEND("gentcp delay_send"), NIO("java.nio");

        final String label;

        Impl(final String label)
        {
            this.label = label;
        }
    }

    /** The rows of each table, sender first; the first is every row's denominator. */
    static final Impl[][] ROWS = {
        {Impl.C, Impl.C}, {Impl.GENTCP, Impl.C}, {Impl.GENTCP_DELAY_SEND, Impl.C}, {Impl.C, Impl.GENTCP},
        {Impl.NIO, Impl.C}, {Impl.C, Impl.NIO}};

    public static void run(final Flags flags, final PrintStream out) throws IOException, InterruptedException
    {
        final long bytes = flags.longValue("--bytes", 2L << 30, RAW_SIZE, BlastCommand.MAX_BYTES);
        final long messages = flags.longValue("--messages", 1L << 20, 1, BlastCommand.MAX_BYTES / PACKET_SIZE);
        final int runs = flags.intValue("--runs", 1, 1, 100);
        final Placement placement = Placement.onThisMachine(flags.optional("--cpus"));
        final boolean nodelay = flags.isSet("--nodelay");
        final boolean json = flags.isSet("--json");
        if (!placement.equals(Placement.ANY))
        {
            out.println(json
                ? Json.object().put("type", "placement").put("receiver_cpu", placement.serverCpu())
                    .put("sender_cpu", placement.clientCpu()).toString()
                : "placement: receiver " + cpu(placement.serverCpu()) + ", sender " + cpu(placement.clientCpu()));
        }
        if (nodelay)
        {
            out.println(json
                ? Json.object().put("type", "nodelay").put("nodelay", true).toString()
                : "nodelay: TCP_NODELAY at every end");
        }
        try (ThroughputRef ref = ThroughputRef.extract())
        {
            table(out, json ? null : "raw, " + RAW_SIZE + "-byte sends, " + bytes + " bytes", ref, PacketType.RAW,
                RAW_SIZE, bytes, placement, nodelay, runs);
            table(out, json ? null : "{packet,4}, " + PACKET_SIZE + "-byte messages, one send each, " + messages +
                " messages", ref, PacketType.FOUR, PACKET_SIZE, messages * PACKET_SIZE, placement, nodelay, runs);
        }
    }

    private static String cpu(final int cpu)
    {
        return cpu == Placement.ANY_CPU ? "any cpu" : "cpu " + cpu;
    }

    /** One table, titled TITLE; TITLE null prints it as one JSON object per row ({@code --json}). */
    private static void table(final PrintStream out, final String title, final ThroughputRef ref,
        final PacketType packet, final int size, final long bytes, final Placement placement, final boolean nodelay,
        final int runs)
        throws IOException, InterruptedException
    {
        final boolean json = title == null;
        if (!json)
        {
            out.println(runs == 1 ? title : title + ", median of " + runs + " runs");
            out.println(TABLE_HEADER);
            out.flush();
        }
        final double[][] mib = new double[ROWS.length][runs];
        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < ROWS.length; i++)
            {
                final Impl[] pair = ROWS[i];
                if (run == 0)
                {
                    transfer(ref, pair[0], pair[1], packet, size, Math.max(size, bytes / 8), placement, nodelay);
                }
                mib[i][run] = transfer(ref, pair[0], pair[1], packet, size, bytes, placement, nodelay).mibPerSecond();
                if (run == runs - 1)
                {
                    final double median = median(mib[i]);
                    final String mibPerS = String.format(Locale.ROOT, "%.1f", median);
                    final String msgPerS = Long.toString(Math.round(median * MIB / size));
                    final String vsC = String.format(Locale.ROOT, "%.2f", median / median(mib[0]));
                    out.println(json
                        ? Json.object().put("type", "row")
                            .put("table", packet == PacketType.RAW ? "raw" : "packet4").put("send_size", size)
                            .put("bytes", bytes).put("runs", runs).put("sender", pair[0].label)
                            .put("receiver", pair[1].label).number("mib_per_s", mibPerS).number("msg_per_s", msgPerS)
                            .number("vs_c", Double.isFinite(median / median(mib[0])) ? vsC : null).toString()
                        : row(pair[0].label + " -> " + pair[1].label, mibPerS, msgPerS, vsC));
                    out.flush();
                }
            }
        }
    }

    /** The median of VALUES (the mean of the middle two for an even count); sorts a copy. */
    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * One transfer from SENDER to RECEIVER, one of which is C. Returns the receiver's count,
     * checked against the sender's.
     */
    static Transfer transfer(final ThroughputRef ref, final Impl sender, final Impl receiver, final PacketType packet,
        final int size, final long bytes, final Placement placement) throws IOException, InterruptedException
    {
        return transfer(ref, sender, receiver, packet, size, bytes, placement, false);
    }

    /** The same, with TCP_NODELAY at both ends if NODELAY. */
    static Transfer transfer(final ThroughputRef ref, final Impl sender, final Impl receiver, final PacketType packet,
        final int size, final long bytes, final Placement placement, final boolean nodelay)
        throws IOException, InterruptedException
    {
        final Transfer received;
        final Transfer sent;
        if (receiver == Impl.C)
        {
            try (ThroughputRef.End sink = ref.sink(packet, placement.serverCpu(), nodelay))
            {
                if (sender == Impl.C)
                {
                    try (ThroughputRef.End blast = ref.blast(sink.port(), packet, size, bytes, placement.clientCpu(),
                        nodelay))
                    {
                        sent = blast.await();
                    }
                }
                else
                {
                    sent = sendFromJava(sender, sink.port(), packet, size, bytes, placement.clientCpu(), nodelay);
                }
                received = sink.await();
            }
        }
        else if (sender == Impl.C)
        {
            try (JavaReceiver r = JavaReceiver.open(receiver, packet, nodelay);
                ThroughputRef.End blast = ref.blast(r.port(), packet, size, bytes, placement.clientCpu(), nodelay))
            {
                received = pinned(placement.serverCpu(), r::receive);
                sent = blast.await();
            }
        }
        else
        {
            throw new IllegalArgumentException("one end must be C");
        }
        if (receiver == Impl.GENTCP_DELAY_SEND)
        {
            throw new IllegalArgumentException("delay_send is a sender's option");
        }
        final boolean framed = packet != PacketType.RAW;
        if (received.bytes() != sent.bytes() || framed && received.packets() != sent.packets())
        {
            throw new IOException(sender.label + " -> " + receiver.label + ": sent " + sent.bytes() + " bytes in " +
                sent.packets() + " packets, received " + received.bytes() + " in " + received.packets());
        }
        return received;
    }

    private static Transfer sendFromJava(final Impl sender, final int port, final PacketType packet, final int size,
        final long bytes, final int cpu, final boolean nodelay) throws IOException
    {
        return pinned(cpu, () ->
        {
            if (sender == Impl.NIO)
            {
                return NioTransfer.send(port, packet, size, bytes, nodelay);
            }
            final Socket socket = GenTcp.connect("127.0.0.1", port,
                new Tuning(nodelay, sender == Impl.GENTCP_DELAY_SEND, 0).options(packet));
            try
            {
                return Blast.send(socket, size, bytes);
            }
            finally
            {
                GenTcp.close(socket);
            }
        });
    }

    /** Something done on this thread that may fail with an IOException. */
    private interface Work
    {
        Transfer run() throws IOException;
    }

    private static Transfer pinned(final int cpu, final Work work) throws IOException
    {
        if (cpu != Placement.ANY_CPU)
        {
            CpuAffinity.pinCurrentThread(cpu);
        }
        try
        {
            return work.run();
        }
        finally
        {
            if (cpu != Placement.ANY_CPU)
            {
                CpuAffinity.unpinCurrentThread();
            }
        }
    }

    /** A receiving end in this JVM: listening before the C sender starts, then one connection. */
    private static final class JavaReceiver implements AutoCloseable
    {
        private final ListenSocket gentcp;
        private final NioTransfer.Receiver nio;

        private JavaReceiver(final ListenSocket gentcp, final NioTransfer.Receiver nio)
        {
            this.gentcp = gentcp;
            this.nio = nio;
        }

        static JavaReceiver open(final Impl impl, final PacketType packet, final boolean nodelay) throws IOException
        {
            return impl == Impl.NIO
                ? new JavaReceiver(null, new NioTransfer.Receiver(packet, nodelay))
                : new JavaReceiver(GenTcp.listen(0, new Tuning(nodelay, false, 0).options(packet)), null);
        }

        int port() throws IOException
        {
            return nio != null ? nio.port() : Inet.port(gentcp);
        }

        Transfer receive() throws IOException
        {
            if (nio != null)
            {
                return nio.receive(ACCEPT_TIMEOUT_MS);
            }
            final Socket socket = GenTcp.accept(gentcp, ACCEPT_TIMEOUT_MS);
            try
            {
                return Sink.receive(socket);
            }
            finally
            {
                GenTcp.close(socket);
            }
        }

        @Override
        public void close() throws IOException
        {
            if (nio != null)
            {
                nio.close();
            }
            else
            {
                GenTcp.close(gentcp);
            }
        }
    }

    private static String row(final String name, final String mib, final String msg, final String ratio)
    {
        return String.format(Locale.ROOT, "%-22s%10s%11s%7s", name, mib, msg, ratio);
    }
}
