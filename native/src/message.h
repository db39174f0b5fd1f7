/*
 * message.h - the mailbox's message format (gentcp.h's GT_MSG_*): a GT_MSG_HEADER-byte header
 * whose fields sit at the GT_MSG_*_OFF offsets, then the payload padded to GT_MSG_ALIGN bytes.
 * active.c writes a socket's messages with it, the mailbox (mailbox_*.c) its control messages
 * and the headers of held blocks. Inline: active delivery writes one per packet.
 */
#ifndef GENTCP_MESSAGE_H
#define GENTCP_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gentcp.h"

#define GT_MSG_HEADER 24
/* A message's bytes: its header and LEN bytes of payload, padded. */
#define GT_MSG_SIZE(len)                                                                           \
    (GT_MSG_HEADER + (((size_t)(len) + GT_MSG_ALIGN - 1) & ~(size_t)(GT_MSG_ALIGN - 1)))
/* The smallest buffer into which gt_mailbox_receive writes messages rather than the room they
 * need: a GT_MSG_HELD header, or the two messages of a socket that failed to hold one. */
#define GT_MSG_MIN_CAP (2 * GT_MSG_HEADER)
/* The largest block a message may be held in (gt_mailbox_release): what Java can view as one
 * ByteBuffer, whose capacity is an int. */
#define GT_MSG_HELD_MAX ((int64_t)0x7ffffff8)

/* Set the length field of the message at DST (memcpy: DST need not be aligned). */
static inline void gt__msg_set_length(uint8_t *dst, int64_t len)
{
    memcpy(dst + GT_MSG_LENGTH_OFF, &len, sizeof(len));
}

/* Write a message to DST: its header and LEN bytes of DATA (its padding is left as it is).
 * Returns its size, GT_MSG_SIZE(LEN). */
static inline size_t gt__msg_put(uint8_t *dst, int32_t kind, int32_t reason, int64_t handle,
                                 const void *data, size_t len)
{
    memcpy(dst + GT_MSG_KIND_OFF, &kind, sizeof(kind));
    memcpy(dst + GT_MSG_REASON_OFF, &reason, sizeof(reason));
    memcpy(dst + GT_MSG_HANDLE_OFF, &handle, sizeof(handle));
    gt__msg_set_length(dst, (int64_t)len);
    if (len > 0)
        memcpy(dst + GT_MSG_HEADER, data, len);
    return GT_MSG_SIZE(len);
}

#endif /* GENTCP_MESSAGE_H */
