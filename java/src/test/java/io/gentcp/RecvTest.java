package io.gentcp;

import static io.gentcp.GenTcpAssertions.assertReason;
import static io.gentcp.Option.active;
import static io.gentcp.Option.binary;
import static io.gentcp.Option.packet;
import static io.gentcp.Option.packetSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Passive recv as OTP's inet backend answers it (reference section 2.2). */
@Timeout(60)
class RecvTest
{
    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void eachSendIsOnePacket(final int type)
    {
        try (Pair p = Pair.of(binary(), packet(type)))
        {
            GenTcp.send(p.client, "hello");
            GenTcp.send(p.client, new byte[0]);
            GenTcp.send(p.client, bytes("world!"));
            assertArrayEquals(bytes("hello"), GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(new byte[0], GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(bytes("world!"), GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 7, 10, 126, 127, 128, 255, 256, 1023, 3747, 32767, 32768, 65535, 65536, 70000,
        1 << 20})
    void packetsOfManySizesArriveIntact(final int size) throws Exception
    {
        final byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        for (final int type : new int[] {1, 2, 4})
        {
            if (type == 1 && size > 255 || type == 2 && size > 65535)
            {
                continue;
            }
            try (Pair p = Pair.of(binary(), packet(type)))
            {
                // A large packet may not fit the kernel's buffers: send from another thread.
                final Thread sender = new Thread(() -> GenTcp.send(p.client, data));
                sender.start();
                assertArrayEquals(data, GenTcp.recv(p.server, 0, 10_000), "packet " + type + " size " + size);
                sender.join(10_000);
            }
        }
    }

    @Test
    void listModeDeliversStringsOfBytes()
    {
        try (Pair p = Pair.of(packet(2)))
        {
            final String all = new String(new char[] {0, 'a', 0x7f, 0x80, 0xe9, 0xff});
            GenTcp.send(p.client, all);
            final String got = GenTcp.recv(p.server, 0, 5_000);
            assertEquals(all, got);
        }
    }

    @Test
    void rawLengthZeroGivesWhatIsThereAndLengthNGivesExactlyN()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.send(p.client, "hello world");
            assertArrayEquals(bytes("hel"), GenTcp.recv(p.server, 3, 5_000));
            assertArrayEquals(bytes("lo world"), GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void aTimedOutRecvKeepsItsPartialData()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.send(p.client, "hello world");
            assertArrayEquals(bytes("hel"), GenTcp.recv(p.server, 3, 5_000));
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 100, 200));
            assertArrayEquals(bytes("lo world"), GenTcp.recv(p.server, 0, 5_000));
            // recv(S, 0, 0) with nothing there answers timeout at once
            assertReason(Reason.TIMEOUT, () -> GenTcp.recv(p.server, 0, 0));
        }
    }

    @Test
    void lengthIsOnlyForRawAndBoundedAt64MiB()
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            assertReason(Reason.EINVAL, () -> GenTcp.recv(p.server, 5, 0));
            Inet.setopts(p.server, packet(0));
            assertReason(Reason.ENOMEM, () -> GenTcp.recv(p.server, 64 * 1024 * 1024 + 1, 0));
            assertThrows(IllegalArgumentException.class, () -> GenTcp.recv(p.server, -1));
            assertThrows(IllegalArgumentException.class, () -> GenTcp.recv(p.server, 0, -2));
        }
    }

    @Test
    void completePacketsComeBeforeClosedThenEnotconn()
    {
        try (Pair p = Pair.of(binary(), packet(2)))
        {
            GenTcp.send(p.client, "one");
            GenTcp.send(p.client, "two");
            Inet.setopts(p.client, packet(0));
            GenTcp.send(p.client, new byte[] {0, 10, 'a', 'b', 'c'}); // a partial packet: 3 of 10 bytes
            GenTcp.close(p.client);
            assertArrayEquals(bytes("one"), GenTcp.recv(p.server, 0, 5_000));
            assertArrayEquals(bytes("two"), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.server, 0, 5_000));
            // send has its own one-shot
            assertReason(Reason.CLOSED, () -> GenTcp.send(p.server, "x"));
            assertReason(Reason.ENOTCONN, () -> GenTcp.send(p.server, "x"));
        }
    }

    @Test
    void rawDataBeforeCloseIsDeliveredButAShortReadIsDropped()
    {
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.send(p.client, "abc");
            GenTcp.close(p.client);
            assertArrayEquals(bytes("abc"), GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
        }
        try (Pair p = Pair.of(binary()))
        {
            GenTcp.send(p.client, "abc");
            GenTcp.close(p.client);
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 10, 5_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    /** OTP close_with_pending_output: 16 x 2048 bytes then close; recv(S, 32768) gets them all. */
    @Test
    void everyByteSentBeforeACloseIsReadByOneExactRecv()
    {
        try (Pair p = Pair.of(binary()))
        {
            final byte[] chunk = new byte[2048];
            for (int i = 0; i < 16; i++)
            {
                java.util.Arrays.fill(chunk, (byte)i);
                GenTcp.send(p.client, chunk);
            }
            GenTcp.close(p.client);
            final byte[] all = GenTcp.recv(p.server, 32768, 5_000);
            assertEquals(32768, all.length);
            for (int i = 0; i < 16; i++)
            {
                assertEquals((byte)i, all[i * 2048]);
                assertEquals((byte)i, all[i * 2048 + 2047]);
            }
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void aPacketOverPacketSizeIsEmsgsizeAndClosesTheConnection()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            Inet.setopts(p.server, packetSize(2));
            GenTcp.send(p.client, "abc");
            assertReason(Reason.EMSGSIZE, () -> GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.recv(p.server, 0, 5_000));
            assertReason(Reason.ENOTCONN, () -> GenTcp.send(p.server, "x"));
            assertReason(Reason.CLOSED, () -> GenTcp.recv(p.client, 0, 5_000));
        }
    }

    @Test
    void packetSizeEqualToTheBodyIsAccepted()
    {
        try (Pair p = Pair.of(binary(), packet(1), packetSize(10)))
        {
            GenTcp.send(p.client, "0123456789");
            assertArrayEquals(bytes("0123456789"), GenTcp.recv(p.server, 0, 5_000));
        }
    }

    @Test
    void recvOnAnActiveSocketIsEinval()
    {
        try (Pair p = Pair.of(binary(), active(true)))
        {
            assertReason(Reason.EINVAL, () -> GenTcp.recv(p.server, 0, 0));
            assertReason(Reason.EINVAL, () -> GenTcp.recv(p.client, 0, 0));
        }
    }

    @Test
    void byteBufferRecvFillsAtPositionAndReportsAPacketTooBigWithoutLosingIt()
    {
        try (Pair p = Pair.of(binary(), packet(4)))
        {
            final ByteBuffer direct = ByteBuffer.allocateDirect(64);
            direct.position(2);
            GenTcp.send(p.client, "ping");
            assertEquals(4, GenTcp.recv(p.server, 0, direct, 5_000));
            assertEquals(6, direct.position());
            assertEquals('p', direct.get(2));
            assertEquals('g', direct.get(5));

            GenTcp.send(p.client, "0123456789");
            final ByteBuffer small = ByteBuffer.allocateDirect(4);
            assertEquals(-10, GenTcp.recv(p.server, 0, small, 5_000));
            assertEquals(0, small.position());
            final ByteBuffer heap = ByteBuffer.allocate(16);
            assertEquals(10, GenTcp.recv(p.server, 0, heap, 5_000));
            assertArrayEquals(bytes("0123456789"), java.util.Arrays.copyOf(heap.array(), 10));
        }
    }

    @Test
    void aSecondConcurrentRecvIsEalreadyAndTheFirstStillGetsTheData() throws Exception
    {
        try (Pair p = Pair.of(binary()))
        {
            final java.util.concurrent.CompletableFuture<byte[]> reader =
                java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CloseTest.recvRetryingEalready(p.server, 20_000));
            CloseTest.awaitInsideRecv(p.server); // returns when a probe recv answered ealready
            GenTcp.send(p.client, "x");
            assertArrayEquals(bytes("x"), reader.get(20, java.util.concurrent.TimeUnit.SECONDS));
        }
    }
}
