package io.gentcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls racing on shared sockets from many threads: see {@link StressRaces}. */
@Timeout(300)
class StressRacesTest
{
    @Test
    void closeRecvSendSetoptsAndControllingProcessRaceOnSharedSockets()
    {
        StressScenarios.test("races on shared sockets");
    }
}
