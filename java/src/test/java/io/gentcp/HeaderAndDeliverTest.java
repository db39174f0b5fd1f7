package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.deliver;
import static io.gentcp.Option.header;
import static io.gentcp.Option.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {header, N} and {deliver, port}, with the terms measured on OTP 25 (otp-experiments/sock3.out). */
@Timeout(60)
class HeaderAndDeliverTest
{
    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    @Test
    void headerSplitsBinaryPacketsOnly()
    {
        try (Pair p = Pair.of(binary(), header(2)))
        {
            GenTcp.send(p.client, "hello");
            assertEquals("[104,101|<<108,108,111>>]", GenTcp.recv(p.server, 5, 5_000).toString());
            Inet.setopts(p.server, header(10));
            GenTcp.send(p.client, "hi");
            assertEquals("hi", GenTcp.recv(p.server, 2, 5_000)); // fewer than N bytes: a list
            Inet.setopts(p.server, list(), header(2));
            GenTcp.send(p.client, "hello");
            assertEquals("hello", GenTcp.recv(p.server, 5, 5_000)); // no effect in list mode
            assertEquals(header(2), Inet.getopt(p.server, OptionName.HEADER));
        }
    }

    @Test
    void headerAppliesToActiveMessagesAndIsInherited()
    {
        try (Pair p = Pair.of(binary(), header(2)))
        {
            assertEquals(header(2), Inet.getopt(p.server, OptionName.HEADER));
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, "hello");
            assertEquals("{tcp," + p.server + ",[104,101|<<108,108,111>>]}",
                Mailbox.current().receive(5_000).toString());
        }
    }

    @Test
    void deliverPortSendsDataInThePortFormAndClosesAsUsual()
    {
        try (Pair p = Pair.of(deliver(Option.Deliver.PORT)))
        {
            assertEquals(deliver(Option.Deliver.PORT), Inet.getopt(p.server, OptionName.DELIVER));
            Inet.setopts(p.server, active(true));
            GenTcp.send(p.client, "hello");
            assertEquals(new PortData(p.server, "hello"), Mailbox.current().receive(5_000));
            GenTcp.close(p.client);
            assertEquals(new TcpClosed(p.server), Mailbox.current().receive(5_000));
        }
    }

    @Test
    void theDefaultsAreOtpsAndAnAcceptedSocketInheritsItsActiveModeAndMsgqMarks()
    {
        try (Pair p = Pair.of(binary()))
        {
            assertEquals(List.of(Option.exitOnClose(true), Option.showEconnreset(false), header(0),
                deliver(Option.Deliver.TERM)), Inet.getopts(p.server, OptionName.EXIT_ON_CLOSE,
                OptionName.SHOW_ECONNRESET, OptionName.HEADER, OptionName.DELIVER));
        }
        for (final Option mode : new Option[] {active(5), active(Active.ONCE), active(true), active(false)})
        {
            final ListenSocket l = GenTcp.listen(0, mode, Option.highMsgqWatermark(100), Option.lowMsgqWatermark(10));
            final Socket c = GenTcp.connect("127.0.0.1", Inet.port(l), 5_000, active(false));
            final Socket s = GenTcp.accept(l, 5_000);
            assertEquals(List.of(mode, Option.highMsgqWatermark(100), Option.lowMsgqWatermark(10)), Inet.getopts(s,
                OptionName.ACTIVE, OptionName.HIGH_MSGQ_WATERMARK, OptionName.LOW_MSGQ_WATERMARK));
            GenTcp.close(s);
            GenTcp.close(c);
            GenTcp.close(l);
        }
    }
}
