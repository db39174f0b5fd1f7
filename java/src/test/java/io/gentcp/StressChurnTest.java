package io.gentcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connect/close churn: see {@link StressChurn}. */
@Timeout(300)
class StressChurnTest
{
    @Test
    void connectAndCloseChurn()
    {
        StressScenarios.test("connect/close churn");
    }
}
