package io.gentcp.bench.roundtrip;

import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.IdleStrategy;
import io.gentcp.PacketType;
import io.gentcp.Reason;
import io.gentcp.Socket;

/** The acceptor-pool echo server, started in-process on port 0. */
@Timeout(60)
class EchoServerTest
{
    private static final long WAIT_MS = 10_000;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private EchoServer start(final PacketType packet, final int workers)
    {
        final PrintStream errors = new PrintStream(log, true, StandardCharsets.UTF_8);
        return EchoServer.start(0, packet, workers, IdleStrategy.block(), errors);
    }

    private static Socket connect(final EchoServer server, final PacketType packet)
    {
        return GenTcp.connect("127.0.0.1", server.port(), WAIT_MS, binary(), packet(packet), active(false));
    }

    private static byte[] bytes(final int size, final int seed)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(seed + i * 7);
        }
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void echoesEachPacket(final PacketType packet)
    {
        try (EchoServer server = start(packet, 2))
        {
            final Socket client = connect(server, packet);
            try
            {
                for (final int size : new int[] {0, 1, 64, 255})
                {
                    final byte[] sent = bytes(size, size);
                    GenTcp.send(client, sent);
                    final byte[] echoed = GenTcp.recv(client, 0, WAIT_MS);
                    assertArrayEquals(sent, echoed, "packet of " + size + " bytes");
                }
            }
            finally
            {
                GenTcp.close(client);
            }
        }
        assertEquals("", log.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 1000, 200_000})
    void echoesRawBytes(final int size)
    {
        try (EchoServer server = start(PacketType.RAW, 2))
        {
            final Socket client = connect(server, PacketType.RAW);
            try
            {
                final byte[] sent = bytes(size, 3);
                GenTcp.send(client, sent);
                final byte[] echoed = GenTcp.recv(client, size, WAIT_MS);
                assertArrayEquals(sent, echoed);
            }
            finally
            {
                GenTcp.close(client);
            }
        }
    }

    @Test
    void growsItsBufferForAPacketBiggerThan64KiB()
    {
        try (EchoServer server = start(PacketType.FOUR, 1))
        {
            final Socket client = connect(server, PacketType.FOUR);
            try
            {
                final byte[] big = bytes(300_000, 5);
                GenTcp.send(client, big);
                assertArrayEquals(big, GenTcp.recv(client, 0, WAIT_MS));
                final byte[] small = bytes(10, 9);
                GenTcp.send(client, small);
                assertArrayEquals(small, GenTcp.recv(client, 0, WAIT_MS));
            }
            finally
            {
                GenTcp.close(client);
            }
        }
    }

    @Test
    void aWorkerSurvivesItsConnectionClosingAndServesTheNext()
    {
        try (EchoServer server = start(PacketType.FOUR, 1))
        {
            for (int round = 0; round < 3; round++)
            {
                final Socket client = connect(server, PacketType.FOUR);
                final byte[] sent = bytes(16, round);
                GenTcp.send(client, sent);
                assertArrayEquals(sent, GenTcp.recv(client, 0, WAIT_MS), "connection " + round);
                GenTcp.close(client); // the only worker must go back to accept
            }
        }
        assertEquals("", log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void servesAsManyConnectionsAtOnceAsItHasWorkers()
    {
        try (EchoServer server = start(PacketType.TWO, 3))
        {
            final Socket[] clients = new Socket[3];
            try
            {
                for (int i = 0; i < clients.length; i++)
                {
                    clients[i] = connect(server, PacketType.TWO);
                }
                for (int i = clients.length - 1; i >= 0; i--)
                {
                    final byte[] sent = bytes(32, i);
                    GenTcp.send(clients[i], sent);
                    assertArrayEquals(sent, GenTcp.recv(clients[i], 0, WAIT_MS), "client " + i);
                }
            }
            finally
            {
                for (final Socket client : clients)
                {
                    if (client != null)
                    {
                        GenTcp.close(client);
                    }
                }
            }
        }
    }

    @Test
    void closeStopsWorkersBlockedInRecvAndAccept()
    {
        final EchoServer server = start(PacketType.FOUR, 2);
        final Socket client = connect(server, PacketType.FOUR);
        try
        {
            GenTcp.send(client, bytes(8, 1));
            assertArrayEquals(bytes(8, 1), GenTcp.recv(client, 0, WAIT_MS)); // one worker is now in recv
            server.close(); // throws if a worker is still running after its bounded wait
            final GenTcpException e = assertThrows(GenTcpException.class, () -> GenTcp.recv(client, 0, WAIT_MS));
            assertEquals(Reason.CLOSED, e.reason());
        }
        finally
        {
            GenTcp.close(client);
        }
        final GenTcpException refused = assertThrows(GenTcpException.class,
            () -> GenTcp.connect("127.0.0.1", server.port(), WAIT_MS, binary()));
        assertEquals(Reason.ECONNREFUSED, refused.reason());
    }

    @Test
    void echoesWithTheClientsIdleStrategyBusy()
    {
        try (EchoServer server = EchoServer.start(0, PacketType.FOUR, 1, IdleStrategy.busyPoll(), System.err);
            GenTcpRoundTrip client = GenTcpRoundTrip.connect("127.0.0.1", server.port(), PacketType.FOUR, 64,
                IdleStrategy.busyPoll()))
        {
            for (int i = 0; i < 100; i++)
            {
                assertEquals(64, client.roundTrip(i));
            }
        }
    }

    @Test
    void rejectsNoWorkers()
    {
        assertThrows(IllegalArgumentException.class, () -> start(PacketType.RAW, 0));
    }
}
