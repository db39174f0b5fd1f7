# Cross-compiling libgentcp and its C tests for linux-aarch64 with Debian's cross compiler
# (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross), from the same CMakeLists.txt:
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=native/cmake/aarch64-linux-gnu.cmake
#   cmake --build build-aarch64 && ctest --test-dir build-aarch64
# (a cross build has GENTCP_SANITIZE, GENTCP_TSAN and GENTCP_PORTABLE_CHECK off by default).
# ctest runs the tests under qemu-user (apt-get install qemu-user) when qemu-aarch64 is on the
# PATH: binfmt_misc is not needed, each test is started as `qemu-aarch64 -L <sysroot> <test>`.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(GENTCP_CROSS_TRIPLE aarch64-linux-gnu)
set(GENTCP_CROSS_SYSROOT /usr/${GENTCP_CROSS_TRIPLE})
set(CMAKE_C_COMPILER ${GENTCP_CROSS_TRIPLE}-gcc)

# Headers and libraries from the target's sysroot only; programs (cmake, sh) from the host.
set(CMAKE_FIND_ROOT_PATH ${GENTCP_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The emulator ctest puts in front of every test executable (and CMakeLists.txt in front of
# the programs a test script starts). Unset when qemu-aarch64 is missing: the library and the
# tests still build, but ctest cannot run them (cross_aarch64.cmake then skips ctest, saying why).
find_program(GENTCP_QEMU_AARCH64 qemu-aarch64)
if(GENTCP_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GENTCP_QEMU_AARCH64} -L ${GENTCP_CROSS_SYSROOT})
endif()
