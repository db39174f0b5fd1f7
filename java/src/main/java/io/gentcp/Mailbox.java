package io.gentcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
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
    private static final int HEADER = Native.MSG_HEADER;
    private static final System.Logger LOG = System.getLogger("io.gentcp");

    final long handle;
    private final Thread owner;
    /** Messages taken from C or handed over, not yet returned: the owner thread's alone. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Messages from other threads (and messages of sockets handed over by controllingProcess). */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** Where C writes this mailbox's messages: none until C first has one, then kept (a platform
     * owner waits in C with it) until the owner closes the mailbox or, on a virtual thread,
     * parks. The owner thread's alone. */
    private MailboxBuffers.Buffer buffer;
    private volatile boolean closed;
    /** Its index in MailboxReaper's array while watched, else -1: MailboxReaper's, under its lock. */
    int reaperIndex = -1;
    /** Once the reaper closed this mailbox because its owner ended: the {@code closed} error
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
     * an object another thread {@link #send sent}. Only the owner thread may receive.
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
        GenTcp.checkTimeout(timeoutMs);
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException("receive: only the mailbox's own thread (" + owner.getName() + ") receives");
        }
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
            final long left = GenTcp.msLeft(timeoutMs, start);
            if (left != 0 && buffer != null && Parking.onVirtualThread())
            {
                if (takeWithoutWaiting())
                {
                    continue;
                }
                // Nothing to take: a virtual thread parks without the buffer, so that an idle
                // mailbox holds no direct memory (C answers "something for you" into none).
                MailboxBuffers.giveBack(buffer);
                buffer = null;
            }
            final MailboxBuffers.Buffer buf = buffer;
            final long n = buf == null ? Parking.mailboxReceive(Native.lib(), handle, left, 0, 0)
                : Parking.mailboxReceive(Native.lib(), handle, left, buf.address, MailboxBuffers.SIZE);
            if (n < 0)
            {
                throw Errors.exception(n);
            }
            if (buf != null)
            {
                takeInbox();
                decode(buf.bytes, (int)n);
            }
            else if (n > 0)
            {
                buffer = borrowBuffer(); // C has a message for us: nothing was taken yet
            }
        }
    }

    /** Takes what C has for this mailbox into its buffer, without waiting: whether there was anything. */
    private boolean takeWithoutWaiting()
    {
        final long n = Native.lib().gt_mailbox_receive(handle, 0, buffer.address, MailboxBuffers.SIZE);
        if (n == -Native.ETIMEOUT)
        {
            return false;
        }
        if (n < 0)
        {
            throw Errors.exception(n);
        }
        takeInbox();
        decode(buffer.bytes, (int)n);
        return true;
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
            throw Errors.exception(Reason.ENOMEM, "no direct memory for a mailbox buffer of " + MailboxBuffers.SIZE + " bytes");
        }
    }

    /**
     * Splits what C wrote into messages, in order, onto the pending queue; the messages of a
     * held block (the last one C wrote, if any) are copied out of it, and the block freed.
     */
    private void decode(final ByteBuffer buf, final int n)
    {
        int pos = 0;
        while (pos < n)
        {
            final int kind = buf.getInt(pos);
            final int reason = buf.getInt(pos + 4);
            final long socketHandle = buf.getLong(pos + 8);
            final int length = (int)buf.getLong(pos + 16);
            final int payload = pos + HEADER;
            if (kind == Native.MSG_HELD)
            {
                final long block = socketHandle;
                try
                {
                    decode(MailboxBuffers.view(block, length), length);
                }
                finally
                {
                    Native.lib().gt_mailbox_release(block);
                }
                return;
            }
            final InetSocket socket = SocketTable.lookup(socketHandle);
            if (socket != null)
            {
                pending.add(message(kind, reason, socket, buf, payload, length));
            }
            else if (!closed)
            {
                // C reuses no slot while a message names its handle (see SocketTable)
                throw new IllegalStateException("a message of " + socketHandle + ", a handle no socket has");
            }
            // else another thread closed this mailbox under this receive: its messages are dropped
            pos = payload + ((length + 7) & ~7);
        }
    }

    /** The message of KIND about KNOWN, the application's own object of the handle C wrote. */
    private static Object message(final int kind, final int reason, final InetSocket known, final ByteBuffer buf,
        final int payload, final int length)
    {
        if (kind == Native.MSG_TCP_PASSIVE)
        {
            return new TcpPassive(known); // a listen socket's too: listen(0, [{active, 0}])
        }
        final Socket socket = (Socket)known; // only connected sockets deliver data, errors and closes
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
            return new Http(socket, HttpTerms.read(buf.slice(payload, HttpTerms.IO_BYTES).order(ByteOrder.nativeOrder()),
                packet, 0, reason == 1));
        }
        if (kind == Native.MSG_TCP_ERROR)
        {
            return new TcpError(socket, Errors.reason(-reason));
        }
        return new TcpClosed(socket);
    }

    /**
     * Hands SOCKET's messages that this mailbox already holds to NEW_OWNER (the caller is this
     * mailbox's thread): part of {@link GenTcp#controllingProcess}.
     */
    void handOver(final InetSocket socket, final Mailbox newOwner)
    {
        // messages of it that an earlier hand-over to this mailbox put in the inbox go too
        takeInbox();
        boolean moved = false;
        for (final Iterator<Object> it = pending.iterator(); it.hasNext();)
        {
            final Object m = it.next();
            if (m instanceof SocketMessage sm && sm.socket().handle == socket.handle)
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

    /** Closes the mailbox and every socket it owns; messages it held are dropped. Idempotent. */
    @Override
    public void close()
    {
        closed = true;
        Native.lib().gt_close(handle);
        MailboxReaper.forget(this);
        if (Thread.currentThread() == owner && buffer != null)
        {
            // only the owner may: another thread's close can come while the owner receives into it
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
        close();
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
