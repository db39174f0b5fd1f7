package io.gentcp.bench.roundtrip;

import java.io.IOException;

/**
 * One client's round trip: send a message, wait for its echo, check it. Implementations
 * allocate nothing.
 */
public interface RoundTrip
{
    /**
     * Sends one message stamped with SEQUENCE and receives its echo.
     *
     * @param sequence the round trip's number, carried in the message so a lost, repeated or
     *                 reordered echo is caught rather than timed.
     * @return the echo's body length.
     * @throws IOException if the connection fails.
     */
    int roundTrip(int sequence) throws IOException;
}
