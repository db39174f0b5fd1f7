/*
 * iothread.c - the background I/O thread: one per process, started by the first socket that
 * has something queued. It does only what nobody waits for: it writes send queues once the
 * kernel has room (and, through gt__sendq_flush, the postponed shutdown(write) after the last
 * byte). A sender that must wait (a queue at its high watermark, a close that lingers) waits
 * and flushes on its own thread instead, so that no hand-off sits on the path of a caller.
 * Its send(2) runs without the socket's send_lock (gt__sendq_write_out): senders keep
 * appending meanwhile, so a busy delay_send socket is written in batches as large as what
 * gathered during the previous write, and its senders never wait for a copy into the kernel.
 *
 * A socket is in the thread's poller, for writability, exactly while its queue is non-empty
 * (io_watched, under send_lock). The poller reports it with its handle as the token, so an
 * event for a socket closed meanwhile fails gt__acquire on its generation and is dropped: the
 * thread can never write to a descriptor number the kernel has given to someone else.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>

#include "internal.h"
#include "poller.h"

/* Events taken per wait; more are served by the next wait (level-triggered). */
#define GT_IO_BATCH 64

/* The most the thread writes per turn for one socket, so that one busy socket does not delay
 * the others long; the poller reports a socket with more queued again at once
 * (level-triggered). */
#define GT_IO_WRITE_MAX (256 * 1024)

static pthread_once_t io_once = PTHREAD_ONCE_INIT;
static struct gt_poller *io_poller;
static int io_start_error; /* -errno when the thread could not start: senders then wait */

static void *io_main(void *arg)
{
    struct gt_poll_event events[GT_IO_BATCH];
    struct gt_sock *s;
    int i, n;

    (void)arg;
    for (;;) {
        n = gt__poller_wait(io_poller, events, GT_IO_BATCH, -1);
        for (i = 0; i < n; i++) {
            s = gt__acquire((int64_t)events[i].token);
            if (s == NULL)
                continue; /* closed since: its finalize leaves the poller */
            pthread_mutex_lock(&s->send_lock);
            if (s->io_watched && s->send_waiters > 0)
                /* A sender waits for the low mark, polling for room itself: it writes. Were
                 * this thread to drain the queue under the waiter while the kernel fills up
                 * again, no POLLOUT would come to tell the waiter it may go on. */
                gt__io_unwatch(s);
            else if (s->io_watched)
                (void)gt__sendq_write_out(s, GT_IO_WRITE_MAX); /* an error waits in send_err */
            pthread_mutex_unlock(&s->send_lock);
            gt__release(s);
        }
    }
    return NULL;
}

static void io_start(void)
{
    pthread_attr_t attr;
    pthread_t tid;
    sigset_t all, old;
    int rc;

    rc = gt__poller_open(&io_poller);
    if (rc < 0) {
        io_start_error = rc;
        return;
    }
    /* The thread inherits the creator's signal mask: block everything, so that the JVM's
     * (or the application's) signals are never delivered to a thread it does not know. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&tid, &attr, io_main, NULL);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        gt__poller_close(io_poller);
        io_poller = NULL;
        io_start_error = -rc;
    }
}

int gt__io_watch(struct gt_sock *s)
{
    int rc;

    if (s->io_watched)
        return 0;
    pthread_once(&io_once, io_start);
    if (io_poller == NULL)
        return io_start_error;
    rc = gt__poller_add(io_poller, s->fd, GT_POLL_OUT, (uint64_t)gt__handle_of(s));
    if (rc == 0)
        s->io_watched = 1;
    return rc;
}

void gt__io_unwatch(struct gt_sock *s)
{
    if (!s->io_watched)
        return;
    gt__poller_remove(io_poller, s->fd);
    s->io_watched = 0;
}
