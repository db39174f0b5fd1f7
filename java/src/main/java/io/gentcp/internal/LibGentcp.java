package io.gentcp.internal;

import java.nio.ByteBuffer;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Pinned;

/**
 * The C ABI of libgentcp ({@code native/include/gentcp.h}), bound by jnr-ffi.
 *
 * <p>Internal usage only. Every method takes and returns primitives (addresses of direct
 * memory travel as {@code long}), so jnr-ffi binds them with its fastest stubs; the library
 * is loaded with {@code IgnoreError} because results carry {@code -errno} themselves. No method
 * takes more than five arguments (see the header: jnr-ffi's fast stubs garble a sixth). See
 * the header for each function's contract.
 *
 * <p>Two overloads take a heap {@code ByteBuffer} (its array from its position, for its
 * remaining bytes), for data too big for a pooled direct buffer; jffi, under jnr-ffi, passes
 * them one of two ways. {@code @Pinned}: JNI's GetPrimitiveArrayCritical, no copy, but the
 * garbage collector waits (JDK 17's G1 holds every collection; later ones pin a region) until
 * the call returns, so only a call that never waits may take one. Not pinned: jffi copies the
 * bytes into memory it mallocs (the stack when small) and back, which costs the copy and that
 * much C memory for the call's length, and so suits a call that may wait. Neither is direct
 * memory.
 */
public interface LibGentcp
{
    long gt_constant(String name);

    long gt_socket(int family);

    long gt_socket_fd(long fd);

    long gt_socket_netns(int family, long path, long length);

    long gt_socket_protocol(int family, int protocol);

    long gt_socket_fd_protocol(long fd, int protocol);

    long gt_socket_netns_protocol(int family, long path, long length, int protocol);

    int gt_setopt(long handle, int opt, long value);

    long gt_getopt(long handle, int opt);

    int gt_pktoptions(long handle, long dst, int capacity);

    int gt_setopt_raw(long handle, long level, long name, long value, long length);

    int gt_getopt_raw(long handle, long level, long name, long dst, long capacity);

    int gt_bind(long handle, long addrHi, long addrLo, long port);

    int gt_bind_local(long handle, long name, long length);

    int gt_connect_local(long handle, long name, long length, long timeoutMs);

    int gt_listen(long handle, int backlog);

    long gt_accept(long listenHandle, long timeoutMs);

    int gt_connect(long handle, long addrHi, long addrLo, long port, long timeoutMs);

    long gt_send(long handle, long address, long length);

    /** The unsent header bytes of a timed-out send's {timeout, RestData}, into a heap buffer's array (a cold path). */
    int gt_send_rest_header(long handle, long length, long unsent, @Out ByteBuffer dst, int capacity);

    /** gt_send from the thread running MAILBOX's receive, which gathers delay_send packets (Mailbox.send). */
    long gt_send_gathered(long handle, long address, long length, long mailbox);

    /** gt_send of the remaining bytes of a heap buffer, copied by jffi: the send may wait. */
    long gt_send(long handle, @In ByteBuffer data, long length);

    /** A packet and the form to present it in: see Native.RECV_BYTES_MASK. */
    long gt_recv(long handle, long length, long timeoutMs, long dst, long capacity);

    /** gt_recv into a heap buffer's array, pinned: only with timeoutMs 0 for a packet a size query found buffered. */
    long gt_recv(long handle, long length, long timeoutMs, @Pinned @Out ByteBuffer dst, long capacity);

    /** Bytes into the caller's buffer, whatever the mode; an HTTP packet type is EINVAL. */
    long gt_recv_bytes(long handle, long length, long timeoutMs, long dst, long capacity);

    /** gt_recv_bytes into a heap buffer's array, pinned: as gt_recv's. */
    long gt_recv_bytes(long handle, long length, long timeoutMs, @Pinned @Out ByteBuffer dst, long capacity);

    long gt_recv_abandon(long handle);

    long gt_recv_batch(long handle, long timeoutMs, long dst, long capacity, long maxPackets);

    int gt_park_begin(long handle, int what, int events);

    int gt_park_arm(long handle, int events);

    int gt_park_end(long handle, int what, int events);

    /** gt_send for a caller that must not block (Parking.send). */
    long gt_send_parked(long handle, long address, long length, long unsent);

    /** gt_send_parked of a heap buffer's remaining bytes, copied by jffi for each call. */
    long gt_send_parked(long handle, @In ByteBuffer data, long length, long unsent);

    long gt_send_resume(long handle, int how);

    /** gt_close for a caller that must not block (Parking.close). */
    long gt_close_parked(long handle);

    long gt_close_resume(long handle, int giveUp);

    int gt_park_wait(long tokens, int max, long timeoutNs);

    int gt_park_wake();

    int gt_park_idle();

    int gt_park_watch(long timeoutNs);

    int gt_shutdown(long handle, int how);

    int gt_close(long handle);

    int gt_sockname(long handle, long dst, int capacity);

    int gt_peername(long handle, long dst, int capacity);

    int gt_pin_thread(long cpu);

    int gt_getstat(long handle, long dst, int capacity);

    int gt_tcp_info(long handle, long dst, int capacity);

    int gt_rx_timestamp(long handle, long dst, int capacity);

    int gt_tx_timestamps(long handle, long dst, int capacity);

    int gt_memory_stats(long dst, int capacity);

    int gt_set_receive_budget(long bytes);

    long gt_receive_budget();

    long gt_decode(long io, long src, long length);

    long gt_mailbox_open();

    int gt_mailbox_adopt(long mailbox, long socket);

    long gt_mailbox_receive(long mailbox, long timeoutMs, long dst, long capacity);

    int gt_mailbox_release(long held);

    int gt_mailbox_flush(long mailbox);

    int gt_mailbox_wake(long mailbox);

    int gt_mailbox_idle(long mailbox, long idle, long spinNanos);

    int gt_controlling_process(long socket, long from, long to, long phase);
}
