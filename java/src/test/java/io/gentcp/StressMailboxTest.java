package io.gentcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thousands of connections through one mailbox: see {@link StressTraffic#mailbox}. */
@Timeout(300)
class StressMailboxTest
{
    @Test
    void twoThousandConnectionsThroughOneMailboxActiveOnce()
    {
        StressScenarios.test("mailbox {active, once}");
    }

    @Test
    void twoThousandConnectionsThroughOneMailboxActiveN()
    {
        StressScenarios.test("mailbox {active, N}");
    }
}
