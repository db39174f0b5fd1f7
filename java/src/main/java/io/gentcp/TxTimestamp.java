package io.gentcp;

/**
 * One transmit timestamp ({@link Option#timestamping} with a {@code tx_*} flag), as
 * {@link Inet#txTimestamps} reads them: byte OFFSET of the connection (the last byte of a send,
 * counted from 0 at the connection, or at the first transmit flag set on a connected socket)
 * reached the point KIND names at NANOS, nanoseconds since the epoch (CLOCK_REALTIME; the
 * device's clock for {@link Kind#HARDWARE}).
 *
 * @param kind   where the byte was
 * @param offset the byte's offset; for {@link Kind#LOST}, how many records were lost
 * @param nanos  when, or 0 for {@link Kind#LOST}
 */
public record TxTimestamp(Kind kind, long offset, long nanos)
{
    /** Where the byte was at that time. */
    public enum Kind
    {
        /** Entered the queueing discipline ({@code tx_sched}). */
        SCHED,
        /** Left the stack for the device ({@code tx_software}). */
        SOFTWARE,
        /** Was acknowledged by the peer ({@code tx_ack}). */
        ACK,
        /** Was sent by the NIC ({@code tx_hardware}). */
        HARDWARE,
        /**
         * Not a stamp: the socket's ring of records overflowed since the last read, and OFFSET
         * records, the oldest, were lost.
         */
        LOST;

        @Override
        public String toString()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString()
    {
        return "{" + kind + "," + offset + "," + nanos + "}";
    }
}
