package io.gentcp.bench.fanin;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * fanin's java.nio server ({@code nio}): one thread, one {@link Selector}, as a careful nio
 * program serves many {@code {packet, 4}} connections. The thread accepts and serves; per
 * readable connection, one read into a shared direct buffer (after the partial packet that
 * connection kept), then every complete packet echoed in one write straight from that buffer
 * (an echo is the packet unchanged). A partial packet is kept for the next read; what the
 * kernel does not take is kept and written on OP_WRITE, reading paused meanwhile. Allocates
 * nothing per message in steady state (a connection's kept bytes live in a buffer of its own,
 * made when first needed). A peer's close or reset ends its connection.
 */
final class NioSelectorEchoServer
{
    private static final int READ_SIZE = 64 * 1024;
    private static final int HEADER = 4;
    private static final int MAX_PACKET = 64 * 1024 * 1024;

    /** A connection's kept bytes: a partial packet, or echoes the kernel did not take yet. */
    private static final class Conn
    {
        ByteBuffer keep = ByteBuffer.allocate(0);
        boolean sending;

        void keep(final ByteBuffer from, final boolean sendingNow)
        {
            if (keep.capacity() < from.remaining())
            {
                keep = ByteBuffer.allocateDirect(Math.max(256, Integer.highestOneBit(from.remaining()) * 2));
            }
            keep.clear();
            keep.put(from);
            keep.flip();
            sending = sendingNow;
        }
    }

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final PrintStream log;
    private ByteBuffer rbuf = ByteBuffer.allocateDirect(READ_SIZE * 2);

    private NioSelectorEchoServer(final Selector selector, final ServerSocketChannel listener, final PrintStream log)
    {
        this.selector = selector;
        this.listener = listener;
        this.log = log;
    }

    /**
     * Binds 127.0.0.1:PORT and starts the serving thread (non-daemon: the process's end stops it).
     *
     * @return the port it listens on.
     */
    static int start(final int port, final int backlog, final PrintStream log) throws IOException
    {
        final Selector selector = Selector.open();
        final ServerSocketChannel listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        final NioSelectorEchoServer server = new NioSelectorEchoServer(selector, listener, log);
        final Thread thread = new Thread(server::serve, "fanin-nio-selector");
        thread.start();
        return ((InetSocketAddress)listener.getLocalAddress()).getPort();
    }

    private void serve()
    {
        try
        {
            for (;;)
            {
                selector.select();
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid())
                    {
                        continue;
                    }
                    if (key.isAcceptable())
                    {
                        accept();
                    }
                    else
                    {
                        serve(key);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            log.println("fanin: nio server: " + e);
        }
    }

    private void accept() throws IOException
    {
        for (int i = 0; i < 1024; i++)
        {
            final SocketChannel channel = listener.accept();
            if (channel == null)
            {
                return;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ, new Conn());
        }
    }

    private void serve(final SelectionKey key)
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        final Conn conn = (Conn)key.attachment();
        try
        {
            if (conn.sending)
            {
                channel.write(conn.keep);
                if (!conn.keep.hasRemaining())
                {
                    conn.sending = false;
                    conn.keep.clear().flip();
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            read(key, channel, conn);
        }
        catch (final IOException e)
        {
            close(key); // a reset by the load generator at its end, as a rule
        }
    }

    private void read(final SelectionKey key, final SocketChannel channel, final Conn conn) throws IOException
    {
        final int kept = conn.keep.remaining();
        if (rbuf.capacity() < kept + READ_SIZE)
        {
            rbuf = ByteBuffer.allocateDirect(Integer.highestOneBit(kept + READ_SIZE) * 2);
        }
        final ByteBuffer buf = rbuf;
        buf.clear();
        buf.put(conn.keep);
        buf.limit(kept + READ_SIZE);
        if (channel.read(buf) < 0)
        {
            close(key);
            return;
        }
        final int have = buf.position();
        int off = 0;
        while (have - off >= HEADER)
        {
            final int len = buf.getInt(off);
            if (len < 0 || len > MAX_PACKET)
            {
                log.println("fanin: nio server: a header announces " + Integer.toUnsignedString(len) +
                    " bytes: connection closed");
                close(key);
                return;
            }
            if (have - off < HEADER + len)
            {
                break;
            }
            off += HEADER + len;
        }
        conn.keep.clear().flip();
        if (off > 0)
        {
            buf.position(0).limit(off);
            channel.write(buf);
            if (buf.hasRemaining())
            {
                // The kernel's send buffer is full: keep the rest, and the partial packet after
                // it (an echo's bytes out are its bytes in, so they may leave together).
                buf.limit(have);
                conn.keep(buf, true);
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        }
        if (off < have)
        {
            buf.position(off).limit(have);
            conn.keep(buf, false);
        }
    }

    private static void close(final SelectionKey key)
    {
        key.cancel();
        try
        {
            key.channel().close();
        }
        catch (final IOException e)
        {
            // closing what failed: nothing more to do
        }
    }
}
