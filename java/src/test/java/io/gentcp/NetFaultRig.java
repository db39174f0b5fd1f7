package io.gentcp;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces of the network-fault tests (NetFault*Test), A and B, joined by a veth
 * pair or by two TUN devices and the tun_relay delay line; made with iproute2 and removed by
 * close(), also when a test fails. Names carry this JVM's pid and a scenario tag, so runs and
 * scenarios never collide (nor with NetnsTest, whose names start "gt").
 */
final class NetFaultRig implements AutoCloseable
{
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    final String nsA;
    final String nsB;
    final String devA;
    final String devB;
    final String addrA;
    final String addrB;
    private final List<String> namespaces = new ArrayList<>();
    private Process relay;
    private Path relayLog;

    private NetFaultRig(final String tag, final int subnet)
    {
        final String base = "nf" + PID + tag;
        nsA = base + "a";
        nsB = base + "b";
        devA = base + "a";
        devB = base + "b";
        addrA = "10.209." + subnet + ".1";
        addrB = "10.209." + subnet + ".2";
    }

    /** Aborts the calling test, with the reason printed, unless this process is root. */
    static void assumeRoot(final String test)
    {
        final String uid;
        try
        {
            uid = run(false, "id", "-u").trim();
        }
        catch (final IOException | InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
        skipUnless("0".equals(uid), test + " skipped: not root, so no network namespace can be created");
    }

    /** Aborts the calling test, with the reason printed, unless COMMAND runs and succeeds. */
    static void assumeTool(final String test, final String... command)
    {
        boolean works;
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            works = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            p.destroyForcibly();
        }
        catch (final IOException e)
        {
            works = false;
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
        skipUnless(works, test + " skipped: '" + String.join(" ", command) + "' does not work here");
    }

    /**
     * Aborts the calling test, with the reason printed, unless this kernel has what the link
     * faults use: nftables' netdev ingress and egress hooks with numgen, drop and dup (a veth
     * device's own egress), and the tbf qdisc. Tried in a namespace of its own, removed at once.
     */
    static void assumeLinkFaults(final String test) throws IOException, InterruptedException
    {
        final String ns = "nf" + PID + "probe";
        final String dev = "nf" + PID + "p";
        String missing = null;
        run(true, "ip", "netns", "add", ns);
        try
        {
            final NetFaultRig probe = new NetFaultRig("probe", 0);
            probe.in(ns, "ip", "link", "add", dev, "type", "veth", "peer", "name", dev + "q");
            try
            {
                probe.nft(ns, "table netdev probe {\n" +
                    "  chain out { type filter hook egress device " + dev + " priority 0; policy accept;\n" +
                    "    numgen random mod 100 < 5 counter drop\n" +
                    "    numgen random mod 100 < 5 counter dup to " + dev + "\n  }\n" +
                    "  chain in { type filter hook ingress device " + dev + " priority 0; policy accept;\n" +
                    "    numgen random mod 100 < 5 counter drop\n  }\n" +
                    "}\n");
            }
            catch (final IllegalStateException e)
            {
                if (e.getMessage().contains("syntax error"))
                {
                    throw e; // ours, not the kernel's
                }
                missing = "nftables netdev egress/ingress with numgen and dup: " + e.getMessage();
            }
            try
            {
                probe.in(ns, "tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate", "16mbit", "burst", "32kb",
                    "latency", "100ms");
            }
            catch (final IllegalStateException e)
            {
                missing = "the tbf qdisc: " + e.getMessage();
            }
        }
        finally
        {
            run(false, "ip", "netns", "del", ns);
        }
        skipUnless(missing == null, test + " skipped: this kernel lacks " + missing);
    }

    private static void skipUnless(final boolean condition, final String reason)
    {
        if (!condition)
        {
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    /** A and B joined by a veth pair (devA in A, devB in B), addresses 10.209.SUBNET.1 and .2. */
    static NetFaultRig veth(final String tag, final int subnet) throws IOException, InterruptedException
    {
        final NetFaultRig rig = new NetFaultRig(tag, subnet);
        try
        {
            rig.addNamespaces();
            run(true, "ip", "link", "add", rig.devA, "netns", rig.nsA, "type", "veth", "peer", "name", rig.devB,
                "netns", rig.nsB);
            rig.in(rig.nsA, "ip", "addr", "add", rig.addrA + "/30", "dev", rig.devA);
            rig.in(rig.nsB, "ip", "addr", "add", rig.addrB + "/30", "dev", rig.devB);
            // one MTU-sized segment per packet, as on a real wire: a fault then hits a segment, not
            // a 64 KiB GSO burst
            rig.in(rig.nsA, "ip", "link", "set", rig.devA, "gso_max_segs", "1", "up");
            rig.in(rig.nsB, "ip", "link", "set", rig.devB, "gso_max_segs", "1", "up");
            return rig;
        }
        catch (final Exception | Error e)
        {
            rig.close();
            throw e;
        }
    }

    /**
     * A and B joined through tun_relay (RELAY, the executable): a TUN device in each, the two
     * ends of a point-to-point link whose packets wait DELAY_MS plus up to JITTER_MS (seeded
     * by SEED) in the relay, each way.
     */
    static NetFaultRig tunRelay(final String tag, final int subnet, final File relayExecutable, final int delayMs,
        final int jitterMs, final long seed) throws Exception
    {
        final NetFaultRig rig = new NetFaultRig(tag, subnet);
        try
        {
            rig.addNamespaces();
            rig.in(rig.nsA, "ip", "tuntap", "add", "dev", rig.devA, "mode", "tun");
            rig.in(rig.nsB, "ip", "tuntap", "add", "dev", rig.devB, "mode", "tun");
            rig.in(rig.nsA, "ip", "addr", "add", rig.addrA, "peer", rig.addrB, "dev", rig.devA);
            rig.in(rig.nsB, "ip", "addr", "add", rig.addrB, "peer", rig.addrA, "dev", rig.devB);
            rig.in(rig.nsA, "ip", "link", "set", rig.devA, "up");
            rig.in(rig.nsB, "ip", "link", "set", rig.devB, "up");
            rig.relayLog = Files.createTempFile("tun_relay", ".log");
            rig.relay = new ProcessBuilder(relayExecutable.getPath(), path(rig.nsA), rig.devA, path(rig.nsB), rig.devB,
                Integer.toString(delayMs), Integer.toString(jitterMs), Long.toString(seed))
                .redirectError(rig.relayLog.toFile()).start();
            final BufferedReader out = new BufferedReader(new InputStreamReader(rig.relay.getInputStream(),
                StandardCharsets.US_ASCII));
            final String ready = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return out.readLine();
                }
                catch (final IOException e)
                {
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
            if (!"ready".equals(ready))
            {
                throw new IllegalStateException("tun_relay did not start: " + Files.readString(rig.relayLog));
            }
            return rig;
        }
        catch (final Exception | Error e)
        {
            rig.close();
            throw e;
        }
    }

    private void addNamespaces() throws IOException, InterruptedException
    {
        for (final String ns : new String[] {nsA, nsB})
        {
            run(true, "ip", "netns", "add", ns);
            namespaces.add(ns);
            in(ns, "ip", "link", "set", "lo", "up");
        }
    }

    /** The file of namespace NS, for the netns option. */
    static String path(final String ns)
    {
        return "/var/run/netns/" + ns;
    }

    /** Runs COMMAND in namespace NS; its output, or throws with it if it fails. */
    String in(final String ns, final String... command) throws IOException, InterruptedException
    {
        final String[] all = new String[command.length + 4];
        all[0] = "ip";
        all[1] = "netns";
        all[2] = "exec";
        all[3] = ns;
        System.arraycopy(command, 0, all, 4, command.length);
        return run(true, all);
    }

    /** Runs the nftables script SCRIPT in namespace NS. */
    void nft(final String ns, final String script) throws IOException, InterruptedException
    {
        final Path file = Files.createTempFile("netfault", ".nft");
        try
        {
            Files.writeString(file, script);
            in(ns, "nft", "-f", file.toString());
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /** The first counter's packets on the nftables rule of namespace NS whose text holds MARK. */
    long nftPackets(final String ns, final String mark) throws IOException, InterruptedException
    {
        for (final String line : in(ns, "nft", "list", "ruleset").split("\n"))
        {
            final Matcher m = Pattern.compile("counter packets (\\d+)").matcher(line);
            if (line.contains(mark) && m.find())
            {
                return Long.parseLong(m.group(1));
            }
        }
        throw new IllegalStateException("no counter on a rule with " + mark + " in " + ns);
    }

    /** Deletes namespace NS now (its veth end, and so the pair, go with it once nothing holds it). */
    void deleteNamespace(final String ns) throws IOException, InterruptedException
    {
        run(true, "ip", "netns", "del", ns);
        namespaces.remove(ns);
    }

    /** The relay's report (its counts, once it has ended). */
    String relayReport() throws IOException
    {
        return relayLog == null ? "" : Files.readString(relayLog).trim();
    }

    /** Ends the relay (stdin closed) and waits for it; its report. */
    String stopRelay() throws IOException, InterruptedException
    {
        if (relay != null)
        {
            relay.getOutputStream().close();
            if (!relay.waitFor(10, TimeUnit.SECONDS))
            {
                relay.destroyForcibly();
                relay.waitFor(10, TimeUnit.SECONDS);
            }
            relay = null;
        }
        return relayReport();
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            removeAll();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while removing " + namespaces);
        }
    }

    private void removeAll() throws IOException, InterruptedException
    {
        try
        {
            stopRelay();
        }
        finally
        {
            for (final String ns : namespaces)
            {
                run(false, "ip", "netns", "del", ns);
            }
            namespaces.clear();
            if (relayLog != null)
            {
                Files.deleteIfExists(relayLog);
            }
        }
    }

    /** Runs a command (bounded in time); its output, or throws with it if it fails and MUST_SUCCEED. */
    static String run(final boolean mustSucceed, final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<String> output = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                return e.toString();
            }
        });
        if (!p.waitFor(20, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": did not finish in 20 s");
        }
        final String text = output.join();
        if (mustSucceed && p.exitValue() != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /**
     * How much the resident set may grow in a scenario: the heap (capped at 256 MiB by the pom's
     * test-net-faults execution) and no more than 128 MiB of native memory.
     */
    private static final long RSS_GROWTH_BOUND = 384L << 20;

    /**
     * Prints a scenario's figures, LINE, with how much the resident set grew since BEFORE (rss()),
     * then asserts that growth stays under the bound.
     */
    static void report(final String line, final long before) throws IOException
    {
        final long growth = rss() - before;
        System.out.println(line + " (rss " + (growth >= 0 ? "+" : "") + (growth >> 20) + " MiB)");
        if (growth >= RSS_GROWTH_BOUND)
        {
            throw new AssertionError(line + ": the resident set grew by " + growth + " bytes");
        }
    }

    /** This process's resident set, in bytes (VmRSS), after a collection. */
    static long rss() throws IOException
    {
        System.gc();
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
