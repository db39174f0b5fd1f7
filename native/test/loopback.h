/*
 * loopback.h - what the socket tests share: the port a handle is bound to.
 */
#ifndef GENTCP_LOOPBACK_H
#define GENTCP_LOOPBACK_H

#include <string.h>

#include "check.h"
#include "gentcp.h"

#define LOOPBACK 0x7f000001

static inline int local_port(int64_t h)
{
    uint8_t rec[GT_SOCKADDR_SIZE];
    int32_t port;

    CHECK_EQ(gt_sockname(h, (int64_t)(intptr_t)rec, sizeof(rec)), 0);
    memcpy(&port, rec + 4, 4);
    return port;
}

#endif
