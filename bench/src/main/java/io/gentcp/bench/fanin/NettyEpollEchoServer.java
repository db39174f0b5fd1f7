package io.gentcp.bench.fanin;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * fanin's Netty server ({@code netty-epoll}): Netty's native epoll transport with ONE event loop
 * thread, which both accepts and serves. Each connection's pipeline is a
 * {@link LengthFieldBasedFrameDecoder} for {@code {packet, 4}} (4-byte big-endian length, the
 * header kept) and an {@link Echo} handler that writes each frame back unchanged (the decoder's
 * frame is a pooled buffer whose ownership the write takes) and flushes once per read batch.
 * Pooled direct buffers, TCP_NODELAY, a listen backlog of N.
 */
final class NettyEpollEchoServer
{
    /** The largest frame accepted, as gentcp's largest receive. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private NettyEpollEchoServer()
    {
    }

    /** Writes every frame back; one flush per batch of reads. Stateless: one for every connection. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close(); // a reset by the load generator at its end, as a rule
        }
    }

    /**
     * Binds 127.0.0.1:PORT and serves on one event loop thread (non-daemon: the process's end stops it).
     *
     * @return the port it listens on.
     */
    static int start(final int port, final int backlog) throws InterruptedException
    {
        final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final Echo echo = new Echo();
        final Channel channel = new ServerBootstrap()
            .group(loop)
            .channel(EpollServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, backlog)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(new ChannelInitializer<EpollSocketChannel>()
            {
                @Override
                protected void initChannel(final EpollSocketChannel ch)
                {
                    ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 0), echo);
                }
            })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .sync()
            .channel();
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }
}
