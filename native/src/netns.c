/*
 * netns.c - OTP's {netns, Path}: a socket created inside another network namespace.
 *
 * A socket belongs for life to the namespace it was created in, whichever thread uses it
 * later; but setns() moves the calling thread, and a Java thread must never find itself in
 * another namespace. So a short-lived helper thread enters the namespace, creates the socket,
 * and goes back to its original namespace before it ends (so nothing of the process is ever
 * left inside, even if the thread were reused); the caller only waits for it. The socket is
 * made with its protocol there too ({protocol, mptcp}): making it again later, on the
 * caller's thread, would make it in the caller's namespace.
 *
 * Network namespaces are Linux's: elsewhere the arguments are checked, then enotsup.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "platform.h"

#if GT_HAVE_NETNS
struct netns_job {
    const char *path; /* the namespace file (NUL-terminated copy) */
    int family;
    int32_t protocol; /* GT_PROTOCOL_* */
    int result;       /* the new descriptor, or -errno */
};

static void *create_in_netns(void *arg)
{
    struct netns_job *job = arg;
    int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    int target, fd = -1, rc = 0;

    if (home < 0) {
        job->result = -errno;
        return NULL;
    }
    /* O_NONBLOCK: a FIFO at PATH must not hang the caller in open; setns refuses it after. */
    target = open(job->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (target < 0)
        rc = -errno;
    else if (setns(target, CLONE_NEWNET) < 0)
        rc = -errno; /* EINVAL: not a network namespace; EPERM: not allowed */
    if (rc == 0) {
        fd = gt__protocol_socket(job->family, job->protocol); /* the namespace's MPTCP */
        if (fd < 0)
            rc = fd;
        /* Back home before anything else; if that failed this thread must not live on in
         * the wrong namespace, and it does not: it ends here either way. */
        if (setns(home, CLONE_NEWNET) < 0 && rc == 0) {
            rc = -errno;
            close(fd);
        }
    }
    if (target >= 0)
        close(target);
    close(home);
    job->result = rc < 0 ? rc : fd;
    return NULL;
}

static int64_t socket_in_netns(int32_t family, int64_t path, int64_t len, int32_t protocol)
{
    char copy[PATH_MAX];
    struct netns_job job = {
        .path = copy, .family = family, .protocol = protocol, .result = -EINVAL};
    pthread_t helper;
    int rc;

    memcpy(copy, (const void *)(intptr_t)path, (size_t)len);
    copy[len] = 0;
    rc = pthread_create(&helper, NULL, create_in_netns, &job);
    if (rc != 0)
        return -rc;
    pthread_join(helper, NULL);
    /* Its protocol stays: made again by gt_setopt, on the caller's thread, it would be made in
     * the caller's namespace. */
    return job.result < 0 ? job.result : gt__sock_made(job.result, family, protocol, 1);
}
#endif /* GT_HAVE_NETNS */

int64_t gt_socket_netns_protocol(int32_t family, int64_t path, int64_t len, int32_t protocol)
{
    if (family != AF_INET && family != AF_INET6 && family != AF_UNIX)
        return -EAFNOSUPPORT;
    if (path == 0 || len < 1 || len >= PATH_MAX ||
        memchr((const void *)(intptr_t)path, 0, (size_t)len) != NULL)
        return -EINVAL;
    if (protocol != GT_PROTOCOL_TCP && protocol != GT_PROTOCOL_MPTCP)
        return -EINVAL;
#if GT_HAVE_NETNS
    return socket_in_netns(family, path, len, protocol);
#else
    return -ENOTSUP;
#endif
}

int64_t gt_socket_netns(int32_t family, int64_t path, int64_t len)
{
    return gt_socket_netns_protocol(family, path, len, GT_PROTOCOL_TCP);
}
