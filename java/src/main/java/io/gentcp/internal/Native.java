package io.gentcp.internal;

/**
 * The bound library and the constants asked of it at start-up.
 *
 * <p>Internal usage only. If the library cannot be loaded, every call through {@link #lib()}
 * throws an {@link UnsatisfiedLinkError} that says which platform was looked for and why it
 * failed, rather than the JVM's "could not initialize class" on the second try.
 */
public final class Native
{
    private static final LibGentcp LIB;
    private static final UnsatisfiedLinkError LOAD_FAILURE;

    static
    {
        LibGentcp lib = null;
        UnsatisfiedLinkError failure = null;
        try
        {
            lib = NativeLoader.load();
            ReceiveBudgetProperty.apply(lib);
        }
        catch (final UnsatisfiedLinkError e)
        {
            lib = null;
            failure = e;
        }
        LIB = lib;
        LOAD_FAILURE = failure;
    }

    public static final int ERRNO_LIMIT = constant("GT_ERRNO_LIMIT");
    public static final int ENOT_OWNER = constant("GT_ENOT_OWNER");
    public static final int EBADARG = constant("GT_EBADARG");
    /** A mailbox message's header: its size, its fields' offsets, the payload's padding. */
    public static final int MSG_HEADER = constant("GT_MSG_HEADER");
    public static final int MSG_KIND_OFF = constant("GT_MSG_KIND_OFF");
    public static final int MSG_REASON_OFF = constant("GT_MSG_REASON_OFF");
    public static final int MSG_HANDLE_OFF = constant("GT_MSG_HANDLE_OFF");
    public static final int MSG_LENGTH_OFF = constant("GT_MSG_LENGTH_OFF");
    public static final int MSG_ALIGN = constant("GT_MSG_ALIGN");
    /** A GT_MSG_HTTP message's reason for the _bin packet types. */
    public static final int MSG_HTTP_BIN = constant("GT_MSG_HTTP_BIN");
    /** A socket handle: its generation above this shift, its slot field (slot + 1) in this mask. */
    public static final int HANDLE_GENERATION_SHIFT = constant("GT_HANDLE_GENERATION_SHIFT");
    public static final long HANDLE_SLOT_MASK = longConstant("GT_HANDLE_SLOT_MASK");
    /** gt_getstat: how many int64 values it writes, and where each one is. */
    public static final int STAT_COUNT = constant("GT_STAT_COUNT");
    public static final int STAT_RECV_OCT = constant("GT_STAT_RECV_OCT");
    public static final int STAT_RECV_CNT = constant("GT_STAT_RECV_CNT");
    public static final int STAT_RECV_MAX = constant("GT_STAT_RECV_MAX");
    public static final int STAT_RECV_AVG = constant("GT_STAT_RECV_AVG");
    public static final int STAT_RECV_DVI = constant("GT_STAT_RECV_DVI");
    public static final int STAT_SEND_OCT = constant("GT_STAT_SEND_OCT");
    public static final int STAT_SEND_CNT = constant("GT_STAT_SEND_CNT");
    public static final int STAT_SEND_MAX = constant("GT_STAT_SEND_MAX");
    public static final int STAT_SEND_AVG = constant("GT_STAT_SEND_AVG");
    public static final int STAT_SEND_PEND = constant("GT_STAT_SEND_PEND");
    /** Beyond OTP's: the sends that waited for the low watermark, their wait in ns, the bytes queued at the last. */
    public static final int STAT_SEND_WAITS = constant("GT_STAT_SEND_WAITS");
    public static final int STAT_SEND_WAIT_NS = constant("GT_STAT_SEND_WAIT_NS");
    public static final int STAT_SEND_WAIT_QUEUED = constant("GT_STAT_SEND_WAIT_QUEUED");
    /** gt_tcp_info: how many int64 values it writes, where each one is (PRESENT: the mask of those given). */
    public static final int TCP_INFO_COUNT = constant("GT_TCP_INFO_COUNT");
    public static final int TCP_INFO_STATE = constant("GT_TCP_INFO_STATE");
    public static final int TCP_INFO_RETRANSMITS = constant("GT_TCP_INFO_RETRANSMITS");
    public static final int TCP_INFO_RTT = constant("GT_TCP_INFO_RTT");
    public static final int TCP_INFO_RTTVAR = constant("GT_TCP_INFO_RTTVAR");
    public static final int TCP_INFO_TOTAL_RETRANS = constant("GT_TCP_INFO_TOTAL_RETRANS");
    public static final int TCP_INFO_LOST = constant("GT_TCP_INFO_LOST");
    public static final int TCP_INFO_SND_CWND = constant("GT_TCP_INFO_SND_CWND");
    public static final int TCP_INFO_SND_SSTHRESH = constant("GT_TCP_INFO_SND_SSTHRESH");
    public static final int TCP_INFO_UNACKED = constant("GT_TCP_INFO_UNACKED");
    public static final int TCP_INFO_PACING_RATE = constant("GT_TCP_INFO_PACING_RATE");
    public static final int TCP_INFO_DELIVERY_RATE = constant("GT_TCP_INFO_DELIVERY_RATE");
    public static final int TCP_INFO_BUSY_TIME = constant("GT_TCP_INFO_BUSY_TIME");
    public static final int TCP_INFO_RWND_LIMITED = constant("GT_TCP_INFO_RWND_LIMITED");
    public static final int TCP_INFO_SNDBUF_LIMITED = constant("GT_TCP_INFO_SNDBUF_LIMITED");
    public static final int TCP_INFO_BYTES_ACKED = constant("GT_TCP_INFO_BYTES_ACKED");
    public static final int TCP_INFO_BYTES_RECEIVED = constant("GT_TCP_INFO_BYTES_RECEIVED");
    public static final int TCP_INFO_MIN_RTT = constant("GT_TCP_INFO_MIN_RTT");
    public static final int TCP_INFO_PRESENT = constant("GT_TCP_INFO_PRESENT");
    /** gt_tcp_info's state numbers. */
    public static final int TCP_STATE_ESTABLISHED = constant("GT_TCP_STATE_ESTABLISHED");
    public static final int TCP_STATE_SYN_SENT = constant("GT_TCP_STATE_SYN_SENT");
    public static final int TCP_STATE_SYN_RECV = constant("GT_TCP_STATE_SYN_RECV");
    public static final int TCP_STATE_FIN_WAIT1 = constant("GT_TCP_STATE_FIN_WAIT1");
    public static final int TCP_STATE_FIN_WAIT2 = constant("GT_TCP_STATE_FIN_WAIT2");
    public static final int TCP_STATE_TIME_WAIT = constant("GT_TCP_STATE_TIME_WAIT");
    public static final int TCP_STATE_CLOSE = constant("GT_TCP_STATE_CLOSE");
    public static final int TCP_STATE_CLOSE_WAIT = constant("GT_TCP_STATE_CLOSE_WAIT");
    public static final int TCP_STATE_LAST_ACK = constant("GT_TCP_STATE_LAST_ACK");
    public static final int TCP_STATE_LISTEN = constant("GT_TCP_STATE_LISTEN");
    public static final int TCP_STATE_CLOSING = constant("GT_TCP_STATE_CLOSING");
    public static final int MSG_TCP = constant("GT_MSG_TCP");
    public static final int MSG_TCP_CLOSED = constant("GT_MSG_TCP_CLOSED");
    public static final int MSG_TCP_ERROR = constant("GT_MSG_TCP_ERROR");
    public static final int MSG_TCP_PASSIVE = constant("GT_MSG_TCP_PASSIVE");
    public static final int MSG_HTTP = constant("GT_MSG_HTTP");
    public static final int MSG_HELD = constant("GT_MSG_HELD");
    public static final int MSG_TIMESTAMP = constant("GT_MSG_TIMESTAMP");
    /** {timestamping, Flags}: the option's bits, and the layouts of gt_rx_timestamp and gt_tx_timestamps. */
    public static final int TIMESTAMPING_RX_SOFTWARE = constant("GT_TIMESTAMPING_RX_SOFTWARE");
    public static final int TIMESTAMPING_RX_HARDWARE = constant("GT_TIMESTAMPING_RX_HARDWARE");
    public static final int TIMESTAMPING_TX_SCHED = constant("GT_TIMESTAMPING_TX_SCHED");
    public static final int TIMESTAMPING_TX_SOFTWARE = constant("GT_TIMESTAMPING_TX_SOFTWARE");
    public static final int TIMESTAMPING_TX_ACK = constant("GT_TIMESTAMPING_TX_ACK");
    public static final int TIMESTAMPING_TX_HARDWARE = constant("GT_TIMESTAMPING_TX_HARDWARE");
    public static final int TX_RING = constant("GT_TX_RING");
    public static final int RX_SOFTWARE = constant("GT_RX_SOFTWARE");
    public static final int RX_HARDWARE = constant("GT_RX_HARDWARE");
    public static final int RX_COUNT = constant("GT_RX_COUNT");
    public static final int TX_KIND = constant("GT_TX_KIND");
    public static final int TX_OFFSET = constant("GT_TX_OFFSET");
    public static final int TX_TIME = constant("GT_TX_TIME");
    public static final int TX_RECORD = constant("GT_TX_RECORD");
    public static final int TX_SCHED = constant("GT_TX_SCHED");
    public static final int TX_SOFTWARE = constant("GT_TX_SOFTWARE");
    public static final int TX_ACK = constant("GT_TX_ACK");
    public static final int TX_HARDWARE = constant("GT_TX_HARDWARE");
    public static final int TX_LOST = constant("GT_TX_LOST");
    public static final int ACTIVE_ADD_ZERO = constant("GT_ACTIVE_ADD_ZERO");
    public static final int ECLOSED = constant("GT_ECLOSED");
    public static final int ETIMEOUT = constant("GT_ETIMEOUT");
    public static final int TIMEOUT_PARKED = constant("GT_TIMEOUT_PARKED");
    public static final int PARK_WAIT = constant("GT_PARK_WAIT");
    public static final int PARK_RECV = constant("GT_PARK_RECV");
    public static final int PARK_IN = constant("GT_PARK_IN");
    public static final int PARK_OUT = constant("GT_PARK_OUT");
    public static final int PARK_BATCH = constant("GT_PARK_BATCH");
    public static final int EWOULDPARK = constant("GT_EWOULDPARK");
    public static final int SEND_TRY = constant("GT_SEND_TRY");
    public static final int SEND_GIVE_UP = constant("GT_SEND_GIVE_UP");
    public static final int SEND_CANCEL = constant("GT_SEND_CANCEL");
    public static final int EBUSY = constant("EBUSY");
    public static final int ESYSTEM_LIMIT = constant("GT_ESYSTEM_LIMIT");
    public static final int SOCKADDR_SIZE = constant("GT_SOCKADDR_SIZE");
    public static final int SOCKADDR_MAX = constant("GT_SOCKADDR_MAX");
    public static final int BATCH_LENGTH_BYTES = constant("GT_BATCH_LENGTH_BYTES");
    public static final int SOCKADDR_FAMILY_OFF = constant("GT_SOCKADDR_FAMILY_OFF");
    public static final int SOCKADDR_PORT_OFF = constant("GT_SOCKADDR_PORT_OFF");
    public static final int SOCKADDR_ADDR_OFF = constant("GT_SOCKADDR_ADDR_OFF");
    public static final int SOCKADDR_SCOPE_OFF = constant("GT_SOCKADDR_SCOPE_OFF");
    /** The size of sockaddr_un's sun_path: the longest local name, with its NUL for a path. */
    public static final int SUN_PATH_MAX = constant("SUN_PATH_MAX");
    public static final int MAX_RECV_LENGTH = constant("GT_MAX_RECV_LENGTH");
    /** The longest packet gt_recv delivers: the longest array every JVM allocates. */
    public static final int MAX_PACKET_LENGTH = constant("GT_MAX_PACKET_LENGTH");
    /** gt_recv's answer for a packet taken: the bytes written in these bits ... */
    public static final long RECV_BYTES_MASK = constantOrMissing("GT_RECV_BYTES_MASK");
    /** ... and above this shift the form C took it in (a FORM_*), whatever setopts did since. */
    public static final int RECV_FORM_SHIFT = constant("GT_RECV_FORM_SHIFT");
    public static final int FORM_LIST = constant("GT_FORM_LIST");
    public static final int FORM_HTTP = constant("GT_FORM_HTTP");
    public static final int FORM_HTTP_BIN = constant("GT_FORM_HTTP_BIN");
    /** Binary; FORM_BINARY + N: {header, N}, the first N bytes as a list. */
    public static final int FORM_BINARY = constant("GT_FORM_BINARY");

    /** The mode option's values. */
    public static final int MODE_LIST = constant("GT_MODE_LIST");
    public static final int MODE_BINARY = constant("GT_MODE_BINARY");
    /** The option ids the calls read themselves; io.gentcp.OptionTable asks every option's. */
    public static final int OPT_PACKET = constant("GT_OPT_PACKET");
    public static final int OPT_ACTIVE = constant("GT_OPT_ACTIVE");
    public static final int OPT_SEND_TIMEOUT = constant("GT_OPT_SEND_TIMEOUT");
    /** gt_memory_stats: how many values it writes, and where each one is. */
    public static final int MEM_STAT_COUNT = constant("GT_MEM_STAT_COUNT");
    public static final int MEM_RBUF_BYTES = constant("GT_MEM_RBUF_BYTES");
    public static final int MEM_RBUF_BLOCKS = constant("GT_MEM_RBUF_BLOCKS");
    public static final int MEM_SENDQ_BYTES = constant("GT_MEM_SENDQ_BYTES");
    public static final int MEM_SENDQ_BLOCKS = constant("GT_MEM_SENDQ_BLOCKS");
    public static final int MEM_MAILBOX_BYTES = constant("GT_MEM_MAILBOX_BYTES");
    public static final int MEM_MAILBOX_BLOCKS = constant("GT_MEM_MAILBOX_BLOCKS");
    public static final int MEM_BUDGET_CHARGED = constant("GT_MEM_BUDGET_CHARGED");
    /** The receive budget's default and largest value, in bytes (gt_set_receive_budget). */
    public static final long RECEIVE_BUDGET_DEFAULT = constantOrMissing("GT_RECEIVE_BUDGET_DEFAULT");
    public static final long RECEIVE_BUDGET_MAX = constantOrMissing("GT_RECEIVE_BUDGET_MAX");
    public static final long SEND_TIMEOUT_INFINITY = constantOrMissing("GT_SEND_TIMEOUT_INFINITY");
    public static final int MSG_PORT = constant("GT_MSG_PORT");
    /** A GT_MSG_TCP message's reason, unsigned: the packet's form (a FORM_*) above this shift. */
    public static final int MSG_FORM_SHIFT = constant("GT_MSG_FORM_SHIFT");


    public static final int DECODE_OK = constant("GT_DECODE_OK");
    public static final int DECODE_MORE = constant("GT_DECODE_MORE");
    public static final int DECODE_INVALID = constant("GT_DECODE_INVALID");
    public static final int DECODE_SLOTS = constant("GT_DECODE_SLOTS");
    public static final int DECODE_NAME_MAX = constant("GT_DECODE_NAME_MAX");
    public static final int DECODE_TYPE = constant("GT_DECODE_TYPE");
    public static final int DECODE_PACKET_SIZE = constant("GT_DECODE_PACKET_SIZE");
    public static final int DECODE_LINE_LENGTH = constant("GT_DECODE_LINE_LENGTH");
    public static final int DECODE_DELIMITER = constant("GT_DECODE_DELIMITER");
    public static final int DECODE_STATUS = constant("GT_DECODE_STATUS");
    public static final int DECODE_TOTAL = constant("GT_DECODE_TOTAL");
    public static final int DECODE_BODY_OFF = constant("GT_DECODE_BODY_OFF");
    public static final int DECODE_BODY_LEN = constant("GT_DECODE_BODY_LEN");
    public static final int DECODE_HTTP_KIND = constant("GT_DECODE_HTTP_KIND");
    public static final int DECODE_HTTP_METHOD = constant("GT_DECODE_HTTP_METHOD");
    public static final int DECODE_HTTP_METHOD_OFF = constant("GT_DECODE_HTTP_METHOD_OFF");
    public static final int DECODE_HTTP_METHOD_LEN = constant("GT_DECODE_HTTP_METHOD_LEN");
    public static final int DECODE_HTTP_URI = constant("GT_DECODE_HTTP_URI");
    public static final int DECODE_HTTP_URI_SCHEME = constant("GT_DECODE_HTTP_URI_SCHEME");
    public static final int DECODE_HTTP_URI_A_OFF = constant("GT_DECODE_HTTP_URI_A_OFF");
    public static final int DECODE_HTTP_URI_A_LEN = constant("GT_DECODE_HTTP_URI_A_LEN");
    public static final int DECODE_HTTP_URI_B_OFF = constant("GT_DECODE_HTTP_URI_B_OFF");
    public static final int DECODE_HTTP_URI_B_LEN = constant("GT_DECODE_HTTP_URI_B_LEN");
    public static final int DECODE_HTTP_URI_PORT = constant("GT_DECODE_HTTP_URI_PORT");
    public static final int DECODE_HTTP_MAJOR = constant("GT_DECODE_HTTP_MAJOR");
    public static final int DECODE_HTTP_MINOR = constant("GT_DECODE_HTTP_MINOR");
    public static final int DECODE_HTTP_STATUS = constant("GT_DECODE_HTTP_STATUS");
    public static final int DECODE_HTTP_PHRASE_OFF = constant("GT_DECODE_HTTP_PHRASE_OFF");
    public static final int DECODE_HTTP_PHRASE_LEN = constant("GT_DECODE_HTTP_PHRASE_LEN");
    public static final int DECODE_HTTP_BIT = constant("GT_DECODE_HTTP_BIT");
    public static final int DECODE_HTTP_NAME_LEN = constant("GT_DECODE_HTTP_NAME_LEN");
    public static final int DECODE_HTTP_FIELD_OFF = constant("GT_DECODE_HTTP_FIELD_OFF");
    public static final int DECODE_HTTP_FIELD_LEN = constant("GT_DECODE_HTTP_FIELD_LEN");
    public static final int DECODE_HTTP_VALUE_OFF = constant("GT_DECODE_HTTP_VALUE_OFF");
    public static final int DECODE_HTTP_VALUE_LEN = constant("GT_DECODE_HTTP_VALUE_LEN");
    public static final int HTTP_REQUEST = constant("GT_HTTP_REQUEST");
    public static final int HTTP_RESPONSE = constant("GT_HTTP_RESPONSE");
    public static final int HTTP_HEADER = constant("GT_HTTP_HEADER");
    public static final int HTTP_EOH = constant("GT_HTTP_EOH");
    public static final int HTTP_ERROR = constant("GT_HTTP_ERROR");
    public static final int URI_STAR = constant("GT_URI_STAR");
    public static final int URI_ABS_PATH = constant("GT_URI_ABS_PATH");
    public static final int URI_ABSOLUTE = constant("GT_URI_ABSOLUTE");
    public static final int URI_SCHEME = constant("GT_URI_SCHEME");
    public static final int URI_STRING = constant("GT_URI_STRING");
    /** DECODE_HTTP_URI_SCHEME's value for https (GT_HTTP_SCHEME_HTTP for http). */
    public static final int HTTP_SCHEME_HTTPS = constant("GT_HTTP_SCHEME_HTTPS");

    public static final int ACTIVE_FALSE = constant("GT_ACTIVE_FALSE");
    public static final int ACTIVE_TRUE = constant("GT_ACTIVE_TRUE");
    public static final int ACTIVE_ONCE = constant("GT_ACTIVE_ONCE");

    public static final int IDLE_BLOCK = constant("GT_IDLE_BLOCK");
    public static final int IDLE_SPIN = constant("GT_IDLE_SPIN");
    public static final int IDLE_BUSY = constant("GT_IDLE_BUSY");
    /** A socket's protocol (gt_socket_protocol ...): TCP, MPTCP, or an adopted fd's own. */
    public static final int PROTOCOL_TCP = constant("GT_PROTOCOL_TCP");
    public static final int PROTOCOL_MPTCP = constant("GT_PROTOCOL_MPTCP");
    public static final int PROTOCOL_OWN = constant("GT_PROTOCOL_OWN");

    public static final int EINVAL = constant("EINVAL");
    public static final int EAFNOSUPPORT = constant("EAFNOSUPPORT");
    public static final int AF_INET = constant("AF_INET");
    public static final int AF_INET6 = constant("AF_INET6");
    public static final int AF_UNIX = constant("AF_UNIX");
    public static final int SHUT_RD = constant("SHUT_RD");
    public static final int SHUT_WR = constant("SHUT_WR");
    public static final int SHUT_RDWR = constant("SHUT_RDWR");

    private Native()
    {
    }

    /** The library; throws an {@link UnsatisfiedLinkError} saying why when it is not there. */
    public static LibGentcp lib()
    {
        final LibGentcp lib = LIB;
        if (lib == null)
        {
            final UnsatisfiedLinkError e = new UnsatisfiedLinkError(LOAD_FAILURE.getMessage());
            e.initCause(LOAD_FAILURE);
            throw e;
        }
        return lib;
    }

    /** The jar's folder name for this machine: linux-x86_64, linux-aarch64, darwin-aarch64 ... */
    public static String platform()
    {
        return NativeLoader.platform();
    }

    /** Whether the library loaded. */
    public static boolean isAvailable()
    {
        return LIB != null;
    }

    /** Why the library did not load, or null when it did. */
    public static UnsatisfiedLinkError unavailabilityCause()
    {
        return LOAD_FAILURE;
    }

    /**
     * The value of a C constant, or {@link Long#MIN_VALUE} when the platform lacks it; 0 for
     * everything when the library did not load ({@link #lib()} then reports why).
     */
    public static long constantOrMissing(final String name)
    {
        return LIB == null ? 0 : LIB.gt_constant(name);
    }

    private static int constant(final String name)
    {
        return (int)longConstant(name);
    }

    /** A C constant every platform defines: start-up fails, naming it, when the library lacks it. */
    private static long longConstant(final String name)
    {
        final long value = constantOrMissing(name);
        if (value == Long.MIN_VALUE)
        {
            throw new IllegalStateException("libgentcp does not define " + name);
        }
        return value;
    }
}
