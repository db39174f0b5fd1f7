package io.gentcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.gentcp.internal.Native;

/**
 * The C core answers an option or call its platform lacks with -ENOTSUP: Java must name it
 * enotsup. On Linux ENOTSUP and EOPNOTSUPP are one number; on macOS two (45, 102); on FreeBSD
 * one (45). Whatever the numbers, ENOTSUP's is enotsup, and EOPNOTSUPP's is eopnotsupp where
 * it is a number of its own.
 */
class ErrnoReasonTest
{
    @Test
    void enotsupIsNamedEnotsupWhereverTheNumbersFall()
    {
        final long enotsup = Native.constantOrMissing("ENOTSUP");
        final long eopnotsupp = Native.constantOrMissing("EOPNOTSUPP");
        assertTrue(enotsup > 0 && eopnotsupp > 0, "both asked of C");
        assertEquals(Reason.ENOTSUP, Errors.reason(-enotsup));
        assertEquals(enotsup == eopnotsupp ? Reason.ENOTSUP : Reason.EOPNOTSUPP, Errors.reason(-eopnotsupp));
        assertEquals(Reason.ENOTSUP, Errors.exception(-enotsup).reason());
    }
}
