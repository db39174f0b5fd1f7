package io.gentcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of connections through one mailbox ({@link StressTraffic#mailbox}) and handed between mailboxes
 * ({@link StressTraffic#handover}).
 */
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

    @Test
    void twoThousandConnectionsHandedBetweenFourMailboxesWhileTheirDataFlows()
    {
        StressScenarios.test("mailbox hand-over");
    }
}
