package io.gentcp.bench;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;

import java.util.ArrayList;
import java.util.List;

import io.gentcp.Option;
import io.gentcp.PacketType;

/**
 * The socket options of a gentcp end of {@code sink}, {@code blast} and {@code throughput}:
 * always {@code binary}, {@code {packet, T}}, {@code {packet_size, 64 MiB}} and
 * {@code {active, false}}; {@code {nodelay, true}} with {@code --nodelay};
 * {@code {delay_send, true}} with {@code --delay-send} (a sending end's option).
 *
 * @param nodelay   TCP_NODELAY (Nagle off).
 * @param delaySend sends only queue; the background I/O thread writes what has gathered.
 */
record Tuning(boolean nodelay, boolean delaySend)
{
    /** The kernel's defaults: Nagle on, no delay_send. */
    static final Tuning DEFAULT = new Tuning(false, false);

    /** The switches {@code --nodelay} and {@code --delay-send} among FLAGS. */
    static Tuning of(final Flags flags)
    {
        return new Tuning(flags.isSet("--nodelay"), flags.isSet("--delay-send"));
    }

    /** The same with delay_send as given. */
    Tuning withDelaySend(final boolean on)
    {
        return new Tuning(nodelay, on);
    }

    /** The options of a socket framed as PACKET, in the order connect and listen take them. */
    Option[] options(final PacketType packet)
    {
        final List<Option> options = new ArrayList<>(List.of(binary(), packet(packet), packetSize(Workload.MAX_SIZE),
            active(false)));
        if (nodelay)
        {
            options.add(Option.nodelay(true));
        }
        if (delaySend)
        {
            options.add(Option.delaySend(true));
        }
        return options.toArray(new Option[0]);
    }
}
