package io.gentcp;

import java.nio.ByteBuffer;

/**
 * What {@link Mailbox#receive(MailboxHandler, int, long)} hands each message to: the way to
 * take a mailbox's messages without allocating, beside {@link Mailbox#receive()}'s records.
 * Packets come to {@link #onData} as a view of the bytes C wrote, every other message to
 * {@link #onMessage} as the record {@code receive()} would return.
 *
 * <p>A handler that throws ends the receive with its exception: the message it was given
 * counts as taken (it is not given again), and the messages after it wait, in order, for the
 * next receive.
 *
 * <p>A server's loop, as the manual's {@code {active, once}} one:
 * <pre>{@code
 * MailboxHandler echo = new MailboxHandler()
 * {
 *     public void onData(Socket socket, ByteBuffer data)
 *     {
 *         GenTcp.send(socket, data);                 // a direct buffer: sent in place
 *         Inet.setopts(socket, ACTIVE_ONCE);         // a constant Option[]: no allocation
 *     }
 *
 *     public void onMessage(Object message)
 *     {
 *         if (message instanceof TcpClosed closed) GenTcp.close(closed.socket());
 *     }
 * };
 * for (;;) mailbox.receive(echo, 64, GenTcp.INFINITY);
 * }</pre>
 */
public interface MailboxHandler
{
    /**
     * A packet of SOCKET: Erlang's {@code {tcp, Socket, Data}} (or {@code {Socket, {data,
     * Data}}} under {@code {deliver, port}}). DATA holds the packet's bytes from its position to
     * its limit, whatever the socket's mode ({@code binary}, {@code list} or {@code {header, N}}
     * only change how {@code receive()} presents them): read-only, big-endian as a new buffer
     * is, and valid only until this call returns, the handler receives from the mailbox
     * again, or it closes the mailbox; copy what you keep. It is direct (so
     * {@link GenTcp#send(Socket, ByteBuffer)} sends it without a copy) except for a packet
     * bigger than the mailbox's buffer (16 KiB, the message's header of {@code GT_MSG_HEADER}
     * bytes included) and one that was a record already (made by an earlier {@code receive()},
     * moved by a hand-over, or a {@link Tcp} or {@link PortData} another thread
     * {@link Mailbox#send sent}): those come as a view of their own array.
     *
     * @param socket the socket, the application's own object ({@code ==})
     * @param data   the packet's bytes
     */
    void onData(Socket socket, ByteBuffer data);

    /**
     * Any other message, as {@link Mailbox#receive()} returns it: {@link TcpClosed},
     * {@link TcpError}, {@link TcpPassive}, {@link Http}, or an object another thread
     * {@link Mailbox#send sent} (other than a {@link Tcp} or {@link PortData}, which comes to
     * {@link #onData}).
     *
     * @param message the message
     */
    void onMessage(Object message);

    /**
     * The kernel's receive timestamps of the packet of SOCKET that comes next ({@link
     * Option#timestamping} with {@code rx_software} or {@code rx_hardware}): those of the read
     * that completed it, nanoseconds since the epoch, 0 where the kernel gave none. Called right
     * before that packet's {@link #onData} (or {@link #onMessage} for an {@link Http} packet),
     * and not counted among the messages a receive hands over. Does nothing unless overridden.
     *
     * @param socket   the socket
     * @param software the software stamp, or 0
     * @param hardware the hardware stamp, or 0
     */
    default void onTimestamp(final Socket socket, final long software, final long hardware)
    {
    }
}
