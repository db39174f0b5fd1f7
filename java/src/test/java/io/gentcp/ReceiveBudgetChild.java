package io.gentcp;

/**
 * A JVM of its own for {@link ReceiveBudgetTest}: started with {@code -Dgentcp.receive.budget},
 * it prints whether the library loaded, the budget it has, or why it did not load.
 */
public final class ReceiveBudgetChild
{
    private ReceiveBudgetChild()
    {
    }

    public static void main(final String[] args)
    {
        if (Inet.isNativeAvailable())
        {
            System.out.println("budget " + Inet.receiveBudget());
        }
        else
        {
            System.out.println("unavailable: " + Inet.nativeUnavailabilityCause().getMessage());
        }
    }
}
