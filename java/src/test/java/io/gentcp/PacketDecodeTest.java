package io.gentcp;

import static io.gentcp.Option.lineDelimiter;
import static io.gentcp.Option.lineLength;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Packet.decode against vectors measured on OTP 25 (reference 1.2, otp-experiments/dp.out). */
class PacketDecodeTest
{
    private static String decode(final PacketType type, final byte[] bytes, final Option... options)
    {
        return Packet.decode(type, bytes, options).toString();
    }

    private static byte[] b(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    @Test
    void lengthPrefixed()
    {
        assertEquals("{ok,<<97,98,99>>,<<100,101>>}", decode(PacketType.ONE, b(3, 97, 98, 99, 100, 101)));
        assertEquals("{more,4}", decode(PacketType.ONE, b(3, 97, 98)));
        assertEquals("{more,undefined}", decode(PacketType.TWO, b(0)));
        assertEquals("{error,invalid}", decode(PacketType.FOUR, b(0, 0, 0, 3, 97, 98, 99), packetSize(2)));
        assertEquals("{more,2147483647}", decode(PacketType.FOUR, b(127, 255, 255, 251)));
        assertEquals("{more,undefined}", decode(PacketType.RAW, new byte[0]));
    }

    @Test
    void linesAndTheirOptions()
    {
        assertEquals("{ok,<<97,98,99,100>>,<<101,102,103,104,10,105,106>>}",
            decode(PacketType.LINE, "abcdefgh\nij".getBytes(), lineLength(4)));
        assertEquals("{ok,<<97,98,99,88>>,<<100,101,102>>}",
            decode(PacketType.LINE, "abcXdef".getBytes(), lineDelimiter('X')));
        assertEquals("{error,invalid}", decode(PacketType.LINE, "abcd\n".getBytes(), packetSize(4)));
        assertThrows(IllegalArgumentException.class,
            () -> Packet.decode(PacketType.RAW, new byte[0], lineDelimiter('X')));
        assertThrows(IllegalArgumentException.class, () -> Packet.decode(PacketType.RAW, new byte[0], Option.binary()));
        assertThrows(IllegalArgumentException.class, () -> Packet.decode(null, new byte[0]));
    }

    @Test
    void httpHeaderNeedsTheNextLinesFirstByte()
    {
        assertEquals("{more,undefined}", decode(PacketType.HTTPH, "Host: a\r\n".getBytes()));
        assertEquals("{ok,{http_header,14,'Host',[72,111,115,116],[97]},<<88>>}",
            decode(PacketType.HTTPH, "Host: a\r\nX".getBytes()));
        assertEquals("{ok,{http_header,14,'Host',<<72,111,115,116>>,<<97>>},<<88>>}",
            decode(PacketType.HTTPH_BIN, "Host: a\r\nX".getBytes()));
    }
}
