package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.ip;
import static io.gentcp.Option.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/** The local port of a connection on 127.0.0.1, chosen by the test. */
final class SourcePort
{
    private SourcePort()
    {
    }

    /** A port on 127.0.0.1 nobody listens on right now (the kernel's pick, released). */
    static int free()
    {
        try (ListenSocket probe = GenTcp.listen(0, ip("127.0.0.1")))
        {
            return Inet.port(probe);
        }
    }

    /**
     * Connects to a passive listen socket on 127.0.0.1 with OPTIONS and {port, P}, P a port that
     * was free a moment ago, and asserts that the accepted end sees P as its peer's port.
     */
    static void assertConnectsFromAFreePort(final Option... options)
    {
        try (ListenSocket l = GenTcp.listen(0, active(false)))
        {
            final int source = free();
            final Option[] all = Arrays.copyOf(options, options.length + 1);
            all[options.length] = port(source);
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, all);
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(source, Inet.peername(s).getPort());
            GenTcp.close(c);
            GenTcp.close(s);
        }
    }
}
