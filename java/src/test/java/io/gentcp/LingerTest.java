package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.linger;
import static io.gentcp.Option.showEconnreset;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {linger, {B, T}}: stored, inherited, and {true, 0} resets on close (reference 2.3, test 53). */
@Timeout(60)
class LingerTest
{
    @Test
    void lingerZeroResetsAndThePeerSeesEconnreset()
    {
        final ListenSocket l = GenTcp.listen(0, binary(), active(false), showEconnreset(true));
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, binary(), active(false), linger(true, 0));
        final Socket s = GenTcp.accept(l, 5_000);
        try
        {
            assertEquals(linger(true, 0), Inet.getopt(c, OptionName.LINGER));
            assertEquals(linger(false, 0), Inet.getopt(s, OptionName.LINGER));
            GenTcp.close(c);
            assertReason(Reason.ECONNRESET, () -> GenTcp.recv(s, 0, 5_000));
        }
        finally
        {
            GenTcp.close(s);
            GenTcp.close(l);
        }
    }

    @Test
    void lingerIsInheritedAndKeepsItsSeconds()
    {
        final ListenSocket l = GenTcp.listen(0, linger(true, 7));
        final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000);
        final Socket s = GenTcp.accept(l, 5_000);
        try
        {
            assertEquals(linger(true, 7), Inet.getopt(s, OptionName.LINGER));
            Inet.setopts(s, linger(false, 3));
            assertEquals(linger(false, 3), Inet.getopt(s, OptionName.LINGER));
            assertEquals("{linger,{true,7}}", linger(true, 7).toString());
        }
        finally
        {
            GenTcp.close(c);
            GenTcp.close(s);
            GenTcp.close(l);
        }
    }
}
