/*
 * glibc_baseline.h - force-included (-include) into every source of the shipped libgentcp.so
 * by CMakeLists.txt, so that the library loads on glibc 2.28 and later (RHEL 8, Debian 10,
 * Ubuntu 20.04) although it is built against a newer glibc (Debian 12's 2.36).
 *
 * glibc 2.34 moved libpthread into libc and gave the moved functions a new default version
 * (pthread_create@@GLIBC_2.34 ...); pthread_sigmask got one in 2.32 (GLIBC_2.32). A library
 * linked against such a glibc asks for those versions, and an older glibc refuses to load it
 * ("version `GLIBC_2.34' not found"). The old versions are still defined, as aliases of the
 * same functions (`objdump -T libc.so.6` on Debian 12 gives each pair one address, on x86_64
 * and on aarch64), so each reference is bound to its old version here. On a glibc before 2.34
 * those versions live in libpthread.so.0, which CMakeLists.txt therefore names as a dependency.
 *
 * The C tests' core includes it too when it is built without sanitizers (GENTCP_SANITIZE=OFF:
 * the aarch64 cross build, whose tests run under qemu-user), so that the core those tests link
 * calls the versions the shipped library calls. The sanitized builds (ASan, TSan), whose
 * runtimes intercept the pthread functions, are left as they were: pinning was not tried with
 * them. After each build of the library, CMakeLists.txt checks that no symbol needs a GLIBC_
 * version above 2.28 (native/cmake/check_glibc.cmake), which also catches a new call that
 * would need one.
 */
#ifndef GENTCP_GLIBC_BASELINE_H
#define GENTCP_GLIBC_BASELINE_H

#if defined(__linux__)
#include <features.h>
#endif

#if defined(__GLIBC__)
#if defined(__x86_64__)
#define GT_GLIBC_BASE "GLIBC_2.2.5"   /* the first version of x86_64's glibc */
#define GT_GLIBC_SETNAME "GLIBC_2.12" /* pthread_setname_np came in 2.12 */
#elif defined(__aarch64__)
#define GT_GLIBC_BASE "GLIBC_2.17" /* the first version of aarch64's glibc, for all of them */
#define GT_GLIBC_SETNAME "GLIBC_2.17"
#endif

#ifdef GT_GLIBC_BASE
#define GT_GLIBC_PIN(name, version) __asm__(".symver " #name "," #name "@" version)
GT_GLIBC_PIN(pthread_create, GT_GLIBC_BASE);
GT_GLIBC_PIN(pthread_join, GT_GLIBC_BASE);
GT_GLIBC_PIN(pthread_mutex_trylock, GT_GLIBC_BASE);
GT_GLIBC_PIN(pthread_once, GT_GLIBC_BASE);
GT_GLIBC_PIN(pthread_sigmask, GT_GLIBC_BASE);
GT_GLIBC_PIN(pthread_setname_np, GT_GLIBC_SETNAME);
#undef GT_GLIBC_PIN
#endif
#endif

#endif
