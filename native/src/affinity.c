/*
 * affinity.c - gt_pin_thread: keep the calling thread on one CPU.
 *
 * Not part of gen_tcp, but part of running it fast: a busy-polling receiver owns a core, and a
 * ping-pong's latency depends on whether its two ends share one (a wake-up across cores costs
 * tens of microseconds on small VMs). Benchmarks pin both ends so that every implementation
 * they compare runs with the same placement.
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include <errno.h>
#include <sched.h>
#include <unistd.h>

#include "internal.h"

int32_t gt_pin_thread(int64_t cpu)
{
    cpu_set_t set;
    long n, i;

    CPU_ZERO(&set);
    if (cpu >= 0) {
        if (cpu >= CPU_SETSIZE)
            return -EINVAL;
        CPU_SET((int)cpu, &set);
    } else {
        n = sysconf(_SC_NPROCESSORS_CONF);
        for (i = 0; i < n && i < CPU_SETSIZE; i++)
            CPU_SET((int)i, &set);
    }
    /* pid 0: the calling thread (Linux applies affinity per thread). */
    if (sched_setaffinity(0, sizeof(set), &set) < 0)
        return -errno;
    return 0;
}
