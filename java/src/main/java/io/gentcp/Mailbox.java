package io.gentcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gentcp.internal.MailboxBuffers;
import io.gentcp.internal.Native;
import io.gentcp.internal.Parking;

/**
 * The Java form of an Erlang process, for socket purposes: the controlling process of the
 * sockets its thread creates or accepts. Active sockets send it their messages
 * ({@link Tcp}, {@link TcpClosed}, {@link TcpError}, {@link TcpPassive}, {@link Http}); other
 * threads can {@link #send} it their own; its thread takes them with {@link #receive()}.
 *
 * <p>There is one mailbox per thread, {@link #current()}, made when the thread first needs one.
 * Receiving runs on that thread with no hand-off: {@code receive} polls the mailbox's sockets,
 * reads and frames in C and returns the next message. Closing the mailbox closes the sockets it
 * owns, and their peers see the close, as when an Erlang owner exits; the thread's next
 * {@code current()} makes a fresh one. A thread that ends without closing its mailbox has it
 * closed for it, within {@code gentcp.mailbox.reapMillis} (see {@link MailboxReaper}; later
 * errors on its sockets say "closed: owner thread ... ended"): hand a socket to a thread that
 * outlives its maker with {@link GenTcp#controllingProcess}, as in Erlang.
 *
 * <p>What a mailbox costs: a handle, and nothing else until it needs more. It opens its poller
 * (two file descriptors on Linux, an epoll set and an eventfd; one kqueue on BSD and macOS) when
 * the first active socket is armed in it (a socket made, accepted or handed over while active,
 * or made active by {@link Inet#setopts}), or when a {@code receive} must wait (a time limit
 * other than 0 and no message to take); passive sockets, {@link #send} and receives that find
 * a message or do not wait open nothing. It takes a direct buffer of 16 KiB when C first has a
 * message for it and keeps it while it is open (one per mailbox; its owner gives it back on
 * {@link #close}, and a few idle ones are kept for new mailboxes); on a virtual thread a receive
 * that must wait gives it back before it parks and borrows one again when C has a message, so a
 * hundred thousand idle virtual threads hold no direct memory. Messages from other threads
 * need none. The buffer never grows: a message bigger than it is delivered into a block of C
 * memory of its own size and copied from there into its {@code byte[]}, then C frees the block,
 * so a big packet needs no direct memory of its size and leaves none behind.
 *
 * <p>Every message names the very {@link InetSocket} object the application holds ({@code ==}).
 * As in Erlang, closing a socket leaves the messages it already sent this mailbox where they
 * are, still naming it, and no new ones come after the close (data it had received but not yet
 * delivered is dropped with it).
 */
public final class Mailbox implements AutoCloseable
{
    private static final ThreadLocal<Mailbox> CURRENT = new ThreadLocal<>();
    private static final System.Logger LOG = System.getLogger("io.gentcp");

    final long handle;
    private final Thread owner;
    /** Messages taken from C or handed over, not yet returned: the owner thread's alone. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Messages from other threads (and messages of sockets handed over by controllingProcess). */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /**
     * Where C writes this mailbox's messages: none until C first has one, then kept (a platform
     * owner waits in C with it) until the owner closes the mailbox or, on a virtual thread,
     * parks. The owner thread's alone. */
    private MailboxBuffers.Buffer buffer;
    /**
     * The messages C wrote into the buffer that have not been handed out yet: bytes
     * [cursor, filled). A handler's receive hands them out one by one and may stop at its
     * limit; everything else first turns the rest into records (spill). The owner thread's. */
    private int cursor;
    private int filled;
    /**
     * While a handler's receive hands messages out on a platform thread: a handler's sends
     * with delay_send are gathered (gt_send_gathered), and written when it returns
     * (gt_mailbox_flush, owed once one was). The owner thread's. */
    private boolean gathering;
    private boolean flushOwed;
    /** What {@link #warmSockets} read, so that its loads are not dropped. */
    private long warmth;
    /** Once any mailbox gathered: until then a send does not look for the thread's mailbox. */
    private static volatile boolean anyGathering;
    private volatile boolean closed;
    /** Its index in MailboxReaper's array while watched, else -1: MailboxReaper's, under its lock. */
    int reaperIndex = -1;
    /**
     * Once the reaper closed this mailbox because its owner ended: the {@code closed} error
     * that every later call on one of its sockets throws, saying so (see Errors.about). */
    volatile GenTcpException ownerEnded;

    private Mailbox(final long handle, final Thread owner)
    {
        this.handle = handle;
        this.owner = owner;
    }

    /**
     * The calling thread's mailbox, made on first use (and after the previous one was closed).
     *
     * @return the mailbox
     */
    public static Mailbox current()
    {
        Mailbox mailbox = CURRENT.get();
        if (mailbox == null || mailbox.closed)
        {
            mailbox = new Mailbox(Errors.check(Native.lib().gt_mailbox_open()), Thread.currentThread());
            CURRENT.set(mailbox);
            MailboxReaper.watch(mailbox);
        }
        return mailbox;
    }

    /**
     * gt_send, or, while the calling thread's mailbox is handing messages to a handler, its
     * gathering send (which gathers a delay_send socket's packets until the receive returns).
     */
    static long send(final long socket, final long address, final long length)
    {
        final Mailbox mailbox = anyGathering ? CURRENT.get() : null;
        if (mailbox == null || !mailbox.gathering)
        {
            return Native.lib().gt_send(socket, address, length);
        }
        mailbox.flushOwed = true;
        return Native.lib().gt_send_gathered(socket, address, length, mailbox.handle);
    }

    /** The calling thread's mailbox if it has one open, else null. */
    static Mailbox currentIfOpen()
    {
        final Mailbox mailbox = CURRENT.get();
        return mailbox == null || mailbox.closed ? null : mailbox;
    }

    /**
     * The thread that owns this mailbox and receives from it.
     *
     * @return the owner thread
     */
    public Thread owner()
    {
        return owner;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Sends MESSAGE to this mailbox, from any thread: Erlang's {@code Pid ! Message}. It arrives
     * after the messages this mailbox already holds. A message to a closed mailbox is dropped,
     * as one to a dead process is.
     *
     * @param message any object, not null
     */
    public void send(final Object message)
    {
        Args.notNull(message, "message");
        if (closed)
        {
            return;
        }
        inbox.add(message);
        Native.lib().gt_mailbox_wake(handle);
    }

    /**
     * The next message, waiting as long as it takes.
     *
     * @return the message
     */
    public Object receive()
    {
        return receive(GenTcp.INFINITY);
    }

    /**
     * The next message: a {@link SocketMessage} from one of this mailbox's active sockets, or
     * an object another thread {@link #send sent}; with {@link Option#timestamping}'s receive
     * stamps on, an {@link RxTimestamp} right before each packet of that socket. Only the owner
     * thread may receive.
     *
     * <p>On a virtual thread the wait parks the thread instead of holding its carrier, and
     * ends as on a platform thread: a message, the time limit, or a {@link #close()} from
     * another thread ({@code closed}). {@link Thread#interrupt()} ends it as if the time limit
     * had passed ({@code timeout}), with the interrupt status left set and nothing lost. On a
     * platform thread it waits in C, which an interrupt does not end.
     *
     * @param timeoutMs the time limit in milliseconds, or {@link GenTcp#INFINITY}
     * @return the message
     * @throws GenTcpException {@code timeout} when none comes within TIMEOUT_MS, {@code closed}
     *                         when the mailbox is closed.
     */
    public Object receive(final long timeoutMs)
    {
        Timeouts.checkTimeout(timeoutMs);
        checkOwner();
        spill(); // what a handler's receive left in the buffer comes first
        final long start = System.nanoTime();
        for (;;)
        {
            final Object next = pending.poll();
            if (next != null)
            {
                return next;
            }
            takeInbox();
            if (!pending.isEmpty())
            {
                continue;
            }
            if (closed)
            {
                throw Errors.exception(Reason.CLOSED, null);
            }
            final long n = fill(Timeouts.msLeft(timeoutMs, start));
            if (n < 0)
            {
                throw Errors.exception(n);
            }
            spill();
        }
    }

    /**
     * Hands this mailbox's next messages to HANDLER, without allocating: packets as a view of
     * the bytes C wrote ({@link MailboxHandler#onData}), every other message as its record
     * ({@link MailboxHandler#onMessage}), in the order {@link #receive()} would return them.
     * Waits up to TIMEOUT_MS for the first message, then hands over at most LIMIT of those
     * that are there, without waiting again, and returns how many it handed: the duty cycle of
     * Agrona's pollers ({@code 0} with TIMEOUT_MS {@code 0} means nothing to do). Messages past
     * LIMIT wait for the next call (or a {@code receive()}, which returns them first). Only the
     * owner thread may receive; it waits as {@link #receive(long)} does, on a virtual thread
     * by parking, where {@link Thread#interrupt()} ends the wait as the time limit would
     * (0, with the interrupt status left set: a loop that waits without a limit should look
     * at it). A handler that throws ends the receive with its exception (see
     * {@link MailboxHandler}).
     *
     * <p>Sends gather: on a platform thread, the packets a handler sends to a socket with
     * {@code {delay_send, true}} that this mailbox owns are written when this call returns
     * (also when the handler throws), one write per socket for the whole batch, rather than by
     * the I/O thread's ticks; a gentcp call of this thread that may wait (a receive, accept,
     * connect, close) writes them first. A handler that waits on something else holds them
     * back until it returns. Other sends are written at once, as always.
     *
     * <p>Allocation: none for a packet that fits the mailbox's buffer (16 KiB, the message's
     * header of {@code GT_MSG_HEADER} bytes included) in steady state; a bigger one is copied
     * out of C's block into an array of its own, as {@code receive()} does. Messages other than
     * packets are records, as {@code receive()} returns them ({@code {active, N}} makes one
     * {@link TcpPassive} per N packets).
     *
     * @param handler   what takes the messages
     * @param limit     the most messages to hand over, at least 1
     * @param timeoutMs how long to wait for the first, or {@link GenTcp#INFINITY}
     * @return how many messages HANDLER was given: 0 only when the time limit passed (or an
     *         interrupt ended a virtual thread's wait)
     * @throws GenTcpException {@code closed} when the mailbox is closed and holds nothing
     */
    public int receive(final MailboxHandler handler, final int limit, final long timeoutMs)
    {
        Args.notNull(handler, "handler");
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit: " + limit + " is not positive");
        }
        Timeouts.checkTimeout(timeoutMs);
        checkOwner();
        gathering = !Parking.onVirtualThread();
        if (gathering && !anyGathering)
        {
            anyGathering = true;
        }
        try
        {
            return handOutOrWait(handler, limit, timeoutMs);
        }
        finally
        {
            gathering = false;
            if (flushOwed)
            {
                flushOwed = false;
                Native.lib().gt_mailbox_flush(handle); // 0, or this mailbox was closed: closing flushed
            }
        }
    }

    /** The loop of {@link #receive(MailboxHandler, int, long)}, its arguments checked. */
    private int handOutOrWait(final MailboxHandler handler, final int limit, final long timeoutMs)
    {
        final long start = timeoutMs > 0 ? System.nanoTime() : 0;
        int handled = 0;
        for (;;)
        {
            while (handled < limit && !closed) // a closed mailbox's messages are dropped
            {
                final Object next = pending.poll();
                if (next != null)
                {
                    handled += handOut(handler, next);
                }
                else if (cursor < filled)
                {
                    handled += handOutNext(handler);
                }
                else
                {
                    takeInbox();
                    if (pending.isEmpty())
                    {
                        break;
                    }
                }
            }
            if (handled > 0)
            {
                return handled;
            }
            if (closed)
            {
                throw Errors.exception(Reason.CLOSED, null);
            }
            final long n = fill(timeoutMs > 0 ? Timeouts.msLeft(timeoutMs, start) : timeoutMs);
            if (n > 0)
            {
                warmSockets();
            }
            if (n == -Native.ETIMEOUT)
            {
                return 0;
            }
            if (n < 0)
            {
                throw Errors.exception(n);
            }
        }
    }

    private void checkOwner()
    {
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException(
                "receive: only the mailbox's own thread (" + owner.getName() + ") receives");
        }
    }

    /**
     * One receive from C, waiting up to LEFT ms (-1: no limit), when every message of the
     * previous one has been handed out: what C writes becomes the buffer's undelivered range
     * (after the inbox is taken, see {@link #takeInbox}). Returns the bytes C wrote, 0 when it
     * wrote none (a wake, or C had a message for a mailbox without a buffer: one is borrowed
     * now), or C's -errno (the time limit's included).
     */
    private long fill(final long left)
    {
        if (left != 0 && buffer != null && Parking.onVirtualThread())
        {
            final long n = Native.lib().gt_mailbox_receive(handle, 0, buffer.address, MailboxBuffers.SIZE);
            if (n != -Native.ETIMEOUT)
            {
                return took(n);
            }
            // Nothing to take: a virtual thread parks without the buffer, so that an idle
            // mailbox holds no direct memory (C answers "something for you" into none).
            MailboxBuffers.giveBack(buffer);
            buffer = null;
        }
        final MailboxBuffers.Buffer buf = buffer;
        if (buf != null)
        {
            return took(Parking.mailboxReceive(Native.lib(), handle, left, buf.address, MailboxBuffers.SIZE));
        }
        final long n = Parking.mailboxReceive(Native.lib(), handle, left, 0, 0);
        if (n > 0)
        {
            buffer = borrowBuffer(); // C has a message for us: nothing was taken yet
            return 0;
        }
        return n;
    }

    /** C wrote N bytes into the buffer (or failed, N < 0): they are the messages to hand out, after the inbox's. */
    private long took(final long n)
    {
        if (n >= 0)
        {
            takeInbox();
            cursor = 0;
            filled = (int)n;
        }
        return n;
    }

    /**
     * Loads each socket the messages not handed out yet name, one after the other, before any
     * is handed out. A server's thousands of sockets are each cold in the cache when their turn
     * comes; these loads do not wait on one another, so their misses overlap, where each
     * handler's call would wait for its own. (The sum, kept in a field, keeps them from being
     * optimized away.)
     */
    private void warmSockets()
    {
        final ByteBuffer bytes = buffer.bytes;
        long sum = 0;
        int pos = cursor;
        while (pos + MessageHeader.SIZE <= filled)
        {
            final long length = MessageHeader.length(bytes, pos);
            final InetSocket socket = SocketTable.lookup(MessageHeader.handle(bytes, pos));
            if (socket != null)
            {
                sum += socket.handle;
            }
            if (length < 0 || length > filled)
            {
                break;
            }
            pos = MessageHeader.next(pos, (int)length);
        }
        warmth = sum;
    }

    /** Turns the messages of the buffer not handed out yet into records at the end of the pending queue. */
    private void spill()
    {
        if (cursor < filled)
        {
            final int from = cursor;
            cursor = filled;
            decode(buffer.bytes, from, filled);
        }
    }

    /**
     * The messages not handed out yet are dropped (the owner closes the mailbox). None of them
     * is a C block: C writes a block alone in its receive (mailbox_receive.c, fit), and a handler's
     * receive turns it into records as soon as it meets it.
     */
    private void dropUndelivered()
    {
        cursor = filled;
    }

    /**
     * Hands HANDLER the buffer's next message: 1, or 0 for a held block (its messages are now
     * pending) or a message dropped.
     */
    private int handOutNext(final MailboxHandler handler)
    {
        final MailboxBuffers.Buffer buf = buffer;
        final ByteBuffer bytes = buf.bytes;
        final int pos = cursor;
        final int kind = MessageHeader.kind(bytes, pos);
        final long socketHandle = MessageHeader.handle(bytes, pos);
        final int length = (int)MessageHeader.length(bytes, pos);
        if (kind == Native.MSG_HELD)
        {
            spill(); // the held block is C's last message: its own messages follow in the queue
            return 0;
        }
        cursor = MessageHeader.next(pos, length); // before the handler runs: it may spill the rest
        final InetSocket socket = known(socketHandle);
        if (socket == null)
        {
            return 0;
        }
        if (kind == Native.MSG_TIMESTAMP) // the stamps of the packet that follows: not counted
        {
            final int payload = MessageHeader.payload(pos);
            handler.onTimestamp((Socket)socket, bytes.getLong(payload + Native.RX_SOFTWARE * Long.BYTES),
                bytes.getLong(payload + Native.RX_HARDWARE * Long.BYTES));
            return 0;
        }
        if (kind == Native.MSG_TCP)
        {
            final int payload = MessageHeader.payload(pos);
            final ByteBuffer view = buf.readOnly;
            view.clear().limit(payload + length).position(payload);
            view.order(ByteOrder.BIG_ENDIAN);
            handler.onData((Socket)socket, view);
        }
        else
        {
            handler.onMessage(message(bytes, pos, socket));
        }
        return 1;
    }

    /**
     * Hands HANDLER a message that was a record already (from a receive(), a hand-over, a big
     * packet, another thread): 1, or 0 for the timestamps of the packet that follows.
     */
    private static int handOut(final MailboxHandler handler, final Object message)
    {
        if (message instanceof RxTimestamp stamp)
        {
            handler.onTimestamp(stamp.socket(), stamp.software(), stamp.hardware());
            return 0;
        }
        if (message instanceof Tcp tcp)
        {
            handler.onData(tcp.socket(), ByteBuffer.wrap(bytesOf(tcp.data())).asReadOnlyBuffer());
        }
        else if (message instanceof PortData data)
        {
            handler.onData(data.socket(), ByteBuffer.wrap(bytesOf(data.data())).asReadOnlyBuffer());
        }
        else
        {
            handler.onMessage(message);
        }
        return 1;
    }

    /** A packet's bytes from its record's data, in whichever form the socket's mode gave it. */
    private static byte[] bytesOf(final Object data)
    {
        if (data instanceof byte[] bytes)
        {
            return bytes;
        }
        if (data instanceof String list)
        {
            return list.getBytes(StandardCharsets.ISO_8859_1);
        }
        final HeaderPacket packet = (HeaderPacket)data;
        final byte[] bytes = new byte[packet.header().length + packet.rest().length];
        for (int i = 0; i < packet.header().length; i++)
        {
            bytes[i] = (byte)packet.header()[i];
        }
        System.arraycopy(packet.rest(), 0, bytes, packet.header().length, packet.rest().length);
        return bytes;
    }

    /**
     * The application's socket of a handle C wrote, or null when another thread closed this
     * mailbox under this receive.
     */
    private InetSocket known(final long socketHandle)
    {
        final InetSocket socket = SocketTable.lookup(socketHandle);
        if (socket == null && !closed)
        {
            // C reuses no slot while a message names its handle (see SocketTable)
            throw new IllegalStateException("a message of " + socketHandle + ", a handle no socket has");
        }
        return socket;
    }

    /**
     * Moves what other threads sent onto the pending queue. Done before the messages of each C
     * receive are decoded too: a socket handed to this mailbox while its receive waited in C
     * came with the messages its old owner held (put here before the socket delivers again),
     * and the socket's newer messages, which that same receive may bring, must come after them.
     */
    private void takeInbox()
    {
        for (Object m = inbox.poll(); m != null; m = inbox.poll())
        {
            pending.add(m);
        }
    }

    /** Whether this mailbox holds a direct buffer now (for tests: the owner thread's view). */
    boolean holdsBuffer()
    {
        return buffer != null;
    }

    /** A buffer for C's messages; none to be had (the JVM's direct memory is used up) is enomem, nothing taken. */
    private static MailboxBuffers.Buffer borrowBuffer()
    {
        try
        {
            return MailboxBuffers.borrow();
        }
        catch (final OutOfMemoryError e)
        {
            throw Errors.exception(Reason.ENOMEM,
                "no direct memory for a mailbox buffer of " + MailboxBuffers.SIZE + " bytes");
        }
    }

    /**
     * Splits what C wrote from FROM to TO into messages, in order, onto the pending queue; the
     * messages of a held block (the last one C wrote, if any) are copied out of it, and the
     * block freed.
     */
    private void decode(final ByteBuffer buf, final int from, final int to)
    {
        int pos = from;
        while (pos < to)
        {
            final long socketHandle = MessageHeader.handle(buf, pos);
            final int length = (int)MessageHeader.length(buf, pos);
            if (MessageHeader.kind(buf, pos) == Native.MSG_HELD)
            {
                final long block = socketHandle;
                try
                {
                    decode(MailboxBuffers.view(block, length), 0, length);
                }
                finally
                {
                    Native.lib().gt_mailbox_release(block);
                }
                return;
            }
            final InetSocket socket = known(socketHandle);
            if (socket != null)
            {
                pending.add(message(buf, pos, socket));
            }
            // else another thread closed this mailbox under this receive: its messages are dropped
            pos = MessageHeader.next(pos, length);
        }
    }

    /** The message at POS of BUF, about KNOWN, the application's own object of the handle C wrote. */
    private static Object message(final ByteBuffer buf, final int pos, final InetSocket known)
    {
        final int kind = MessageHeader.kind(buf, pos);
        final int reason = MessageHeader.reason(buf, pos);
        final int length = (int)MessageHeader.length(buf, pos);
        final int payload = MessageHeader.payload(pos);
        if (kind == Native.MSG_TCP_PASSIVE)
        {
            return new TcpPassive(known); // a listen socket's too: listen(0, [{active, 0}])
        }
        final Socket socket = (Socket)known; // only connected sockets deliver data, errors and closes
        if (kind == Native.MSG_TIMESTAMP)
        {
            return new RxTimestamp(socket, buf.getLong(payload + Native.RX_SOFTWARE * Long.BYTES),
                buf.getLong(payload + Native.RX_HARDWARE * Long.BYTES));
        }
        if (kind == Native.MSG_TCP)
        {
            final byte[] bytes = new byte[length];
            buf.get(payload, bytes);
            final int form = reason >>> Native.MSG_FORM_SHIFT; // C's, as it took the packet
            final Object data = form == Native.FORM_LIST ? new String(bytes, StandardCharsets.ISO_8859_1)
                : form > Native.FORM_BINARY ? HeaderPacket.of(bytes, form - Native.FORM_BINARY) : bytes;
            return (reason & Native.MSG_PORT) != 0 ? new PortData(socket, data) : new Tcp(socket, data);
        }
        if (kind == Native.MSG_HTTP)
        {
            final byte[] packet = new byte[length - HttpTerms.IO_BYTES];
            buf.get(payload + HttpTerms.IO_BYTES, packet);
            final ByteBuffer io = buf.slice(payload, HttpTerms.IO_BYTES).order(ByteOrder.nativeOrder());
            return new Http(socket, HttpTerms.read(io, packet, 0, reason == Native.MSG_HTTP_BIN));
        }
        if (kind == Native.MSG_TCP_ERROR)
        {
            final Reason error = Errors.reason(-reason);
            if (Jfr.PRESENT && !Errors.isRoutine(-reason))
            {
                GenTcpErrorEvent.tcpError(error, socket); // JFR, when enabled
            }
            return new TcpError(socket, error);
        }
        if (Jfr.PRESENT)
        {
            GenTcpCloseEvent.byPeer(socket); // JFR, when enabled
        }
        return new TcpClosed(socket);
    }

    /**
     * Hands SOCKET's messages that this mailbox already holds to NEW_OWNER (the caller is this
     * mailbox's thread): part of {@link GenTcp#controllingProcess}.
     */
    void handOver(final InetSocket socket, final Mailbox newOwner)
    {
        // messages of it that a handler has not been given yet, or that an earlier hand-over to
        // this mailbox put in the inbox, go too
        spill();
        takeInbox();
        boolean moved = false;
        for (final Iterator<Object> it = pending.iterator(); it.hasNext();)
        {
            final Object m = it.next();
            if (m instanceof SocketMessage sm && sm.socket().handle == socket.handle ||
                m instanceof RxTimestamp stamp && stamp.socket().handle == socket.handle)
            {
                it.remove();
                newOwner.inbox.add(m);
                moved = true;
            }
        }
        if (moved)
        {
            Native.lib().gt_mailbox_wake(newOwner.handle);
        }
    }

    /** Takes SOCKET, made or accepted by this mailbox's thread, as this mailbox's own. */
    void adopt(final InetSocket socket)
    {
        SocketTable.register(socket);
        Errors.check(Native.lib().gt_mailbox_adopt(handle, socket.handle));
        socket.owner = this;
    }

    /**
     * How {@link #receive} waits for the sockets: see {@link IdleStrategy}.
     *
     * @param idle the strategy
     */
    public void setIdle(final IdleStrategy idle)
    {
        Args.notNull(idle, "idle");
        Errors.check(Native.lib().gt_mailbox_idle(handle, SocketOptions.idleCode(idle), idle.spinNanos()));
    }

    /**
     * Closes the mailbox and every socket it owns; messages it held are dropped (those a
     * handler's receive had not handed out yet among them, when the owner closes it: a
     * handler may, and its packet's view is then no longer valid). Idempotent.
     */
    @Override
    public void close()
    {
        closed = true;
        Native.lib().gt_close(handle);
        MailboxReaper.forget(this);
        if (Thread.currentThread() == owner && buffer != null)
        {
            // only the owner may: another thread's close can come while the owner receives into it
            dropUndelivered(); // a handler may close it between two of a receive's messages
            MailboxBuffers.giveBack(buffer);
            buffer = null;
        }
    }

    /**
     * The reaper's close, OWNER having ended: later errors on its sockets say so, and the close
     * is logged (System.Logger "io.gentcp", DEBUG).
     */
    void closeForEndedOwner()
    {
        final String why = "closed: owner thread " + describe(owner) + " ended";
        ownerEnded = new GenTcpException(Reason.CLOSED, why, false);
        LOG.log(System.Logger.Level.DEBUG, () -> why + ": gentcp closes " + this + " and the sockets it owns");
        final GenTcpMailboxReapedEvent event = Jfr.PRESENT ? new GenTcpMailboxReapedEvent() : null; // (JFR)
        final List<GenTcpCloseEvent> closes = Jfr.PRESENT ? GenTcpCloseEvent.beforeReaping(this) : null; // (JFR)
        if (event != null)
        {
            event.begin();
        }
        close();
        if (closes != null)
        {
            GenTcpCloseEvent.reaped(closes);
        }
        if (event != null && event.shouldCommit())
        {
            event.mailbox = toString();
            event.ownerThread = describe(owner);
            event.commit();
        }
    }

    /** "worker-7 (#1234)", or "#1234" for a thread without a name (a virtual thread's default). */
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
    static String describe(final Thread thread)
    {
        final String id = "#" + thread.getId();
        return thread.getName().isEmpty() ? id : thread.getName() + " (" + id + ")";
    }

    @Override
    public String toString()
    {
        return "#Mailbox<" + describe(owner) + ">";
    }
}
