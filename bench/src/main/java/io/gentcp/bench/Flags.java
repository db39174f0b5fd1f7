package io.gentcp.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.gentcp.Active;
import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;

/**
 * The {@code --name value} (or {@code --name=value}) flags of one command, checked against the names the command takes,
 * and its switches ({@link #SWITCHES}: a name alone, no value). Every getter turns a bad value
 * into a {@link UsageException} naming the flag.
 */
public final class Flags
{
    /** The flags that take no value: present or not. */
    static final Set<String> SWITCHES = Set.of("--delay-send", "--nodelay", "--active-floor", "--json",
        "--timestamps");

    private final String command;
    private final Map<String, String> values;

    private Flags(final String command, final Map<String, String> values)
    {
        this.command = command;
        this.values = values;
    }

    /**
     * Parses ARGS from index FROM on as {@code --name value} pairs or {@code --name=value} words
     * (the same value either way, checked the same), and switches.
     *
     * @param command the command, for error messages.
     * @param args    the whole command line.
     * @param from    the index of the first flag.
     * @param allowed the flag names the command takes, with their dashes.
     * @return the flags.
     */
    public static Flags parse(final String command, final String[] args, final int from, final Set<String> allowed)
    {
        final Map<String, String> values = new HashMap<>();
        int i = from;
        while (i < args.length)
        {
            final String word = args[i];
            final int eq = word.startsWith("--") ? word.indexOf('=') : -1;
            final String name = eq > 2 ? word.substring(0, eq) : word;
            if (!allowed.contains(name))
            {
                throw new UsageException(word.startsWith("-")
                    ? "unknown option " + name + " for " + command
                    : "unexpected argument '" + word + "' for " + command);
            }
            final boolean isSwitch = SWITCHES.contains(name);
            final String value;
            if (isSwitch)
            {
                if (eq > 2)
                {
                    throw new UsageException(command + ": " + name + " takes no value, was given '" + word + "'");
                }
                value = "";
                i += 1;
            }
            else if (eq > 2)
            {
                value = word.substring(eq + 1);
                i += 1;
            }
            else
            {
                if (i + 1 >= args.length)
                {
                    throw new UsageException(command + ": " + name + " needs a value");
                }
                value = args[i + 1];
                i += 2;
            }
            if (values.put(name, value) != null)
            {
                throw new UsageException(command + ": " + name + " given twice");
            }
        }
        return new Flags(command, values);
    }

    /** The command these flags belong to. */
    public String command()
    {
        return command;
    }

    /** The value of NAME, or null when it was not given. */
    public String optional(final String name)
    {
        return values.get(name);
    }

    /** Whether the switch NAME (one of {@link #SWITCHES}) was given. */
    public boolean isSet(final String name)
    {
        return values.containsKey(name);
    }

    public String required(final String name)
    {
        final String value = values.get(name);
        if (value == null)
        {
            throw new UsageException(command + ": " + name + " is required");
        }
        if (value.isEmpty())
        {
            throw new UsageException(command + ": " + name + " must not be empty");
        }
        return value;
    }

    public int intValue(final String name, final int defaultValue, final int min, final int max)
    {
        return (int)longValue(name, defaultValue, min, max); // within min..max, so within int
    }

    public long longValue(final String name, final long defaultValue, final long min, final long max)
    {
        final String text = values.get(name);
        if (text == null)
        {
            return defaultValue;
        }
        return parseLong(name, text, min, max);
    }

    public int requiredInt(final String name, final int min, final int max)
    {
        return (int)parseLong(name, required(name), min, max);
    }

    public PacketType packet(final PacketType defaultValue)
    {
        final String text = values.get("--packet");
        if (text == null)
        {
            return defaultValue;
        }
        try
        {
            return PacketType.of(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw new UsageException(command +
                ": --packet must be 0, 1, 2, 4, raw, line, asn1, sunrm, cdr, fcgi or tpkt, was '" + text + "'");
        }
    }

    /**
     * {@code --packet} as {@link #packet}, refusing the HTTP types, which deliver parsed HTTP
     * rather than the bytes: WHY says what the command does with them that HTTP cannot serve.
     */
    public PacketType bytePacket(final PacketType defaultValue, final String why)
    {
        final PacketType packet = packet(defaultValue);
        if (packet.isHttp())
        {
            throw new UsageException(command + ": --packet " + packet + " delivers parsed HTTP, " + why);
        }
        return packet;
    }

    /** {@code --active false | true | once | N}; DEFAULT_VALUE when absent. */
    public Active active(final Active defaultValue)
    {
        final String text = values.get("--active");
        if (text == null)
        {
            return defaultValue;
        }
        switch (text)
        {
            case "false":
                return Active.FALSE;
            case "true":
                return Active.TRUE;
            case "once":
                return Active.ONCE;
            default:
                try
                {
                    final int n = Integer.parseInt(text);
                    if (n >= 1)
                    {
                        return Active.count(n);
                    }
                }
                catch (final IllegalArgumentException e)
                {
                    // reported below
                }
                throw new UsageException(command + ": --active must be false, true, once or N in 1..32767, was '" +
                    text + "'");
        }
    }

    public IdleStrategy idle()
    {
        final String text = values.get("--idle");
        if (text == null)
        {
            return IdleStrategy.block();
        }
        try
        {
            return IdleStrategy.parse(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw new UsageException(command + ": --idle must be block, busy or spin:US, was '" + text + "'");
        }
    }

    private long parseLong(final String name, final String text, final long min, final long max)
    {
        try
        {
            final long value = Long.parseLong(text);
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below
        }
        throw new UsageException(command + ": " + name + " must be a whole number in " + min + ".." + max +
            ", was '" + text + "'");
    }
}
