package io.gentcp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes the mailbox of a thread that ended without closing it, and with it the sockets it owns:
 * an Erlang process that exits takes its ports with it, and so does a thread here.
 *
 * <p>Java has no hook for a thread's end, so one daemon thread, started with the first mailbox,
 * looks at the owners of the open mailboxes every {@code gentcp.mailbox.reapMillis} milliseconds
 * (default 200) and closes those whose thread is no longer alive. The peers of a dead thread's
 * sockets see them close within that interval. Checking the owners is a volatile read each; the
 * reaper is never on a socket's path.
 */
final class MailboxReaper
{
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(
        Math.max(1, Long.getLong("gentcp.mailbox.reapMillis", 200)));

    private static final Set<Mailbox> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile Thread reaper;

    private MailboxReaper()
    {
    }

    /** MAILBOX is open: watch its owner. */
    static void watch(final Mailbox mailbox)
    {
        OPEN.add(mailbox);
        if (reaper == null)
        {
            start();
        }
    }

    /** MAILBOX was closed: nothing more to watch. */
    static void forget(final Mailbox mailbox)
    {
        OPEN.remove(mailbox);
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
        for (;;)
        {
            LockSupport.parkNanos(INTERVAL_NANOS);
            reap();
        }
    }

    /** Closes every open mailbox whose owner thread has ended. */
    static void reap()
    {
        for (final Mailbox mailbox : OPEN)
        {
            if (!mailbox.owner().isAlive())
            {
                mailbox.close();
            }
        }
    }
}
