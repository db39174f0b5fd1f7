/*
 * clock_watchdog.h - for the C tests that wait on events (test_poller, test_kqueue_emu): a
 * monotonic clock, and a watchdog that turns a wait that never returns into a failure
 * instead of a hung ctest.
 */
#ifndef GENTCP_CLOCK_WATCHDOG_H
#define GENTCP_CLOCK_WATCHDOG_H

#include <signal.h>
#include <unistd.h>

#include "now_ns.h"

static void watchdog_fired(int sig)
{
    static const char msg[] = "watchdog: a wait did not return\n";
    ssize_t r;

    (void)sig;
    r = write(2, msg, sizeof(msg) - 1); /* async-signal-safe, unlike stdio */
    (void)r;
    _exit(3);
}

/* The whole program must end within SECONDS. */
static inline void watchdog_start(unsigned seconds)
{
    signal(SIGALRM, watchdog_fired);
    alarm(seconds);
}

#endif
