package io.gentcp.internal;

/**
 * The system property {@value #NAME}: the receive budget in bytes (see
 * {@code Inet.setReceiveBudget}), given to C when the library loads. A value that is not a
 * whole number of bytes in the budget's range stops the library from loading, with an error
 * naming the property: a mistyped bound must not leave a process running with another one.
 *
 * <p>Internal usage only.
 */
final class ReceiveBudgetProperty
{
    static final String NAME = "gentcp.receive.budget";

    private ReceiveBudgetProperty()
    {
    }

    /** Set the budget from the property, if it is set. */
    static void apply(final LibGentcp lib)
    {
        final String value = System.getProperty(NAME);
        if (value == null)
        {
            return;
        }
        long bytes;
        try
        {
            bytes = Long.parseLong(value.trim());
        }
        catch (final NumberFormatException e)
        {
            bytes = -1;
        }
        if (bytes < 0 || lib.gt_set_receive_budget(bytes) < 0)
        {
            throw new UnsatisfiedLinkError("gentcp: -D" + NAME + "=" + value + ": not a number of bytes from 0 to " +
                lib.gt_constant("GT_RECEIVE_BUDGET_MAX"));
        }
    }
}
