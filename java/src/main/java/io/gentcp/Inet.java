package io.gentcp;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongBinaryOperator;

import io.gentcp.internal.DirectMemory;
import io.gentcp.internal.Native;

/**
 * The parts of Erlang's {@code inet} module that apply to gen_tcp sockets: addresses and
 * options. On a closed socket these answer {@code einval}, as OTP does.
 */
public final class Inet
{
    private Inet()
    {
    }

    /**
     * {@code inet:port(Socket)}: the local port.
     *
     * @param socket the socket
     * @return the port
     */
    public static int port(final InetSocket socket)
    {
        return sockname(socket).getPort();
    }

    /**
     * {@code inet:sockname(Socket)}: the local address and port.
     *
     * @param socket the socket
     * @return the address and port
     */
    public static InetSocketAddress sockname(final InetSocket socket)
    {
        return Addresses.inetName(socket, false);
    }

    /**
     * {@code inet:sockname(Socket)} of a {@code local} socket: its {@code {local, Name}}
     * (unnamed for a client that did not bind). {@link #sockname} answers {@code eafnosupport}
     * on a local socket, and this one on an IP socket: Java has no type for both.
     *
     * @param socket the socket
     * @return the local name
     */
    public static LocalAddress localSockname(final InetSocket socket)
    {
        return Addresses.localName(socket, false);
    }

    /**
     * {@code inet:peername(Socket)} of a {@code local} socket.
     *
     * @param socket the socket
     * @return the peer's local name
     */
    public static LocalAddress localPeername(final InetSocket socket)
    {
        return Addresses.localName(socket, true);
    }

    /**
     * {@code inet:peername(Socket)}: the remote address and port ({@code enotconn} on a listen socket).
     *
     * @param socket the socket
     * @return the peer's address and port
     */
    public static InetSocketAddress peername(final InetSocket socket)
    {
        return Addresses.inetName(socket, true);
    }

    /**
     * {@code inet:setopts(Socket, Options)}: applies each option in order. An option that
     * cannot change on an existing socket ({@code ip}, {@code port}, {@code backlog}, the family)
     * gives {@code einval}, as OTP does.
     *
     * @param socket the socket
     * @param options the options to set
     */
    public static void setopts(final InetSocket socket, final Option... options)
    {
        Args.notNull(socket, "socket");
        Args.notNull(options, "options");
        for (final Option option : options)
        {
            if (option == null)
            {
                throw new IllegalArgumentException("options: null option");
            }
        }
        for (final Option option : options)
        {
            set(socket, option);
        }
    }

    private static void set(final InetSocket socket, final Option option)
    {
        final int rc = OptionCodec.set(socket.handle, option);
        if (rc < 0)
        {
            throw Errors.on("setopts", option, socket, rc);
        }
    }

    /**
     * {@code inet:setopts(Socket, Options)} with the options as a list.
     *
     * @param socket the socket
     * @param options the options to set
     */
    public static void setopts(final InetSocket socket, final List<Option> options)
    {
        setopts(socket, Args.notNull(options, "options").toArray(new Option[0]));
    }

    /**
     * {@code inet:getopts(Socket, Names)}: the current values, in the order asked.
     *
     * @param socket the socket
     * @param names the options to read
     * @return their values
     */
    public static List<Option> getopts(final InetSocket socket, final OptionName... names)
    {
        Args.notNull(socket, "socket");
        Args.notNull(names, "names");
        final List<Option> result = new ArrayList<>(names.length);
        for (final OptionName name : names)
        {
            final Option option = get(socket, Args.notNull(name, "names"));
            if (option != null) // an option of the other address family: left out, as OTP does
            {
                result.add(option);
            }
        }
        return result;
    }

    private static Option get(final InetSocket socket, final OptionName name)
    {
        try
        {
            return OptionCodec.get(socket.handle, name);
        }
        catch (final GenTcpException e)
        {
            throw Errors.about(socket.handle, e);
        }
    }

    /**
     * The value of one option, or null for an option of the other address family (OTP leaves it out).
     *
     * @param socket the socket
     * @param name the option to read
     * @return its value, or null
     */
    public static Option getopt(final InetSocket socket, final OptionName name)
    {
        final List<Option> options = getopts(socket, name);
        return options.isEmpty() ? null : options.get(0);
    }

    /**
     * {@code inet:getopts(Socket, [{raw, Protocol, OptionNum, Size}])}: up to SIZE bytes of the
     * option, as the kernel gives them.
     *
     * @param socket the socket
     * @param protocol the level, as for getsockopt
     * @param optionNum the option number, as for getsockopt
     * @param size the most bytes to read
     * @return the bytes the kernel gave
     */
    public static byte[] getoptRaw(final InetSocket socket, final int protocol, final int optionNum, final int size)
    {
        Args.notNull(socket, "socket");
        if (protocol < 0 || optionNum < 0 || size < 0 || size > 65536)
        {
            throw new IllegalArgumentException(
                "raw: protocol, option number and size must be >= 0 (size at most 64 KiB)");
        }
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(size))
        {
            final int n = (int)Errors.check(socket.handle,
                Native.lib().gt_getopt_raw(socket.handle, protocol, optionNum, scratch.address, size));
            final byte[] value = new byte[n];
            scratch.buffer.get(0, value);
            return value;
        }
    }

    /**
     * {@code inet:getstat(Socket)}: its counters ({@code einval} on a closed socket).
     *
     * @param socket the socket
     * @return the counters
     */
    public static SocketStats getstat(final InetSocket socket)
    {
        Args.notNull(socket, "socket");
        final long[] v = int64s(Native.STAT_COUNT,
            (address, bytes) -> Errors.check(socket.handle,
                Native.lib().gt_getstat(socket.handle, address, (int)bytes)));
        return new SocketStats(v[Native.STAT_RECV_OCT], v[Native.STAT_RECV_CNT], v[Native.STAT_RECV_MAX],
            v[Native.STAT_RECV_AVG], v[Native.STAT_RECV_DVI], v[Native.STAT_SEND_OCT], v[Native.STAT_SEND_CNT],
            v[Native.STAT_SEND_MAX], v[Native.STAT_SEND_AVG], v[Native.STAT_SEND_PEND]);
    }

    /**
     * The kernel's {@code TCP_INFO} of a connection: its state, round-trip times, congestion
     * window, retransmissions, rates and byte counts ({@link TcpInfo}; a field the running
     * kernel does not fill is empty). OTP has no such call. Linux only: elsewhere
     * {@code enotsup}; {@code eafnosupport} on a {@code local} socket, {@code einval} on a
     * closed one, as {@link #getstat}.
     *
     * @param socket the socket (connected, or listening: then only its state says much)
     * @return what the kernel told
     */
    public static TcpInfo tcpInfo(final InetSocket socket)
    {
        Args.notNull(socket, "socket");
        return TcpInfo.of(int64s(Native.TCP_INFO_COUNT,
            (address, bytes) -> Errors.check(socket.handle,
                Native.lib().gt_tcp_info(socket.handle, address, (int)bytes))));
    }

    /**
     * The kernel's receive timestamps of the packet a passive receive of SOCKET last returned:
     * those of the read that completed it ({@link Option#timestamping} with {@code rx_software}
     * or {@code rx_hardware}; 0 for a stamp not given). Read by the receiving thread after its
     * {@code recv}: a receive running meanwhile on another thread may have moved them on.
     *
     * @param socket the socket
     * @return its last read's stamps
     * @throws GenTcpException {@code einval} on a closed socket, {@code enotsup} on a local one
     *                         and where the platform has no timestamps (kqueue)
     */
    public static RxTimestamp receiveTimestamp(final Socket socket)
    {
        Args.notNull(socket, "socket");
        final long[] v = int64s(Native.RX_COUNT,
            (address, bytes) -> Errors.check(socket.handle,
                Native.lib().gt_rx_timestamp(socket.handle, address, (int)bytes)));
        return new RxTimestamp(socket, v[Native.RX_SOFTWARE], v[Native.RX_HARDWARE]);
    }

    /**
     * The transmit timestamps of SOCKET that came since the last call, oldest first, and taken
     * ({@link Option#timestamping} with {@code tx_sched}, {@code tx_software}, {@code tx_ack}
     * or {@code tx_hardware}). A send's stamps name the offset of its last byte; a stamp that
     * has not come yet (the peer's acknowledgement) comes with a later call. Empty when none
     * came (and with the option off); a {@link TxTimestamp.Kind#LOST} record first when more
     * than the socket keeps (its ring of {@code GT_TX_RING} records) went unread.
     *
     * @param socket a connected socket
     * @return the stamps
     * @throws GenTcpException {@code einval} on a closed or unconnected socket, {@code enotsup}
     *                         on a local one and where the platform has no timestamps (kqueue)
     */
    public static List<TxTimestamp> txTimestamps(final Socket socket)
    {
        Args.notNull(socket, "socket");
        final int records = 64;
        final int bytes = records * Native.TX_RECORD * Long.BYTES;
        final List<TxTimestamp> out = new ArrayList<>();
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(bytes))
        {
            final java.nio.LongBuffer longs = scratch.buffer.duplicate().order(ByteOrder.nativeOrder()).asLongBuffer();
            // the ring holds GT_TX_RING records and a lost count: one more read than that many
            for (int round = 0; round <= Native.TX_RING / records + 1; round++)
            {
                final int n = (int)Errors.check(socket.handle,
                    Native.lib().gt_tx_timestamps(socket.handle, scratch.address, bytes));
                for (int i = 0; i < n; i++)
                {
                    final int at = i * Native.TX_RECORD;
                    out.add(new TxTimestamp(txKind((int)longs.get(at + Native.TX_KIND)),
                        longs.get(at + Native.TX_OFFSET), longs.get(at + Native.TX_TIME)));
                }
                if (n < records)
                {
                    break;
                }
            }
        }
        return out;
    }

    /** A GT_TX_* kind as the record's. */
    private static TxTimestamp.Kind txKind(final int kind)
    {
        if (kind == Native.TX_SCHED)
        {
            return TxTimestamp.Kind.SCHED;
        }
        if (kind == Native.TX_SOFTWARE)
        {
            return TxTimestamp.Kind.SOFTWARE;
        }
        if (kind == Native.TX_ACK)
        {
            return TxTimestamp.Kind.ACK;
        }
        return kind == Native.TX_HARDWARE ? TxTimestamp.Kind.HARDWARE : TxTimestamp.Kind.LOST;
    }

    /**
     * What the native library holds in memory now, process-wide: the bytes and blocks
     * (allocations) of the sockets' receive buffers, of their send queues and of the
     * mailboxes. Each count is exact once the calls that changed it have returned; with
     * calls in flight, two counts may be read a moment apart. Memory the JVM holds (heap,
     * direct buffers) is not counted.
     *
     * @return the counts
     */
    public static NativeMemory nativeMemory()
    {
        final long[] v = int64s(Native.MEM_STAT_COUNT,
            (address, bytes) -> Errors.check(Native.lib().gt_memory_stats(address, (int)bytes)));
        return new NativeMemory(v[Native.MEM_RBUF_BYTES], v[Native.MEM_RBUF_BLOCKS], v[Native.MEM_SENDQ_BYTES],
            v[Native.MEM_SENDQ_BLOCKS], v[Native.MEM_MAILBOX_BYTES], v[Native.MEM_MAILBOX_BLOCKS],
            v[Native.MEM_BUDGET_CHARGED]);
    }

    /** The COUNT int64 values that FILL (a stats call: C memory's address, its size) writes to C memory. */
    private static long[] int64s(final int count, final LongBinaryOperator fill)
    {
        final int bytes = count * Long.BYTES;
        try (DirectMemory.Scratch scratch = DirectMemory.scratch(bytes))
        {
            fill.applyAsLong(scratch.address, bytes);
            final long[] values = new long[count];
            scratch.buffer.duplicate().order(ByteOrder.nativeOrder()).asLongBuffer().get(values);
            return values;
        }
    }

    /**
     * Set the receive budget: a bound, for the whole process, on the bytes that the sockets'
     * receive buffers grow to hold toward packets not yet complete. A socket's first
     * {@link Option#buffer buffer} bytes of such a packet are not counted; past them a packet
     * is charged what its buffer must hold for it: for a length header ({@code {packet, 1|2|4}},
     * asn1, cdr, fcgi, sunrm, tpkt), the length it claims, as soon as the header is in; for a
     * line or an HTTP line, its bytes so far. A packet whose charge would take the sum past the
     * budget is refused as a packet over {@code packet_size} is: {@code recv} throws
     * {@code emsgsize}, an active socket's owner gets {@link TcpError} {@code emsgsize} then
     * {@link TcpClosed}, and that connection is closed; every other connection goes on. The
     * charge is given back once the packet is taken, or dropped with its connection. Charges
     * already made stay when the budget is lowered. OTP has no such bound.
     *
     * <p>The default is 512 MiB, or the system property {@code gentcp.receive.budget} (bytes)
     * when it is set; the library does not load with a value that is not a number of bytes in
     * range ({@link #nativeUnavailabilityCause()} says why).
     *
     * @param bytes the budget in bytes, from 0 (no packet may grow a buffer past
     *              {@code buffer}) to 2^50 (no bound in practice)
     * @throws IllegalArgumentException if {@code bytes} is out of that range
     */
    public static void setReceiveBudget(final long bytes)
    {
        final io.gentcp.internal.LibGentcp lib = Native.lib(); /* first: without it, the range is unknown */
        if (bytes < 0 || bytes > Native.RECEIVE_BUDGET_MAX)
        {
            throw new IllegalArgumentException("bytes: " + bytes + " is not from 0 to " + Native.RECEIVE_BUDGET_MAX);
        }
        Errors.check(lib.gt_set_receive_budget(bytes));
    }

    /**
     * The receive budget ({@link #setReceiveBudget}); what of it is charged now is
     * {@link NativeMemory#receiveBudgetCharged()}.
     *
     * @return the budget in bytes
     */
    public static long receiveBudget()
    {
        return Native.lib().gt_receive_budget();
    }

    /**
     * Whether the native library is loaded; if not, any call throws an error saying why, and
     * {@link #nativeUnavailabilityCause()} says it without a call.
     *
     * @return true when libgentcp is loaded
     */
    public static boolean isNativeAvailable()
    {
        return Native.isAvailable();
    }

    /**
     * Why the native library did not load: where it was looked for, what failed (dlopen's own
     * message for a file that does not load) and, where there is one, the fix.
     *
     * @return the error the loader met, or null when {@link #isNativeAvailable()} is true
     */
    public static Throwable nativeUnavailabilityCause()
    {
        return Native.unavailabilityCause();
    }
}
