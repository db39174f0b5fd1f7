/*
 * constants.c - gt_constant: every number Java needs, looked up by name at start-up, so the
 * Java side hard-codes none (errno values and address families differ between systems).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "http.h"
#include "internal.h"
#include "platform.h"

struct gt_named {
    const char *name;
    int64_t value;
};

/* clang-format 14 would break this brace initialiser apart. */
/* clang-format off */
#define C(x) {#x, (int64_t)(x)}
/* clang-format on */

/* The message header's offsets (gentcp.h) against the header and padding gt__msg_put writes
 * (message.h): the length, the last field, ends the header, and a one-byte payload is padded
 * to GT_MSG_ALIGN. */
_Static_assert(GT_MSG_LENGTH_OFF + 8 == GT_MSG_HEADER, "the length is the header's last int64");
_Static_assert(GT_MSG_SIZE(1) == GT_MSG_HEADER + GT_MSG_ALIGN, "GT_MSG_SIZE pads to GT_MSG_ALIGN");

/* tcp_info.c passes Linux's state number through: gentcp.h's names for them are Linux's. */
#if GT_LINUX
_Static_assert(GT_TCP_STATE_ESTABLISHED == TCP_ESTABLISHED &&
                   GT_TCP_STATE_SYN_SENT == TCP_SYN_SENT && GT_TCP_STATE_SYN_RECV == TCP_SYN_RECV &&
                   GT_TCP_STATE_FIN_WAIT1 == TCP_FIN_WAIT1 &&
                   GT_TCP_STATE_FIN_WAIT2 == TCP_FIN_WAIT2 &&
                   GT_TCP_STATE_TIME_WAIT == TCP_TIME_WAIT && GT_TCP_STATE_CLOSE == TCP_CLOSE &&
                   GT_TCP_STATE_CLOSE_WAIT == TCP_CLOSE_WAIT &&
                   GT_TCP_STATE_LAST_ACK == TCP_LAST_ACK && GT_TCP_STATE_LISTEN == TCP_LISTEN &&
                   GT_TCP_STATE_CLOSING == TCP_CLOSING,
               "gentcp.h's TCP states are Linux's numbers");
#endif

static const struct gt_named constants[] = {
    /* gentcp's reasons and limits */
    C(GT_ERRNO_LIMIT),
    C(GT_ECLOSED),
    C(GT_ETIMEOUT),
    C(GT_ESYSTEM_LIMIT),
    C(GT_ENOT_OWNER),
    C(GT_EBADARG),
    C(GT_MSG_TCP),
    C(GT_MSG_TCP_CLOSED),
    C(GT_MSG_TCP_ERROR),
    C(GT_MSG_TCP_PASSIVE),
    C(GT_MSG_HTTP),
    C(GT_MSG_HELD),
    {"GT_MSG_HEADER", GT_MSG_HEADER},
    {"GT_ACTIVE_ADD_ZERO", GT_ACTIVE_ADD(0)},
    C(GT_MSG_KIND_OFF),
    C(GT_MSG_REASON_OFF),
    C(GT_MSG_HANDLE_OFF),
    C(GT_MSG_LENGTH_OFF),
    C(GT_MSG_ALIGN),
    C(GT_MSG_HTTP_BIN),
    C(GT_HANDLE_GENERATION_SHIFT),
    C(GT_HANDLE_SLOT_MASK),
    C(GT_SOCKADDR_SIZE),
    C(GT_SOCKADDR_MAX),
    C(GT_SOCKADDR_FAMILY_OFF),
    C(GT_SOCKADDR_PORT_OFF),
    C(GT_SOCKADDR_ADDR_OFF),
    C(GT_SOCKADDR_SCOPE_OFF),
    C(GT_MAX_RECV_LENGTH),
    C(GT_MAX_PACKET_LENGTH),
    C(GT_BATCH_LENGTH_BYTES),
    C(GT_RECV_BYTES_MASK),
    C(GT_RECV_FORM_SHIFT),
    C(GT_FORM_LIST),
    C(GT_FORM_HTTP),
    C(GT_FORM_HTTP_BIN),
    C(GT_FORM_BINARY),
    C(GT_MSG_PORT),
    C(GT_MSG_FORM_SHIFT),
    C(GT_STAT_COUNT),
    /* option values and the pktoptions record (the options' ids and ranges are options.c's
     * table's: gt__opts_constant) */
    C(GT_MODE_LIST),
    C(GT_MODE_BINARY),
    C(GT_SEND_TIMEOUT_INFINITY),
    C(GT_PKT_TOS),
    C(GT_PKT_TTL),
    C(GT_PKT_TCLASS),
    C(GT_PKT_HOPLIMIT),
    C(GT_PKT_COUNT),
    C(GT_STAT_RECV_OCT),
    C(GT_STAT_RECV_CNT),
    C(GT_STAT_RECV_MAX),
    C(GT_STAT_RECV_AVG),
    C(GT_STAT_RECV_DVI),
    C(GT_STAT_SEND_OCT),
    C(GT_STAT_SEND_CNT),
    C(GT_STAT_SEND_MAX),
    C(GT_STAT_SEND_AVG),
    C(GT_STAT_SEND_PEND),
    C(GT_STAT_SEND_WAITS),
    C(GT_STAT_SEND_WAIT_NS),
    C(GT_STAT_SEND_WAIT_QUEUED),
    /* the tcp_info record (tcp_info.c) */
    C(GT_TCP_INFO_STATE),
    C(GT_TCP_INFO_RETRANSMITS),
    C(GT_TCP_INFO_RTT),
    C(GT_TCP_INFO_RTTVAR),
    C(GT_TCP_INFO_TOTAL_RETRANS),
    C(GT_TCP_INFO_LOST),
    C(GT_TCP_INFO_SND_CWND),
    C(GT_TCP_INFO_SND_SSTHRESH),
    C(GT_TCP_INFO_UNACKED),
    C(GT_TCP_INFO_PACING_RATE),
    C(GT_TCP_INFO_DELIVERY_RATE),
    C(GT_TCP_INFO_BUSY_TIME),
    C(GT_TCP_INFO_RWND_LIMITED),
    C(GT_TCP_INFO_SNDBUF_LIMITED),
    C(GT_TCP_INFO_BYTES_ACKED),
    C(GT_TCP_INFO_BYTES_RECEIVED),
    C(GT_TCP_INFO_MIN_RTT),
    C(GT_TCP_INFO_PRESENT),
    C(GT_TCP_INFO_COUNT),
    C(GT_TCP_STATE_ESTABLISHED),
    C(GT_TCP_STATE_SYN_SENT),
    C(GT_TCP_STATE_SYN_RECV),
    C(GT_TCP_STATE_FIN_WAIT1),
    C(GT_TCP_STATE_FIN_WAIT2),
    C(GT_TCP_STATE_TIME_WAIT),
    C(GT_TCP_STATE_CLOSE),
    C(GT_TCP_STATE_CLOSE_WAIT),
    C(GT_TCP_STATE_LAST_ACK),
    C(GT_TCP_STATE_LISTEN),
    C(GT_TCP_STATE_CLOSING),
    C(GT_MEM_STAT_COUNT),
    C(GT_MEM_RBUF_BYTES),
    C(GT_MEM_RBUF_BLOCKS),
    C(GT_MEM_SENDQ_BYTES),
    C(GT_MEM_SENDQ_BLOCKS),
    C(GT_MEM_MAILBOX_BYTES),
    C(GT_MEM_MAILBOX_BLOCKS),
    C(GT_MEM_BUDGET_CHARGED),
    C(GT_RECEIVE_BUDGET_DEFAULT),
    C(GT_RECEIVE_BUDGET_MAX),
    C(GT_PACKET_RAW),
    C(GT_PACKET_1),
    C(GT_PACKET_2),
    C(GT_PACKET_4),
    C(GT_PACKET_ASN1),
    C(GT_PACKET_SUNRM),
    C(GT_PACKET_CDR),
    C(GT_PACKET_FCGI),
    C(GT_PACKET_LINE),
    C(GT_PACKET_TPKT),
    C(GT_PACKET_HTTP),
    C(GT_PACKET_HTTPH),
    C(GT_PACKET_HTTP_BIN),
    C(GT_PACKET_HTTPH_BIN),
    /* decode_packet's IO block */
    C(GT_DECODE_OK),
    C(GT_DECODE_MORE),
    C(GT_DECODE_INVALID),
    C(GT_DECODE_TYPE),
    C(GT_DECODE_PACKET_SIZE),
    C(GT_DECODE_LINE_LENGTH),
    C(GT_DECODE_DELIMITER),
    C(GT_DECODE_STATUS),
    C(GT_DECODE_TOTAL),
    C(GT_DECODE_BODY_OFF),
    C(GT_DECODE_BODY_LEN),
    C(GT_DECODE_HTTP_KIND),
    C(GT_DECODE_HTTP_METHOD),
    C(GT_DECODE_HTTP_METHOD_OFF),
    C(GT_DECODE_HTTP_METHOD_LEN),
    C(GT_DECODE_HTTP_URI),
    C(GT_DECODE_HTTP_URI_SCHEME),
    C(GT_DECODE_HTTP_URI_A_OFF),
    C(GT_DECODE_HTTP_URI_A_LEN),
    C(GT_DECODE_HTTP_URI_B_OFF),
    C(GT_DECODE_HTTP_URI_B_LEN),
    C(GT_DECODE_HTTP_URI_PORT),
    C(GT_DECODE_HTTP_MAJOR),
    C(GT_DECODE_HTTP_MINOR),
    C(GT_DECODE_HTTP_STATUS),
    C(GT_DECODE_HTTP_PHRASE_OFF),
    C(GT_DECODE_HTTP_PHRASE_LEN),
    C(GT_DECODE_HTTP_BIT),
    C(GT_DECODE_HTTP_NAME_LEN),
    C(GT_DECODE_HTTP_FIELD_OFF),
    C(GT_DECODE_HTTP_FIELD_LEN),
    C(GT_DECODE_HTTP_VALUE_OFF),
    C(GT_DECODE_HTTP_VALUE_LEN),
    C(GT_DECODE_SLOTS),
    C(GT_DECODE_NAME_MAX),
    C(GT_HTTP_REQUEST),
    C(GT_HTTP_RESPONSE),
    C(GT_HTTP_HEADER),
    C(GT_HTTP_EOH),
    C(GT_HTTP_ERROR),
    C(GT_URI_STAR),
    C(GT_URI_ABS_PATH),
    C(GT_URI_ABSOLUTE),
    C(GT_URI_SCHEME),
    C(GT_URI_STRING),
    C(GT_HTTP_SCHEME_HTTPS),
    C(GT_ACTIVE_FALSE),
    C(GT_ACTIVE_TRUE),
    C(GT_ACTIVE_ONCE),
    C(GT_IDLE_BLOCK),
    C(GT_IDLE_SPIN),
    C(GT_IDLE_BUSY),
    C(GT_TIMEOUT_PARKED),
    C(GT_PARK_WAIT),
    C(GT_PARK_RECV),
    C(GT_PARK_IN),
    C(GT_PARK_OUT),
    C(GT_PARK_BATCH),
    C(GT_EWOULDPARK),
    C(GT_SEND_TRY),
    C(GT_SEND_GIVE_UP),
    C(GT_SEND_CANCEL),
    /* the system's */
    {"SUN_PATH_MAX", (int64_t)sizeof(((struct sockaddr_un *)0)->sun_path)}, /* 108 Linux, 104 BSD */
    C(AF_INET),
    C(AF_INET6),
    C(AF_UNIX),
    C(SHUT_RD),
    C(SHUT_WR),
    C(SHUT_RDWR),
    C(SOL_SOCKET),
#ifdef GT_SO_BINDTODEVICE /* Java's bind_to_device is enotsup without it */
    {"SO_BINDTODEVICE", GT_SO_BINDTODEVICE},
#endif
    /* errno values that inet:posix() names */
    C(E2BIG),
    C(EACCES),
    C(EADDRINUSE),
    C(EADDRNOTAVAIL),
    C(EAFNOSUPPORT),
    C(EAGAIN),
    C(EALREADY),
    C(EBADF),
    C(EBADMSG),
    C(EBUSY),
    C(ECHILD),
    C(ECONNABORTED),
    C(ECONNREFUSED),
    C(ECONNRESET),
    C(EDEADLK),
    C(EDESTADDRREQ),
    C(EDOM),
    C(EDQUOT),
    C(EEXIST),
    C(EFAULT),
    C(EFBIG),
    C(EHOSTDOWN),
    C(EHOSTUNREACH),
    C(EIDRM),
    C(EILSEQ),
    C(EINPROGRESS),
    C(EINTR),
    C(EINVAL),
    C(EIO),
    C(EISCONN),
    C(EISDIR),
    C(ELOOP),
    C(EMFILE),
    C(EMLINK),
    C(EMSGSIZE),
    C(ENAMETOOLONG),
    C(ENETDOWN),
    C(ENETRESET),
    C(ENETUNREACH),
    C(ENFILE),
    C(ENOBUFS),
    C(ENODEV),
    C(ENOENT),
    C(ENOEXEC),
    C(ENOLCK),
    C(ENOMEM),
    C(ENOPROTOOPT),
    C(ENOSPC),
    C(ENOSYS),
    C(ENOTBLK),
    C(ENOTCONN),
    C(ENOTDIR),
    C(ENOTEMPTY),
    C(ENOTSOCK),
    C(ENOTSUP),
    C(ENOTTY),
    C(ENXIO),
    C(EOPNOTSUPP),
    C(EOVERFLOW),
    C(EPERM),
    C(EPFNOSUPPORT),
    C(EPIPE),
    C(EPROTO),
    C(EPROTONOSUPPORT),
    C(EPROTOTYPE),
    C(ERANGE),
    C(EROFS),
    C(ESHUTDOWN),
    C(ESOCKTNOSUPPORT),
    C(ESPIPE),
    C(ESRCH),
    C(ESTALE),
    C(ETIMEDOUT),
    C(ETOOMANYREFS),
    C(ETXTBSY),
    C(EUSERS),
    C(EWOULDBLOCK),
    C(EXDEV),
};

int64_t gt_constant(const char *name)
{
    size_t i;

    if (name == NULL)
        return INT64_MIN;
    for (i = 0; i < sizeof(constants) / sizeof(constants[0]); i++)
        if (strcmp(constants[i].name, name) == 0)
            return constants[i].value;
    return gt__opts_constant(name);
}
