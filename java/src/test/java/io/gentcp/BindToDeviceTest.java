package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.bindToDevice;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {bind_to_device, Name}: on loopback's own interface, and a missing one. */
@Timeout(60)
class BindToDeviceTest
{
    @Test
    void boundToLoTheConnectionWorksAndAMissingDeviceIsEnodev()
    {
        final ListenSocket l = GenTcp.listen(0, bindToDevice("lo"));
        try
        {
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, bindToDevice("lo"));
            final Socket s = GenTcp.accept(l, 5_000);
            assertTrue(Inet.port(s) > 0);
            GenTcp.close(c);
            GenTcp.close(s);
            assertReason(Reason.ENODEV,
                () -> GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, bindToDevice("nosuchdev0")));
        }
        finally
        {
            GenTcp.close(l);
        }
        assertThrows(IllegalArgumentException.class, () -> bindToDevice("far too long a name"));
        assertThrows(IllegalArgumentException.class, () -> bindToDevice("bad name"));
    }
}
