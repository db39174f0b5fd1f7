package io.gentcp;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * ApiFuzzTest's world and its calls: a pool of sockets (listening, connected, closed; the
 * fuzzer thread's and those of a second thread, "other", with a mailbox of its own) and, per
 * public call of the API, how to draw its arguments and which outcomes its documentation allows.
 * The pool's sockets are made on the thread that calls {@link #next()}.
 */
final class ApiFuzzCalls implements AutoCloseable
{
    /** One call drawn: its name and arguments, the reasons and argument names it may fail with. */
    record Call(String name, StringBuilder args, Set<Reason> reasons, Set<String> arguments, boolean mayBeIllegalState,
        Runnable body)
    {
    }

    /** What an IllegalArgumentException may name besides a call's own arguments: the options. */
    static final Set<String> OPTION_NAMES = optionNames();

    // The reasons each kind of call documents (README, GenTcp, Inet and Option Javadoc).
    private static final Set<Reason> ON_SOCKET = EnumSet.of(Reason.CLOSED, Reason.EINVAL, Reason.ENOTCONN);
    private static final Set<Reason> STREAM = union(ON_SOCKET, Reason.TIMEOUT, Reason.ECONNRESET, Reason.EPIPE,
        Reason.EMSGSIZE, Reason.ENOMEM, Reason.ETIMEDOUT, Reason.ECONNREFUSED, Reason.EALREADY);
    /** What no option call may answer: a sign that gentcp used a descriptor it no longer owns, or lost an error. */
    private static final Set<Reason> SUSPECT = EnumSet.of(Reason.EBADF, Reason.EFAULT, Reason.ENOTSOCK, Reason.EINTR,
        Reason.EAGAIN);
    /**
     * An option passes to the kernel: "other kernel refusals (enodev, eperm, enotsup ...) are the call's error"
     * (README), unknown for an errno that inet:posix() does not name (a raw option's, Reason.UNKNOWN).
     */
    private static final Set<Reason> OPTIONS = EnumSet.complementOf(EnumSet.copyOf(SUSPECT));
    /** listen and connect: those, the network's answers, and ebadf/enotsock of an fd option (Option.fd). */
    private static final Set<Reason> CREATE = union(OPTIONS, Reason.EBADF, Reason.ENOTSOCK);
    /**
     * sockname and peername: eafnosupport for the other kind (IP or local), Inet.localSockname; ebadf
     * from sockname and port of a socket whose connection was given up (README, "given up").
     */
    private static final Set<Reason> ADDRESS = union(ON_SOCKET, Reason.EAFNOSUPPORT, Reason.EBADF);
    private static final Set<Reason> ACCEPT = union(ON_SOCKET, Reason.TIMEOUT, Reason.ECONNABORTED, Reason.EMFILE);
    private static final Set<Reason> OWNERSHIP = EnumSet.of(Reason.NOT_OWNER, Reason.BADARG, Reason.CLOSED,
        Reason.EINVAL);
    private static final Set<Reason> MAILBOX = EnumSet.of(Reason.TIMEOUT, Reason.CLOSED);
    private static final Set<Reason> NONE = EnumSet.noneOf(Reason.class);

    private static final int MAX_SOCKETS = 14;
    private static final int MAX_LISTEN = 6;
    /** Calls between two new pairs. */
    private static final int PAIR_EVERY = 100;

    /** A socket of the pool; closed only once the fuzzer closed it itself (then no call can wait). */
    private static final class Entry
    {
        final InetSocket socket;
        final int id;
        boolean closed;

        Entry(final InetSocket socket, final int id)
        {
            this.socket = socket;
            this.id = id;
        }

        @Override
        public String toString()
        {
            return (socket instanceof ListenSocket ? "listen" : "socket") + id + (closed ? "(closed)" : "");
        }
    }

    private final FuzzValues v;
    private final List<Entry> pool = new ArrayList<>();
    private int made;
    private int sincePair;
    private final List<Mailbox> closedMailboxes = new ArrayList<>();
    private final Thread other;
    private volatile Mailbox otherMailbox;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private final List<Supplier<Call>> calls = new ArrayList<>();
    /** The description of the call being drawn. */
    private StringBuilder args = new StringBuilder();

    ApiFuzzCalls(final FuzzValues values) throws InterruptedException
    {
        v = values;
        final CountDownLatch started = new CountDownLatch(1);
        other = new Thread(() -> otherLoop(started), "api-fuzz-other");
        other.start();
        if (!started.await(10, TimeUnit.SECONDS))
        {
            throw new AssertionError("the other owner's thread did not start");
        }
        register();
    }

    /** The other owner: runs the tasks it is given and drops its messages; its mailbox made again when closed. */
    private void otherLoop(final CountDownLatch started)
    {
        otherMailbox = Mailbox.current();
        started.countDown();
        while (!stopping)
        {
            final Mailbox mailbox = Mailbox.current();
            otherMailbox = mailbox;
            try
            {
                mailbox.receive(5);
            }
            catch (final GenTcpException e)
            {
                // timeout, or closed by the fuzzer: then a fresh one
            }
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll())
            {
                task.run();
            }
        }
        Mailbox.current().close();
    }

    /**
     * Everything lazily made once per process (the send queue's thread, a mailbox's poller) made now, before the fd
     * count.
     */
    void warmUp()
    {
        try (Pair p = Pair.of(Option.binary(), Option.sendTimeout(50)))
        {
            final byte[] big = new byte[1 << 20];
            try
            {
                for (int i = 0; i < 16; i++)
                {
                    GenTcp.send(p.client, big); // fills the kernel's buffers: the rest is queued
                }
            }
            catch (final GenTcpException e)
            {
                // timeout: queued, as wanted
            }
            Inet.setopts(p.server, Option.active(true));
            Mailbox.current().receive(5_000);
        }
        Mailbox.current().close();
    }

    /** The next call, its arguments drawn; a fresh connected pair now and then, as sockets get closed. */
    Call next()
    {
        args = new StringBuilder();
        if (++sincePair >= PAIR_EVERY || pool.stream().filter(e -> !e.closed && e.socket instanceof Socket).count() < 4)
        {
            sincePair = 0;
            return pairCall();
        }
        return v.pick(calls).get();
    }

    /** Closes every socket of the pool and both mailboxes (on the fuzzer's thread). */
    void closeAll()
    {
        for (final Entry e : pool)
        {
            GenTcp.close(e.socket);
        }
        pool.clear();
        Mailbox.current().close();
    }

    @Override
    public void close() throws InterruptedException
    {
        stopping = true;
        other.join(10_000);
        if (other.isAlive())
        {
            throw new AssertionError("the other owner's thread did not stop");
        }
    }

    // ---------------------------------------------------------------- the pool

    /** Adds SOCKET to the pool, closing the oldest of its kind when there are too many. */
    private void add(final InetSocket socket)
    {
        pool.add(new Entry(socket, ++made));
        final List<Entry> kind = pool.stream().filter(e -> e.socket.getClass() == socket.getClass())
            .collect(Collectors.toList());
        if (kind.size() > (socket instanceof ListenSocket ? MAX_LISTEN : MAX_SOCKETS))
        {
            pool.remove(kind.get(0));
            GenTcp.close(kind.get(0).socket);
        }
    }

    private Entry entry()
    {
        return pool.isEmpty() ? null : v.pick(pool);
    }

    private Entry entryOf(final Class<? extends InetSocket> kind)
    {
        final List<Entry> of = pool.stream().filter(e -> kind.isInstance(e.socket)).collect(Collectors.toList());
        return of.isEmpty() ? null : v.pick(of);
    }

    private static Socket socketOf(final Entry e)
    {
        return e == null ? null : (Socket)e.socket;
    }

    private static ListenSocket listenOf(final Entry e)
    {
        return e == null ? null : (ListenSocket)e.socket;
    }

    private long timeoutFor(final Entry e)
    {
        return e != null && e.closed ? v.anyTimeout() : v.shortTimeout();
    }

    private Mailbox mailbox()
    {
        return switch (v.random().nextInt(6))
        {
            case 0 -> otherMailbox;
            case 1 -> closedMailboxes.isEmpty() ? null : v.pick(closedMailboxes);
            case 2 -> null;
            default -> Mailbox.current();
        };
    }

    /** A connected pair with a listen socket, the fuzzer's or the other thread's, passive or active. */
    private Call pairCall()
    {
        final boolean others = v.chance(25);
        final Option active = v.chance(30) ? Option.active(v.random().nextInt(3) + 1) : Option.active(false);
        final Option mode = v.random().nextBoolean() ? Option.binary() : Option.list();
        final Option packet = Option.packet(v.oneOf(PacketType.RAW, PacketType.ONE, PacketType.TWO, PacketType.FOUR,
            PacketType.LINE, PacketType.HTTP_BIN, PacketType.ASN1));
        final Option backend = Option.inetBackend(v.chance(20) ? Option.Backend.SOCKET : Option.Backend.INET);
        final Option[] options = {backend, active, mode, packet, Option.sendTimeout(10), Option.linger(true, 0)};
        return new Call("pair", args.append(others ? "other's " : "").append(Arrays.toString(options)), CREATE,
            Set.of(), false, () ->
            {
                final InetSocket[] created;
                if (others)
                {
                    final CompletableFuture<InetSocket[]> future = new CompletableFuture<>();
                    tasks.add(() ->
                    {
                        try
                        {
                            future.complete(pair(options));
                        }
                        catch (final RuntimeException e)
                        {
                            future.completeExceptionally(e);
                        }
                    });
                    created = await(future);
                }
                else
                {
                    created = pair(options);
                }
                for (final InetSocket s : created)
                {
                    add(s);
                }
            });
    }

    /** What the other thread made, or what it threw; a task that does not end is a hang, a failure. */
    private static InetSocket[] await(final CompletableFuture<InetSocket[]> future)
    {
        try
        {
            return future.get(10, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.ExecutionException e)
        {
            throw (RuntimeException)e.getCause();
        }
        catch (final InterruptedException | java.util.concurrent.TimeoutException e)
        {
            throw new AssertionError("the other owner's thread did not make its pair", e);
        }
    }

    private static InetSocket[] pair(final Option[] options)
    {
        final ListenSocket listen = GenTcp.listen(0, options);
        final Socket client = GenTcp.connect("127.0.0.1", Inet.port(listen), 2_000, options);
        final Socket server = GenTcp.accept(listen, 2_000);
        return new InetSocket[] {listen, client, server};
    }

    // ---------------------------------------------------------------- the calls

    private void register()
    {
        calls.add(this::listen);
        calls.add(this::accept);
        calls.add(this::connect);
        calls.add(this::connectLocal);
        calls.add(this::sendBytes);
        calls.add(this::sendBytes);
        calls.add(this::sendSlice);
        calls.add(this::sendString);
        calls.add(this::sendBuffer);
        calls.add(this::recvObject);
        calls.add(this::recvObject);
        calls.add(this::recvBuffer);
        calls.add(this::recvBatch);
        calls.add(this::recvTyped);
        calls.add(this::controllingProcess);
        calls.add(this::shutdown);
        calls.add(this::closeCall);
        calls.add(this::setopts);
        calls.add(this::setopts);
        calls.add(this::getopts);
        calls.add(this::getoptRaw);
        calls.add(this::addresses);
        calls.add(this::getstat);
        calls.add(this::tcpInfo);
        calls.add(this::mailboxSend);
        calls.add(this::mailboxReceive);
        calls.add(this::mailboxReceive);
        calls.add(this::mailboxOther);
        calls.add(this::decode);
        calls.add(this::factories);
        calls.add(this::values);
    }

    private Call listen()
    {
        final int port = v.chance(80) ? 0 : v.anyInt();
        final List<Option> options = new ArrayList<>();
        return call("listen", port + ", options", CREATE, Set.of("port", "options", "address"), () ->
        {
            options.add(Option.sendTimeout(10));
            options.add(Option.linger(true, 0));
            if (v.chance(20))
            {
                options.add(Option.local());
                options.add(Option.ifaddr(v.abstractName()));
            }
            options.addAll(drawn(v.liveOptions()));
            add(v.chance(50) ? GenTcp.listen(port, options) : GenTcp.listen(port, options.toArray(new Option[0])));
        });
    }

    private Call accept()
    {
        final Entry e = v.chance(5) ? null : entryOf(ListenSocket.class);
        final long timeout = timeoutFor(e);
        final boolean forever = e != null && e.closed && v.random().nextBoolean();
        return call("accept", e + ", " + (forever ? "" : timeout), ACCEPT, Set.of("listenSocket", "timeout"), () ->
            add(forever ? GenTcp.accept(listenOf(e)) : GenTcp.accept(listenOf(e), timeout)));
    }

    private Call connect()
    {
        final Entry l = entryOf(ListenSocket.class);
        final int port = l != null && v.chance(80) ? portOf(l) : v.anyInt();
        final String host = v.oneOf("127.0.0.1", "localhost", "::1", "127.0.0.1", null);
        final boolean byAddress = v.chance(30);
        final long timeout = v.chance(90) ? 2_000 : v.shortTimeout();
        return call("connect", host + ", " + port + ", " + timeout, CREATE,
            Set.of("address", "port", "timeout", "options"), () ->
            {
                final List<Option> options = new ArrayList<>(List.of(Option.sendTimeout(10), Option.linger(true, 0)));
                options.addAll(drawn(v.liveOptions()));
                final Option[] array = options.toArray(new Option[0]);
                if (byAddress)
                {
                    final InetAddress address = host == null ? null : v.loopback(host.contains(":"));
                    add(v.random().nextBoolean() ? GenTcp.connect(address, port, timeout, array)
                        : GenTcp.connect(address, port, array));
                }
                else
                {
                    add(GenTcp.connect(host, port, timeout, array));
                }
            });
    }

    private int portOf(final Entry l)
    {
        try
        {
            return Inet.port(l.socket);
        }
        catch (final GenTcpException e)
        {
            return 1; // closed: nothing listens there
        }
    }

    private Call connectLocal()
    {
        final Entry l = entryOf(ListenSocket.class);
        final boolean toListener = l != null && v.chance(70);
        final long timeout = v.chance(80) ? 2_000 : v.shortTimeout();
        return call("connect(local)", l + ", " + timeout, CREATE,
            Set.of("address", "timeout", "options", "local", "port"), () ->
            {
                LocalAddress address = v.chance(5) ? null : v.abstractName();
                if (toListener)
                {
                    try
                    {
                        address = Inet.localSockname(l.socket);
                    }
                    catch (final GenTcpException e)
                    {
                        // an IP listener or a closed one: the random name stays
                    }
                }
                final List<Option> options = new ArrayList<>(List.of(Option.sendTimeout(10), Option.linger(true, 0)));
                options.addAll(drawn(v.liveOptions()));
                final Option[] array = options.toArray(new Option[0]);
                add(v.random().nextBoolean() ? GenTcp.connect(address, timeout, array)
                    : GenTcp.connect(address, array));
            });
    }

    private Entry socketEntry()
    {
        return v.chance(3) ? null : entryOf(Socket.class);
    }

    private Call sendBytes()
    {
        final Entry e = socketEntry();
        final byte[] packet = v.chance(3) ? null : v.packet();
        return call("send(byte[])", e + ", " + (packet == null ? null : packet.length), STREAM,
            Set.of("socket", "packet"), () -> GenTcp.send(socketOf(e), packet));
    }

    private Call sendSlice()
    {
        final Entry e = socketEntry();
        final byte[] packet = v.chance(3) ? null : v.packet();
        final int offset = v.chance(70) ? v.random().nextInt(packet == null ? 1 : packet.length + 1) : v.anyInt();
        final boolean inside = packet != null && offset >= 0 && offset <= packet.length;
        final int length = inside && v.chance(70) ? v.random().nextInt(packet.length - offset + 1) : v.anyInt();
        return call("send(byte[], off, len)",
            e + ", " + (packet == null ? null : packet.length) + ", " + offset + ", " + length,
            STREAM, Set.of("socket", "packet", "offset/length"),
            () -> GenTcp.send(socketOf(e), packet, offset, length));
    }

    private Call sendString()
    {
        final Entry e = socketEntry();
        final String packet = v.chance(3) ? null : v.text(v.chance(5) ? 70_000 : 100);
        return call("send(String)", e + ", " + (packet == null ? null : packet.length()), STREAM,
            Set.of("socket", "packet"), () -> GenTcp.send(socketOf(e), packet));
    }

    private Call sendBuffer()
    {
        final Entry e = socketEntry();
        final byte[] bytes = v.packet();
        final ByteBuffer packet = v.chance(3) ? null : v.buffer(bytes.length);
        if (packet != null && !packet.isReadOnly())
        {
            packet.put(packet.position(), bytes, 0, packet.remaining());
        }
        return call("send(ByteBuffer)", e + ", " + packet, STREAM, Set.of("socket", "packet"),
            () -> GenTcp.send(socketOf(e), packet));
    }

    private Call recvObject()
    {
        final Entry e = socketEntry();
        final int length = v.length();
        final long timeout = timeoutFor(e);
        final boolean forever = e != null && e.closed && v.random().nextBoolean();
        return call("recv", e + ", " + length + ", " + (forever ? "" : timeout), STREAM,
            Set.of("socket", "length", "timeout"), () ->
            {
                final Object packet = forever ? GenTcp.recv(socketOf(e), length)
                    : GenTcp.recv(socketOf(e), length, timeout);
                if (!(packet instanceof byte[] || packet instanceof String || packet instanceof HeaderPacket ||
                    packet instanceof HttpPacket))
                {
                    throw new AssertionError("recv returned " + packet);
                }
            });
    }

    /** recvBinary, recvList or recvHttp: the type asked for, or a refusal naming the socket. */
    private Call recvTyped()
    {
        final Entry e = socketEntry();
        final int length = v.length();
        final long timeout = timeoutFor(e);
        final int kind = v.random().nextInt(3);
        final String name = kind == 0 ? "recvBinary" : kind == 1 ? "recvList" : "recvHttp";
        return call(name, e + ", " + length + ", " + timeout, STREAM, Set.of("socket", "length", "timeout"), () ->
        {
            final Object packet = kind == 0 ? GenTcp.recvBinary(socketOf(e), length, timeout)
                : kind == 1 ? GenTcp.recvList(socketOf(e), length, timeout) : GenTcp.recvHttp(socketOf(e), timeout);
            if (packet == null)
            {
                throw new AssertionError(name + " returned null");
            }
        });
    }

    private Call recvBuffer()
    {
        final Entry e = socketEntry();
        final int length = v.length();
        final long timeout = timeoutFor(e);
        final boolean forever = e != null && e.closed && v.random().nextBoolean();
        final ByteBuffer dst = v.chance(3) ? null
            : v.buffer(v.chance(50) ? v.random().nextInt(64) : v.random().nextInt(70_000));
        return call("recv(ByteBuffer)", e + ", " + length + ", " + dst + ", " + (forever ? "" : timeout), STREAM,
            Set.of("socket", "length", "timeout", "dst"), () ->
            {
                final int before = dst == null ? 0 : dst.position();
                final int n = forever ? GenTcp.recv(socketOf(e), length, dst)
                    : GenTcp.recv(socketOf(e), length, dst, timeout);
                if (n >= 0 && dst.position() != before + n)
                {
                    throw new AssertionError("recv into " + dst + " answered " + n + " from position " + before);
                }
            });
    }

    private Call recvBatch()
    {
        final Entry e = socketEntry();
        final long timeout = timeoutFor(e);
        final int max = v.chance(70) ? 1 + v.random().nextInt(8) : v.anyInt();
        final ByteBuffer dst = v.chance(3) ? null : v.buffer(v.random().nextInt(v.chance(50) ? 16 : 70_000));
        return call("recvBatch", e + ", " + dst + ", " + max + ", " + timeout, STREAM,
            Set.of("socket", "dst", "maxPackets", "timeout"), () -> GenTcp.recvBatch(socketOf(e), dst, max, timeout));
    }

    private Call controllingProcess()
    {
        final Entry e = v.chance(3) ? null : entry();
        final Mailbox to = mailbox();
        return call("controllingProcess", e + ", " + to, OWNERSHIP, Set.of("socket", "newOwner"),
            () -> GenTcp.controllingProcess(e == null ? null : e.socket, to));
    }

    private Call shutdown()
    {
        final Entry e = socketEntry();
        final GenTcp.How how = v.chance(5) ? null : v.oneOf(GenTcp.How.values());
        return call("shutdown", e + ", " + how, ON_SOCKET, Set.of("socket", "how"),
            () -> GenTcp.shutdown(socketOf(e), how));
    }

    private Call closeCall()
    {
        final Entry e = v.chance(3) ? null : entry();
        return call("close", String.valueOf(e), NONE, Set.of("socket"), () ->
        {
            GenTcp.close(e == null ? null : e.socket);
            e.closed = true;
        });
    }

    private Call setopts()
    {
        final Entry e = v.chance(3) ? null : entry();
        final boolean asList = v.random().nextBoolean();
        final boolean nullArray = v.chance(2);
        return call("setopts", e + (asList ? ", list" : ", array"), OPTIONS, Set.of("socket", "options"), () ->
        {
            final List<Option> options = nullArray ? null : drawn(v.liveOptions());
            final InetSocket socket = e == null ? null : e.socket;
            if (asList)
            {
                Inet.setopts(socket, options);
            }
            else
            {
                Inet.setopts(socket, options == null ? null : options.toArray(new Option[0]));
            }
        });
    }

    private Call getopts()
    {
        final Entry e = v.chance(3) ? null : entry();
        final OptionName[] names = new OptionName[v.random().nextInt(4)];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = v.optionName();
        }
        final boolean one = v.random().nextBoolean();
        return call("getopts", e + ", " + Arrays.toString(names), OPTIONS, Set.of("socket", "names"), () ->
        {
            if (one)
            {
                Inet.getopt(e == null ? null : e.socket, names.length == 0 ? null : names[0]);
            }
            else
            {
                Inet.getopts(e == null ? null : e.socket, v.chance(2) ? null : names);
            }
        });
    }

    private Call getoptRaw()
    {
        final Entry e = v.chance(3) ? null : entry();
        final int protocol = v.oneOf(0, 1, 6, 41, -1, 12345, v.anyInt());
        final int drawn = v.chance(70) ? v.random().nextInt(80) : v.anyInt();
        // Not SO_PEERPIDFD (77), whose answer is a new pidfd the caller owns, nor SO_ERROR (4),
        // which takes the socket's pending error away from gentcp: both are the caller's doing.
        final int option = protocol == 1 && (drawn == 77 || drawn == 4) ? 3 : drawn;
        final int size = v.chance(70) ? v.random().nextInt(64) : v.anyInt();
        return call("getoptRaw", e + ", " + protocol + ", " + option + ", " + size, OPTIONS, Set.of("socket", "raw"),
            () -> Inet.getoptRaw(e == null ? null : e.socket, protocol, option, size));
    }

    private Call addresses()
    {
        final Entry e = v.chance(3) ? null : entry();
        final int which = v.random().nextInt(5);
        return call("inet address #" + which, String.valueOf(e), ADDRESS, Set.of("socket"), () ->
        {
            final InetSocket s = e == null ? null : e.socket;
            switch (which)
            {
                case 0 -> Inet.port(s);
                case 1 -> Inet.sockname(s);
                case 2 -> Inet.peername(s);
                case 3 -> Inet.localSockname(s);
                default -> Inet.localPeername(s);
            }
        });
    }

    private Call getstat()
    {
        final Entry e = v.chance(3) ? null : entry();
        return call("getstat", String.valueOf(e), ON_SOCKET, Set.of("socket"),
            () -> Inet.getstat(e == null ? null : e.socket));
    }

    private Call tcpInfo()
    {
        final Entry e = v.chance(3) ? null : entry();
        return call("tcpInfo", String.valueOf(e), union(ON_SOCKET, Reason.EAFNOSUPPORT, Reason.ENOTSUP),
            Set.of("socket"), () -> Inet.tcpInfo(e == null ? null : e.socket));
    }

    private Call mailboxSend()
    {
        final Mailbox to = mailbox();
        final Object message = v.chance(5) ? null : "message " + v.random().nextInt();
        return call("Mailbox.send", to + ", " + message, NONE, Set.of("message"), () ->
        {
            if (to != null)
            {
                to.send(message);
            }
        });
    }

    private Call mailboxReceive()
    {
        final long timeout = v.shortTimeout();
        final int what = v.random().nextInt(100);
        return call("Mailbox.current()", what + ", " + timeout, MAILBOX, Set.of("timeout", "idle"), () ->
        {
            final Mailbox mine = Mailbox.current();
            switch (what)
            {
                case 0 -> mine.setIdle(v.oneOf(IdleStrategy.block(), IdleStrategy.spin(v.random().nextInt(100)), null));
                case 1 ->
                {
                    mine.close(); // closes every socket it owns, as an Erlang process exit
                    closedMailboxes.add(mine);
                    if (closedMailboxes.size() > 4)
                    {
                        closedMailboxes.remove(0);
                    }
                }
                case 2 ->
                {
                    mine.send("to myself");
                    mine.receive(); // waits for nothing: a message is there
                }
                default -> mine.receive(timeout);
            }
        });
    }

    private Call mailboxOther()
    {
        final Mailbox target = v.chance(50) ? otherMailbox : closedMailboxes.isEmpty() ? null : v.pick(closedMailboxes);
        final long timeout = v.shortTimeout();
        final int what = v.random().nextInt(40);
        return new Call("Mailbox of another thread", args.append(target + ", " + what + ", " + timeout), MAILBOX,
            Set.of("timeout", "idle"), true, () ->
            {
                if (target == null)
                {
                    return;
                }
                switch (what)
                {
                    case 0, 5, 6, 7, 8 -> target.receive(timeout); // IllegalStateException: only its owner receives
                    case 1 -> target.close(); // allowed from any thread: the owner's receive ends closed
                    case 2, 3, 4 -> target.owner().getName();
                    default -> target.isClosed();
                }
            });
    }

    private Call decode()
    {
        final PacketType type = v.chance(3) ? null : v.oneOf(PacketType.values());
        final byte[] bytes = v.chance(3) ? null : v.chance(50) ? v.bytes(40) : structured(v);
        return call("Packet.decode", type + ", " + (bytes == null ? null : bytes.length), NONE,
            Set.of("type", "bytes", "options", "line_delimiter"), () ->
            {
                final List<Option> options = new ArrayList<>();
                for (int i = v.random().nextInt(3); i > 0; i--)
                {
                    options.add(v.chance(5) ? null : v.chance(80)
                        ? v.oneOf(Option.packetSize(v.random().nextInt(50)), Option.lineLength(v.random().nextInt(50)),
                            Option.lineDelimiter(v.random().nextInt(256)))
                        : v.liveOption());
                }
                Packet.decode(type, bytes, options.toArray(new Option[0]));
            });
    }

    /** Bytes that look like a packet: a header claiming some length, or HTTP-ish text. */
    private static byte[] structured(final FuzzValues v)
    {
        final String text = v.oneOf("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n",
            "line one\nline two", "\u0000\u0000\u0000\u0005hello", "\u0003\u0000\u0000\u0010abcd", "\u0030\u0003abc");
        final byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (v.chance(50) && b.length > 0)
        {
            b[v.random().nextInt(b.length)] = (byte)v.random().nextInt();
        }
        return v.chance(30) ? Arrays.copyOf(b, v.random().nextInt(b.length + 1)) : b;
    }

    /** Every Option factory with any value, the result unused (LiveOption draws the ones safe on a socket). */
    private Call factories()
    {
        final int i = v.anyInt();
        final long l = v.anyLong();
        final String s = v.oneOf(null, "", "lo", "127.0.0.1", "::1", "not an address", "1.2.3.4.5", v.text(20));
        final int which = v.random().nextInt(16);
        return call("Option factory #" + which, i + ", " + l + ", " + s, NONE, OPTION_NAMES, () ->
        {
            switch (which)
            {
                case 0 -> Option.packet(i);
                case 1 -> Option.packetSize(l);
                case 2 -> Option.lineLength(l);
                case 3 -> Option.sendTimeout(l);
                case 4 -> Option.linger(v.random().nextBoolean(), i);
                case 5 -> Option.fd(i);
                case 6 -> Option.netns(s);
                case 7 -> Option.ip(s);
                case 8 -> Option.ifaddr(s);
                case 9 -> Option.bindToDevice(s);
                case 10 -> Option.tcpModule(s);
                case 11 -> Option.raw(i, v.anyInt(), v.chance(10) ? null : v.bytes(16));
                case 12 -> Option.active(i);
                case 13 -> Option.port(i);
                case 14 -> Option.ifaddr((java.net.InetSocketAddress)(v.chance(30) ? null
                    : java.net.InetSocketAddress.createUnresolved("gentcp.invalid", 1)));
                default -> v.liveOption();
            }
        });
    }

    /** The value types' constructors and parsers. */
    private Call values()
    {
        final String s = v.oneOf(null, "", "block", "busy", "spin:", "spin:10", "spin:-1", "spin:x", v.text(10));
        final int which = v.random().nextInt(7);
        final byte[] name = v.chance(10) ? null : v.bytes(120);
        return call("value #" + which, s, NONE, Set.of("idle", "spin", "local", "tos", "ttl", "tclass", "hoplimit"),
            () ->
            {
                switch (which)
                {
                    case 0 -> IdleStrategy.parse(s);
                    case 1 -> IdleStrategy.spin(v.anyLong());
                    case 2 -> new LocalAddress(name);
                    case 3 -> LocalAddress.path(s);
                    case 4 -> LocalAddress.abstractName(s);
                    case 5 -> new PktOptions(v.chance(20) ? null : OptionalInt.of(v.anyInt()), OptionalInt.empty(),
                        v.chance(20) ? null : OptionalInt.empty(), OptionalInt.of(1));
                    default -> Option.active(v.chance(50) ? null : Option.once());
                }
            });
    }

    private Call call(final String name, final String described, final Set<Reason> reasons,
        final Set<String> arguments, final Runnable body)
    {
        return new Call(name, args.append(described), reasons, arguments, false, body);
    }

    /** The options a call drew inside its body (a factory may throw there), added to its description. */
    private List<Option> drawn(final List<Option> options)
    {
        args.append(" options ").append(options);
        return options;
    }

    private static Set<Reason> union(final Set<Reason> base, final Reason... more)
    {
        final EnumSet<Reason> all = EnumSet.copyOf(base);
        all.addAll(Arrays.asList(more));
        return all;
    }

    private static Set<String> optionNames()
    {
        final Set<String> names = Arrays.stream(OptionName.values()).map(OptionName::atom).collect(Collectors.toSet());
        names.addAll(Set.of("options", "raw", "raw: protocol", "raw: option number", "raw: value", "ifaddr", "ip",
            "local", "active", "idle"));
        return names;
    }
}
