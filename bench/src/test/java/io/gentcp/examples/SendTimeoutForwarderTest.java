package io.gentcp.examples;

import static io.gentcp.Option.active;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.recbuf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gentcp.GenTcp;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Mailbox;
import io.gentcp.Reason;
import io.gentcp.Socket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The manual's send_timeout example: a server that stops reading is noticed, and the client told. */
@Timeout(120)
class SendTimeoutForwarderTest
{
    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    @Test
    void aServerThatStopsReadingEndsInErrorSendingTimeout() throws Exception
    {
        // the server accepts and never reads; its small receive buffer fills early
        final ListenSocket l = GenTcp.listen(0, active(false), packet(2), recbuf(4096));
        final CompletableFuture<Mailbox> forwarder = new CompletableFuture<>();
        final Thread t = new Thread(() ->
        {
            forwarder.complete(Mailbox.current());
            SendTimeoutForwarder.run("127.0.0.1", Inet.port(l), 300);
        }, "forwarder");
        t.start();
        final Socket server = GenTcp.accept(l, 10_000);
        final Mailbox me = Mailbox.current();
        final Mailbox f = forwarder.get(10, TimeUnit.SECONDS);
        final byte[] request = new byte[60_000];
        int sent = 0;
        Object answer = null;
        // each request is answered before the next goes: the last answer is the timeout
        for (int i = 0; i < 10_000; i++)
        {
            f.send(new SendTimeoutForwarder.SendData(me, request));
            answer = me.receive(30_000);
            if (!(answer instanceof SendTimeoutForwarder.DataSent))
            {
                break;
            }
            sent++;
        }
        final SendTimeoutForwarder.ErrorSending error =
            assertInstanceOf(SendTimeoutForwarder.ErrorSending.class, answer);
        assertEquals(Reason.TIMEOUT, error.reason());
        assertEquals(f, error.forwarder());
        assertTrue(sent > 0, "some requests went through before the buffers filled");
        t.join(10_000);
        assertEquals(false, t.isAlive(), "the forwarder closed its socket and ended");
        GenTcp.close(server);
        GenTcp.close(l);
    }
}
