package io.gentcp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project's version, as {@code gentcp --version} prints it. Maven writes it into the jar it
 * builds ({@code META-INF/maven/io.gentcp/gentcp-bench/pom.properties}, which the shaded
 * {@code gentcp.jar} keeps); run from a class directory, as the tests are, there is none.
 */
final class Version
{
    /** Where Maven's jar plugin puts the module's coordinates. */
    static final String RESOURCE = "/META-INF/maven/io.gentcp/gentcp-bench/pom.properties";
    /** What {@link #get} says when the jar holds no version. */
    static final String UNKNOWN = "unknown (not run from a jar built by Maven)";

    private Version()
    {
    }

    /** The version this tool was built as, or {@link #UNKNOWN}. */
    static String get()
    {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE))
        {
            return in == null ? UNKNOWN : from(in);
        }
        catch (final IOException e)
        {
            return UNKNOWN;
        }
    }

    /** The {@code version} property of a {@code pom.properties}, or {@link #UNKNOWN} without one. */
    static String from(final InputStream properties) throws IOException
    {
        final Properties p = new Properties();
        p.load(properties);
        final String version = p.getProperty("version");
        return version == null || version.isBlank() ? UNKNOWN : version.strip();
    }
}
