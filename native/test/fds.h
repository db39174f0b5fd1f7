/*
 * fds.h - descriptors as the C tests make and count them, with no gentcp handle involved: a
 * connected AF_UNIX stream pair, and (on Linux) the count of open descriptors.
 */
#ifndef GENTCP_FDS_H
#define GENTCP_FDS_H

#include <sys/socket.h>

#include "check.h"

/* A connected AF_UNIX stream pair in SV, close-on-exec. */
static inline void unix_pair(int sv[2])
{
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

#ifdef __linux__
#include <dirent.h>

/* The descriptors this process has open (with the one that reads them). */
static inline int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    CHECK(d != NULL);
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n;
}
#endif

#endif
