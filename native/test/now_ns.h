/*
 * now_ns.h - the monotonic clock in nanoseconds, for the code around the core that cannot
 * link it (the core has gt__now_ns): the C tests' waits (clock_watchdog.h), the kqueue
 * emulation's timeouts, and the C programs of native/bench (through ref_util.h).
 */
#ifndef GENTCP_NOW_NS_H
#define GENTCP_NOW_NS_H

#include <stdint.h>
#include <time.h>

static inline int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
