package io.gentcp.bench.roundtrip;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import io.gentcp.internal.Parking;

/**
 * Virtual threads for a tool built with release 17: {@code Thread.startVirtualThread} is looked
 * up once through a method handle, and is absent before Java 21, when {@link #require} says so.
 * Whether a thread is virtual is the library's own question ({@link Parking#onVirtualThread}).
 */
public final class VirtualThreads
{
    private static final MethodHandle START = startHandle();

    private VirtualThreads()
    {
    }

    private static MethodHandle startHandle()
    {
        try
        {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                MethodType.methodType(Thread.class, Runnable.class));
        }
        catch (final NoSuchMethodException | IllegalAccessException e)
        {
            return null; // before Java 21
        }
    }

    /** Whether this JVM has virtual threads (Java 21 and later). */
    public static boolean available()
    {
        return START != null;
    }

    /** Why WHAT cannot run here: {@code WHAT needs virtual threads (Java 21+); this is Java V}. */
    public static String unavailable(final String what)
    {
        return what + " needs virtual threads (Java 21+); this is Java " + System.getProperty("java.version");
    }

    /**
     * Fails unless this JVM has virtual threads.
     *
     * @param what what needs them, for the message.
     * @throws UnsupportedOperationException saying that WHAT needs Java 21+, before Java 21.
     */
    public static void require(final String what)
    {
        if (!available())
        {
            throw new UnsupportedOperationException(unavailable(what));
        }
    }

    /** Whether the current thread is virtual (never before Java 21). */
    public static boolean current()
    {
        return Parking.onVirtualThread();
    }

    /**
     * Starts TASK on a new virtual thread named NAME.
     *
     * @throws UnsupportedOperationException before Java 21.
     */
    public static Thread start(final String name, final Runnable task)
    {
        require("a virtual thread");
        final Thread thread;
        try
        {
            thread = (Thread)START.invokeExact(task);
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException("Thread.startVirtualThread", e);
        }
        thread.setName(name);
        return thread;
    }

    /**
     * Runs TASK on a new virtual thread and waits for its answer.
     *
     * @param name the thread's name.
     * @param task what it runs.
     * @return TASK's answer.
     * @throws IOException what TASK threw, if an IOException; another checked exception is
     *         wrapped in one, an unchecked one or an error is rethrown as it is.
     * @throws InterruptedException if this thread is interrupted while it waits (the virtual
     *         thread is interrupted too).
     */
    public static <T> T call(final String name, final Callable<T> task) throws IOException, InterruptedException
    {
        final AtomicReference<T> answer = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = start(name, () ->
        {
            try
            {
                answer.set(task.call());
            }
            catch (final Throwable e)
            {
                failure.set(e);
            }
        });
        try
        {
            thread.join();
        }
        catch (final InterruptedException e)
        {
            thread.interrupt();
            throw e;
        }
        final Throwable e = failure.get();
        if (e instanceof IOException io)
        {
            throw io;
        }
        if (e instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (e instanceof Error error)
        {
            throw error;
        }
        if (e != null)
        {
            throw new IOException(name + ": " + e, e);
        }
        return answer.get();
    }
}
