package io.gentcp.bench.jmh;

import java.io.IOException;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.gentcp.bench.roundtrip.RoundTrip;

/**
 * The state of a ping-pong benchmark: an echo server and a client connected to it, which
 * numbers its round trips. A subclass's setup sets both; the teardown closes the client, then
 * {@link #afterClient}, then the server, skipping what a failed setup left unset.
 *
 * @param <C> the client.
 */
@State(Scope.Thread)
public abstract class Peers<C extends RoundTrip & AutoCloseable>
{
    AutoCloseable server;
    C client;
    private int sequence;

    /** One round trip, the next in sequence. */
    final int roundTrip() throws IOException
    {
        return client.roundTrip(sequence++);
    }

    /** What to close between the client and the server: nothing, unless a subclass says so. */
    void afterClient()
    {
    }

    /** Closes the client, then the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        if (client != null)
        {
            client.close();
        }
        afterClient();
        if (server != null)
        {
            server.close();
        }
    }
}
