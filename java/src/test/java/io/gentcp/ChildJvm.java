package io.gentcp;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts a test's child in a JVM of its own, like this one: the same java and
 * class path, the same libgentcp (gentcp.library.path, so that a child of the kqueue-emulated or
 * ASan run loads that build too), and native access granted where the JDK asks for it.
 */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    /** {@code java JVM_ARGS... MAIN ARGS...}. */
    static List<String> command(final List<String> jvmArgs, final Class<?> main, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        final String library = System.getProperty("gentcp.library.path");
        if (library != null)
        {
            command.add("-Dgentcp.library.path=" + library);
        }
        if (Runtime.version().feature() >= 22)
        {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(jvmArgs);
        command.add(main.getName());
        command.addAll(args);
        return command;
    }
}
