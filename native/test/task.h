/*
 * task.h - a thread of this process found by its name in /proc/self/task (Linux): for the tests
 * that look at the I/O thread's CPU time or the CPUs it may run on.
 */
#ifndef GENTCP_TEST_TASK_H
#define GENTCP_TEST_TASK_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* Writes "/proc/self/task/TID/FILE" of the thread named NAME to PATH (CAP bytes): 0, or -1 if
 * no thread has that name. */
static inline int task_file(const char *name, const char *file, char *path, size_t cap)
{
    char comm[64];
    struct dirent *e;
    DIR *tasks = opendir("/proc/self/task");
    int rc = -1;

    if (tasks == NULL)
        return -1;
    while (rc < 0 && (e = readdir(tasks)) != NULL) {
        FILE *f;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, cap, "/proc/self/task/%s/comm", e->d_name);
        f = fopen(path, "r");
        if (f == NULL)
            continue;
        if (fgets(comm, sizeof(comm), f) == NULL)
            comm[0] = 0;
        fclose(f);
        comm[strcspn(comm, "\n")] = 0;
        if (strcmp(comm, name) == 0) {
            snprintf(path, cap, "/proc/self/task/%s/%s", e->d_name, file);
            rc = 0;
        }
    }
    closedir(tasks);
    return rc;
}

#endif
