package io.gentcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes the mailbox of a thread that ended without closing it, and with it the sockets it owns:
 * an Erlang process that exits takes its ports with it, and so does a thread here.
 *
 * <p>Java has no hook for a thread's end, so one platform daemon thread, started with the first
 * mailbox, looks at the owners of the open mailboxes every {@code gentcp.mailbox.reapMillis}
 * milliseconds (default 200) and closes those whose thread is no longer alive. The peers of a
 * dead thread's sockets see them close within that interval. It sleeps without a time limit
 * while no mailbox is open, and is never on a socket's path.
 *
 * <p>Built for a mailbox per virtual thread: the owners sit in one dense array, so a round is a
 * walk down that array reading one field of each owner ({@link Thread#isAlive()}): 20 to 30
 * nanoseconds per live thread (mostly the cache miss to reach it), with no allocation, no
 * descriptor and no thread per owner (ReaperScaleTest measures 100,000 virtual threads:
 * about 2 ms a round). With tens of
 * thousands of owners the reaper stretches its interval (up to {@value #MAX_STRETCH} times) so
 * that looking takes at most 1/{@value #MAX_SHARE} of its time; peers then see a dead owner's
 * sockets close later than the interval (within about half a second at 100,000 owners). The
 * cost is taken as the shortest of the last three rounds, so one slowed by a GC pause does not
 * put the next off. Opening and closing a mailbox costs a short critical section.
 * {@code -Dgentcp.mailbox.reapMillis=0} turns it off: sockets then live until closed, as Java
 * sockets do, and a dead thread's mailbox stays open.
 */
final class MailboxReaper
{
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("gentcp.mailbox.reapMillis", 200));
    /** Looking at the owners takes at most 1/MAX_SHARE of the reaper's time (up to MAX_STRETCH). */
    static final int MAX_SHARE = 200;
    /** The interval is stretched at most this many times, whatever a round seemed to take. */
    static final int MAX_STRETCH = 25;
    /** How many owners a round looks at per turn of the lock: opens and closes wait at most that long. */
    private static final int CHUNK = 4096;

    private static final Object LOCK = new Object();
    /** The open mailboxes and, at the same index, their owners (what a round reads): under LOCK. */
    private static Mailbox[] boxes = new Mailbox[64];
    private static Thread[] owners = new Thread[64];
    private static int count;
    private static volatile Thread reaper;
    /** Rounds completed: a test waits on it to know every owner was looked at since an event. */
    private static volatile long rounds;
    /** How long the last round spent looking (its closes left out), in nanoseconds: for tests and tools. */
    private static volatile long lastLookNanos;

    private MailboxReaper()
    {
    }

    /** MAILBOX is open: watch its owner. */
    static void watch(final Mailbox mailbox)
    {
        if (INTERVAL_NANOS <= 0)
        {
            return;
        }
        final boolean first;
        synchronized (LOCK)
        {
            if (count == boxes.length)
            {
                boxes = Arrays.copyOf(boxes, count * 2);
                owners = Arrays.copyOf(owners, count * 2);
            }
            boxes[count] = mailbox;
            owners[count] = mailbox.owner();
            mailbox.reaperIndex = count++;
            first = count == 1;
        }
        final Thread t = reaper;
        if (t == null)
        {
            start();
        }
        else if (first)
        {
            LockSupport.unpark(t); // it may be asleep with nothing to watch
        }
    }

    /** MAILBOX was closed: nothing more to watch. */
    static void forget(final Mailbox mailbox)
    {
        synchronized (LOCK)
        {
            final int i = mailbox.reaperIndex;
            if (i < 0)
            {
                return;
            }
            final int last = --count;
            final Mailbox moved = boxes[last];
            boxes[i] = moved;
            owners[i] = owners[last];
            moved.reaperIndex = i;
            boxes[last] = null;
            owners[last] = null;
            mailbox.reaperIndex = -1;
        }
    }

    /** How many mailboxes are watched. */
    static int watched()
    {
        synchronized (LOCK)
        {
            return count;
        }
    }

    /** How many rounds have been completed. */
    static long rounds()
    {
        return rounds;
    }

    /** How long the last round spent looking at the owners, in nanoseconds (closes left out). */
    static long lastLookNanos()
    {
        return lastLookNanos;
    }

    /** The reaper thread, or null before the first mailbox. */
    static Thread thread()
    {
        return reaper;
    }

    private static synchronized void start()
    {
        if (reaper != null)
        {
            return;
        }
        final Thread t = new Thread(MailboxReaper::run, "gentcp-mailbox-reaper");
        t.setDaemon(true);
        t.start();
        reaper = t;
    }

    private static void run()
    {
        final ArrayList<Mailbox> dead = new ArrayList<>();
        final long[] recent = new long[3]; // the last rounds' looking times, oldest overwritten
        int round = 0;
        long sleep = INTERVAL_NANOS;
        for (;;)
        {
            if (watched() == 0)
            {
                LockSupport.park(); // until watch() has something for it
            }
            else
            {
                LockSupport.parkNanos(sleep);
            }
            long looked = 0;
            try
            {
                looked = reap(dead);
            }
            catch (final RuntimeException | Error e)
            {
                // one failed close must not end the reaping for the life of the process
                System.getLogger("io.gentcp").log(System.Logger.Level.WARNING, "gentcp: reaping mailboxes", e);
            }
            finally
            {
                dead.clear();
            }
            lastLookNanos = looked;
            recent[round] = looked;
            round = (round + 1) % recent.length;
            sleep = stretched(recent);
        }
    }

    /**
     * The interval after rounds that spent RECENT looking: long enough that looking takes at most
     * 1/MAX_SHARE of the time. The shortest of the last rounds is the cost: a round's wall time
     * only grows with noise (a GC pause, a descheduled reaper), and one slow round must not put
     * the next off for seconds.
     */
    private static long stretched(final long[] recent)
    {
        long cost = Long.MAX_VALUE;
        for (final long r : recent)
        {
            cost = Math.min(cost, r);
        }
        return Math.min(Math.max(INTERVAL_NANOS, cost * MAX_SHARE), INTERVAL_NANOS * MAX_STRETCH);
    }

    /**
     * One round: closes every watched mailbox whose owner thread has ended. It walks the array
     * down from the top, a chunk per turn of the lock, closing the dead it found after each
     * chunk. A close moves the top entry into the hole, and the top was already looked at, so
     * no owner present for the whole round is missed; mailboxes opened meanwhile wait for the
     * next round. DEAD is the reaper's own list, empty, reused from round to round. Returns the
     * nanoseconds spent looking, the closes left out: they are work the dead leave, whatever
     * the number of the living.
     */
    private static long reap(final ArrayList<Mailbox> dead)
    {
        long looking = 0;
        int i;
        synchronized (LOCK)
        {
            i = count;
        }
        while (i > 0)
        {
            final long start = System.nanoTime();
            synchronized (LOCK)
            {
                i = Math.min(i, count); // closes by the owners themselves may have shrunk it
                final int end = Math.max(0, i - CHUNK);
                final Thread[] o = owners;
                while (i > end)
                {
                    i--;
                    if (!o[i].isAlive())
                    {
                        dead.add(boxes[i]);
                    }
                }
            }
            looking += System.nanoTime() - start;
            for (int k = 0; k < dead.size(); k++)
            {
                dead.get(k).closeForEndedOwner();
            }
            dead.clear();
        }
        rounds++;
        return looking;
    }
}
