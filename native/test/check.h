/*
 * check.h - the assertions of the C unit tests. Each test program counts its checks and ends
 * with the line "N passed, N failed"; the first failure is printed with its place and the
 * program exits non-zero.
 */
#ifndef GENTCP_CHECK_H
#define GENTCP_CHECK_H

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_int check_passed; /* checks run on the tests' threads too */

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            printf("%d passed, 1 failed\n", check_passed);                                         \
            exit(1);                                                                               \
        }                                                                                          \
        check_passed++;                                                                            \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        int64_t check_a_ = (int64_t)(a), check_b_ = (int64_t)(b);                                  \
        if (check_a_ != check_b_) {                                                                \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%" PRId64 " != %" PRId64 ")\n",        \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                               \
            printf("%d passed, 1 failed\n", check_passed);                                         \
            exit(1);                                                                               \
        }                                                                                          \
        check_passed++;                                                                            \
    } while (0)

#define CHECK_DONE()                                                                               \
    do {                                                                                           \
        printf("%d passed, 0 failed\n", check_passed);                                             \
        return 0;                                                                                  \
    } while (0)

#endif
