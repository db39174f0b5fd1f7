package io.gentcp.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
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
 * parking poller and parks; {@link ParkingPoller} (started on first use) unparks the threads
 * waiting on each socket that becomes ready. The waits covered: receives (every form, and a
 * mailbox's), accept, connect, a send that waits for the low watermark or (socket backend) for
 * the kernel, a close that lingers.
 * A thread that is not virtual (and every thread on Java 17-20) takes the one blocking native
 * call as before; telling them apart costs a constant-folded method handle call.
 *
 * <p>A parked wait ends when the socket is ready, its time limit passes, the socket is closed
 * (C reports a closed socket's waiter), or the thread is interrupted: then it answers as if
 * the time limit had passed ({@code timeout}), with the interrupt status left set. Waits for
 * both directions may be parked on one socket at once (a receive and a send), each woken by
 * any report of it: every wait tries again when woken, and parks again if it must.
 */
public final class Parking
{
    /** {@code Thread::isVirtual}, or null before Java 21. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final long ETIMEOUT = -Native.ETIMEOUT;
    private static final long EWOULDPARK = -Native.EWOULDPARK;
    private static final long EBUSY = -Native.EBUSY;
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    /** The receive calls {@link #receive} makes. */
    private static final int RECV = 0;
    private static final int RECV_BYTES = 1;
    private static final int RECV_BATCH = 2;
    private static final int MAILBOX = 3;

    /**
     * The waiters a socket may have at once, each in an entry of its own: a receive, an accept
     * or a mailbox's receive (IN); a send or a connect (OUT); a close that lingers (OUT); a
     * send of the socket backend waiting for another's packet to end (OUT).
     */
    private static final int READER = 0;
    private static final int WRITER = 1;
    private static final int CLOSER = 2;
    private static final int QUEUED = 3;
    private static final int ROLES = 4;

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
     * The threads waiting on each socket slot (a mailbox is a slot of the same table), ROLES
     * entries per slot, in pages of PAGE_SIZE slots made as slots are used; the directory is
     * replaced (under its lock) when a page is added. One waiter per role at a time: a receive
     * claims the socket's receive side (EALREADY for any other), acceptors take turns on their
     * listen socket's lock, a mailbox receives on its owner thread alone; a connect is its
     * socket's only user, senders waiting for the low mark take turns on the socket's lock, a
     * socket backend's send part way out holds the sending side alone (and those waiting for
     * it take turns on that lock), a socket has one closer. A report wakes all of a slot's
     * waiters: C arms every direction its waiters declared, so a report may be for any.
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
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                MethodType.methodType(boolean.class));
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
        return receive(lib, RECV, handle, length, timeoutMs, dst, capacity);
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
        return receive(lib, RECV_BYTES, handle, length, timeoutMs, dst, capacity);
    }

    /** {@code gt_recv_batch}, parking rather than blocking on a virtual thread; as {@link #recv}. */
    public static long recvBatch(final LibGentcp lib, final long handle, final long timeoutMs, final long dst,
        final long capacity, final long maxPackets)
    {
        return receive(lib, RECV_BATCH, handle, maxPackets, timeoutMs, dst, capacity);
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
        return receive(lib, MAILBOX, mailbox, 0, timeoutMs, dst, capacity);
    }

    /** The receive call KIND names (X: gt_recv's length, or gt_recv_batch's maxPackets). */
    private static long call(final LibGentcp lib, final int kind, final long handle, final long x,
        final long timeoutMs, final long dst, final long capacity)
    {
        switch (kind)
        {
            case RECV:
                return lib.gt_recv(handle, x, timeoutMs, dst, capacity);
            case RECV_BYTES:
                return lib.gt_recv_bytes(handle, x, timeoutMs, dst, capacity);
            case RECV_BATCH:
                return lib.gt_recv_batch(handle, timeoutMs, dst, capacity, x);
            default:
                return lib.gt_mailbox_receive(handle, timeoutMs, dst, capacity);
        }
    }

    /**
     * Every receive: the one native call on a platform thread (or with no time to wait); on a
     * virtual thread, a try, then parked waits for IN between tries that never block (a
     * socket's receive side stays claimed meanwhile; a mailbox's try is its receive with time
     * limit 0).
     */
    private static long receive(final LibGentcp lib, final int kind, final long handle, final long x,
        final long timeoutMs, final long dst, final long capacity)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return call(lib, kind, handle, x, timeoutMs, dst, capacity);
        }
        final long deadline = deadline(timeoutMs);
        long n = call(lib, kind, handle, x, 0, dst, capacity);
        if (n != ETIMEOUT)
        {
            return n;
        }
        final int what = kind == MAILBOX ? Native.PARK_WAIT : Native.PARK_RECV;
        final long again = kind == MAILBOX ? 0 : Native.TIMEOUT_PARKED;
        n = lib.gt_park_begin(handle, what, Native.PARK_IN);
        if (n < 0)
        {
            return n;
        }
        try
        {
            for (;;)
            {
                n = await(lib, handle, Native.PARK_IN, READER, deadline);
                if (n < 0)
                {
                    return n;
                }
                n = call(lib, kind, handle, x, again, dst, capacity);
                if (n != ETIMEOUT)
                {
                    return n;
                }
            }
        }
        finally
        {
            lib.gt_park_end(handle, what, Native.PARK_IN);
        }
    }

    /**
     * {@code gt_accept}, parking rather than blocking on a virtual thread. Virtual acceptors of
     * one listen socket take turns at ACCEPTORS to park (one reader per socket in the page
     * table); each turn starts with a try, so a connection is never left waiting for a sleeper.
     */
    public static long accept(final LibGentcp lib, final long handle, final long timeoutMs,
        final ReentrantLock acceptors)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return lib.gt_accept(handle, timeoutMs);
        }
        final long deadline = deadline(timeoutMs);
        final long n = lib.gt_accept(handle, 0);
        if (n != ETIMEOUT)
        {
            return n;
        }
        if (!lock(acceptors, deadline))
        {
            return ETIMEOUT;
        }
        try
        {
            return parkedTries(lib, handle, Native.PARK_IN, READER, deadline, 0, limit -> lib.gt_accept(handle, limit));
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
    public static long connect(final LibGentcp lib, final long handle, final long timeoutMs,
        final LongUnaryOperator attempt)
    {
        if (timeoutMs == 0 || !onVirtualThread())
        {
            return attempt.applyAsLong(timeoutMs);
        }
        return parkedTries(lib, handle, Native.PARK_OUT, WRITER, deadline(timeoutMs), Native.TIMEOUT_PARKED, attempt);
    }

    /**
     * ATTEMPT, made with LIMIT (a form that never waits), again and again until it answers
     * other than timeout, parked between tries in a wait of HANDLE for DIRECTION (PARK_IN or
     * PARK_OUT) in ROLE's entry, which ends at DEADLINE: an accept's or a connect's.
     */
    private static long parkedTries(final LibGentcp lib, final long handle, final int direction, final int role,
        final long deadline, final long limit, final LongUnaryOperator attempt)
    {
        long n = lib.gt_park_begin(handle, Native.PARK_WAIT, direction);
        if (n < 0)
        {
            return n;
        }
        try
        {
            for (;;)
            {
                n = attempt.applyAsLong(limit);
                if (n != ETIMEOUT)
                {
                    return n;
                }
                n = await(lib, handle, direction, role, deadline);
                if (n < 0)
                {
                    return n;
                }
            }
        }
        finally
        {
            lib.gt_park_end(handle, Native.PARK_WAIT, direction);
        }
    }

    /**
     * {@code gt_send} of the LENGTH bytes at ADDRESS, parking rather than blocking on a virtual
     * thread: same answers (0, -code, or the bytes not sent of a socket backend's send that
     * timed out), same bytes on the wire. See {@link #sendWait}.
     *
     * @param lib the library
     * @param handle the socket
     * @param address the bytes
     * @param length how many
     * @param senders the socket's lock at which parked senders take turns
     * @return gt_send's answer
     */
    public static long send(final LibGentcp lib, final long handle, final long address, final long length,
        final ReentrantLock senders)
    {
        if (!onVirtualThread())
        {
            return lib.gt_send(handle, address, length);
        }
        return sendParked(lib, handle, address, null, length, senders);
    }

    /**
     * {@code gt_send} of a heap buffer's remaining LENGTH bytes (copied by jffi for each call:
     * no array is pinned across a wait); as {@link #send(LibGentcp, long, long, long, ReentrantLock)}.
     *
     * @param lib the library
     * @param handle the socket
     * @param data the bytes, from its position
     * @param length how many
     * @param senders the socket's lock at which parked senders take turns
     * @return gt_send's answer
     */
    public static long send(final LibGentcp lib, final long handle, final ByteBuffer data, final long length,
        final ReentrantLock senders)
    {
        if (!onVirtualThread())
        {
            return lib.gt_send(handle, data, length);
        }
        return sendParked(lib, handle, 0, data, length, senders);
    }

    /**
     * A virtual thread's send of the packet at ADDRESS, or of HEAP when it is not null: its first try, then its
     * waits.
     */
    private static long sendParked(final LibGentcp lib, final long handle, final long address, final ByteBuffer heap,
        final long length, final ReentrantLock senders)
    {
        final long r = sendCall(lib, handle, address, heap, length, -1);
        return r == 0 || (r < 0 && r != EWOULDPARK && r != EBUSY) ? r
            : sendWait(lib, handle, address, heap, length, senders, r);
    }

    /** gt_send_parked of the packet at ADDRESS, or of HEAP when it is not null. */
    private static long sendCall(final LibGentcp lib, final long handle, final long address, final ByteBuffer heap,
        final long length, final long unsent)
    {
        return heap == null ? lib.gt_send_parked(handle, address, length, unsent)
            : lib.gt_send_parked(handle, heap, length, unsent);
    }

    /**
     * The rest of a send that must wait (gentcp.h's gt_send_parked), R its first answer:
     * <ul>
     *   <li>EWOULDPARK: queued, waiting for the low mark until send_timeout. Parked senders of
     *       one socket take turns at SENDERS (the page table holds one writer per socket).
     *   <li>&gt; 0 (socket backend): the packet is part way out, its sending side claimed (by
     *       this sender alone: it needs no turn); the rest is written as the kernel has room,
     *       until send_timeout, after which the bytes still unsent are the answer.
     *   <li>EBUSY (socket backend): another sender's packet is under way; wait at SENDERS,
     *       then for that packet's end (reported), and start again.
     * </ul>
     * An interrupt ends the wait as its time limit would, with the interrupt status left set,
     * but drops nothing (no send_timeout_close reset); interrupted before any byte of the
     * packet went out, the answer is timeout.
     */
    private static long sendWait(final LibGentcp lib, final long handle, final long address, final ByteBuffer heap,
        final long length, final ReentrantLock senders, final long first)
    {
        long r = first;
        if (r == EBUSY)
        {
            if (!lock(senders, NO_DEADLINE))
            {
                return ETIMEOUT;
            }
            enter(handle, QUEUED); // before the look: the kick of a claim let go finds it
            try
            {
                while ((r = sendCall(lib, handle, address, heap, length, -1)) == EBUSY)
                {
                    final long n = lib.gt_park_begin(handle, Native.PARK_WAIT, Native.PARK_OUT);
                    if (n < 0)
                    {
                        return n;
                    }
                    final long w;
                    try
                    {
                        w = sleep(lib, handle, Native.PARK_OUT, NO_DEADLINE);
                    }
                    finally
                    {
                        lib.gt_park_end(handle, Native.PARK_WAIT, Native.PARK_OUT);
                    }
                    if (w < 0)
                    {
                        return w;
                    }
                }
            }
            finally
            {
                leave(handle, QUEUED);
                senders.unlock();
            }
            if (r <= 0)
            {
                return r;
            }
        }
        try
        {
            return r > 0 ? sendRest(lib, handle, address, heap, length, r) : awaitLow(lib, handle, senders);
        }
        catch (final Throwable e)
        {
            // Nothing but an Error gets here (jffi with no memory for its copy...), with the
            // wait still C's: end it, so that no claim or waiter is left behind.
            lib.gt_send_resume(handle, Native.SEND_CANCEL);
            throw e;
        }
    }

    /** The socket backend's packet part way out, UNSENT bytes left: written as the kernel has room. */
    private static long sendRest(final LibGentcp lib, final long handle, final long address, final ByteBuffer heap,
        final long length, final long unsent)
    {
        final long deadline = deadline(lib.gt_getopt(handle, Native.OPT_SEND_TIMEOUT));
        long r = unsent;
        enter(handle, WRITER); // then look: a close's kick after the look finds this thread
        try
        {
            for (;;)
            {
                final long n = sendCall(lib, handle, address, heap, length, r);
                if (n <= 0)
                {
                    return n;
                }
                r = n;
                final long w = sleep(lib, handle, Native.PARK_OUT, deadline);
                if (w != 0)
                {
                    lib.gt_send_resume(handle, giveUp(w));
                    return w == ETIMEOUT ? r : w; // {timeout, RestData}: exactly what is not sent
                }
            }
        }
        finally
        {
            leave(handle, WRITER);
        }
    }

    /** The inet backend's packet queued, the queue at the high mark: wait for the low mark. */
    private static long awaitLow(final LibGentcp lib, final long handle, final ReentrantLock senders)
    {
        final long deadline = deadline(lib.gt_getopt(handle, Native.OPT_SEND_TIMEOUT));
        if (!lock(senders, deadline))
        {
            return lib.gt_send_resume(handle, giveUp(ETIMEOUT));
        }
        enter(handle, WRITER);
        try
        {
            // Look first: while this sender waited for its turn it was in no page entry, so a
            // report for it (a close's kick) went to nobody; C's state has the answer. A kick
            // after this look finds the thread entered.
            long r = lib.gt_send_resume(handle, Native.SEND_TRY);
            while (r == EWOULDPARK)
            {
                final long w = sleep(lib, handle, Native.PARK_OUT, deadline);
                r = lib.gt_send_resume(handle, w == 0 ? Native.SEND_TRY : giveUp(w));
                if (r != EWOULDPARK && w < 0 && w != ETIMEOUT)
                {
                    return w;
                }
            }
            return r;
        }
        finally
        {
            leave(handle, WRITER);
            senders.unlock();
        }
    }

    /** How a parked send whose wait answered W (&lt; 0) gives up: cancelled if interrupted. */
    private static int giveUp(final long w)
    {
        return w == ETIMEOUT && !Thread.currentThread().isInterrupted() ? Native.SEND_GIVE_UP : Native.SEND_CANCEL;
    }

    /**
     * {@code gt_close}, parking rather than blocking on a virtual thread while the close
     * lingers (data queued): the same limits and the same outcome for the peer. An interrupt
     * ends the linger as its limit would: what is still queued is dropped, the connection
     * reset (the interrupt status stays set).
     *
     * @param lib the library
     * @param handle the socket
     */
    public static void close(final LibGentcp lib, final long handle)
    {
        if (!onVirtualThread())
        {
            lib.gt_close(handle);
            return;
        }
        long left = lib.gt_close_parked(handle);
        try
        {
            while (left > 0)
            {
                final long w = await(lib, handle, Native.PARK_OUT, CLOSER, System.nanoTime() + left);
                if (w < 0 && w != ETIMEOUT)
                {
                    // The poller could not be armed (no descriptors left): look again in a while.
                    LockSupport.parkNanos(BLOCKER, Math.min(left, 1_000_000L));
                }
                left = lib.gt_close_resume(handle, Thread.currentThread().isInterrupted() ? 1 : 0);
            }
        }
        catch (final Throwable e)
        {
            // Only an Error gets here (no memory for a page of the table...) with the linger
            // still C's: give it up, so that the closer's reference does not keep the socket
            // (and its descriptor) forever.
            if (left > 0)
            {
                lib.gt_close_resume(handle, 1);
            }
            throw e;
        }
    }

    /** Take LOCK, waiting at most until DEADLINE; false at the deadline or on an interrupt (whose status stays set). */
    private static boolean lock(final ReentrantLock lock, final long deadline)
    {
        try
        {
            if (deadline == NO_DEADLINE)
            {
                lock.lockInterruptibly();
                return true;
            }
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt(); // the status stays set, as for a parked wait
            return false;
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
     * Sleep as the ROLE waiter of HANDLE (held by gt_park_begin, or by a parked send's or
     * close's own reference) until it may be ready for EVENTS: 0 when the caller should try
     * again (woken, or woken for nothing: trying again is always safe), -timeout once DEADLINE
     * has passed or the thread is interrupted, or the -code arming failed with.
     */
    private static long await(final LibGentcp lib, final long handle, final int events, final int role,
        final long deadline)
    {
        enter(handle, role); // before the arm: a report that follows it finds the thread
        try
        {
            return sleep(lib, handle, events, deadline);
        }
        finally
        {
            leave(handle, role);
        }
    }

    /**
     * Be the thread a report of HANDLE wakes as its ROLE waiter, until {@link #leave}. A wait
     * that C may end by a kick rather than by its fd (a sender's: a close, or another sender's
     * claim let go) enters before its first look and stays until it ends: a kick after that
     * look then finds the thread, and leaves it a permit should it come before the park.
     */
    private static void enter(final long handle, final int role)
    {
        final int slot = slotOf(handle);
        page(slot).set((slot & (PAGE_SIZE - 1)) * ROLES + role, Thread.currentThread());
    }

    private static void leave(final long handle, final int role)
    {
        final int slot = slotOf(handle);
        page(slot).compareAndSet((slot & (PAGE_SIZE - 1)) * ROLES + role, Thread.currentThread(), null);
    }

    /** As {@link #await}, for a waiter that has entered already. */
    private static long sleep(final LibGentcp lib, final long handle, final int events, final long deadline)
    {
        if (Thread.currentThread().isInterrupted())
        {
            return ETIMEOUT;
        }
        final long left = deadline == NO_DEADLINE ? 0 : deadline - System.nanoTime();
        if (deadline != NO_DEADLINE && left <= 0)
        {
            return ETIMEOUT;
        }
        ParkingPoller.start(lib);
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
        return 0;
    }

    /** The handle's slot field, as C lays it out (slot + 1: entry 0 of page 0 stays empty). */
    private static int slotOf(final long handle)
    {
        return (int)(handle & Native.HANDLE_SLOT_MASK);
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
                grown[p] = new AtomicReferenceArray<>(PAGE_SIZE * ROLES);
                pages = grown; // published whole: readers see the page with the directory
                current = grown;
            }
            return current[p];
        }
    }

    /**
     * Wake every thread waiting on the socket of TOKEN (a handle the parking poller reported):
     * its reader, its sender, its closer, whichever wait.
     *
     * @param token the handle
     */
    static void wakeWaitersOf(final long token)
    {
        final int slot = slotOf(token);
        final AtomicReferenceArray<Thread>[] dir = pages;
        final int p = slot >>> PAGE_BITS;
        if (slot < 0 || p >= dir.length || dir[p] == null)
        {
            return;
        }
        final AtomicReferenceArray<Thread> page = dir[p];
        final int first = (slot & (PAGE_SIZE - 1)) * ROLES;
        for (int role = 0; role < ROLES; role++)
        {
            final Thread waiter = page.get(first + role);
            if (waiter != null)
            {
                LockSupport.unpark(waiter);
            }
        }
    }
}
