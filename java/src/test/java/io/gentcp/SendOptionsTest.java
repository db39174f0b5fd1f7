package io.gentcp;

import static io.gentcp.Option.delaySend;
import static io.gentcp.Option.highWatermark;
import static io.gentcp.Option.lowWatermark;
import static io.gentcp.Option.sendTimeout;
import static io.gentcp.Option.sendTimeoutClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The send-path options: OTP's defaults, the watermark coupling, inheritance on accept (reference 2.1). */
@Timeout(60)
class SendOptionsTest
{
    private static final OptionName[] NAMES = {OptionName.SEND_TIMEOUT, OptionName.SEND_TIMEOUT_CLOSE,
        OptionName.DELAY_SEND, OptionName.HIGH_WATERMARK, OptionName.LOW_WATERMARK};

    @Test
    void defaultsAreOtps()
    {
        try (Pair p = Pair.of())
        {
            final List<Option> expected = List.of(sendTimeout(-1), sendTimeoutClose(false), delaySend(false),
                highWatermark(8192), lowWatermark(4096));
            assertEquals(expected, Inet.getopts(p.client, NAMES));
            assertEquals(expected, Inet.getopts(p.server, NAMES));
            assertEquals(expected, Inet.getopts(p.listen, NAMES));
            assertEquals("{send_timeout,infinity}", sendTimeout(-1).toString());
            assertEquals("{send_timeout,250}", sendTimeout(250).toString());
        }
    }

    @Test
    void listenValuesAreInheritedOnAccept()
    {
        final List<Option> set = List.of(sendTimeout(1234), sendTimeoutClose(true), delaySend(true),
            highWatermark(100_000), lowWatermark(50_000));
        try (Pair p = Pair.of(set.toArray(new Option[0])))
        {
            assertEquals(set, Inet.getopts(p.server, NAMES));
            assertEquals(set, Inet.getopts(p.client, NAMES));
        }
    }

    @Test
    void watermarksMoveEachOtherAsOtpDoes()
    {
        try (Pair p = Pair.of())
        {
            Inet.setopts(p.client, highWatermark(1000)); // below low 4096: low follows down
            assertEquals(List.of(highWatermark(1000), lowWatermark(1000)),
                Inet.getopts(p.client, OptionName.HIGH_WATERMARK, OptionName.LOW_WATERMARK));
            Inet.setopts(p.client, lowWatermark(5000)); // above high: high follows up
            assertEquals(List.of(highWatermark(5000), lowWatermark(5000)),
                Inet.getopts(p.client, OptionName.HIGH_WATERMARK, OptionName.LOW_WATERMARK));
            Inet.setopts(p.client, sendTimeout(0), sendTimeout(-1));
            assertEquals(sendTimeout(-1), Inet.getopt(p.client, OptionName.SEND_TIMEOUT));
        }
    }

    @Test
    void badValuesNameTheirOption()
    {
        assertEquals("send_timeout: must be 0..2147483647 ms or -1 (infinity), was -2",
            assertThrows(IllegalArgumentException.class, () -> sendTimeout(-2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> sendTimeout(1L << 31));
        assertEquals("high_watermark: must be >= 0, was -1",
            assertThrows(IllegalArgumentException.class, () -> highWatermark(-1)).getMessage());
        assertEquals("low_watermark: must be >= 0, was -5",
            assertThrows(IllegalArgumentException.class, () -> lowWatermark(-5)).getMessage());
    }
}
