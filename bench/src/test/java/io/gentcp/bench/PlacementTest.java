package io.gentcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlacementTest
{
    @Test
    void parsesServerThenClientCpu()
    {
        assertEquals(new Placement(0, 1), Placement.parse("0,1"));
        assertEquals(new Placement(3, 3), Placement.parse(" 3 , 3 "));
        assertEquals(Placement.ANY, Placement.parse(null));
        assertTrue(new Placement(0, 0).pinsClient());
    }

    @Test
    void rejectsAnythingElseNamingTheFlag()
    {
        for (final String bad : new String[] {"", "0", "0,1,2", "a,b", "-1,0", "0,-2"})
        {
            final UsageException e = assertThrows(UsageException.class, () -> Placement.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--cpus"), e.getMessage());
        }
    }
}
