package io.gentcp;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.gentcp.internal.Native;

/**
 * What the kernel knows of a TCP connection ({@link Inet#tcpInfo}): Linux's {@code TCP_INFO}
 * ({@code struct tcp_info}, what {@code ss -ti} shows), each field named as the kernel names it
 * without its {@code tcpi_} prefix, in the kernel's units. A field the running kernel does not
 * fill (an older kernel's {@code struct tcp_info} is shorter) is empty, never zero; so is
 * {@code minRtt} before the first round-trip sample.
 *
 * @param state         the connection's state ({@code tcpi_state})
 * @param retransmits   retransmissions in a row of the oldest unacknowledged segment, now
 *                      ({@code tcpi_retransmits}); 0 while nothing times out
 * @param rtt           the smoothed round-trip time, in microseconds ({@code tcpi_rtt})
 * @param rttvar        the round-trip time's mean deviation, in microseconds ({@code tcpi_rttvar})
 * @param totalRetrans  segments retransmitted over the connection's life ({@code tcpi_total_retrans})
 * @param lost          segments now thought lost ({@code tcpi_lost})
 * @param sndCwnd       the congestion window, in segments ({@code tcpi_snd_cwnd})
 * @param sndSsthresh   the slow-start threshold, in segments ({@code tcpi_snd_ssthresh}); a
 *                      very large value while slow start has not ended
 * @param unacked       segments sent and not yet acknowledged ({@code tcpi_unacked})
 * @param pacingRate    the pacing rate, in bytes per second ({@code tcpi_pacing_rate});
 *                      {@link Long#MAX_VALUE} for none
 * @param deliveryRate  the most recent delivery rate, in bytes per second ({@code tcpi_delivery_rate})
 * @param busyTime      time spent with data in flight, in microseconds ({@code tcpi_busy_time})
 * @param rwndLimited   time the peer's receive window held sending back, in microseconds
 *                      ({@code tcpi_rwnd_limited})
 * @param sndbufLimited time the send buffer held sending back, in microseconds
 *                      ({@code tcpi_sndbuf_limited})
 * @param bytesAcked    bytes the peer has acknowledged ({@code tcpi_bytes_acked})
 * @param bytesReceived bytes received in sequence ({@code tcpi_bytes_received})
 * @param minRtt        the least round-trip time seen lately, in microseconds ({@code tcpi_min_rtt})
 */
public record TcpInfo(Optional<State> state, OptionalInt retransmits, OptionalLong rtt, OptionalLong rttvar,
    OptionalLong totalRetrans, OptionalLong lost, OptionalLong sndCwnd, OptionalLong sndSsthresh,
    OptionalLong unacked, OptionalLong pacingRate, OptionalLong deliveryRate, OptionalLong busyTime,
    OptionalLong rwndLimited, OptionalLong sndbufLimited, OptionalLong bytesAcked, OptionalLong bytesReceived,
    OptionalLong minRtt)
{
    /** A TCP state, by its kernel name ({@code TCP_ESTABLISHED} ...). */
    public enum State
    {
        /** {@code TCP_ESTABLISHED}. */
        ESTABLISHED(Native.TCP_STATE_ESTABLISHED),
        /** {@code TCP_SYN_SENT}. */
        SYN_SENT(Native.TCP_STATE_SYN_SENT),
        /** {@code TCP_SYN_RECV}. */
        SYN_RECV(Native.TCP_STATE_SYN_RECV),
        /** {@code TCP_FIN_WAIT1}. */
        FIN_WAIT1(Native.TCP_STATE_FIN_WAIT1),
        /** {@code TCP_FIN_WAIT2}. */
        FIN_WAIT2(Native.TCP_STATE_FIN_WAIT2),
        /** {@code TCP_TIME_WAIT}. */
        TIME_WAIT(Native.TCP_STATE_TIME_WAIT),
        /** {@code TCP_CLOSE}: closed, or not yet connected. */
        CLOSE(Native.TCP_STATE_CLOSE),
        /** {@code TCP_CLOSE_WAIT}: the peer has closed its side. */
        CLOSE_WAIT(Native.TCP_STATE_CLOSE_WAIT),
        /** {@code TCP_LAST_ACK}. */
        LAST_ACK(Native.TCP_STATE_LAST_ACK),
        /** {@code TCP_LISTEN}. */
        LISTEN(Native.TCP_STATE_LISTEN),
        /** {@code TCP_CLOSING}. */
        CLOSING(Native.TCP_STATE_CLOSING),
        /** A state the kernel reported that gentcp has no name for. */
        OTHER(-1);

        private final int number;

        State(final int number)
        {
            this.number = number;
        }

        static State of(final long number)
        {
            for (final State s : values())
            {
                if (s.number == number)
                {
                    return s;
                }
            }
            return OTHER;
        }
    }

    /**
     * Checks that no field is null.
     *
     * @param state         the state
     * @param retransmits   retransmissions in a row, now
     * @param rtt           the smoothed round-trip time, in microseconds
     * @param rttvar        its mean deviation, in microseconds
     * @param totalRetrans  segments retransmitted in all
     * @param lost          segments thought lost
     * @param sndCwnd       the congestion window, in segments
     * @param sndSsthresh   the slow-start threshold, in segments
     * @param unacked       segments not yet acknowledged
     * @param pacingRate    the pacing rate, in bytes per second
     * @param deliveryRate  the delivery rate, in bytes per second
     * @param busyTime      time busy sending, in microseconds
     * @param rwndLimited   time limited by the peer's window, in microseconds
     * @param sndbufLimited time limited by the send buffer, in microseconds
     * @param bytesAcked    bytes acknowledged
     * @param bytesReceived bytes received
     * @param minRtt        the least round-trip time, in microseconds
     */
    public TcpInfo
    {
        Args.notNull(state, "state");
        Args.notNull(retransmits, "retransmits");
        Args.notNull(rtt, "rtt");
        Args.notNull(rttvar, "rttvar");
        Args.notNull(totalRetrans, "totalRetrans");
        Args.notNull(lost, "lost");
        Args.notNull(sndCwnd, "sndCwnd");
        Args.notNull(sndSsthresh, "sndSsthresh");
        Args.notNull(unacked, "unacked");
        Args.notNull(pacingRate, "pacingRate");
        Args.notNull(deliveryRate, "deliveryRate");
        Args.notNull(busyTime, "busyTime");
        Args.notNull(rwndLimited, "rwndLimited");
        Args.notNull(sndbufLimited, "sndbufLimited");
        Args.notNull(bytesAcked, "bytesAcked");
        Args.notNull(bytesReceived, "bytesReceived");
        Args.notNull(minRtt, "minRtt");
    }

    /** The record of gt_tcp_info's values V, each present when its bit is in the mask. */
    static TcpInfo of(final long[] v)
    {
        final Optional<State> state = has(v, Native.TCP_INFO_STATE)
            ? Optional.of(State.of(v[Native.TCP_INFO_STATE])) : Optional.empty();
        final OptionalInt retransmits = has(v, Native.TCP_INFO_RETRANSMITS)
            ? OptionalInt.of((int)v[Native.TCP_INFO_RETRANSMITS]) : OptionalInt.empty();
        return new TcpInfo(state, retransmits, field(v, Native.TCP_INFO_RTT), field(v, Native.TCP_INFO_RTTVAR),
            field(v, Native.TCP_INFO_TOTAL_RETRANS), field(v, Native.TCP_INFO_LOST),
            field(v, Native.TCP_INFO_SND_CWND), field(v, Native.TCP_INFO_SND_SSTHRESH),
            field(v, Native.TCP_INFO_UNACKED), field(v, Native.TCP_INFO_PACING_RATE),
            field(v, Native.TCP_INFO_DELIVERY_RATE), field(v, Native.TCP_INFO_BUSY_TIME),
            field(v, Native.TCP_INFO_RWND_LIMITED), field(v, Native.TCP_INFO_SNDBUF_LIMITED),
            field(v, Native.TCP_INFO_BYTES_ACKED), field(v, Native.TCP_INFO_BYTES_RECEIVED),
            field(v, Native.TCP_INFO_MIN_RTT));
    }

    private static OptionalLong field(final long[] v, final int index)
    {
        return has(v, index) ? OptionalLong.of(v[index]) : OptionalLong.empty();
    }

    /** Whether the value at INDEX was given: its bit in the mask. */
    private static boolean has(final long[] v, final int index)
    {
        return (v[Native.TCP_INFO_PRESENT] >> index & 1) != 0;
    }
}
