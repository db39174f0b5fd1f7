package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CpuAffinityTest
{
    /** The CPUs the calling thread may run on, as the kernel reports them. */
    private static String allowedCpus() throws Exception
    {
        for (final String line : Files.readAllLines(Path.of("/proc/thread-self/status")))
        {
            if (line.startsWith("Cpus_allowed_list:"))
            {
                return line.substring("Cpus_allowed_list:".length()).trim();
            }
        }
        throw new AssertionError("no Cpus_allowed_list");
    }

    @Test
    void pinsTheCallingThreadOnlyAndUnpins() throws Exception
    {
        final String before = allowedCpus();
        final String pinned = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                CpuAffinity.pinCurrentThread(0);
                final String seen = allowedCpus();
                CpuAffinity.unpinCurrentThread();
                return seen + " then " + allowedCpus();
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable).start()).get(10, TimeUnit.SECONDS);
        assertEquals("0 then " + before, pinned);
        assertEquals(before, allowedCpus(), "other threads are not affected");
    }

    @Test
    void badCpus()
    {
        assertThrows(IllegalArgumentException.class, () -> CpuAffinity.pinCurrentThread(-1));
        assertReason(Reason.EINVAL, () -> CpuAffinity.pinCurrentThread(1 << 20));
    }
}
