package io.gentcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scenario must give back: the process's open descriptors (/proc/self/fd) and the C
 * library's live allocations. Closes and frees can finish after the calls that asked for them
 * (a mailbox reaped after its thread ended, the I/O thread's lingering close), so
 * {@link #assertBackTo} polls until the counts are back, up to a time limit.
 */
final class Baseline
{
    /** How long releases may take after a scenario's last call. */
    static final long SETTLE_MS = 20_000;
    private static final long POLL_MS = 10;

    private final Map<Integer, String> fds;
    private final NativeCounters memory;

    private Baseline(final Map<Integer, String> fds, final NativeCounters memory)
    {
        this.fds = fds;
        this.memory = memory;
    }

    static Baseline capture()
    {
        return new Baseline(openFds(), NativeCounters.now());
    }

    /** Waits until the descriptors and the C allocations are back to this baseline; fails after SETTLE_MS. */
    void assertBackTo(final String after) throws InterruptedException
    {
        final StressRun.Deadline deadline = new StressRun.Deadline(SETTLE_MS);
        for (;;)
        {
            final Map<Integer, String> nowFds = openFds();
            final NativeCounters nowMemory = NativeCounters.now();
            if (nowFds.size() <= fds.size() && nowMemory.atMost(memory))
            {
                return;
            }
            if (deadline.passed())
            {
                final Map<Integer, String> extra = new TreeMap<>(nowFds);
                extra.keySet().removeAll(fds.keySet());
                throw new AssertionError("after " + after + ", not back to the baseline within " + SETTLE_MS + " ms: " +
                    nowFds.size() + " descriptors open against " + fds.size() + " before (new ones: " +
                    abbreviated(extra) + "); C allocations " + nowMemory + " against " + memory + " before");
            }
            Thread.sleep(POLL_MS);
        }
    }

    @Override
    public String toString()
    {
        return fds.size() + " descriptors, C allocations " + memory;
    }

    private static String abbreviated(final Map<Integer, String> fds)
    {
        final String all = fds.toString();
        return all.length() <= 400 ? all : all.substring(0, 400) + "...";
    }

    /** The open descriptors, each with what it refers to (a socket, an eventpoll ...). */
    static Map<Integer, String> openFds()
    {
        final Map<Integer, String> open = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd")))
        {
            for (final Path fd : dir)
            {
                String target;
                try
                {
                    target = Files.readSymbolicLink(fd).toString();
                }
                catch (final IOException gone) // the stream's own descriptor, or one closed meanwhile
                {
                    target = "?";
                }
                if (!target.startsWith("/proc/") || !target.endsWith("/fd")) // not this listing's own
                {
                    open.put(Integer.parseInt(fd.getFileName().toString()), target);
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return open;
    }

    /** The soft limit on open files, from /proc/self/limits. */
    static long openFileLimit()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/limits")))
            {
                if (line.startsWith("Max open files"))
                {
                    final String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no open files limit in /proc/self/limits");
    }

    /** The C library's live allocations: {@link Inet#nativeMemory()}, compared place by place. */
    record NativeCounters(NativeMemory memory)
    {
        static NativeCounters now()
        {
            return new NativeCounters(Inet.nativeMemory());
        }

        /** Whether no count is above BEFORE's. */
        boolean atMost(final NativeCounters before)
        {
            final NativeMemory b = before.memory;
            return memory.receiveBufferBytes() <= b.receiveBufferBytes() &&
                memory.receiveBufferBlocks() <= b.receiveBufferBlocks() &&
                memory.sendQueueBytes() <= b.sendQueueBytes() && memory.sendQueueBlocks() <= b.sendQueueBlocks() &&
                memory.mailboxBytes() <= b.mailboxBytes() && memory.mailboxBlocks() <= b.mailboxBlocks();
        }

        @Override
        public String toString()
        {
            return "receive buffers " + memory.receiveBufferBytes() + " bytes in " + memory.receiveBufferBlocks() +
                " blocks, send queues " + memory.sendQueueBytes() + " in " + memory.sendQueueBlocks() + ", mailboxes " +
                memory.mailboxBytes() + " in " + memory.mailboxBlocks();
        }
    }
}
