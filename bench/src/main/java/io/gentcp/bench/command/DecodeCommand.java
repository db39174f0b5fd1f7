package io.gentcp.bench.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.gentcp.Option;
import io.gentcp.Packet;
import io.gentcp.PacketType;

/**
 * {@code decode}: {@code erlang:decode_packet/3} as a filter. Each input line is
 * {@code TYPE HEX [packet_size=N] [line_length=N] [line_delimiter=N]} (HEX may be empty); each
 * output line is the result written exactly as {@code io:format("~w~n", [Result])} writes it,
 * so a run can be compared with an Erlang node's line for line. A line that cannot be read
 * prints {@code error: ...} and the next line is read.
 */
public final class DecodeCommand
{
    private DecodeCommand()
    {
    }

    public static void run(final BufferedReader in, final PrintStream out) throws IOException
    {
        String line;
        while ((line = in.readLine()) != null)
        {
            out.println(decodeLine(line));
        }
        out.flush();
    }

    /** The output line for one input line. */
    static String decodeLine(final String line)
    {
        final String[] words = line.trim().split("\\s+");
        try
        {
            if (words.length == 0 || words[0].isEmpty())
            {
                throw new IllegalArgumentException("empty line");
            }
            final PacketType type = PacketType.of(words[0]);
            int next = 1;
            byte[] bytes = new byte[0];
            if (words.length > 1 && !words[1].contains("="))
            {
                bytes = HexFormat.of().parseHex(words[1]);
                next = 2;
            }
            final List<Option> options = new ArrayList<>();
            for (int i = next; i < words.length; i++)
            {
                options.add(option(words[i]));
            }
            return Packet.decode(type, bytes, options.toArray(new Option[0])).toString();
        }
        catch (final IllegalArgumentException e)
        {
            return "error: " + e.getMessage();
        }
    }

    private static Option option(final String word)
    {
        final int eq = word.indexOf('=');
        if (eq < 0)
        {
            throw new IllegalArgumentException("expected NAME=VALUE, got " + word);
        }
        final String name = word.substring(0, eq);
        final long value;
        try
        {
            value = Long.parseLong(word.substring(eq + 1));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException(name + ": not a number: " + word.substring(eq + 1));
        }
        return switch (name)
        {
            case "packet_size" -> Option.packetSize(value);
            case "line_length" -> Option.lineLength(value);
            case "line_delimiter" ->
                Option.lineDelimiter((int)Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value)));
            default -> throw new IllegalArgumentException("unknown option " + name);
        };
    }
}
