package io.gentcp.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;

/**
 * Waiting on a virtual thread without pinning its carrier (gentcp.h's "Parking"; parking.c).
 *
 * <p>Internal usage only. A virtual thread that blocked in C would hold its carrier for as long
 * as it waits. So on a virtual thread the waiting calls go through here: C is called only in
 * forms that never block, and while the answer is "not yet" the thread arms its socket in the
 * parking poller and parks; {@link ParkingPoller} (started on first use) unparks the thread
 * waiting on each socket that becomes ready.
 * A thread that is not virtual (and every thread on Java 17-20) takes the one blocking native
 * call as before; telling them apart costs a constant-folded method handle call.
 *
 * <p>A parked wait ends when the socket is ready, its time limit passes, the socket is closed
 * (C reports a closed socket's waiter), or the thread is interrupted: then it answers as if
 * the time limit had passed ({@code timeout}), with the interrupt status left set.
 */
public final class Parking
{
    /** {@code Thread::isVirtual}, or null before Java 21. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final long ETIMEOUT = -Native.ETIMEOUT;
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    /** What a parked thread shows as its blocker (jstack, JFR). */
    private static final Object BLOCKER = new Object()
    {
        @Override
        public String toString()
        {
            return "gentcp parked wait";
        }
    };

    /**
     * The thread waiting on each socket slot (a mailbox is a slot of the same table), in pages
     * of PAGE_SIZE made as slots are used; the directory is replaced (under its lock) when a
     * page is added. One waiter per slot at a time: a receive claims the socket's receive side
     * (EALREADY for any other), acceptors take turns on their listen socket's lock, a connect
     * is its socket's only user, a mailbox receives on its owner thread alone.
     */
    private static volatile AtomicReferenceArray<Thread>[] pages = newDirectory(0);
    private static final Object PAGES_LOCK = new Object();

    private Parking()
    {
    }

    private static MethodHandle isVirtualHandle()
    {
        try
        {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        }
        catch (final NoSuchMethodException | IllegalAccessException e)
        {
            return null; // before Java 21: no virtual threads
        }
    }

    /** Whether the current thread is a virtual thread (never before Java 21). */
    public static boolean onVirtualThread()
    {
        if (IS_VIRTUAL == null)
        {
            return false;
        }
        try
        {
            return (boolean)IS_VIRTUAL.invokeExact(Thread.currentThread());
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException("Thread.isVirtual", e);
        }
    }

    /**
     * {@code gt_recv}, parking rather than blocking on a virtual thread. Same arguments and
     * answers as {@link LibGentcp#gt_recv(long, long, long, long, long)}.
     *
     * @param lib the library
     * @param handle the socket
     * @param length as gt_recv's
     * @param timeoutMs as gt_recv's
     * @param dst as gt_recv's
     * @param capacity as gt_recv's
     * @return gt_recv's answer
     */
    public static long recv(final LibGentcp lib, final long handle, final long length, final long timeoutMs,
        final long dst, final long capacity)
    {
        return recv(lib, false, handle, length, timeoutMs, dst, capacity);
    }

    /**
     * {@code gt_recv_bytes}, parking rather than blocking on a virtual thread; as {@link #recv}.
     *
     * @param lib the library
     * @param handle the socket
     * @param length as gt_recv_bytes's
     * @param timeoutMs as gt_recv_bytes's
     * @param dst as gt_recv_bytes's
     * @param capacity as gt_recv_bytes's
     * @return gt_recv_bytes's answer
     */
    public static long recvBytes(final LibGentcp lib, final long handle, final long length, final long timeoutMs,
        final long dst, final long capacity)
    {
        return recv(lib, true, handle, length, timeoutMs, dst, capacity);
    }

    /** gt_recv_bytes when BYTES, else gt_recv. */
    private static long call(final LibGentcp lib, final boolean bytes, final long handle, final long length,
        final long timeoutMs, final long dst, final long capacity)
    {
        return bytes ? lib.gt_recv_bytes(handle, length, timeoutMs, dst, capacity)
            : lib.gt_recv(handle, length, timeoutMs, dst, capacity);
    }

    private static long recv(final LibGentcp lib, final boolean bytes, final long handle, final long length,
        final long timeoutMs, final long dst, final long capacity)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return call(lib, bytes, handle, length, timeoutMs, dst, capacity);
        }
        final long deadline = deadline(timeoutMs);
        long n = call(lib, bytes, handle, length, 0, dst, capacity);
        if (n != ETIMEOUT)
        {
            return n;
        }
        n = lib.gt_park_begin(handle, Native.PARK_RECV);
        if (n < 0)
        {
            return n;
        }
        try
        {
            for (;;)
            {
                n = await(lib, handle, Native.PARK_IN, deadline);
                if (n < 0)
                {
                    return n;
                }
                n = call(lib, bytes, handle, length, Native.TIMEOUT_PARKED, dst, capacity);
                if (n != ETIMEOUT)
                {
                    return n;
                }
            }
        }
        finally
        {
            lib.gt_park_end(handle, Native.PARK_RECV);
        }
    }

    /** {@code gt_recv_batch}, parking rather than blocking on a virtual thread; as {@link #recv}. */
    public static long recvBatch(final LibGentcp lib, final long handle, final long timeoutMs, final long dst,
        final long capacity, final long maxPackets)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return lib.gt_recv_batch(handle, timeoutMs, dst, capacity, maxPackets);
        }
        final long deadline = deadline(timeoutMs);
        long n = lib.gt_recv_batch(handle, 0, dst, capacity, maxPackets);
        if (n != ETIMEOUT)
        {
            return n;
        }
        n = lib.gt_park_begin(handle, Native.PARK_RECV);
        if (n < 0)
        {
            return n;
        }
        try
        {
            for (;;)
            {
                n = await(lib, handle, Native.PARK_IN, deadline);
                if (n < 0)
                {
                    return n;
                }
                n = lib.gt_recv_batch(handle, Native.TIMEOUT_PARKED, dst, capacity, maxPackets);
                if (n != ETIMEOUT)
                {
                    return n;
                }
            }
        }
        finally
        {
            lib.gt_park_end(handle, Native.PARK_RECV);
        }
    }

    /**
     * {@code gt_accept}, parking rather than blocking on a virtual thread. Virtual acceptors of
     * one listen socket take turns at ACCEPTORS to park (one waiter per socket in the poller);
     * each turn starts with a try, so a connection is never left waiting for a sleeper.
     */
    public static long accept(final LibGentcp lib, final long handle, final long timeoutMs, final ReentrantLock acceptors)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return lib.gt_accept(handle, timeoutMs);
        }
        final long deadline = deadline(timeoutMs);
        long n = lib.gt_accept(handle, 0);
        if (n != ETIMEOUT)
        {
            return n;
        }
        try
        {
            if (deadline == NO_DEADLINE)
            {
                acceptors.lockInterruptibly();
            }
            else if (!acceptors.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                return ETIMEOUT;
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt(); // the status stays set, as for a parked wait
            return ETIMEOUT;
        }
        try
        {
            n = lib.gt_park_begin(handle, Native.PARK_WAIT);
            if (n < 0)
            {
                return n;
            }
            try
            {
                for (;;)
                {
                    n = lib.gt_accept(handle, 0);
                    if (n != ETIMEOUT)
                    {
                        return n;
                    }
                    n = await(lib, handle, Native.PARK_IN, deadline);
                    if (n < 0)
                    {
                        return n;
                    }
                }
            }
            finally
            {
                lib.gt_park_end(handle, Native.PARK_WAIT);
            }
        }
        finally
        {
            acceptors.unlock();
        }
    }

    /**
     * A connect of HANDLE: ATTEMPT makes it with the time limit it is given (gt_connect or
     * gt_connect_local), parking rather than blocking on a virtual thread, where it is made in
     * the form that never waits ({@code GT_TIMEOUT_PARKED}) until done. A connect that timed
     * out leaves the socket fit only to be closed, as the caller does.
     */
    public static long connect(final LibGentcp lib, final long handle, final long timeoutMs, final LongUnaryOperator attempt)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return attempt.applyAsLong(timeoutMs);
        }
        final long deadline = deadline(timeoutMs);
        long n = lib.gt_park_begin(handle, Native.PARK_WAIT);
        if (n < 0)
        {
            return n;
        }
        try
        {
            for (;;)
            {
                n = attempt.applyAsLong(Native.TIMEOUT_PARKED);
                if (n != ETIMEOUT)
                {
                    return n;
                }
                n = await(lib, handle, Native.PARK_OUT, deadline);
                if (n < 0)
                {
                    return n;
                }
            }
        }
        finally
        {
            lib.gt_park_end(handle, Native.PARK_WAIT);
        }
    }

    /**
     * {@code gt_mailbox_receive}, parking rather than blocking on a virtual thread: what is
     * armed is the mailbox's own poller, which C reports once one of its sockets has something
     * or a send, a hand-over or a close woke it. Same arguments and answers as
     * {@link LibGentcp#gt_mailbox_receive(long, long, long, long)}; a mailbox has one owner
     * thread, so one waiter.
     *
     * @param lib the library
     * @param mailbox the mailbox
     * @param timeoutMs as gt_mailbox_receive's
     * @param dst as gt_mailbox_receive's
     * @param capacity as gt_mailbox_receive's
     * @return gt_mailbox_receive's answer
     */
    public static long mailboxReceive(final LibGentcp lib, final long mailbox, final long timeoutMs, final long dst,
        final long capacity)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return lib.gt_mailbox_receive(mailbox, timeoutMs, dst, capacity);
        }
        final long deadline = deadline(timeoutMs);
        long n = lib.gt_mailbox_receive(mailbox, 0, dst, capacity);
        if (n != ETIMEOUT)
        {
            return n;
        }
        n = lib.gt_park_begin(mailbox, Native.PARK_WAIT);
        if (n < 0)
        {
            return n;
        }
        try
        {
            for (;;)
            {
                n = await(lib, mailbox, Native.PARK_IN, deadline);
                if (n < 0)
                {
                    return n;
                }
                n = lib.gt_mailbox_receive(mailbox, 0, dst, capacity);
                if (n != ETIMEOUT)
                {
                    return n;
                }
            }
        }
        finally
        {
            lib.gt_park_end(mailbox, Native.PARK_WAIT);
        }
    }

    /** The System.nanoTime() at which a wait of TIMEOUT_MS (&gt; 0, or &lt; 0: none) ends. */
    private static long deadline(final long timeoutMs)
    {
        // As C's gt__deadline: a limit too far to count in nanoseconds is no limit.
        return timeoutMs < 0 || timeoutMs > Long.MAX_VALUE / 2_000_000 ? NO_DEADLINE
            : System.nanoTime() + timeoutMs * 1_000_000;
    }

    /**
     * Sleep until HANDLE (held by gt_park_begin) may be ready for EVENTS: 0 when the caller
     * should try again (woken, or woken for nothing: trying again is always safe), -timeout
     * once DEADLINE has passed or the thread is interrupted, or the -code arming failed with.
     */
    private static long await(final LibGentcp lib, final long handle, final int events, final long deadline)
    {
        final Thread self = Thread.currentThread();
        long left = 0;
        if (self.isInterrupted())
        {
            return ETIMEOUT;
        }
        if (deadline != NO_DEADLINE && (left = deadline - System.nanoTime()) <= 0)
        {
            return ETIMEOUT;
        }
        ParkingPoller.start(lib);
        final int slot = slotOf(handle);
        final AtomicReferenceArray<Thread> page = page(slot);
        final int index = slot & (PAGE_SIZE - 1);
        page.set(index, self); // before the arm: a report that follows it finds the thread
        try
        {
            final long rc = lib.gt_park_arm(handle, events);
            if (rc < 0)
            {
                return rc;
            }
            if (deadline == NO_DEADLINE)
            {
                LockSupport.park(BLOCKER);
            }
            else
            {
                LockSupport.parkNanos(BLOCKER, left);
            }
        }
        finally
        {
            page.compareAndSet(index, self, null);
        }
        return 0;
    }

    private static int slotOf(final long handle)
    {
        return (int)(handle & 0xffffffffL) - 1;
    }

    @SuppressWarnings("unchecked")
    private static AtomicReferenceArray<Thread>[] newDirectory(final int length)
    {
        return (AtomicReferenceArray<Thread>[])new AtomicReferenceArray<?>[length];
    }

    private static AtomicReferenceArray<Thread> page(final int slot)
    {
        final int p = slot >>> PAGE_BITS;
        final AtomicReferenceArray<Thread>[] dir = pages;
        if (p < dir.length && dir[p] != null)
        {
            return dir[p];
        }
        synchronized (PAGES_LOCK)
        {
            AtomicReferenceArray<Thread>[] current = pages;
            if (p >= current.length || current[p] == null)
            {
                final AtomicReferenceArray<Thread>[] grown = newDirectory(Math.max(current.length, p + 1));
                System.arraycopy(current, 0, grown, 0, current.length);
                grown[p] = new AtomicReferenceArray<>(PAGE_SIZE);
                pages = grown; // published whole: readers see the page with the directory
                current = grown;
            }
            return current[p];
        }
    }

    /** The thread waiting on the socket of HANDLE, or null. */
    private static Thread waiterOf(final long handle)
    {
        final int slot = slotOf(handle);
        final AtomicReferenceArray<Thread>[] dir = pages;
        final int p = slot >>> PAGE_BITS;
        if (slot < 0 || p >= dir.length || dir[p] == null)
        {
            return null;
        }
        return dir[p].get(slot & (PAGE_SIZE - 1));
    }

    /**
     * Wake the thread waiting on the socket of TOKEN (a handle the parking poller reported),
     * if any.
     *
     * @param token the handle
     */
    static void wakeWaitersOf(final long token)
    {
        final Thread waiter = waiterOf(token);
        if (waiter != null)
        {
            LockSupport.unpark(waiter);
        }
    }
}
