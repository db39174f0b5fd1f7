package io.gentcp.bench.command;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** This process's open-file limit ({@code ulimit -n}), checked before opening thousands of sockets. */
final class OpenFiles
{
    /** Descriptors kept free for the JVM's own files, pollers and pipes. */
    static final int MARGIN = 64;

    private OpenFiles()
    {
    }

    /**
     * Fails if this process cannot open SOCKETS more descriptors (and {@link #MARGIN} besides).
     * Where the JVM cannot tell (not a Unix JVM), it does not check.
     *
     * @param sockets how many it is about to open.
     * @param who     what opens them, for the message.
     * @throws IOException saying the numbers, if they do not fit.
     */
    static void check(final int sockets, final String who) throws IOException
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix)
        {
            final long max = unix.getMaxFileDescriptorCount();
            final long open = unix.getOpenFileDescriptorCount();
            if (open + sockets + MARGIN > max)
            {
                throw new IOException(who + " needs " + sockets + " sockets and " + MARGIN + " files to spare, but " +
                    open + " of its " + max + " open files (ulimit -n) are taken");
            }
        }
    }
}
