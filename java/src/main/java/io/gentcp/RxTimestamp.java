package io.gentcp;

/**
 * The kernel's receive timestamps of a packet ({@link Option#timestamping} with
 * {@code rx_software} or {@code rx_hardware}): those of the read that completed it, as
 * nanoseconds since the epoch (the kernel's CLOCK_REALTIME, and the device's clock for the
 * hardware one); 0 where the kernel gave none. A passive socket's last packet's come from
 * {@link Inet#receiveTimestamp}; an active socket delivers one as a message right before each
 * packet it stamps (to a {@link MailboxHandler}, as {@code onTimestamp}).
 *
 * @param socket   the socket
 * @param software the software stamp, or 0
 * @param hardware the hardware stamp, or 0
 */
public record RxTimestamp(Socket socket, long software, long hardware)
{
    @Override
    public String toString()
    {
        return "{rx_timestamp," + socket + "," + software + "," + hardware + "}";
    }
}
