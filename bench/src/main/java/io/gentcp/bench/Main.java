package io.gentcp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

import io.gentcp.GenTcpException;
import io.gentcp.bench.command.BlastCommand;
import io.gentcp.bench.command.DecodeCommand;
import io.gentcp.bench.command.EchoCommand;
import io.gentcp.bench.command.FaninCommand;
import io.gentcp.bench.command.HostileCommand;
import io.gentcp.bench.command.ManyEchoClients;
import io.gentcp.bench.command.ManyEchoCommand;
import io.gentcp.bench.command.PingCommand;
import io.gentcp.bench.command.PingPongCommand;
import io.gentcp.bench.command.SinkCommand;
import io.gentcp.bench.command.ThroughputCommand;
import io.gentcp.bench.roundtrip.VirtualThreads;

/**
 * The gentcp tool: {@code java -jar gentcp.jar echo|ping|pingpong|manyecho|fanin|sink|blast|throughput|decode|jmh ...}.
 * ({@code manyecho-clients} is {@code manyecho}'s own: the client JVM it starts.)
 *
 * <p>Exit status: 0 on success (and for {@code --help} and {@code --version}, printed on stdout),
 * 1 when a run fails, 2 for a bad command line, which prints one line to stderr naming the
 * problem and the help to read ({@link Help#errorLine}).
 */
public final class Main
{
    /** Exit status of a run that failed. */
    public static final int FAILED = 1;
    /** Exit status of a bad command line. */
    public static final int USAGE = 2;
    /** The JMH benchmark whose threads are virtual. */
    static final String VIRTUAL_BENCHMARK = "VirtualPingPongBenchmark";

    private Main()
    {
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args the command and its flags.
     * @throws Exception only from JMH, which reports its own errors.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && "jmh".equals(args[0]))
        {
            org.openjdk.jmh.Main.main(jmhArguments(Arrays.copyOfRange(args, 1, args.length), System.err));
            return;
        }
        final int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * JMH's arguments: ARGS, and before Java 21 an exclusion of the benchmarks that run on
     * virtual threads, said on ERR (their fork could not start its threads).
     */
    static String[] jmhArguments(final String[] args, final PrintStream err)
    {
        if (VirtualThreads.available())
        {
            return args;
        }
        err.println("gentcp: jmh: " + VIRTUAL_BENCHMARK + " skipped: " + VirtualThreads.unavailable("it"));
        final String[] excluding = Arrays.copyOf(args, args.length + 2);
        excluding[args.length] = "-e";
        excluding[args.length + 1] = VIRTUAL_BENCHMARK;
        return excluding;
    }

    /**
     * Runs a command other than {@code jmh}.
     *
     * @param args the command and its flags.
     * @param out  where results go.
     * @param err  where errors and the usage go.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final String command = args.length > 0 ? args[0] : "";
        try
        {
            final String help = Help.asked(args);
            if (help != null)
            {
                out.print(help);
                out.flush();
                return 0;
            }
            if (args.length == 1 && "--version".equals(args[0]))
            {
                out.println("gentcp " + Version.get());
                out.flush();
                return 0;
            }
            switch (command)
            {
                case "echo" -> EchoCommand.run(Flags.parse(command, args, 1, EchoCommand.FLAGS), out, err);
                case "ping" -> PingCommand.run(Flags.parse(command, args, 1, PingCommand.FLAGS), out);
                case "sink" -> SinkCommand.run(Flags.parse(command, args, 1, SinkCommand.FLAGS), out, err);
                case "blast" -> BlastCommand.run(Flags.parse(command, args, 1, BlastCommand.FLAGS), out);
                case "throughput" -> ThroughputCommand.run(Flags.parse(command, args, 1, ThroughputCommand.FLAGS), out);
                case "pingpong" -> PingPongCommand.run(Flags.parse(command, args, 1, PingPongCommand.FLAGS), out);
                case "manyecho" -> ManyEchoCommand.run(Flags.parse(command, args, 1, ManyEchoCommand.FLAGS), out, err);
                case "fanin" -> FaninCommand.run(Flags.parse(command, args, 1, FaninCommand.FLAGS), out, err);
                case "hostile" -> HostileCommand.run(Flags.parse(command, args, 1, HostileCommand.FLAGS), out);
                case "manyecho-clients" ->
                    ManyEchoClients.run(Flags.parse(command, args, 1, ManyEchoClients.FLAGS), out, err);
                case "decode" ->
                {
                    if (args.length > 1)
                    {
                        throw new UsageException("decode takes no flags: it reads lines from standard input");
                    }
                    DecodeCommand.run(new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.ISO_8859_1)), out);
                }
                case "" -> throw new UsageException("no command");
                default -> throw new UsageException("unknown command '" + command + "'");
            }
            return 0;
        }
        catch (final UsageException e)
        {
            err.println(Help.errorLine(command, e.getMessage()));
            err.flush();
            return USAGE;
        }
        catch (final GenTcpException | IOException | UnsupportedOperationException e)
        {
            err.println("gentcp: " + command + ": " + e.getMessage());
            return FAILED;
        }
        catch (final Exception e)
        {
            err.println("gentcp: " + command + ": " + e);
            return FAILED;
        }
    }
}
