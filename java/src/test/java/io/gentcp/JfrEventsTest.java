package io.gentcp;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The JFR events of the io.gentcp category: what a recording that enables them holds after a
 * connect, an accept, data both ways, closes by the application and by the peer, a refused
 * connect and a mailbox the reaper closed; and that none are recorded unless enabled (they are
 * off in JFR's default and profile settings). Other tests' sockets may show up in a recording
 * of this JVM: the events are picked by this test's own sockets and ports.
 */
@Timeout(60)
class JfrEventsTest
{
    static final String[] NAMES = {"io.gentcp.Connect", "io.gentcp.Accept", "io.gentcp.Close", "io.gentcp.Error",
        "io.gentcp.MailboxReaped", "io.gentcp.SendBlocked"};

    @AfterEach
    void closeMailbox()
    {
        Mailbox.current().close();
    }

    /** The events of a recording, dumped to a file and read back, as a tool would read them. */
    static List<RecordedEvent> readBack(final Recording recording) throws IOException
    {
        final Path file = Files.createTempFile("gentcp-jfr", ".jfr");
        try
        {
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.gentcp."))
                .collect(Collectors.toList());
        }
        finally
        {
            Files.delete(file);
        }
    }

    /** The one event named NAME that WHICH picks. */
    static RecordedEvent one(final List<RecordedEvent> events, final String name,
        final Predicate<RecordedEvent> which)
    {
        final List<RecordedEvent> found = events.stream()
            .filter(e -> e.getEventType().getName().equals(name) && which.test(e))
            .collect(Collectors.toList());
        assertEquals(1, found.size(), () -> name + " events picked: " + found + " of " + events);
        return found.get(0);
    }

    static boolean durationKnown(final RecordedEvent e)
    {
        return !e.getDuration().isNegative();
    }

    @Test
    void withoutTheJdkJfrModuleEveryCallStillWorks() throws IOException, InterruptedException
    {
        final List<String> command = ChildJvm.command(
            List.of("--limit-modules", "java.base,jdk.unsupported,java.logging"), JfrAbsentChild.class, List.of());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the child ended");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("ok"), output);
    }

    @Test
    void theEventsAreDeclaredInTheIoGentcpCategoryAndOffByDefault()
    {
        for (final Class<? extends jdk.jfr.Event> c : List.of(GenTcpConnectEvent.class, GenTcpAcceptEvent.class,
            GenTcpCloseEvent.class, GenTcpErrorEvent.class, GenTcpMailboxReapedEvent.class,
            GenTcpSendBlockedEvent.class))
        {
            FlightRecorder.register(c); // registered at first use otherwise
        }
        for (final String name : NAMES)
        {
            final EventType type = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not registered"));
            assertEquals(List.of("io.gentcp"), type.getCategoryNames(), name);
            assertFalse(type.isEnabled(), name + " is on without a recording that enables it");
            assertFalse(type.getDescription() == null || type.getDescription().isEmpty(), name);
        }
    }

    /** A test's sockets and ports, as the scenario it records made them. */
    private static final class Seen
    {
        String listen;
        int port;
        String client;
        String server;
        int clientPort;
        String owner;
        String third;
    }

    /** The io.gentcp events that SCENARIO makes, recorded with all of them enabled. */
    static List<RecordedEvent> recorded(final Executable scenario) throws Throwable
    {
        try (Recording recording = new Recording())
        {
            for (final String name : NAMES)
            {
                recording.enable(name);
            }
            recording.start();
            scenario.execute();
            recording.stop();
            return readBack(recording);
        }
    }

    @Test
    void connectAcceptAndClosesWithTheBytesEachWay() throws Throwable
    {
        final Seen seen = new Seen();
        final List<RecordedEvent> events = recorded(() ->
        {
            final ListenSocket listen = GenTcp.listen(0, binary(), active(false));
            seen.listen = listen.toString();
            seen.port = Inet.port(listen);
            final Socket c = GenTcp.connect("127.0.0.1", seen.port, 5_000, binary(), active(false));
            final Socket s = GenTcp.accept(listen, 5_000);
            seen.client = c.toString();
            seen.server = s.toString();
            seen.clientPort = Inet.port(c);
            GenTcp.send(c, "hello");
            assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), GenTcp.recv(s, 5, 5_000));
            GenTcp.send(s, "abc");
            assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), GenTcp.recv(c, 3, 5_000));
            GenTcp.close(c);
            GenTcp.close(c); // closed already: not recorded again
            GenTcp.close(s);
            GenTcp.close(listen);
        });
        final RecordedEvent connect = one(events, "io.gentcp.Connect",
            e -> seen.client.equals(e.getString("socket")));
        assertEquals("127.0.0.1", connect.getString("address"));
        assertEquals(seen.port, connect.getInt("port"));
        assertEquals("", connect.getString("reason"));
        assertTrue(durationKnown(connect));

        final RecordedEvent accept = one(events, "io.gentcp.Accept", e -> seen.server.equals(e.getString("socket")));
        assertEquals(seen.listen, accept.getString("listenSocket"));
        assertEquals("127.0.0.1", accept.getString("address"));
        assertEquals(seen.clientPort, accept.getInt("port"));
        assertEquals("", accept.getString("reason"));
        assertTrue(durationKnown(accept));

        final RecordedEvent clientClose = one(events, "io.gentcp.Close",
            e -> seen.client.equals(e.getString("socket")));
        assertEquals("application", clientClose.getString("closedBy"));
        assertEquals("closed", clientClose.getString("reason"));
        assertEquals(5, clientClose.getLong("bytesOut"));
        assertEquals(3, clientClose.getLong("bytesIn"));
        assertTrue(durationKnown(clientClose));
        final RecordedEvent serverClose = one(events, "io.gentcp.Close",
            e -> seen.server.equals(e.getString("socket")));
        assertEquals(5, serverClose.getLong("bytesIn"));
        assertEquals(3, serverClose.getLong("bytesOut"));
        one(events, "io.gentcp.Close", e -> seen.listen.equals(e.getString("socket")));
    }

    @Test
    void aLocalConnectAndAcceptNameTheLocalAddresses() throws Throwable
    {
        final Seen seen = new Seen();
        final List<RecordedEvent> events = recorded(() ->
        {
            try (ListenSocket l = GenTcp.listen(0, Option.local(), binary(), active(false)))
            {
                final LocalAddress name = Inet.localSockname(l); // an abstract name the kernel chose
                seen.listen = name.toString();
                final Socket c = GenTcp.connect(name, 5_000, binary(), active(false));
                final Socket s = GenTcp.accept(l, 5_000);
                seen.client = c.toString();
                seen.server = s.toString();
                GenTcp.close(c);
                GenTcp.close(s);
            }
        });
        final RecordedEvent connect = one(events, "io.gentcp.Connect",
            e -> seen.client.equals(e.getString("socket")));
        assertEquals(seen.listen, connect.getString("address"));
        assertEquals(0, connect.getInt("port"));
        final RecordedEvent accept = one(events, "io.gentcp.Accept", e -> seen.server.equals(e.getString("socket")));
        assertEquals("{local,<<>>}", accept.getString("address")); // the client did not bind
        assertEquals(0, accept.getInt("port"));
    }

    @Test
    void anActiveSocketsTcpClosedIsACloseByThePeer() throws Throwable
    {
        final Seen seen = new Seen();
        final List<RecordedEvent> events = recorded(() ->
        {
            final ListenSocket listen = GenTcp.listen(0, binary(), active(false));
            final Socket a = GenTcp.connect("127.0.0.1", Inet.port(listen), 5_000, binary(), active(true));
            seen.client = a.toString();
            final Socket s = GenTcp.accept(listen, 5_000);
            GenTcp.send(s, "xy");
            assertInstanceOf(Tcp.class, Mailbox.current().receive(5_000));
            GenTcp.close(s);
            assertInstanceOf(TcpClosed.class, Mailbox.current().receive(5_000));
            GenTcp.close(a);
            GenTcp.close(listen);
        });
        final RecordedEvent byPeer = one(events, "io.gentcp.Close",
            e -> seen.client.equals(e.getString("socket")) && "peer".equals(e.getString("closedBy")));
        assertEquals("closed", byPeer.getString("reason"));
        assertEquals(2, byPeer.getLong("bytesIn"));
        assertEquals(0, byPeer.getLong("bytesOut"));
        one(events, "io.gentcp.Close",
            e -> seen.client.equals(e.getString("socket")) && "application".equals(e.getString("closedBy")));
    }

    @Test
    void aRefusedConnectIsAFailedConnectAndAnError() throws Throwable
    {
        final Seen seen = new Seen();
        final List<RecordedEvent> events = recorded(() ->
        {
            final ListenSocket gone = GenTcp.listen(0);
            seen.port = Inet.port(gone);
            GenTcp.close(gone);
            assertEquals(Reason.ECONNREFUSED,
                assertThrows(GenTcpException.class, () -> GenTcp.connect("127.0.0.1", seen.port, 5_000)).reason());
            // routine reasons are no Error events
            assertThrows(GenTcpException.class, () -> Mailbox.current().receive(0));
        });
        final RecordedEvent refused = one(events, "io.gentcp.Connect",
            e -> e.getInt("port") == seen.port && "127.0.0.1".equals(e.getString("address")));
        assertEquals("econnrefused", refused.getString("reason"));
        assertEquals("", refused.getString("socket"));
        assertTrue(durationKnown(refused));
        final RecordedEvent error = one(events, "io.gentcp.Error",
            e -> ("econnrefused: connect 127.0.0.1:" + seen.port).equals(e.getString("message")));
        assertEquals("econnrefused", error.getString("reason"));
        assertTrue(events.stream().noneMatch(e -> e.getEventType().getName().equals("io.gentcp.Error") &&
            "timeout".equals(e.getString("reason"))), () -> "a routine timeout recorded: " + events);
    }

    @Test
    void theReaperClosingTheMailboxOfAnEndedOwnerAndEachOfItsSockets() throws Throwable
    {
        assumeTrue(MailboxReaper.INTERVAL_NANOS > 0, "the reaper is turned off (gentcp.mailbox.reapMillis=0)");
        final Seen seen = new Seen();
        final List<RecordedEvent> events = recorded(() ->
        {
            final ListenSocket listen = GenTcp.listen(0, binary(), active(false));
            final int port = Inet.port(listen);
            final Thread ends = new Thread(() ->
            {
                final Socket mine = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false));
                GenTcp.send(mine, "abc");
                seen.client = mine.toString();
            }, "jfr-owner");
            ends.start();
            ends.join(VirtualThreadTest.BOUND_MS);
            assertFalse(ends.isAlive(), "jfr-owner did not end");
            final Socket peer = GenTcp.accept(listen, 5_000);
            seen.server = peer.toString();
            assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), GenTcp.recv(peer, 3, 5_000));
            assertEquals(Reason.CLOSED,
                assertThrows(GenTcpException.class, () -> GenTcp.recv(peer, 0, VirtualThreadTest.BOUND_MS)).reason());
            GenTcp.close(peer);
            GenTcp.close(listen);
            ReaperScaleTest.awaitRounds(1); // the round that closed it has ended, its events committed
            seen.owner = Mailbox.describe(ends);
        });
        final String ownerName = seen.owner;
        final RecordedEvent reaped = one(events, "io.gentcp.MailboxReaped",
            e -> ownerName.equals(e.getString("ownerThread")));
        assertTrue(ownerName.startsWith("jfr-owner (#"), ownerName);
        assertEquals("#Mailbox<" + ownerName + ">", reaped.getString("mailbox"));
        assertTrue(durationKnown(reaped));
        final RecordedEvent byReaper = one(events, "io.gentcp.Close", e -> seen.client.equals(e.getString("socket")));
        assertEquals("reaper", byReaper.getString("closedBy"));
        assertEquals("closed", byReaper.getString("reason"));
        assertEquals(3, byReaper.getLong("bytesOut"));
        assertEquals(0, byReaper.getLong("bytesIn"));
        assertTrue(durationKnown(byReaper));
        // its peer's passive recv answered closed: the peer's close, as the peer end sees it
        final RecordedEvent atPeer = one(events, "io.gentcp.Close",
            e -> seen.server.equals(e.getString("socket")) && "peer".equals(e.getString("closedBy")));
        assertEquals(3, atPeer.getLong("bytesIn"));
        assertEquals(0, atPeer.getLong("bytesOut"));
    }

    @Test
    void aPassiveRecvToldClosedIsACloseByThePeerOncePerSocket() throws Throwable
    {
        final Seen seen = new Seen();
        final List<RecordedEvent> events = recorded(() ->
        {
            final ListenSocket listen = GenTcp.listen(0, binary(), active(false));
            seen.port = Inet.port(listen);
            // exit_on_close false: each recv after the peer's close answers closed again
            final Socket halfOpen = GenTcp.connect("127.0.0.1", seen.port, 5_000, binary(), active(false),
                Option.exitOnClose(false));
            final Socket c = GenTcp.accept(listen, 5_000);
            seen.client = halfOpen.toString();
            GenTcp.send(c, "xy");
            GenTcp.close(c);
            assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), GenTcp.recv(halfOpen, 2, 5_000));
            for (int i = 0; i < 2; i++)
            {
                assertEquals(Reason.CLOSED,
                    assertThrows(GenTcpException.class, () -> GenTcp.recv(halfOpen, 0, 5_000)).reason());
            }
            GenTcp.close(halfOpen);
            // exit_on_close (the default): closed once, then enotconn
            final Socket s = GenTcp.connect("127.0.0.1", seen.port, 5_000, binary(), active(false));
            final Socket peer = GenTcp.accept(listen, 5_000);
            seen.server = s.toString();
            GenTcp.close(peer);
            assertEquals(Reason.CLOSED, assertThrows(GenTcpException.class, () -> GenTcp.recv(s, 0, 5_000)).reason());
            assertEquals(Reason.ENOTCONN, assertThrows(GenTcpException.class, () -> GenTcp.recv(s, 0, 5_000)).reason());
            GenTcp.close(s);
            // closed here, the peer still there: recv answers closed, which is no close by the peer
            final Socket here = GenTcp.connect("127.0.0.1", seen.port, 5_000, binary(), active(false));
            final Socket there = GenTcp.accept(listen, 5_000);
            seen.third = here.toString();
            GenTcp.close(here);
            assertEquals(Reason.CLOSED,
                assertThrows(GenTcpException.class, () -> GenTcp.recv(here, 0, 5_000)).reason());
            GenTcp.close(there);
            GenTcp.close(listen);
        });
        final RecordedEvent halfOpen = one(events, "io.gentcp.Close",
            e -> seen.client.equals(e.getString("socket")) && "peer".equals(e.getString("closedBy")));
        assertEquals("closed", halfOpen.getString("reason"));
        assertEquals(2, halfOpen.getLong("bytesIn"));
        assertEquals(0, halfOpen.getLong("bytesOut"));
        final RecordedEvent closedOnce = one(events, "io.gentcp.Close",
            e -> seen.server.equals(e.getString("socket")) && "peer".equals(e.getString("closedBy")));
        assertEquals(0, closedOnce.getLong("bytesIn"));
        one(events, "io.gentcp.Close",
            e -> seen.server.equals(e.getString("socket")) && "application".equals(e.getString("closedBy")));
        final RecordedEvent closedHere = one(events, "io.gentcp.Close", e -> seen.third.equals(e.getString("socket")));
        assertEquals("application", closedHere.getString("closedBy"));
    }

    @Test
    void jfrsOwnSettingsRecordNoneOfThem() throws IOException, ParseException
    {
        for (final String settings : new String[] {"default", "profile"})
        {
            final List<RecordedEvent> events;
            try (Recording recording = new Recording(Configuration.getConfiguration(settings)))
            {
                recording.start();
                final ListenSocket listen = GenTcp.listen(0, binary(), active(false));
                final int port = Inet.port(listen);
                final Socket c = GenTcp.connect("127.0.0.1", port, 5_000, binary(), active(false));
                final Socket s = GenTcp.accept(listen, 5_000);
                GenTcp.send(c, "x");
                assertArrayEquals(new byte[] {'x'}, GenTcp.recv(s, 1, 5_000));
                GenTcp.close(c);
                // a passive recv told closed by the peer
                assertEquals(Reason.CLOSED,
                    assertThrows(GenTcpException.class, () -> GenTcp.recv(s, 0, 5_000)).reason());
                GenTcp.close(s);
                GenTcp.close(listen);
                assertEquals(Reason.ECONNREFUSED,
                    assertThrows(GenTcpException.class, () -> GenTcp.connect("127.0.0.1", port, 5_000)).reason());
                recording.stop();
                events = readBack(recording);
            }
            assertTrue(events.isEmpty(), () -> settings + " recorded io.gentcp events: " + events);
        }
    }
}
