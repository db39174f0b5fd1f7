package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two opening examples of the gen_tcp manual, translated line by line. The manual's
 * fixed port 5678 becomes a free port, so the test can run beside anything else.
 */
@Timeout(30)
class ManualExamplesTest
{
    /*
     * client() ->
     *     SomeHostInNet = "localhost", % to make it runnable on one machine
     *     {ok, Sock} = gen_tcp:connect(SomeHostInNet, 5678, [binary, {packet, 0}]),
     *     ok = gen_tcp:send(Sock, "Some Data"),
     *     ok = gen_tcp:close(Sock).
     */
    static void client(final int port)
    {
        final String someHostInNet = "localhost"; // to make it runnable on one machine
        final Socket sock = GenTcp.connect(someHostInNet, port, binary(), packet(0));
        GenTcp.send(sock, "Some Data");
        GenTcp.close(sock);
    }

    /*
     * server() ->
     *     {ok, LSock} = gen_tcp:listen(5678, [binary, {packet, 0}, {active, false}]),
     *     {ok, Sock} = gen_tcp:accept(LSock),
     *     {ok, Bin} = do_recv(Sock, []),
     *     ok = gen_tcp:close(Sock),
     *     ok = gen_tcp:close(LSock),
     *     Bin.
     */
    static byte[] server(final ListenSocket lSock)
    {
        final Socket sock = GenTcp.accept(lSock);
        final byte[] bin = doRecv(sock, new ByteArrayOutputStream());
        GenTcp.close(sock);
        GenTcp.close(lSock);
        return bin;
    }

    /*
     * do_recv(Sock, Bs) ->
     *     case gen_tcp:recv(Sock, 0) of
     *         {ok, B} -> do_recv(Sock, [Bs, B]);
     *         {error, closed} -> {ok, list_to_binary(Bs)}
     *     end.
     */
    static byte[] doRecv(final Socket sock, final ByteArrayOutputStream bs)
    {
        while (true)
        {
            try
            {
                final byte[] b = GenTcp.recv(sock, 0);
                bs.writeBytes(b);
            }
            catch (final GenTcpException e)
            {
                if (e.reason() != Reason.CLOSED)
                {
                    throw e;
                }
                return bs.toByteArray();
            }
        }
    }

    @Test
    void serverReceivesWhatTheClientSent() throws Exception
    {
        final ListenSocket lSock = GenTcp.listen(0, binary(), packet(0), active(false));
        final int port = Inet.port(lSock);
        final CompletableFuture<byte[]> server = CompletableFuture.supplyAsync(() -> server(lSock));
        client(port);
        assertArrayEquals("Some Data".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            server.get(20, TimeUnit.SECONDS));
    }

    @Test
    void clientSocketIsActiveByDefaultAndStillSendsAndCloses()
    {
        // The client never says {active, false}: OTP's default is active, and the client only sends.
        final ListenSocket lSock = GenTcp.listen(0, binary(), active(false));
        final Socket sock = GenTcp.connect("localhost", Inet.port(lSock), binary(), packet(0));
        assertEquals(Active.TRUE, Inet.getopt(sock, OptionName.ACTIVE).value());
        GenTcpAssertions.assertReason(Reason.EINVAL, () -> GenTcp.recv(sock, 0, 0));
        GenTcp.close(sock);
        GenTcp.close(lSock);
    }
}
