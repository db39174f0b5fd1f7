package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/** Assertions on gen_tcp's {error, Reason} answers. */
final class GenTcpAssertions
{
    private GenTcpAssertions()
    {
    }

    /** Asserts that CALL answers {error, REASON}. */
    static void assertReason(final Reason reason, final Executable call)
    {
        final GenTcpException e = assertThrows(GenTcpException.class, call);
        assertEquals(reason, e.reason(), () -> "expected {error," + reason + "} but got {error," + e.reason() + "}");
    }
}
