package io.gentcp;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The value of the read-only {@code pktoptions} option: what the kernel kept of the last packet
 * received, for the options asked with {@code recvtos}, {@code recvttl} (IPv4) and
 * {@code recvtclass} (IPv6); {@code hoplimit} when IPV6_RECVHOPLIMIT is set (with {@code raw}).
 * A value the kernel did not give is empty, and left out of the Erlang term, as OTP does.
 *
 * <p>Linux keeps these per socket (getsockopt IP_PKTOPTIONS / IPV6_2292PKTOPTIONS, as OTP
 * reads them), so the receive path is untouched by them. On IPv4 it records them from the
 * connection's handshake and keeps them; on IPv6 it follows every segment received.
 */
public record PktOptions(OptionalInt tos, OptionalInt ttl, OptionalInt tclass, OptionalInt hoplimit)
{
    /**
     * Checks that no value is null.
     *
     * @param tos the IPv4 TOS byte
     * @param ttl the IPv4 TTL
     * @param tclass the IPv6 traffic class
     * @param hoplimit the IPv6 hop limit
     */
    public PktOptions
    {
        Args.notNull(tos, "tos");
        Args.notNull(ttl, "ttl");
        Args.notNull(tclass, "tclass");
        Args.notNull(hoplimit, "hoplimit");
    }

    static OptionalInt of(final long value)
    {
        return value < 0 ? OptionalInt.empty() : OptionalInt.of((int)value);
    }

    /** OTP's list: {@code [{tos,40},{ttl,33}]}. */
    @Override
    public String toString()
    {
        final List<String> items = new ArrayList<>();
        tos.ifPresent(v -> items.add("{tos," + v + "}"));
        ttl.ifPresent(v -> items.add("{ttl," + v + "}"));
        tclass.ifPresent(v -> items.add("{tclass," + v + "}"));
        hoplimit.ifPresent(v -> items.add("{hoplimit," + v + "}"));
        return "[" + String.join(",", items) + "]";
    }
}
