package io.gentcp.bench;

import java.util.Set;

/**
 * When a command line asks for help, which help it gets, and the one line a bad command line
 * prints instead.
 */
final class Help
{
    /** The words that ask for help: {@code gentcp -h}, {@code gentcp ping --help}, ... */
    static final Set<String> WORDS = Set.of("-h", "--help");

    private Help()
    {
    }

    /**
     * The help ARGS ask for, or null when they ask for none: {@code -h}, {@code --help} or
     * {@code help} alone is {@link Usage#top()}; {@code help COMMAND}, or {@code COMMAND} with
     * {@code -h} or {@code --help} among its flags, is {@link Usage#of} COMMAND (the top help
     * for a command that has no help of its own). A help word that is another flag's value
     * ({@code --host --help}) still asks for help: no command takes such a value.
     *
     * @throws UsageException for {@code help} followed by anything but one command.
     */
    static String asked(final String[] args)
    {
        if (args.length == 0)
        {
            return null;
        }
        final String first = args[0];
        if ("help".equals(first) && args.length > 1)
        {
            if (!Usage.has(args[1]) || args.length > 2)
            {
                throw new UsageException(Usage.has(args[1])
                    ? "help takes one command, was given " + (args.length - 1)
                    : "no help for '" + args[1] + "': not a command");
            }
            return Usage.of(args[1]);
        }
        if (WORDS.contains(first) || "help".equals(first))
        {
            return Usage.top();
        }
        for (int i = 1; i < args.length; i++)
        {
            if (WORDS.contains(args[i]))
            {
                return Usage.has(first) ? Usage.of(first) : Usage.top();
            }
        }
        return null;
    }

    /**
     * The one line a bad command line prints on stderr: {@code gentcp: PROBLEM; see 'gentcp
     * COMMAND --help'} (or {@code 'gentcp --help'} when there is no such command). A line break
     * in PROBLEM (a value quoted back) is shown as {@code \n}, so that it stays one line.
     */
    static String errorLine(final String command, final String problem)
    {
        final String see = Usage.has(command) ? "gentcp " + command + " --help" : "gentcp --help";
        return "gentcp: " + problem.replace("\r", "\\r").replace("\n", "\\n") + "; see '" + see + "'";
    }
}
