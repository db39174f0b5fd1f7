package io.gentcp.bench.transfer;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;

import java.util.ArrayList;
import java.util.List;

import io.gentcp.Option;
import io.gentcp.PacketType;
import io.gentcp.bench.Flags;
import io.gentcp.bench.roundtrip.Workload;

/**
 * The socket options of a gentcp end of {@code sink}, {@code blast} and {@code throughput}:
 * always {@code binary}, {@code {packet, T}}, {@code {packet_size, 64 MiB}} and
 * {@code {active, false}}; {@code {nodelay, true}} with {@code --nodelay};
 * {@code {delay_send, true}} with {@code --delay-send} (a sending end's option);
 * {@code {high_watermark, B}, {low_watermark, B / 2}} with {@code --high-watermark B}.
 *
 * @param nodelay       TCP_NODELAY (Nagle off).
 * @param delaySend     sends gather in the queue and leave in batches, see {@link Option#delaySend}.
 * @param highWatermark the send queue's high mark in bytes (the low one half of it), or 0 for
 *                      OTP's defaults (8 KiB and 4 KiB).
 */
public record Tuning(boolean nodelay, boolean delaySend, int highWatermark)
{
    /** The kernel's defaults: Nagle on, no delay_send, OTP's watermarks. */
    static final Tuning DEFAULT = new Tuning(false, false, 0);

    /** The largest --high-watermark: 64 MiB. */
    static final int MAX_HIGH_WATERMARK = 64 << 20;

    /** The switches {@code --nodelay}, {@code --delay-send} and {@code --high-watermark} among FLAGS. */
    public static Tuning of(final Flags flags)
    {
        return new Tuning(flags.isSet("--nodelay"), flags.isSet("--delay-send"), highWatermark(flags));
    }

    /** {@code --high-watermark B} among FLAGS (at least 2), or 0 when absent. */
    static int highWatermark(final Flags flags)
    {
        return flags.intValue("--high-watermark", 0, 2, MAX_HIGH_WATERMARK);
    }

    /** The same with delay_send as given. */
    Tuning withDelaySend(final boolean on)
    {
        return new Tuning(nodelay, on, highWatermark);
    }

    /** The options of a socket framed as PACKET, in the order connect and listen take them. */
    public Option[] options(final PacketType packet)
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
        if (highWatermark > 0)
        {
            options.add(Option.highWatermark(highWatermark));
            options.add(Option.lowWatermark(highWatermark / 2));
        }
        return options.toArray(new Option[0]);
    }
}
