package io.gentcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A platform thread per connection, passive recv and echo: see {@link StressTraffic#threadPerConnection}. */
@Timeout(300)
class StressThreadPerConnectionTest
{
    @Test
    void aThousandConnectionsEachWithItsOwnThread()
    {
        StressScenarios.test("thread per connection");
    }
}
