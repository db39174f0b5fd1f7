package io.gentcp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every scenario of the stress suite by name, at the scale CI runs it (a warm-up runs it
 * small): the Stress*Test classes run one each, the soak all of them, round after round.
 */
final class StressScenarios
{
    /** Each scenario's time limit: far above what it takes on a busy 2-core machine, to catch a hang. */
    private static final long LIMIT_MS = 150_000;
    private static final long WARM_UP_LIMIT_MS = 30_000;

    static final Map<String, StressRun.Scenario> ALL = new LinkedHashMap<>();

    static
    {
        ALL.put("mailbox {active, once}", (seed, warmUp) ->
            StressTraffic.mailbox(seed, warmUp ? 20 : connections(4_000), 0, limit(warmUp)));
        ALL.put("mailbox {active, N}", (seed, warmUp) ->
            StressTraffic.mailbox(seed, warmUp ? 20 : connections(4_000), 2 + (int)Math.floorMod(seed, 7L),
                limit(warmUp)));
        ALL.put("mailbox hand-over", (seed, warmUp) ->
            StressTraffic.handover(seed, warmUp ? 20 : connections(2_000), 4, limit(warmUp)));
        ALL.put("thread per connection", (seed, warmUp) ->
            StressTraffic.threadPerConnection(seed, warmUp ? 20 : connections(2_000), limit(warmUp)));
        ALL.put("races on shared sockets", (seed, warmUp) ->
            StressRaces.run(seed, warmUp ? 4 : 64, warmUp ? 200 : 20_000, limit(warmUp)));
        ALL.put("connect/close churn", (seed, warmUp) ->
            StressChurn.run(seed, warmUp ? 20 : 1_500, limit(warmUp)));
    }

    private StressScenarios()
    {
    }

    private static long limit(final boolean warmUp)
    {
        return warmUp ? WARM_UP_LIMIT_MS : LIMIT_MS;
    }

    /**
     * WANTED connections, or as many as the open-file limit leaves room for (two descriptors
     * each, both ends being in this process), saying so.
     */
    private static int connections(final int wanted)
    {
        final long room = (Baseline.openFileLimit() - 512) / 2;
        if (room >= wanted)
        {
            return wanted;
        }
        System.out.println("stress: " + room + " connections rather than " + wanted +
            ", for the open-file limit (ulimit -n)");
        return (int)Math.max(20, room);
    }

    /** Runs the scenario NAME as a test: see {@link StressRun#test}. */
    static void test(final String name)
    {
        final StressRun.Scenario scenario = ALL.get(name);
        if (scenario == null)
        {
            throw new IllegalArgumentException("no stress scenario named " + name);
        }
        StressRun.test(name, scenario);
    }
}
