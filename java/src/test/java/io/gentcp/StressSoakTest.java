package io.gentcp;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The soak: with {@code -Dgentcp.soak.minutes=N}, every stress scenario again and again, each
 * round with a fresh seed (derived from the run's), until N minutes have passed; after every
 * scenario of every round the descriptors and the C library's allocations must be back to the
 * baseline taken before the first round. Without the property it is skipped, saying so.
 * A round's failure names its seed: {@code -Dgentcp.stress.seed=S} replays that round as an
 * ordinary stress run.
 *
 * <p>Surefire ends a test JVM after java/pom.xml's forkedProcessTimeoutInSeconds (900 s), so
 * a soak of more than 14 minutes runs through {@link #main} (see the README's "Stress and soak").
 */
public class StressSoakTest
{
    @Test
    void soak() throws Exception
    {
        final String minutes = System.getProperty("gentcp.soak.minutes", "").trim();
        assumeFalse(minutes.isEmpty(), "the soak runs only when asked for: -Dgentcp.soak.minutes=N");
        soak(Long.parseLong(minutes));
    }

    /** The soak outside JUnit, for as long as -Dgentcp.soak.minutes=N says: for runs of hours. */
    public static void main(final String[] args) throws Exception
    {
        final String minutes = System.getProperty("gentcp.soak.minutes", "").trim();
        if (minutes.isEmpty())
        {
            throw new IllegalArgumentException("say how long: -Dgentcp.soak.minutes=N");
        }
        soak(Long.parseLong(minutes));
    }

    private static void soak(final long minutes) throws Exception
    {
        final long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        for (final Map.Entry<String, StressRun.Scenario> s : StressScenarios.ALL.entrySet())
        {
            StressRun.withSeed(StressRun.SEED, "soak warm-up, " + s.getKey(),
                () -> StressRun.runOnce(s.getValue(), StressRun.derive(StressRun.SEED, s.getKey() + "/warm-up"), true));
        }
        final Baseline baseline = Baseline.capture();
        System.out.println("soak: " + minutes + " minutes, baseline " + baseline);
        int round = 0;
        do
        {
            final long roundSeed = StressRun.derive(StressRun.SEED, "soak round " + round);
            final int r = round;
            final long start = System.nanoTime();
            StressRun.withSeed(roundSeed, "soak round " + r + " of run seed " + StressRun.SEED, () ->
            {
                for (final Map.Entry<String, StressRun.Scenario> s : StressScenarios.ALL.entrySet())
                {
                    StressRun.runOnce(s.getValue(), StressRun.derive(roundSeed, s.getKey()), false);
                    baseline.assertBackTo("soak round " + r + ", " + s.getKey());
                }
            });
            System.out.printf("soak round %d (seed %d) passed in %d s; now %s%n", r, roundSeed,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), Baseline.capture());
            round++;
        }
        while (System.nanoTime() - end < 0);
        System.out.println("soak: " + round + " rounds, baseline " + baseline + ", at the end " + Baseline.capture());
    }
}
