/*
 * background.h - a call that waits until the test does something (a trigger, a close), so it
 * runs on a thread of its own: what it returned, and how long it took.
 */
#ifndef GENTCP_BACKGROUND_H
#define GENTCP_BACKGROUND_H

#include <pthread.h>
#include <stdint.h>

#include "check.h"
#include "now_ns.h"

struct background {
    int64_t (*call)(void *arg);
    void *arg;
    int64_t result;  /* what CALL returned, once joined */
    int64_t took_ns; /* how long it took */
    pthread_t thread;
};

static void *background_main(void *p)
{
    struct background *b = p;
    int64_t t0 = now_ns();

    b->result = b->call(b->arg);
    b->took_ns = now_ns() - t0;
    return NULL;
}

/* Starts CALL(ARG) on a thread of its own. */
static inline void background_start(struct background *b, int64_t (*call)(void *), void *arg)
{
    b->call = call;
    b->arg = arg;
    CHECK_EQ(pthread_create(&b->thread, NULL, background_main, b), 0);
}

/* Waits until the call has returned: what it returned. */
static inline int64_t background_join(struct background *b)
{
    CHECK_EQ(pthread_join(b->thread, NULL), 0);
    return b->result;
}

#endif
