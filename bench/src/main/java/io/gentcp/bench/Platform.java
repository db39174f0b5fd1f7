package io.gentcp.bench;

import java.util.Locale;

/**
 * The name of this machine's folder under {@code META-INF/native/} in the gentcp jar
 * ({@code linux-x86_64}, {@code darwin-aarch64} ...), named as the library's loader names it.
 */
final class Platform
{
    private Platform()
    {
    }

    /** This machine's platform folder name. */
    static String name()
    {
        final String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        final String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        final String osName = os.startsWith("mac") ? "darwin" : os.replaceAll("[^a-z0-9]", "");
        final String archName = switch (arch)
        {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + "-" + archName;
    }
}
