package io.gentcp.bench.roundtrip;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An echo server with a virtual thread per connection, in this JVM: one virtual thread accepts
 * on a loopback port and starts a virtual thread for each connection it accepts, which echoes
 * every message until the peer closes. {@link GenTcpVirtualEchoServer} does it with gentcp,
 * {@link JavaNetVirtualEchoServer} with {@code java.net.ServerSocket}; this class holds what
 * both share: the threads, and stopping them.
 */
public abstract class VirtualEchoServer implements AutoCloseable
{
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** The loopback port it listens on. */
    public abstract int port();

    /** Accepts connections until stopped, serving each on its own virtual thread (see {@link #serve}). */
    final void startAccepting(final String name)
    {
        VirtualThreads.require(name);
        track(VirtualThreads.start(name + "-acceptor-" + port(), () ->
        {
            try
            {
                acceptLoop();
            }
            finally
            {
                threads.remove(Thread.currentThread());
            }
        }));
    }

    /** Adds a started THREAD, which removes itself as it ends, to the threads close() waits for. */
    private void track(final Thread thread)
    {
        threads.add(thread);
        if (!thread.isAlive())
        {
            threads.remove(thread); // it ended before it was added
        }
    }

    /** Accepts until the listener closes, calling {@link #serve} for each connection. */
    abstract void acceptLoop();

    /**
     * Starts a virtual thread that runs CONNECTION (the echo loop) and then, whatever it ends
     * with, CLOSE.
     */
    final void serve(final String name, final Runnable connection, final Runnable close)
    {
        track(VirtualThreads.start(name, () ->
        {
            try
            {
                connection.run();
            }
            finally
            {
                close.run();
                threads.remove(Thread.currentThread());
            }
        }));
    }

    /** Whether {@link #close} has begun. */
    final boolean stopped()
    {
        return stopped;
    }

    /** Closes the listener (ending the acceptor) and every open connection. */
    abstract void closeAll();

    /**
     * Stops: closes the listener and every connection, and waits for every thread to end.
     *
     * @throws IllegalStateException if a thread is still running after 10 seconds.
     */
    @Override
    public final void close()
    {
        stopped = true;
        closeAll();
        StopWait.joinAll(threads, getClass().getSimpleName());
    }
}
