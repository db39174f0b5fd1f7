package io.gentcp;

/**
 * {@code inet:getstat(Socket)}: what a socket has received and sent. The counters are 64-bit.
 *
 * @param recvOct  bytes read from the socket.
 * @param recvCnt  packets received.
 * @param recvMax  the largest packet received, in bytes.
 * @param recvAvg  the average packet size received.
 * @param recvDvi  the average deviation of received packet sizes.
 * @param sendOct  bytes sent, length headers included.
 * @param sendCnt  packets sent.
 * @param sendMax  the largest packet sent, in bytes.
 * @param sendAvg  the average packet size sent.
 * @param sendPend bytes in the socket's send queue, waiting for the kernel to take them.
 */
public record SocketStats(long recvOct, long recvCnt, long recvMax, long recvAvg, long recvDvi, long sendOct,
    long sendCnt, long sendMax, long sendAvg, long sendPend)
{
}
