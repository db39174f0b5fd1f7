package io.gentcp.bench.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The figures of a transfer: the line sink and blast print, and the C reference's line. */
class TransferTest
{
    @Test
    void theLineHasBytesPacketsSecondsMibPerSecondAndMessagesPerSecond()
    {
        assertEquals("bytes=2097152 packets=32 seconds=0.500000 MiB/s=4.0 msg/s=64",
            new Transfer(2 * 1024 * 1024, 32, 500_000_000L).line());
        assertEquals("bytes=0 packets=0 seconds=0.000000 MiB/s=0.0 msg/s=0", new Transfer(0, 0, 0).line());
    }

    @Test
    void theReferenceLineParses()
    {
        assertEquals(new Transfer(1000, 10, 12345), Transfer.parseReference("bytes=1000 packets=10 ns=12345"));
        assertEquals(new Transfer(0, 0, 1), Transfer.parseReference("bytes=0 packets=0 ns=1\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes=1 packets=1", "bytes=1 packets=1 ns=1 extra", "bytes=-1 packets=1 ns=1",
        "listening on 5", "bytes=1 packets=1 ns=1\nbytes=1 packets=1 ns=1"})
    void anythingElseIsRefused(final String line)
    {
        assertThrows(IllegalArgumentException.class, () -> Transfer.parseReference(line));
    }

    @Test
    void negativeCountsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new Transfer(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Transfer(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Transfer(0, 0, -1));
    }
}
