package io.gentcp;

/**
 * Whether JFR is there to record gentcp's events: a runtime image may leave the jdk.jfr module
 * out (jlink), and then no event class may be touched, since each extends jdk.jfr.Event. Every
 * place that records an event asks this first; the events themselves say whether they are
 * enabled.
 */
final class Jfr
{
    /** True when jdk.jfr is in this runtime. */
    static final boolean PRESENT = present();

    private Jfr()
    {
    }

    private static boolean present()
    {
        try
        {
            Class.forName("jdk.jfr.Event", false, Jfr.class.getClassLoader());
            return true;
        }
        catch (final ClassNotFoundException | LinkageError | SecurityException e)
        {
            return false;
        }
    }
}
