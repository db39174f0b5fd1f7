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
 * reaper is never on a socket's path, and sleeps without a time limit while no mailbox is open.
 * {@code -Dgentcp.mailbox.reapMillis=0} turns it off: sockets then live until closed, as Java
 * sockets do, and a dead thread's mailbox stays open.
 */
final class MailboxReaper
{
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("gentcp.mailbox.reapMillis", 200));

    private static final Set<Mailbox> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile Thread reaper;

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
        OPEN.add(mailbox);
        final Thread t = reaper;
        if (t == null)
        {
            start();
        }
        else
        {
            LockSupport.unpark(t); // it may be asleep with nothing to watch
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
            if (OPEN.isEmpty())
            {
                LockSupport.park(); // until watch() has something for it
            }
            else
            {
                LockSupport.parkNanos(INTERVAL_NANOS);
            }
            try
            {
                reap();
            }
            catch (final RuntimeException | Error e)
            {
                // one failed close must not end the reaping for the life of the process
                System.getLogger(MailboxReaper.class.getName()).log(System.Logger.Level.WARNING, "gentcp: reaping mailboxes", e);
            }
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
