package io.gentcp.bench.transfer;

import static io.gentcp.Option.delaySend;
import static io.gentcp.Option.highWatermark;
import static io.gentcp.Option.lowWatermark;
import static io.gentcp.Option.nodelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.gentcp.GenTcp;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.OptionName;
import io.gentcp.PacketType;
import io.gentcp.Socket;
import io.gentcp.bench.Flags;
import io.gentcp.bench.UsageException;
import io.gentcp.bench.command.BlastCommand;
import io.gentcp.bench.command.SinkCommand;

/** The --nodelay and --delay-send switches reach the sockets of sink, blast and throughput. */
@Timeout(60)
class TuningTest
{
    @ParameterizedTest
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void theOptionsAreSetOnTheSocket(final boolean nodelay, final boolean delaySend)
    {
        final Tuning tuning = new Tuning(nodelay, delaySend, 0);
        try (ListenSocket l = GenTcp.listen(0, tuning.withDelaySend(false).options(PacketType.FOUR));
            Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), tuning.options(PacketType.FOUR));
            Socket a = GenTcp.accept(l, 10_000))
        {
            assertEquals(List.of(nodelay(nodelay), delaySend(delaySend)),
                Inet.getopts(c, OptionName.NODELAY, OptionName.DELAY_SEND));
            // accepted sockets inherit nodelay from the listen socket; a receiver never delays
            assertEquals(List.of(nodelay(nodelay), delaySend(false)),
                Inet.getopts(a, OptionName.NODELAY, OptionName.DELAY_SEND));
        }
    }

    @Test
    void theSwitchesAreReadFromTheCommandLine()
    {
        assertEquals(new Tuning(true, true, 0), Tuning.of(Flags.parse("blast", new String[] {"blast", "--delay-send",
            "--port", "1", "--nodelay"}, 1, BlastCommand.FLAGS)));
        assertEquals(Tuning.DEFAULT, Tuning.of(Flags.parse("blast", new String[] {"blast", "--port", "1"}, 1,
            BlastCommand.FLAGS)));
        assertEquals(new Tuning(true, false, 0), Tuning.of(Flags.parse("sink", new String[] {"sink", "--nodelay"}, 1,
            SinkCommand.FLAGS)));
        assertEquals(new Tuning(false, true, 65536), Tuning.of(Flags.parse("blast", new String[] {"blast",
            "--delay-send", "--high-watermark", "65536", "--port", "1"}, 1, BlastCommand.FLAGS)));
    }

    @Test
    void aHighWatermarkSetsBothMarks()
    {
        final ListenSocket l = GenTcp.listen(0, Tuning.DEFAULT.options(PacketType.FOUR));
        try
        {
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l),
                new Tuning(false, true, 65536).options(PacketType.FOUR));
            try
            {
                assertEquals(List.of(highWatermark(65536), lowWatermark(32768)),
                    Inet.getopts(c, OptionName.HIGH_WATERMARK, OptionName.LOW_WATERMARK));
            }
            finally
            {
                GenTcp.close(c);
            }
        }
        finally
        {
            GenTcp.close(l);
        }
    }

    @Test
    void aHighWatermarkOutOfRangeIsAUsageError()
    {
        for (final String bad : new String[] {"1", "67108865", "x"})
        {
            assertThrows(UsageException.class, () -> Tuning.of(Flags.parse("blast", new String[] {"blast",
                "--high-watermark", bad, "--port", "1"}, 1, BlastCommand.FLAGS)));
        }
    }
}
