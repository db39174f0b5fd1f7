package io.gentcp.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * The waker of parked virtual threads (gentcp.h's gt_park_idle; parking.c): a virtual thread
 * that collects ready sockets on the carriers, and a platform thread that wakes it when it
 * has gone idle.
 *
 * <p>Internal usage only. Started by the first wait that parks, which runs on a virtual thread
 * (on a platform thread, and on Java 17-20, nobody parks, so nothing is started). The poller,
 * a virtual thread, asks {@code gt_park_wait} for ready sockets without waiting and wakes the
 * thread waiting on each ({@link Parking#wakeWaitersOf}); after a batch it yields, so that the
 * threads it woke run on its carrier before it looks again. So under load the ready sockets
 * are collected between the carriers' other work, a woken thread is queued on the carrier
 * that collected it (no other thread to wake), and no thread sleeps or wakes in the kernel
 * for it. Once a look finds nothing, the poller goes idle: {@code gt_park_idle} arms the
 * parking poller itself in the watch poller, and it parks. The watcher, a platform daemon
 * thread blocked in {@code gt_park_watch}, unparks it when a socket becomes ready.
 *
 * <p>No wake-up is lost: a socket that became ready after the empty look and before the arm
 * is reported by the arm itself (gt_park_idle's contract), and the watcher's unpark may come
 * before the poller parks (LockSupport keeps it as a permit). A spurious unpark only makes it
 * look once more.
 *
 * <p>The poller needs a carrier to run. While every carrier is held (say by virtual threads
 * pinned to them, parked in gentcp inside {@code synchronized} before Java 24, in a class
 * initializer or under a native frame), only an unpark from outside frees a pinned thread.
 * So the watcher never waits longer than STARVED_NS: when it finds that the poller has not
 * looked since then though it should have (it is not idle, or was woken and has not run), it
 * collects the ready sockets and wakes their waiters itself, every STARVED_NS until the
 * poller runs again.
 */
final class ParkingPoller
{
    private static final System.Logger LOG = System.getLogger("io.gentcp");
    /** How long to wait before trying again after a call that cannot fail did. */
    private static final long RETRY_NS = 10_000_000L;
    /** How long the poller may go without looking, while it should, before the watcher looks for it. */
    private static final long STARVED_NS = 100_000_000L;

    /** What the idle poller shows as its blocker (jstack, JFR). */
    private static final Object IDLE = new Object()
    {
        @Override
        public String toString()
        {
            return "gentcp parking poller, idle";
        }
    };

    private static final Object LOCK = new Object();
    private static volatile boolean started;
    /** How many looks the poller has made (its only writer): the watcher's sign that it runs. */
    private static volatile long looks;
    /** Whether the poller is parked idle (or about to, or woken from it and not yet run). */
    private static volatile boolean idle;

    private ParkingPoller()
    {
    }

    /**
     * Start the poller and its watcher unless they run already. Called on a virtual thread,
     * before the caller arms its socket (the poller's first look finds it).
     *
     * @param lib the library
     */
    static void start(final LibGentcp lib)
    {
        if (started)
        {
            return;
        }
        synchronized (LOCK)
        {
            if (started)
            {
                return;
            }
            // Both live as long as the process: they take nothing from the thread that happens
            // to start them (its inheritable thread-locals, its context class loader, which
            // would keep an application's classes from ever being unloaded).
            final Thread poller = newVirtualThread("gentcp-parking-poller",
                () -> forever("gentcp-parking-poller", () -> poll(lib)));
            final Thread watcher = new Thread(null,
                () -> forever("gentcp-parking-watcher", () -> watch(lib, poller)), "gentcp-parking-watcher", 0, false);
            poller.setContextClassLoader(null);
            watcher.setContextClassLoader(null);
            watcher.setDaemon(true);
            poller.start();
            watcher.start(); // a platform thread: it blocks in C, which is its purpose
            started = true;
        }
    }

    /** An unstarted virtual thread (Java 21+; the library compiles for 17). */
    private static Thread newVirtualThread(final String name, final Runnable task)
    {
        try
        {
            final Class<?> builder = Class.forName("java.lang.Thread$Builder");
            final Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
            final Object named = builder.getMethod("name", String.class).invoke(ofVirtual, name);
            builder.getMethod("inheritInheritableThreadLocals", boolean.class).invoke(named, false);
            return (Thread)builder.getMethod("unstarted", Runnable.class).invoke(named, task);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new IllegalStateException("a virtual thread parks, yet Thread.ofVirtual is not there", e);
        }
    }

    /**
     * Runs LOOP for ever: should it throw (an Error, or a logger of the application's that
     * failed), that is logged and it starts again, for every parked wait depends on it.
     */
    private static void forever(final String who, final Runnable loop)
    {
        for (;;)
        {
            try
            {
                loop.run();
            }
            catch (final Throwable e)
            {
                try
                {
                    LOG.log(System.Logger.Level.ERROR, who + " failed; it starts again", e);
                }
                catch (final Throwable ignored)
                {
                    // a logger that fails too: keep going all the same
                }
                LockSupport.parkNanos(RETRY_NS);
            }
        }
    }

    /** The poller's loop: collect ready sockets without waiting, wake their waiters, yield; idle when none. */
    private static void poll(final LibGentcp lib)
    {
        final ByteBuffer tokens = tokenBuffer();
        final long address = DirectMemory.address(tokens);
        for (;;)
        {
            looks = looks + 1;
            final int n = wakeReady(lib, tokens, address);
            if (n > 0)
            {
                Thread.yield();
                continue;
            }
            if (n < 0)
            {
                // Cannot happen short of a bug (the poller's descriptors are gentcp's own).
                // Parked waiters still end at their time limits; keep serving the others.
                LOG.log(System.Logger.Level.ERROR, "gt_park_wait answered " + n);
                LockSupport.parkNanos(RETRY_NS);
                continue;
            }
            final int rc = lib.gt_park_idle();
            if (rc < 0)
            {
                // Not armed (ENOMEM, or the kernel's limit of watched descriptors): nobody
                // would wake it, so look again soon rather than sleep.
                LOG.log(System.Logger.Level.ERROR, "gt_park_idle answered " + rc);
                LockSupport.parkNanos(RETRY_NS);
                continue;
            }
            Thread.interrupted(); // nobody should interrupt it; a set status would end every park
            idle = true;
            LockSupport.park(IDLE);
            idle = false;
        }
    }

    private static ByteBuffer tokenBuffer()
    {
        return ByteBuffer.allocateDirect(Long.BYTES * Native.PARK_BATCH).order(ByteOrder.nativeOrder());
    }

    /** One look without waiting: wake the waiter of each ready socket; gt_park_wait's answer. */
    private static int wakeReady(final LibGentcp lib, final ByteBuffer tokens, final long address)
    {
        final int n = lib.gt_park_wait(address, Native.PARK_BATCH, 0);
        for (int i = 0; i < n; i++)
        {
            Parking.wakeWaitersOf(tokens.getLong(i * Long.BYTES));
        }
        return n;
    }

    /**
     * The watcher's loop: unpark the idle POLLER whenever gt_park_watch reports its poller
     * ready, and look for it while it cannot run.
     */
    private static void watch(final LibGentcp lib, final Thread poller)
    {
        final ByteBuffer tokens = tokenBuffer();
        final long address = DirectMemory.address(tokens);
        long seen = looks;
        boolean woke = false; // the poller, since it last looked
        for (;;)
        {
            final int n = lib.gt_park_watch(STARVED_NS);
            if (n > 0)
            {
                woke = true;
                LockSupport.unpark(poller);
                continue;
            }
            if (n < 0)
            {
                LOG.log(System.Logger.Level.ERROR, "gt_park_watch answered " + n);
                LockSupport.parkNanos(RETRY_NS);
                LockSupport.unpark(poller); // so it looks now and then, while this cannot watch
                continue;
            }
            final long now = looks;
            if (now != seen)
            {
                seen = now;
                woke = false;
            }
            else if (woke || !idle)
            {
                // No look for STARVED_NS or more, though one was due: no carrier for it.
                while (wakeReady(lib, tokens, address) == Native.PARK_BATCH)
                {
                    // more may be ready
                }
            }
        }
    }
}
