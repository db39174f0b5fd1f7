/*
 * gentcp.h - the C ABI of libgentcp, called from Java through jnr-ffi.
 *
 * Rules every function here follows (they are what keep the Java side fast and safe):
 *
 *  - Arguments and results are primitives only: int32, int64 and memory addresses passed as
 *    int64. No structs, no strings on a hot path, no callbacks into Java. At most five
 *    arguments: jnr-ffi's x86-64 machine-code stubs (2.3.7 with jffi 1.4.3) pass a sixth one
 *    wrongly; a six-argument gt_connect received a garbage time limit until it lost one.
 *  - A result >= 0 is success. A negative result is -code, where code is either an errno
 *    value (< GT_ERRNO_LIMIT) or one of the gentcp reasons GT_E* below (>= GT_ERRNO_LIMIT).
 *    errno itself is never left for the caller to read, so Java loads the library with
 *    jnr-ffi's IgnoreError.
 *  - Sockets are named by handles, never by file descriptors. A handle is
 *    (generation << GT_HANDLE_GENERATION_SHIFT | slot field), the slot field (slot + 1, never
 *    0) in the bits of GT_HANDLE_SLOT_MASK; Java reads both constants, never the numbers. A
 *    handle whose socket was closed fails with GT_ECLOSED (or EINVAL for the option and
 *    address calls, as OTP does) and can never reach a file descriptor that the kernel has
 *    since given to another socket.
 *  - Memory: every buffer address passed in belongs to the caller (a Java direct buffer).
 *    C reads or writes it only during the call that received it and keeps no pointer to it
 *    afterwards. Memory C allocates (receive buffers, socket slots) never leaves C.
 *  - Constants (errno values, option ids, packet types, address families) are looked up by
 *    name with gt_constant() when Java starts, so Java hard-codes no number.
 */
#ifndef GENTCP_H
#define GENTCP_H

#include <stdint.h>

#if defined(__GNUC__)
#define GT_EXPORT __attribute__((visibility("default")))
#else
#define GT_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* errno values are below this; gentcp's own reasons start here. */
#define GT_ERRNO_LIMIT 4096

/* gentcp reasons (returned negated). */
#define GT_ECLOSED 4097       /* 'closed': the socket is closed, or the peer closed it */
#define GT_ETIMEOUT 4098      /* 'timeout': the caller's time limit ran out */
#define GT_ESYSTEM_LIMIT 4099 /* 'system_limit': no free socket slot */
#define GT_ENOT_OWNER 4100    /* 'not_owner': the caller's mailbox does not own the socket */
#define GT_EBADARG 4101       /* 'badarg': for instance a closed mailbox as the new owner */
#define GT_EWOULDPARK 4102    /* not a reason: a parked call must wait (gt_send_parked) */

/* GT_OPT_MODE's values. */
#define GT_MODE_LIST 0
#define GT_MODE_BINARY 1

/* Options known to gt_setopt/gt_getopt. */
enum gt_option {
    GT_OPT_MODE = 1,            /* GT_MODE_LIST or GT_MODE_BINARY */
    GT_OPT_PACKET = 2,          /* a GT_PACKET_* value */
    GT_OPT_PACKET_SIZE = 3,     /* 0 = no limit, else the largest packet body accepted */
    GT_OPT_BUFFER = 4,          /* user-level receive buffer size (OTP 'buffer') */
    GT_OPT_ACTIVE = 5,          /* GT_ACTIVE_FALSE/TRUE/ONCE or N in 1..32767 */
    GT_OPT_NODELAY = 6,         /* TCP_NODELAY (ENOTSUP on AF_UNIX, where getopt is EAFNOSUPPORT) */
    GT_OPT_REUSEADDR = 7,       /* SO_REUSEADDR */
    GT_OPT_RECBUF = 8,          /* SO_RCVBUF */
    GT_OPT_SNDBUF = 9,          /* SO_SNDBUF */
    GT_OPT_IDLE = 10,           /* a GT_IDLE_* value: how a thread waits for data */
    GT_OPT_SPIN_NS = 11,        /* with GT_IDLE_SPIN: how long to spin before blocking */
    GT_OPT_LINE_DELIMITER = 12, /* {line_delimiter, C}: 0..255, not inherited on accept */
    GT_OPT_EXIT_ON_CLOSE = 13,  /* {exit_on_close, B}: 0 = half-close (sends go on after the
                                 * peer's FIN) */
    GT_OPT_SHOW_ECONNRESET = 14, /* {show_econnreset, B}: a reset is econnreset, not closed */
    GT_OPT_HEADER = 15,          /* {header, N}: stored; told with each packet (GT_FORM_BINARY) */
    GT_OPT_DELIVER = 16,         /* {deliver, term | port}: 0 term, 1 port (message form) */
    GT_OPT_HIGH_MSGQ_WATERMARK = 17, /* at most this many messages of one socket per receive */
    GT_OPT_LOW_MSGQ_WATERMARK = 18,  /* stored: the owner reads again when its queue is empty */

    /* The send path (send.c, sendq.c); stored, inherited on accept. */
    GT_OPT_SEND_TIMEOUT = 24,       /* ms a send may block on a full queue, or
                                     * GT_SEND_TIMEOUT_INFINITY */
    GT_OPT_SEND_TIMEOUT_CLOSE = 25, /* 1: a send that times out resets the connection */
    GT_OPT_DELAY_SEND = 26,         /* 1: sends are queued and written by the I/O thread */
    GT_OPT_HIGH_WATERMARK = 27,     /* bytes: a send bringing the queue here blocks ... */
    GT_OPT_LOW_WATERMARK = 28,      /* ... until it drains to this many (OTP's coupling) */
    GT_OPT_INET_BACKEND = 29,       /* 0 inet (default), 1 socket: how send behaves (gt_send) */

    /* Kernel options passed through as they are (options.c's table): booleans 0/1, integers
     * >= 0. An option of the other address family answers EAFNOSUPPORT, which getopts skips;
     * so do TCP-level ones in gt_getopt on AF_UNIX, where gt_setopt gives ENOTSUP. */
    GT_OPT_KEEPALIVE = 32,        /* SO_KEEPALIVE */
    GT_OPT_DONTROUTE = 33,        /* SO_DONTROUTE */
    GT_OPT_PRIORITY = 34,         /* SO_PRIORITY */
    GT_OPT_TOS = 35,              /* IP_TOS (IPv4) */
    GT_OPT_TTL = 36,              /* IP_TTL (IPv4) */
    GT_OPT_TCLASS = 37,           /* IPV6_TCLASS (IPv6) */
    GT_OPT_IPV6_V6ONLY = 38,      /* IPV6_V6ONLY (IPv6) */
    GT_OPT_RECVTOS = 39,          /* IP_RECVTOS (IPv4) */
    GT_OPT_RECVTTL = 40,          /* IP_RECVTTL (IPv4) */
    GT_OPT_RECVTCLASS = 41,       /* IPV6_RECVTCLASS (IPv6) */
    GT_OPT_REUSEPORT = 42,        /* SO_REUSEPORT */
    GT_OPT_QUICKACK = 43,         /* TCP_QUICKACK */
    GT_OPT_CORK = 44,             /* TCP_CORK */
    GT_OPT_NOTSENT_LOWAT = 45,    /* TCP_NOTSENT_LOWAT, bytes */
    GT_OPT_USER_TIMEOUT = 46,     /* TCP_USER_TIMEOUT, ms */
    GT_OPT_KEEPIDLE = 47,         /* TCP_KEEPIDLE, s */
    GT_OPT_KEEPINTVL = 48,        /* TCP_KEEPINTVL, s */
    GT_OPT_KEEPCNT = 49,          /* TCP_KEEPCNT */
    GT_OPT_MARK = 50,             /* SO_MARK */
    GT_OPT_INCOMING_CPU = 51,     /* SO_INCOMING_CPU */
    GT_OPT_BUSY_POLL = 52,        /* SO_BUSY_POLL, µs */
    GT_OPT_LINGER = 53,           /* SO_LINGER as (on << 32 | seconds); {true, 0}: close resets */
    GT_OPT_FASTOPEN = 54,         /* TCP_FASTOPEN queue length (0 off); on a socket not yet
                                * listening or connected also TCP_FASTOPEN_CONNECT (on if > 0),
                                * so one value serves both sides; EINVAL once connected */
    GT_OPT_PREFER_BUSY_POLL = 55, /* SO_PREFER_BUSY_POLL (the kernel's refusal is the result) */

    /* OTP 26-28's additions. */
    GT_OPT_READ_AHEAD = 56,       /* {read_ahead, B} (OTP 27.1), default 1; 0: a recv or active
                                   * delivery reads no byte past the packet it is taking */
    GT_OPT_REUSEPORT_LB = 57,     /* {reuseport_lb, B} (OTP 26): SO_REUSEPORT_LB (FreeBSD), Linux's
                                   * SO_REUSEPORT (which balances), else ENOTSUP */
    GT_OPT_EXCLUSIVEADDRUSE = 58, /* {exclusiveaddruse, B} (OTP 26): Windows' option; kept and
                                   * read back, with no effect (OTP ignores it elsewhere) */
    GT_OPT_PROTOCOL = 59,         /* {protocol, tcp | mptcp} (OTP 28): 0 TCP, 1 MPTCP; on a socket
                                   * not yet listening or connected only (else EINVAL): it is made
                                   * again with IPPROTO_MPTCP (the kernel's refusal is the result;
                                   * ENOTSUP where there is none), the table's kernel options set
                                   * so far applied again: set it first (a bind, bind_to_device or
                                   * raw option made before it is lost), or make the socket with
                                   * it (gt_socket_protocol); an adopted descriptor's protocol is
                                   * its own (EINVAL) */

    /* gentcp's additions for measuring latency. */
    GT_OPT_TIMESTAMPING = 60, /* {timestamping, Flags}: the kernel's SO_TIMESTAMPING, as the
                               * GT_TIMESTAMPING_* bits below; 0 (the default) is off. Linux
                               * with epoll only (else ENOTSUP); not on local sockets (ENOTSUP). */
};

/* GT_OPT_SEND_TIMEOUT's infinity (the default): a send waits as long as the queue is full. */
#define GT_SEND_TIMEOUT_INFINITY INT64_MAX

/* Packet types (OTP {packet, T}). */
enum gt_packet {
    GT_PACKET_RAW = 0,
    GT_PACKET_1 = 1,
    GT_PACKET_2 = 2,
    GT_PACKET_4 = 4,
    GT_PACKET_ASN1 = 5,
    GT_PACKET_SUNRM = 6,
    GT_PACKET_CDR = 7,
    GT_PACKET_FCGI = 8,
    GT_PACKET_LINE = 9,
    GT_PACKET_TPKT = 10,
    GT_PACKET_HTTP = 11,
    GT_PACKET_HTTPH = 12,
    GT_PACKET_HTTP_BIN = 13,
    GT_PACKET_HTTPH_BIN = 14,
};

/* GT_OPT_ACTIVE: gt_getopt answers GT_ACTIVE_FALSE, _TRUE, _ONCE or a count 1..32767;
 * gt_setopt takes the first three, or GT_ACTIVE_ADD(N) for OTP's {active, N}, which adds N
 * (-32768..32767) to the count. All values are >= 0, as getopt results must be. */
#define GT_ACTIVE_FALSE 0
#define GT_ACTIVE_TRUE 0x10000
#define GT_ACTIVE_ONCE 0x10001
#define GT_ACTIVE_ADD(n) (0x28000 + (n))

/* Idle strategies: what a thread does while it waits for a socket. */
enum gt_idle {
    GT_IDLE_BLOCK = 0, /* sleep in the kernel (one blocking syscall) */
    GT_IDLE_SPIN = 1,  /* poll without sleeping for GT_OPT_SPIN_NS, then block */
    GT_IDLE_BUSY = 2,  /* poll without sleeping until data, timeout or close */
};

/* Size of the address record written by gt_sockname/gt_peername for AF_INET/AF_INET6:
 * int32 family, int32 port, 16 address bytes (4 used for AF_INET), uint32 IPv6 scope id. */
#define GT_SOCKADDR_SIZE 28
/* Its fields' offsets. AF_UNIX puts the name's length where the port goes and the name where
 * the address goes. */
#define GT_SOCKADDR_FAMILY_OFF 0 /* int32 */
#define GT_SOCKADDR_PORT_OFF 4   /* int32; AF_UNIX: the name's length */
#define GT_SOCKADDR_ADDR_OFF 8   /* 16 bytes (4 for AF_INET); AF_UNIX: the name */
#define GT_SOCKADDR_SCOPE_OFF 24 /* uint32, AF_INET6 */

/* The room gt_sockname/gt_peername need for any family. AF_UNIX: int32 family, int32 length N
 * of the name, then its N bytes (a path without its NUL; an abstract name starting with its
 * NUL; N = 0 for an unnamed socket). */
#define GT_SOCKADDR_MAX 120

/* Largest Length accepted by gt_recv (OTP's TCP_MAX_PACKET_SIZE); above it: ENOMEM. */
#define GT_MAX_RECV_LENGTH 0x4000000

/* The longest packet gt_recv delivers: 2^31 - 9 bytes, the longest array every JVM allocates.
 * The framing rules allow up to 2^31 - 1 bytes in all (header included, as OTP); a packet whose
 * header claims more than this is ENOMEM as soon as the header arrives, not once gigabytes of
 * it are buffered, and its connection is closed. */
#define GT_MAX_PACKET_LENGTH 0x7ffffff7

/* The value of a constant named NAME ("EINVAL", "GT_OPT_NODELAY", "AF_INET6" ...), or
 * INT64_MIN when this platform has no such constant. Cold path: called at start-up.
 * "GT_OPT_<NAME>_MIN" and "GT_OPT_<NAME>_MAX": the range gt_setopt takes for GT_OPT_<NAME>
 * (every option but GT_OPT_ACTIVE; GT_OPT_SEND_TIMEOUT also takes GT_SEND_TIMEOUT_INFINITY).
 * "GT_OPTS_ABSENT": bit (1 << GT_OPT_x) for each option this platform lacks (a kernel option, or timestamping), which
 * gt_setopt and gt_getopt answer with ENOTSUP (0 on Linux). */
GT_EXPORT int64_t gt_constant(const char *name);

/* A new stream socket of FAMILY (AF_INET or AF_INET6: TCP; AF_UNIX: OTP's `local`), not yet
 * bound or connected, carrying OTP's default options. Returns the handle, or -code.
 * gt_socket_protocol(FAMILY, GT_PROTOCOL_TCP). */
GT_EXPORT int64_t gt_socket(int32_t family);

/* The protocols of a stream socket ({protocol, tcp | mptcp}, OTP 28): the values of
 * GT_OPT_PROTOCOL, and the PROTOCOL argument of the calls below. */
enum gt_protocol {
    GT_PROTOCOL_OWN = -1,  /* gt_socket_fd_protocol only: whichever the descriptor has */
    GT_PROTOCOL_TCP = 0,   /* IPPROTO_TCP (a local socket's own protocol too) */
    GT_PROTOCOL_MPTCP = 1, /* Multipath TCP, IPPROTO_MPTCP (Linux 5.6) */
};

/* gt_socket, made with PROTOCOL (GT_PROTOCOL_TCP or _MPTCP) at once, which gt_getopt
 * (GT_OPT_PROTOCOL) then answers. -code: EAFNOSUPPORT, EINVAL (no such PROTOCOL), the kernel's
 * refusal of MPTCP (EPROTONOSUPPORT: not built in, a kernel before 5.6, or a local socket;
 * ENOPROTOOPT: the net.mptcp.enabled sysctl is 0), ENOTSUP where there is no MPTCP. */
GT_EXPORT int64_t gt_socket_protocol(int32_t family, int32_t protocol);

/* Set option OPT to VALUE. Kernel options are applied at once; gentcp options are stored
 * and take effect on the next call that uses them. 0 or -code (EINVAL for a bad value). */
GT_EXPORT int32_t gt_setopt(int64_t handle, int32_t opt, int64_t value);

/* OTP's {netns, Path}: gt_socket, but the socket is created inside the network namespace whose
 * file is the LEN bytes at PATH (the caller's, read during the call; no NUL), such as
 * /var/run/netns/NAME. A helper thread enters the namespace and leaves it again; the calling
 * thread's namespace never changes. -code: ENOENT, EINVAL (not a network namespace), EPERM;
 * ENOTSUP where there are no network namespaces (all but Linux). */
GT_EXPORT int64_t gt_socket_netns(int32_t family, int64_t path, int64_t len);

/* gt_socket_netns, the socket made with PROTOCOL (as gt_socket_protocol) inside the namespace:
 * its refusal of MPTCP (its own net.mptcp.enabled) is the result. gt_socket_netns is this with
 * GT_PROTOCOL_TCP. */
GT_EXPORT int64_t gt_socket_netns_protocol(int32_t family, int64_t path, int64_t len,
                                           int32_t protocol);

/* OTP's {fd, Fd}: FD, a stream socket opened elsewhere (AF_INET, AF_INET6 or AF_UNIX), becomes
 * a gentcp socket with OTP's default options: listening, connected, or fresh (then gt_bind,
 * gt_listen and gt_connect apply as to a new socket). Returns the handle; from then on gentcp
 * owns FD and closes it with the handle. On failure FD stays the caller's: EBADF (not open),
 * ENOTSOCK, ESOCKTNOSUPPORT (not a stream socket), EAFNOSUPPORT, EBUSY (a gentcp socket holds
 * it already: two owners would close it twice). */
GT_EXPORT int64_t gt_socket_fd(int64_t fd);

/* gt_socket_fd, FD's protocol being PROTOCOL (GT_PROTOCOL_TCP or _MPTCP), else EINVAL and FD
 * stays the caller's; GT_PROTOCOL_OWN takes whichever it has (gt_socket_fd). Either way the
 * descriptor's own protocol (SO_PROTOCOL where there is MPTCP; elsewhere TCP) is what
 * gt_getopt (GT_OPT_PROTOCOL) answers, and no gt_setopt changes it (EINVAL); a stream socket
 * of another protocol (SCTP) is EPROTONOSUPPORT. */
GT_EXPORT int64_t gt_socket_fd_protocol(int64_t fd, int32_t protocol);

/* {raw, LEVEL, NAME, Value}: setsockopt with the LEN bytes at VALUE (at most 64 KiB). ENOTSUP
 * for the options that fill the socket's error queue (SO_TIMESTAMPING, SO_ZEROCOPY, IP_RECVERR,
 * IPV6_RECVERR): a queue gentcp does not read makes every wait wake at once (timestamps are
 * GT_OPT_TIMESTAMPING, whose queue gentcp reads). */
GT_EXPORT int32_t gt_setopt_raw(int64_t handle, int64_t level, int64_t name, int64_t value,
                                int64_t len);

/* {raw, LEVEL, NAME, Size}: getsockopt into DST (CAP bytes); returns the length the kernel
 * gave, or -code. */
GT_EXPORT int32_t gt_getopt_raw(int64_t handle, int64_t level, int64_t name, int64_t dst,
                                int64_t cap);

/* {pktoptions, List} (read-only): the IP values the kernel kept of the last packet received,
 * for those asked with GT_OPT_RECVTOS / _RECVTTL / _RECVTCLASS (and IPV6_RECVHOPLIMIT set raw).
 * Writes GT_PKT_COUNT int64 values to DST (CAP bytes), indexed by GT_PKT_*, -1 for each the
 * kernel did not give. 0 or -code (EAFNOSUPPORT on AF_UNIX; EINVAL on a closed socket;
 * ENOTSUP where there is no IP_PKTOPTIONS: all but Linux).
 * The receive path is not involved: Linux TCP keeps these per socket itself. */
GT_EXPORT int32_t gt_pktoptions(int64_t handle, int64_t dst, int32_t cap);
#define GT_PKT_TOS 0
#define GT_PKT_TTL 1
#define GT_PKT_TCLASS 2
#define GT_PKT_HOPLIMIT 3
#define GT_PKT_COUNT 4

/* The current value of option OPT (kernel options read back from the kernel), or -code. */
GT_EXPORT int64_t gt_getopt(int64_t handle, int32_t opt);

/* Bind to an address of the socket's family. ADDR_HI/ADDR_LO hold the address in network
 * byte order read as a big-endian number: for AF_INET the 32-bit address is in ADDR_LO; for
 * AF_INET6 the first 8 bytes are ADDR_HI and the last 8 ADDR_LO. PORT holds the port in bits
 * 0..15 (0 lets the kernel choose) and, for AF_INET6, the scope id (interface index of a
 * link-local address) in bits 32..63; a scope id on AF_INET is EINVAL. */
GT_EXPORT int32_t gt_bind(int64_t handle, int64_t addr_hi, int64_t addr_lo, int64_t port);

/* AF_UNIX: bind / connect to the name in the LEN bytes at NAME (the caller's buffer, read during
 * the call only): a path (no NUL in it, at most 107 bytes) or, on Linux, an abstract name (its
 * first byte NUL, at most 108 bytes, every byte significant). LEN 0 in gt_bind_local lets the
 * kernel choose an unused abstract name (Linux autobind; listen(2) alone would fail). EINVAL
 * for a bad name, then as gt_bind / gt_connect. */
GT_EXPORT int32_t gt_bind_local(int64_t handle, int64_t name, int64_t len);
GT_EXPORT int32_t gt_connect_local(int64_t handle, int64_t name, int64_t len, int64_t timeout_ms);

/* Turn a bound (or unbound: any address, a free port) socket into a listen socket. On a socket
 * that listens already (one adopted with gt_socket_fd) it sets the new backlog. */
GT_EXPORT int32_t gt_listen(int64_t handle, int32_t backlog);

/* Accept one connection; TIMEOUT_MS < 0 waits forever. The new socket inherits the listen
 * socket's options as OTP's do. Returns its handle, or -code: GT_ETIMEOUT, GT_ECLOSED
 * (also when the listen socket is closed while this call waits), GT_ESYSTEM_LIMIT. */
GT_EXPORT int64_t gt_accept(int64_t listen_handle, int64_t timeout_ms);

/* Connect to an address of the socket's family (encoded as for gt_bind, scope id included); TIMEOUT_MS < 0
 * waits as long as the kernel does. 0, or -code (GT_ETIMEOUT, ECONNREFUSED ...). */
GT_EXPORT int32_t gt_connect(int64_t handle, int64_t addr_hi, int64_t addr_lo, int64_t port,
                             int64_t timeout_ms);

/* Send LEN bytes at ADDR as one packet: with {packet, 1|2|4} a big-endian length header is
 * written first, in the same system call. What the kernel does not take at once is copied to
 * the socket's send queue (written later by the background I/O thread; C keeps no pointer to
 * ADDR). Returns 0 once the packet is in the kernel or the queue, or -code: EMSGSIZE when LEN
 * does not fit the header; GT_ETIMEOUT when the queue reached GT_OPT_HIGH_WATERMARK and did
 * not drain to GT_OPT_LOW_WATERMARK within GT_OPT_SEND_TIMEOUT (the packet stays queued);
 * GT_ECLOSED once the peer is gone, also for an error of queued data, which the next call
 * reports (then ENOTCONN on later calls, as OTP); ECONNRESET with GT_OPT_SHOW_ECONNRESET.
 * LEN 0 with {packet, 0} sends nothing, but fails with GT_ETIMEOUT as any send while the
 * queue is at the high mark.
 *
 * With GT_OPT_INET_BACKEND 1 (OTP's socket backend) there is no queue: the call blocks until
 * the kernel holds every byte, or GT_OPT_SEND_TIMEOUT expires, which returns a number > 0:
 * how many bytes of the packet (its length header included) were not sent ({timeout,
 * RestData}). A peer that is gone is GT_ECLOSED (or ECONNRESET) each time, without closing
 * the socket, so that what the kernel still holds can be read. */
GT_EXPORT int64_t gt_send(int64_t handle, int64_t addr, int64_t len);

/* The start of a {timeout, RestData}: after a send of a packet of LEN bytes answered UNSENT
 * (> 0, bytes not sent, its length header included), the header bytes among them, as HANDLE's
 * packet type puts them before those LEN bytes, written to DST (CAP bytes). Answers how many:
 * UNSENT - LEN, 0 when only body bytes went unsent (the caller has those); or -code: EINVAL
 * for more than the header has or than CAP holds, GT_ECLOSED on a closed socket. */
GT_EXPORT int32_t gt_send_rest_header(int64_t handle, int64_t len, int64_t unsent, int64_t dst,
                                      int32_t cap);

/* gt_send from the thread that runs MAILBOX's receive, between that receive and its
 * gt_mailbox_flush (a handler's sends, Java's Mailbox.receive(handler, ..)). A socket MAILBOX
 * owns that has GT_OPT_DELAY_SEND gathers its packets into one write, made by
 * gt_mailbox_flush rather than by the I/O thread's ticks; any other send is gt_send's. */
GT_EXPORT int64_t gt_send_gathered(int64_t handle, int64_t addr, int64_t len, int64_t mailbox);

/* Receive one packet into DST (CAP bytes), waiting at most TIMEOUT_MS (< 0: forever), the
 * waiting done by the socket's idle strategy. With {packet, raw} LENGTH 0 returns what is
 * available and LENGTH > 0 exactly LENGTH bytes (CAP must be >= LENGTH); other packet types
 * return one packet and need LENGTH 0. An HTTP packet arrives parsed: DST gets an IO block as
 * gt_decode fills it (GT_DECODE_SLOTS int64 values and the name area, written bytewise: DST
 * needs no alignment), then the packet's bytes, which its offsets point into.
 *
 * Returns, for a packet taken, the number of bytes written to DST in the low 32 bits
 * (GT_RECV_BYTES_MASK) and the packet's form above them (result >> GT_RECV_FORM_SHIFT, a
 * GT_FORM_* below): how it is to be presented, decided with the options the socket had when
 * this call framed it, so that a setopts changing the packet type, mode or header meanwhile
 * cannot make the caller read it in another form. Or a number above CAP (form bits 0): the
 * next packet has that many bytes and needs a larger DST (nothing was consumed); or -code:
 * GT_ETIMEOUT (buffered bytes are kept), GT_ECLOSED (the peer closed; complete packets
 * are delivered first, a partial one is dropped; later calls give ENOTCONN), EMSGSIZE (a
 * packet over packet_size; the socket is then shut down), ENOMEM (no memory for the packet,
 * or its header claims more than GT_MAX_PACKET_LENGTH; the socket is then shut down, as for
 * EMSGSIZE), EALREADY (another thread is receiving on this socket), EINVAL (active socket,
 * or LENGTH > 0 with a framed type).
 *
 * DST 0 with CAP 0 is a size query: wait as above until the next packet is complete (with
 * {packet, raw}: LENGTH bytes, or any when LENGTH is 0), and return its size without taking
 * it (an empty packet is taken: 0 bytes, with its form). A caller without a buffer while it
 * waits (gentcp's Java side, which must not pin an array across a wait) asks so, allocates,
 * then takes the packet with TIMEOUT_MS 0: that call finds it buffered and neither waits nor
 * makes a syscall (the packet's form is the one that call tells). */
GT_EXPORT int64_t gt_recv(int64_t handle, int64_t length, int64_t timeout_ms, int64_t dst,
                          int64_t cap);

#define GT_RECV_BYTES_MASK 0xffffffffLL
#define GT_RECV_FORM_SHIFT 32

/* Forms of a packet gt_recv took. */
#define GT_FORM_LIST 0     /* list mode (or fewer bytes than {header, N}): a string of bytes */
#define GT_FORM_HTTP 1     /* {packet, http | httph}: parsed, its strings as lists */
#define GT_FORM_HTTP_BIN 2 /* {packet, http_bin | httph_bin}: parsed, its strings as binaries */
#define GT_FORM_BINARY                                                                             \
    3 /* binary mode; GT_FORM_BINARY + N with {header, N}: its first N
                            * bytes (N at most its length) as a list, the rest a binary */

/* gt_recv for a caller that takes bytes into a buffer of its own, whatever the mode: the
 * result is the number of bytes written (no form), or as gt_recv's. A socket whose packet type
 * is an HTTP one answers EINVAL, also when it becomes one while the call waits (the packet is
 * then left for the next call). */
GT_EXPORT int64_t gt_recv_bytes(int64_t handle, int64_t length, int64_t timeout_ms, int64_t dst,
                                int64_t cap);

/* The caller has no memory for the next packet (gt_recv told its size): drop what is
 * buffered and close the connection, as EMSGSIZE does (the stream's position is lost; later
 * calls give ENOTCONN). Returns -ENOMEM, the reason to report; or -code as gt_recv
 * (GT_ECLOSED, EALREADY, EINVAL). Never waits. */
GT_EXPORT int64_t gt_recv_abandon(int64_t handle);

/* Like gt_recv_bytes with LENGTH 0, then every further complete packet already buffered (at most
 * MAX_PACKETS in all), without another read: a burst of small packets costs one call. Each
 * packet goes to DST as a GT_BATCH_LENGTH_BYTES big-endian length and its bytes. Returns the
 * bytes written;
 * a number > CAP when the first packet alone needs that much room (nothing consumed); or
 * -code as gt_recv. Not for the HTTP types (EINVAL). Raw data comes as one piece. */
GT_EXPORT int64_t gt_recv_batch(int64_t handle, int64_t timeout_ms, int64_t dst, int64_t cap,
                                int64_t max_packets);
#define GT_BATCH_LENGTH_BYTES 4

/*
 * Parking (parking.c): waiting without blocking in C, for a caller that must not block there
 * (a Java virtual thread would pin its carrier). The caller tries its call in a form that
 * never waits (time limit 0, or GT_TIMEOUT_PARKED below), and while that answers GT_ETIMEOUT:
 * arms the socket with gt_park_arm, sleeps in its own runtime, and tries again once woken.
 * Its wakers are threads that loop in gt_park_wait, which hands them the handles of sockets
 * that became ready (or were closed: closing shuts the socket down, which reports it), each
 * once per arm. C never calls back; the caller maps handles to its sleepers.
 *
 *   gt_park_begin(h, GT_PARK_RECV, GT_PARK_IN)   EALREADY if another receive is under way
 *   loop: gt_recv(h, .., GT_TIMEOUT_PARKED, ..) until not GT_ETIMEOUT
 *         gt_park_arm(h, GT_PARK_IN); sleep until woken (or the caller's time limit)
 *   gt_park_end(h, GT_PARK_RECV, GT_PARK_IN)
 *
 * A one-shot arm of a socket that is ready already is reported at once, so a readiness that
 * came between the try and the arm is not lost. A report may come late, for a socket whose
 * wait has ended (even closed, its handle then stale): the waker may wake a thread that is
 * not waiting for it any more, which then just tries again.
 *
 * A receive (IN) and a send or close (OUT) may be parked on one socket at the same time. Each
 * wait declares its direction for its whole life (gt_park_begin's EVENTS; a parked send or
 * close declares OUT itself), and every arm of the socket, whoever makes it, arms every
 * direction declared: so a report (one per arm, or one per direction with the kqueue backend)
 * is for any of the socket's waiters, and the caller wakes all of them on it; each tries
 * again and arms again if it must still wait. A waiter is also reported without its fd being
 * ready when C ends its wait otherwise (a close lingering while a send waits; a send that
 * lets the sending side go while another waits for it).
 *
 * A mailbox parks the same way, its handle in place of a socket's:
 *   gt_park_begin(mb, GT_PARK_WAIT, GT_PARK_IN)
 *   loop: gt_mailbox_receive(mb, 0, ..) until not GT_ETIMEOUT
 *         gt_park_arm(mb, GT_PARK_IN); sleep until woken (or the caller's time limit)
 *   gt_park_end(mb, GT_PARK_WAIT, GT_PARK_IN)
 * It is reported once one of its active sockets has something, or gt_mailbox_wake, a
 * controlling_process hand-over or gt_close of the mailbox came after the try.
 */
#define GT_TIMEOUT_PARKED                                                                          \
    (-2)                 /* timeout_ms of gt_recv/gt_recv_batch between gt_park_begin(h,
                                * GT_PARK_RECV) and gt_park_end: never waits, and keeps the
                                * receive claimed (anyone else: EALREADY). Of gt_connect and
                                * gt_connect_local: the first call starts the connect, and it
                                * and each later one answers GT_ETIMEOUT until it is done (arm
                                * with GT_PARK_OUT); a connect given up on that way leaves the
                                * socket fit only to be closed (any other form: EALREADY) */
#define GT_PARK_WAIT 0   /* gt_park_begin/end: hold the socket only */
#define GT_PARK_RECV 1   /* ... and claim its receive side (recv_busy) meanwhile */
#define GT_PARK_IN 1     /* gt_park_arm: readable, or a connection to accept */
#define GT_PARK_OUT 2    /* gt_park_arm: writable, or a connect finished */
#define GT_PARK_BATCH 64 /* the most handles one gt_park_wait returns */

/* Start a parked wait on socket HANDLE for EVENTS (GT_PARK_IN or GT_PARK_OUT): hold a
 * reference to it until gt_park_end, so that a gt_close meanwhile shuts it down (which reports
 * it to gt_park_wait) and its descriptor stays open while armed, and declare the direction.
 * WHAT: GT_PARK_WAIT, or GT_PARK_RECV to claim the receive side too (EVENTS GT_PARK_IN; not
 * of a mailbox, which waits for GT_PARK_IN). 0, or -code: GT_ECLOSED, EALREADY (GT_PARK_RECV:
 * another receive is under way), EINVAL. */
GT_EXPORT int32_t gt_park_begin(int64_t handle, int32_t what, int32_t events);

/* Arm HANDLE (during a parked wait of the caller's) for one report by gt_park_wait of EVENTS
 * (GT_PARK_IN or GT_PARK_OUT; a mailbox: GT_PARK_IN) and of every direction another parked
 * wait of the socket declared; opens the process's parking poller on first use, and a
 * mailbox's own poller if it has none yet. 0 or -code: EINVAL (no wait, bad EVENTS), or the
 * poller's -errno (ENOMEM, EMFILE...). */
GT_EXPORT int32_t gt_park_arm(int64_t handle, int32_t events);

/* End the parked wait gt_park_begin(HANDLE, WHAT, EVENTS) started: release the receive side,
 * the direction and the reference (the last reference out of a closed socket closes its
 * descriptor, and leaves the poller first). 0, or -EINVAL if no such wait was begun. */
GT_EXPORT int32_t gt_park_end(int64_t handle, int32_t what, int32_t events);

/*
 * gt_send for a caller that must not block (parking above): the same packet on the wire and
 * the same answers, but where gt_send would sleep this answers so, and the caller sleeps in
 * its own runtime and calls again. UNSENT < 0 for a packet's first call. Answers:
 *   0, -code      as gt_send's; the send is over.
 *   -GT_EWOULDPARK  (inet backend) the packet is queued whole and brought the queue to the
 *                 high mark: the caller now waits for the low mark, as a sleeping sender
 *                 does (the I/O thread leaves the queue to the waiters meanwhile). Until a
 *                 call answers otherwise, the socket is held and wants OUT as in a wait
 *                 between gt_park_begin and gt_park_end: arm it (gt_park_arm, GT_PARK_OUT),
 *                 sleep, and look with gt_send_resume(HANDLE, GT_SEND_TRY), or give up with
 *                 GT_SEND_GIVE_UP once GT_OPT_SEND_TIMEOUT has passed since this answer
 *                 (gt_send's timeout, send_timeout_close's reset included) or GT_SEND_CANCEL
 *                 (the caller was interrupted: GT_ETIMEOUT, the packet stays queued).
 *   N > 0         (socket backend) N bytes of the packet (its length header included) are
 *                 not in the kernel yet, and the sending side is claimed for it (other
 *                 senders wait, as behind a blocking one); the socket is held and wants OUT
 *                 as above. Arm, sleep, and call again with the same ADDR and LEN and UNSENT
 *                 N, which answers 0, -code or a new N; or, once GT_OPT_SEND_TIMEOUT has
 *                 passed since the first N (or interrupted), gt_send_resume(HANDLE,
 *                 GT_SEND_GIVE_UP or GT_SEND_CANCEL), which lets the packet go (GT_ETIMEOUT):
 *                 gt_send's answer is then the last N ({timeout, RestData}).
 *   -EBUSY        (socket backend, first call) another sender's packet is under way; nothing
 *                 was sent and nothing is held. Wait for OUT (gt_park_begin ... gt_park_end),
 *                 and call again as for a new packet: a parked claimer that lets the sending
 *                 side go reports the socket.
 * A close ends the wait: the waiter is reported, and its next call answers GT_ECLOSED.
 * (Two rare waits stay blocking: a packet the queue had no memory for, which gt_send finishes
 * within send_timeout or 5 s while holding the send side, and a queue with no I/O thread to
 * write it, which its sender writes to the end.)
 */
GT_EXPORT int64_t gt_send_parked(int64_t handle, int64_t addr, int64_t len, int64_t unsent);
GT_EXPORT int64_t gt_send_resume(int64_t handle, int32_t how);
#define GT_SEND_TRY 0     /* gt_send_resume: look again */
#define GT_SEND_GIVE_UP 1 /* ... the time limit has passed */
#define GT_SEND_CANCEL 2  /* ... the caller was interrupted: time out, drop nothing */

/*
 * gt_close for a caller that must not block: closes as gt_close does, and where gt_close
 * lingers (data queued, see gt_close) answers N > 0 instead: the nanoseconds left until the
 * linger's current limit. The closer's reference then holds the socket, which wants OUT: arm
 * it (gt_park_arm, GT_PARK_OUT), sleep at most N ns, and call gt_close_resume(HANDLE, 0),
 * which writes what the kernel takes and answers again: a new N, or 0 once the close is over
 * (drained; or given up on at the limit, the rest dropped with a reset). GIVE_UP 1 gives up
 * now (a caller interrupted): the rest is dropped with a reset. -EINVAL: no close lingers.
 * ({linger, {true, T}} also makes the kernel's close(2) wait, as gt_close's does.)
 */
GT_EXPORT int64_t gt_close_parked(int64_t handle);
GT_EXPORT int64_t gt_close_resume(int64_t handle, int32_t give_up);

/* For the waker threads: wait at most TIMEOUT_NS (< 0: no limit) until armed sockets are
 * ready, and write the handles of at most MAX (>= 1; GT_PARK_BATCH at most are written) of
 * them as int64 values to TOKENS. Returns how many, 0 when the time ran out or gt_park_wake
 * cut the wait short, or -code. Several threads may wait at once: each report goes to one. */
GT_EXPORT int32_t gt_park_wait(int64_t tokens, int32_t max, int64_t timeout_ns);

/* Make a current or the next gt_park_wait return (0); an idle waker's gt_park_watch as well.
 * 0 or -errno. */
GT_EXPORT int32_t gt_park_wake(void);

/*
 * For a waker that must not block either (a Java virtual thread): it calls gt_park_wait with
 * TIMEOUT_NS 0, and once that answers 0 goes idle: gt_park_idle, then sleep in its own runtime
 * until a thread that may block, looping in gt_park_watch, wakes it; then it polls again.
 *   loop: n = gt_park_wait(tokens, max, 0); wake the waiter of each token
 *         if n == 0: gt_park_idle(); sleep until woken
 * gt_park_idle arms the parking poller itself for one report by gt_park_watch, made as soon
 * as a gt_park_wait would return at once (an armed socket is ready, or gt_park_wake): at once
 * if that is so already, so a socket that became ready between the empty wait and the arm is
 * not lost. Opens the parking poller, and the watch poller it is armed in, on first use.
 * 0 or the poller's -errno (ENOMEM, EMFILE...).
 */
GT_EXPORT int32_t gt_park_idle(void);

/* For the thread that wakes an idle waker: wait at most TIMEOUT_NS (< 0: no limit) for the
 * report gt_park_idle armed. 1 when it came (armed again only by the next gt_park_idle), 0
 * when the time ran out or the wait was cut short (try again), or -errno. */
GT_EXPORT int32_t gt_park_watch(int64_t timeout_ns);

/* shutdown(2) with HOW one of SHUT_RD, SHUT_WR, SHUT_RDWR. 0 or -code. With data in the send
 * queue the writing side shuts down once the queue has drained (the call returns at once). */
GT_EXPORT int32_t gt_shutdown(int64_t handle, int32_t how);

/* Close. With data in the send queue this first waits as OTP's close does: until it drains,
 * giving up after 5 s without progress (180 s in all), or after T s with {linger, {true, T}};
 * {linger, {true, 0}} drops it at once. What is given up on is dropped and the connection
 * reset. Then threads blocked in this socket (recv, accept, send) return GT_ECLOSED at once;
 * the descriptor is released when the last of them has left. Always 0: closing twice is fine. */
GT_EXPORT int32_t gt_close(int64_t handle);

/* The local / remote address, written to DST as described at GT_SOCKADDR_SIZE (AF_UNIX:
 * GT_SOCKADDR_MAX, and CAP must be at least that). 0 or -code. */
GT_EXPORT int32_t gt_sockname(int64_t handle, int64_t dst, int32_t cap);
GT_EXPORT int32_t gt_peername(int64_t handle, int64_t dst, int32_t cap);

/*
 * erlang:decode_packet/3. IO points at an IO block of GT_DECODE_SLOTS int64 values followed
 * by GT_DECODE_NAME_MAX bytes, owned by the caller. In: GT_DECODE_TYPE (a GT_PACKET_*),
 * GT_DECODE_PACKET_SIZE, GT_DECODE_LINE_LENGTH (0 = none), GT_DECODE_DELIMITER (0..255).
 * Out: GT_DECODE_STATUS and the fields below. SRC/LEN are the bytes to decode.
 *
 * Returns GT_DECODE_OK ({ok, Packet, Rest}: Rest starts at GT_DECODE_TOTAL; for the non-HTTP
 * types Packet is the GT_DECODE_BODY_LEN bytes at GT_DECODE_BODY_OFF, for the HTTP types the
 * GT_DECODE_HTTP_* fields describe the term), GT_DECODE_MORE ({more, GT_DECODE_TOTAL}, -1 for
 * undefined), GT_DECODE_INVALID ({error, invalid}), or -EINVAL for a bad request.
 */
GT_EXPORT int64_t gt_decode(int64_t io, int64_t src, int64_t len);

#define GT_DECODE_OK 0
#define GT_DECODE_MORE 1
#define GT_DECODE_INVALID 2

/* IO block slots (int64 indexes). Offsets of strings are from the packet's first byte. */
#define GT_DECODE_TYPE 0
#define GT_DECODE_PACKET_SIZE 1
#define GT_DECODE_LINE_LENGTH 2
#define GT_DECODE_DELIMITER 3
#define GT_DECODE_STATUS 4
#define GT_DECODE_TOTAL 5
#define GT_DECODE_BODY_OFF 6
#define GT_DECODE_BODY_LEN 7
#define GT_DECODE_HTTP_KIND 8   /* 0 = not HTTP, else GT_HTTP_REQUEST .. GT_HTTP_ERROR */
#define GT_DECODE_HTTP_METHOD 9 /* request: 1..7 a known method atom, 0 = the string below */
#define GT_DECODE_HTTP_METHOD_OFF 10
#define GT_DECODE_HTTP_METHOD_LEN 11
#define GT_DECODE_HTTP_URI 12        /* GT_URI_* */
#define GT_DECODE_HTTP_URI_SCHEME 13 /* absoluteURI: GT_HTTP_SCHEME_HTTP or _HTTPS (constants) */
#define GT_DECODE_HTTP_URI_A_OFF 14  /* absoluteURI: host; scheme: scheme; abs_path, string: all */
#define GT_DECODE_HTTP_URI_A_LEN 15
#define GT_DECODE_HTTP_URI_B_OFF 16 /* absoluteURI: path; scheme: the rest */
#define GT_DECODE_HTTP_URI_B_LEN 17
#define GT_DECODE_HTTP_URI_PORT 18 /* absoluteURI: the port, -1 = undefined */
#define GT_DECODE_HTTP_MAJOR 19
#define GT_DECODE_HTTP_MINOR 20
#define GT_DECODE_HTTP_STATUS 21
#define GT_DECODE_HTTP_PHRASE_OFF 22
#define GT_DECODE_HTTP_PHRASE_LEN 23
#define GT_DECODE_HTTP_BIT 24       /* header: 1..52 known, 0 unknown */
#define GT_DECODE_HTTP_NAME_LEN 25  /* header: the field's name, in the name area */
#define GT_DECODE_HTTP_FIELD_OFF 26 /* header: the unmodified field */
#define GT_DECODE_HTTP_FIELD_LEN 27
#define GT_DECODE_HTTP_VALUE_OFF 28
#define GT_DECODE_HTTP_VALUE_LEN 29
#define GT_DECODE_SLOTS 32
#define GT_DECODE_NAME_MAX 64 /* bytes after the slots: a header's (normalized) name */

/*
 * Mailboxes: the controlling process of active sockets (mailbox.c). A mailbox is a handle like
 * a socket's; closing it closes every socket it owns.
 *
 * A mailbox holds no descriptor and no buffer until it needs one: its poller (an epoll fd and
 * an eventfd on Linux, a kqueue fd on BSD and macOS) is opened when the first active socket is
 * armed in it (adopted while active, or made active later), when gt_mailbox_receive must wait
 * (a time limit other than 0 and nothing to take), or when a parked receive arms the mailbox
 * (gt_park_arm); passive sockets, gt_mailbox_wake and
 * receives that do not wait cost no descriptor. Messages of any size go through a caller's
 * buffer of a fixed size: one too big for it is held in a block of C memory of its own size
 * until gt_mailbox_release.
 */
GT_EXPORT int64_t gt_mailbox_open(void);

/* MAILBOX owns SOCKET from now on (a socket it created or accepted). */
GT_EXPORT int32_t gt_mailbox_adopt(int64_t mailbox, int64_t socket);

/*
 * The owner's receive: waits at most TIMEOUT_MS (< 0: forever) for messages and writes as many
 * as fit to DST, each a GT_MSG_HEADER-byte header (int32 kind, int32 reason, int64 socket
 * handle, int64 payload length: GT_MSG_*_OFF), then the payload padded to GT_MSG_ALIGN
 * bytes. Returns the bytes written; 0 when gt_mailbox_wake was called (the caller's own queue
 * has something); or -code (GT_ETIMEOUT, GT_ECLOSED, EALREADY: another thread is receiving,
 * EMFILE and the like: its poller could not be opened, EINVAL: CAP < 0, or DST NULL with
 * CAP > 0). One thread receives at a time.
 *
 * A caller may have no buffer until a message needs one: with CAP under 2 * GT_MSG_HEADER
 * (DST may then be NULL, with CAP 0) a receive that finds a message takes nothing and returns
 * a number > CAP; the caller comes back with a buffer of at least 2 * GT_MSG_HEADER bytes,
 * into which every message then goes, whatever its size.
 *
 * Kinds: GT_MSG_TCP (payload = the packet; reason = its form, see GT_MSG_FORM_SHIFT),
 * GT_MSG_HTTP (payload = an IO block as gt_decode fills it, then the packet; reason =
 * GT_MSG_HTTP_BIN for the _bin types),
 * GT_MSG_TCP_CLOSED, GT_MSG_TCP_ERROR (reason = the code), GT_MSG_TCP_PASSIVE,
 * GT_MSG_TIMESTAMP (before each packet's message when GT_OPT_TIMESTAMPING has a receive bit),
 * and GT_MSG_HELD: messages that did not fit in CAP, written in the same format to a block of C
 * memory whose address is the header's handle field and whose length (bytes of messages) is
 * its length field; no payload follows this header in DST, and it is the last message
 * written. The caller reads the block, then gives it back with gt_mailbox_release before its
 * next receive (which otherwise frees it, its messages lost). Should no memory be had for the
 * block (or should it exceed 2 GiB, more than a Java array holds), the socket is closed and
 * its messages are GT_MSG_TCP_ERROR (ENOMEM), GT_MSG_TCP_CLOSED.
 */
GT_EXPORT int64_t gt_mailbox_receive(int64_t mailbox, int64_t timeout_ms, int64_t dst, int64_t cap);

/* Free the block HELD of the GT_MSG_HELD message that the last receive wrote: the owner's
 * thread, once it has read the block, even if the mailbox was closed meanwhile (the block
 * keeps the closed mailbox's memory until then). 0, or -code (EINVAL: not the mailbox's
 * current block, EALREADY: a receive is running). */
GT_EXPORT int32_t gt_mailbox_release(int64_t held);

/* Write what gt_send_gathered gathered for MAILBOX: one write per socket (what the kernel does
 * not take goes to the I/O thread, as a send's would). Closing the mailbox flushes too. 0, or
 * GT_EBADARG for a handle that is not an open mailbox. */
GT_EXPORT int32_t gt_mailbox_flush(int64_t mailbox);

/* Make the mailbox's receive return 0 now or at its next call. Any thread. */
GT_EXPORT int32_t gt_mailbox_wake(int64_t mailbox);

/* How the mailbox's receive waits: IDLE is a GT_IDLE_*, SPIN_NS for GT_IDLE_SPIN. */
GT_EXPORT int32_t gt_mailbox_idle(int64_t mailbox, int64_t idle, int64_t spin_ns);

/*
 * controlling_process in two phases. Phase 0: SOCKET moves from mailbox FROM (which must own
 * it: else GT_ENOT_OWNER) to mailbox TO (GT_EBADARG if that is closed), with its queued control
 * messages; it is not yet delivering. Phase 1 (FROM and TO ignored): it delivers again, once
 * the caller has handed the new owner the messages of it that it already held.
 */
GT_EXPORT int32_t gt_controlling_process(int64_t socket, int64_t from, int64_t to, int64_t phase);

#define GT_MSG_TCP 1
#define GT_MSG_TCP_CLOSED 2
#define GT_MSG_TCP_ERROR 3
#define GT_MSG_TCP_PASSIVE 4
#define GT_MSG_HTTP 5
#define GT_MSG_HELD 6
/* GT_OPT_TIMESTAMPING's receive stamps (payload: GT_RX_COUNT int64s) of the packet message
 * that follows, the same socket's. */
#define GT_MSG_TIMESTAMP 7

/* A message's header: GT_MSG_HEADER bytes (a constant of gt_constant) in the machine's byte
 * order, its fields at these offsets; the payload follows it, padded to GT_MSG_ALIGN bytes.
 * Java reads the offsets from gt_constant at start-up; constants.c checks them against the
 * header's size and padding. */
#define GT_MSG_KIND_OFF 0    /* int32: a GT_MSG_* */
#define GT_MSG_REASON_OFF 4  /* int32: the kind's reason, below */
#define GT_MSG_HANDLE_OFF 8  /* int64: the socket's handle (a GT_MSG_HELD block's address) */
#define GT_MSG_LENGTH_OFF 16 /* int64: the payload's bytes, without padding */
#define GT_MSG_ALIGN 8

/* A GT_MSG_HTTP message's reason for the _bin packet types (binary strings); 0 otherwise. */
#define GT_MSG_HTTP_BIN 1

/* The handle's fields (see the top of this file): handle >> GT_HANDLE_GENERATION_SHIFT is the
 * generation, handle & GT_HANDLE_SLOT_MASK the slot field, slot + 1. */
#define GT_HANDLE_GENERATION_SHIFT 32
#define GT_HANDLE_SLOT_MASK 0xffffffffLL

/* A GT_MSG_TCP message's reason, read as an unsigned 32-bit number: the packet's form (a
 * GT_FORM_*, as gt_recv tells it, decided when the packet was taken) above
 * GT_MSG_FORM_SHIFT, and GT_MSG_PORT. */
#define GT_MSG_PORT 1 /* {deliver, port}: {S, {data, Data}} rather than {tcp, S, Data} */
#define GT_MSG_FORM_SHIFT 1

/* The bounds of the options whose ranges are gentcp's (OTP's), not a C type's: gt_setopt
 * answers EINVAL outside them. Java checks every option's range too, before anything reaches
 * C (the README promises IllegalArgumentException), asking gt_constant for GT_OPT_<NAME>_MIN
 * and _MAX at start-up. */
#define GT_OPT_PACKET_SIZE_MAX 0xffffffffLL       /* {packet_size, 0..this} */
#define GT_OPT_LINE_DELIMITER_MAX 255             /* {line_delimiter, 0..this} */
#define GT_OPT_MSGQ_WATERMARK_MAX ((1 << 27) - 1) /* {high|low_msgq_watermark, 1..this} */

/*
 * Kernel timestamps (GT_OPT_TIMESTAMPING). The option's bits:
 *   GT_TIMESTAMPING_RX_SOFTWARE  each read of the socket carries the time the kernel took in
 *                                the last segment it read (software clock, CLOCK_REALTIME);
 *   GT_TIMESTAMPING_RX_HARDWARE  ... and the NIC's time, where the device stamps and has been
 *                                set up to (SIOCSHWTSTAMP, not done by gentcp);
 *   GT_TIMESTAMPING_TX_SCHED     a send's last byte entered the queueing discipline;
 *   GT_TIMESTAMPING_TX_SOFTWARE  ... left the stack for the device;
 *   GT_TIMESTAMPING_TX_ACK       ... was acknowledged by the peer;
 *   GT_TIMESTAMPING_TX_HARDWARE  ... was sent by the NIC (as RX_HARDWARE).
 * Transmit stamps are counted by byte (SOF_TIMESTAMPING_OPT_ID): a record names the offset of
 * the send's last byte, counted from 0 at the connection when a transmit bit was set before it
 * (on a fresh or listen socket), else at the bytes written when one was first set on the
 * connected socket (Linux 6.2 and later: OPT_ID_TCP; before, the bytes acknowledged then, the
 * same when none is in flight). Turning them off and on again goes on counting. The kernel
 * counts in 32 bits; the records widen it to 64. The kernel queues them on the socket's error
 * queue; gentcp moves them to a bounded ring of GT_TX_RING records per socket (the oldest give
 * way, counted as lost), from every wait that the queue wakes, so a waiting call neither fails
 * nor spins on them. Transmit bits on an MPTCP socket: ENOTSUP (its subflows stamp). A socket
 * adopted with gt_socket_fd starts with the kernel's stamps off.
 */
#define GT_TIMESTAMPING_RX_SOFTWARE 0x1
#define GT_TIMESTAMPING_RX_HARDWARE 0x2
#define GT_TIMESTAMPING_TX_SCHED 0x4
#define GT_TIMESTAMPING_TX_SOFTWARE 0x8
#define GT_TIMESTAMPING_TX_ACK 0x10
#define GT_TIMESTAMPING_TX_HARDWARE 0x20
#define GT_TIMESTAMPING_ALL 0x3f
#define GT_TX_RING 1024

/* The receive timestamps of the socket's last read, which completed the packet a passive
 * recv last returned: GT_RX_COUNT int64 values to DST (CAP bytes), nanoseconds since the epoch,
 * 0 where the kernel gave none (the option off, a read of data taken in before it was on, no
 * hardware stamp). 0, or -code (EINVAL on a closed socket or a bad buffer; ENOTSUP, as the
 * option: on a local socket, and where the platform has none, GT_OPTS_ABSENT). */
GT_EXPORT int32_t gt_rx_timestamp(int64_t handle, int64_t dst, int32_t cap);
#define GT_RX_SOFTWARE 0
#define GT_RX_HARDWARE 1
#define GT_RX_COUNT 2

/* The transmit timestamps that have come since the last call, oldest first, taken out of the
 * socket's ring: as many records of GT_TX_RECORD int64s as fit in CAP bytes at DST, each
 * {kind (a GT_TX_*), byte offset, nanoseconds since the epoch}. A GT_TX_LOST record (its
 * offset the count of records lost, its time 0) comes first when the ring overflowed since.
 * Returns the records written, or -code: EINVAL on a closed socket, one that is not connected
 * or a bad buffer; ENOTSUP, as the option: on a local socket, and where the platform has none
 * (GT_OPTS_ABSENT). */
GT_EXPORT int32_t gt_tx_timestamps(int64_t handle, int64_t dst, int32_t cap);
#define GT_TX_KIND 0
#define GT_TX_OFFSET 1
#define GT_TX_TIME 2
#define GT_TX_RECORD 3
#define GT_TX_SCHED 1
#define GT_TX_SOFTWARE 2
#define GT_TX_ACK 3
#define GT_TX_HARDWARE 4
#define GT_TX_LOST 5

/* inet:getstat: GT_STAT_COUNT int64 values to DST (CAP bytes), at the GT_STAT_* indices below
 * (send_pend: the bytes in the send queue). Beyond OTP's, from GT_STAT_SEND_WAITS on: the sends
 * that found the queue at high_watermark and waited for it to drain to low_watermark (the inet
 * backend's; a wait that timed out or was ended by a close counts too), the nanoseconds they
 * waited in all (a parked sender's added once no parked sender of the socket waits), and the
 * bytes queued when the last of them began to wait. A CAP of GT_STAT_SEND_WAITS int64s (a
 * caller built before those counters) gets OTP's values only.
 * 0 or -code (EINVAL on a closed socket, as OTP; or a CAP under GT_STAT_SEND_WAITS int64s). */
GT_EXPORT int32_t gt_getstat(int64_t handle, int64_t dst, int32_t cap);
#define GT_STAT_RECV_OCT 0
#define GT_STAT_RECV_CNT 1
#define GT_STAT_RECV_MAX 2
#define GT_STAT_RECV_AVG 3
#define GT_STAT_RECV_DVI 4
#define GT_STAT_SEND_OCT 5
#define GT_STAT_SEND_CNT 6
#define GT_STAT_SEND_MAX 7
#define GT_STAT_SEND_AVG 8
#define GT_STAT_SEND_PEND 9
#define GT_STAT_SEND_WAITS 10
#define GT_STAT_SEND_WAIT_NS 11
#define GT_STAT_SEND_WAIT_QUEUED 12
#define GT_STAT_COUNT 13

/*
 * The kernel's TCP_INFO (Linux's struct tcp_info): GT_TCP_INFO_COUNT int64 values to DST (CAP
 * bytes), at the GT_TCP_INFO_* indices below. The value at GT_TCP_INFO_PRESENT is a mask: bit I
 * set when the value at index I is given, which is when the length the kernel returned covers
 * its field (an older kernel fills fewer) and, for min_rtt, once there is a sample. A value not
 * given is 0. Units are the kernel's: times in microseconds, rates in bytes per second (a
 * pacing rate the kernel reports as unlimited is INT64_MAX), the window and threshold in
 * segments. STATE is a GT_TCP_STATE_* number.
 * 0 or -code (EINVAL on a closed socket or DST 0 or CAP too small; EAFNOSUPPORT on AF_UNIX;
 * ENOTSUP where there is no struct tcp_info to read: all but Linux).
 */
GT_EXPORT int32_t gt_tcp_info(int64_t handle, int64_t dst, int32_t cap);
#define GT_TCP_INFO_STATE 0
#define GT_TCP_INFO_RETRANSMITS 1 /* consecutive retransmissions of the unacked head */
#define GT_TCP_INFO_RTT 2
#define GT_TCP_INFO_RTTVAR 3
#define GT_TCP_INFO_TOTAL_RETRANS 4
#define GT_TCP_INFO_LOST 5
#define GT_TCP_INFO_SND_CWND 6
#define GT_TCP_INFO_SND_SSTHRESH 7
#define GT_TCP_INFO_UNACKED 8
#define GT_TCP_INFO_PACING_RATE 9
#define GT_TCP_INFO_DELIVERY_RATE 10
#define GT_TCP_INFO_BUSY_TIME 11
#define GT_TCP_INFO_RWND_LIMITED 12
#define GT_TCP_INFO_SNDBUF_LIMITED 13
#define GT_TCP_INFO_BYTES_ACKED 14
#define GT_TCP_INFO_BYTES_RECEIVED 15
#define GT_TCP_INFO_MIN_RTT 16
#define GT_TCP_INFO_PRESENT 17
#define GT_TCP_INFO_COUNT 18
/* GT_TCP_INFO_STATE's values: Linux's own numbers for its TCP states (ABI: ss(8) reads the
 * same ones; glibc's <netinet/tcp.h> names them TCP_ESTABLISHED...). */
#define GT_TCP_STATE_ESTABLISHED 1
#define GT_TCP_STATE_SYN_SENT 2
#define GT_TCP_STATE_SYN_RECV 3
#define GT_TCP_STATE_FIN_WAIT1 4
#define GT_TCP_STATE_FIN_WAIT2 5
#define GT_TCP_STATE_TIME_WAIT 6
#define GT_TCP_STATE_CLOSE 7
#define GT_TCP_STATE_CLOSE_WAIT 8
#define GT_TCP_STATE_LAST_ACK 9
#define GT_TCP_STATE_LISTEN 10
#define GT_TCP_STATE_CLOSING 11

/*
 * What the library holds in memory, process-wide: GT_MEM_STAT_COUNT int64 values to DST (CAP
 * bytes), at the GT_MEM_* indices below: the bytes and blocks (allocations) of the receive
 * buffers, of the send queues (with the blocks a background write still reads from) and of
 * the mailboxes (their state, lists and held message blocks); and the receive budget's charge
 * (gt_set_receive_budget). Each is exact once the calls
 * that changed it have returned; two may be read a moment apart.
 * 0 or -code (EINVAL: DST 0 or CAP too small).
 */
GT_EXPORT int32_t gt_memory_stats(int64_t dst, int32_t cap);
#define GT_MEM_RBUF_BYTES 0
#define GT_MEM_RBUF_BLOCKS 1
#define GT_MEM_SENDQ_BYTES 2
#define GT_MEM_SENDQ_BLOCKS 3
#define GT_MEM_MAILBOX_BYTES 4
#define GT_MEM_MAILBOX_BLOCKS 5
#define GT_MEM_BUDGET_CHARGED 6 /* bytes charged to the receive budget now (below) */
#define GT_MEM_STAT_COUNT 7

/*
 * The receive budget: a bound, process-wide, on the bytes that receive buffers are grown to
 * hold toward packets not yet complete, summed over all sockets. A socket's first 'buffer'
 * (GT_OPT_BUFFER) bytes of such a packet are not counted; past them, a packet is charged
 * what its buffer must hold for it (for a length header, the length it claims, as soon as
 * the header is in: the buffer is sized for it then; for a line or an HTTP line, the bytes of
 * it so far). A packet whose charge would take the sum past the budget cannot be taken: the
 * receive fails with EMSGSIZE and closes the connection, as for a packet over packet_size
 * (GT_MSG_TCP_ERROR EMSGSIZE then GT_MSG_TCP_CLOSED in active mode). The charge is given back
 * when the packet has been taken, or its socket drops it (end of stream, failure, close).
 * Set the budget to BYTES (0 .. GT_RECEIVE_BUDGET_MAX; 0: no packet may grow a buffer past
 * 'buffer'): 0 or -EINVAL. Charges already made stay; later ones are checked against it.
 */
GT_EXPORT int32_t gt_set_receive_budget(int64_t bytes);
/* The receive budget in bytes. */
GT_EXPORT int64_t gt_receive_budget(void);
#define GT_RECEIVE_BUDGET_DEFAULT ((int64_t)512 << 20) /* 512 MiB */
#define GT_RECEIVE_BUDGET_MAX ((int64_t)1 << 50)       /* 1 PiB: more than any address space */

/* Keep the calling thread on CPU (>= 0), or let it run on every CPU again (CPU < 0).
 * 0 or -code (EINVAL for a CPU this machine does not have; ENOTSUP on macOS, which cannot
 * pin threads). */
GT_EXPORT int32_t gt_pin_thread(int64_t cpu);

#ifdef __cplusplus
}
#endif

#endif /* GENTCP_H */
