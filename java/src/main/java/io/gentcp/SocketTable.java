package io.gentcp;

import io.gentcp.internal.Native;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Java object of each socket handle, found from the handle a message carries with no
 * allocation: indexed by the handle's slot field, checked against the whole handle. A closed socket's
 * entry stays until its slot is reused, and C reuses a slot only once no message naming its
 * handle can still be delivered (queued in a mailbox, or in a receive batch its owner is still
 * reading: {@code gt__pin} in handle.c), so every message finds the application's own object.
 */
final class SocketTable
{
    private static volatile InetSocket[] bySlot = new InetSocket[1024];

    private SocketTable()
    {
    }

    /** The handle's slot field, as C lays it out (slot + 1: entry 0 stays empty). */
    static int slot(final long handle)
    {
        return (int)(handle & Native.HANDLE_SLOT_MASK);
    }

    static void register(final InetSocket socket)
    {
        final int slot = slot(socket.handle);
        synchronized (SocketTable.class)
        {
            InetSocket[] table = bySlot;
            if (slot >= table.length)
            {
                table = Arrays.copyOf(table, Math.max(slot + 1, table.length * 2));
            }
            table[slot] = socket;
            bySlot = table; // publishes the entry too
        }
    }

    /**
     * The sockets whose owner is MAILBOX, as their owner fields say (closed ones among them,
     * until their slots are reused): a walk of the whole table, for JFR's reaper events only.
     */
    static List<InetSocket> ownedBy(final Mailbox mailbox)
    {
        final List<InetSocket> owned = new ArrayList<>();
        for (final InetSocket socket : bySlot)
        {
            if (socket != null && socket.owner == mailbox)
            {
                owned.add(socket);
            }
        }
        return owned;
    }

    /** The socket with HANDLE, or null if it is not (any longer) known. */
    static InetSocket lookup(final long handle)
    {
        final InetSocket[] table = bySlot;
        final int slot = slot(handle);
        final InetSocket socket = slot >= 0 && slot < table.length ? table[slot] : null;
        return socket != null && socket.handle == handle ? socket : null;
    }
}
