# cross_aarch64.cmake: the linux-aarch64 build of libgentcp and its C tests, which java/pom.xml
# runs beside the native build (executions cmake-aarch64 and ctest-aarch64):
#   cmake -DMODE=build -DSOURCE_DIR=<repo> -DBINARY_DIR=<dir> [-DRESOURCE_DIR=<jar's META-INF/native>] -P cross_aarch64.cmake
#   cmake -DMODE=test -DBINARY_DIR=<dir> -P cross_aarch64.cmake
# build: configures <dir> with native/cmake/aarch64-linux-gnu.cmake (Debian's cross compiler)
# and builds it; the library goes to <RESOURCE_DIR>/linux-aarch64/libgentcp.so. test: runs
# ctest there, each test under qemu-aarch64, then prints the cases skipped under qemu.
# Without the cross compiler, its C library or qemu-aarch64 the step is skipped, saying why, and
# the build goes on (the jar then has no linux-aarch64 library); with GENTCP_REQUIRE_AARCH64=1 in
# the environment (.ci/run) a missing tool fails it instead.
foreach(v MODE BINARY_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "cross_aarch64.cmake: -D${v}=... is missing")
  endif()
endforeach()

set(required OFF)
if("$ENV{GENTCP_REQUIRE_AARCH64}" STREQUAL "1")
  set(required ON)
endif()

# A missing tool: an error when required, else the step is skipped with the reason.
function(gentcp_aarch64_missing what)
  if(required)
    message(FATAL_ERROR "gentcp: linux-aarch64 ${MODE} required (GENTCP_REQUIRE_AARCH64=1) but ${what}")
  endif()
  message(STATUS "gentcp: linux-aarch64 ${MODE} skipped: ${what}")
endfunction()

find_program(cross_cc aarch64-linux-gnu-gcc)
find_program(qemu qemu-aarch64)
set(missing "")
if(NOT cross_cc)
  set(missing "no aarch64-linux-gnu-gcc on the PATH (apt-get install gcc-aarch64-linux-gnu)")
elseif(NOT EXISTS /usr/aarch64-linux-gnu/include/stdio.h)
  set(missing "no aarch64 C library in /usr/aarch64-linux-gnu (apt-get install libc6-dev-arm64-cross)")
endif()

if(MODE STREQUAL "build")
  if(NOT DEFINED SOURCE_DIR)
    message(FATAL_ERROR "cross_aarch64.cmake: -DSOURCE_DIR=... is missing")
  endif()
  if(missing)
    gentcp_aarch64_missing("${missing}; the jar has no linux-aarch64 library")
    if(DEFINED RESOURCE_DIR)
      file(REMOVE "${RESOURCE_DIR}/linux-aarch64/libgentcp.so") # none left from an earlier build
    endif()
    return()
  endif()
  if(NOT qemu AND required)
    gentcp_aarch64_missing("no qemu-aarch64 on the PATH to run its tests (apt-get install qemu-user)")
  endif()
  set(resource_arg "")
  if(DEFINED RESOURCE_DIR)
    set(resource_arg "-DGENTCP_RESOURCE_DIR=${RESOURCE_DIR}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR}
                          -DCMAKE_TOOLCHAIN_FILE=${SOURCE_DIR}/native/cmake/aarch64-linux-gnu.cmake
                          -DCMAKE_BUILD_TYPE=Release ${resource_arg}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gentcp: configuring the linux-aarch64 build failed (${rc})")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --parallel 2 RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gentcp: the linux-aarch64 build failed (${rc})")
  endif()
elseif(MODE STREQUAL "test")
  if(missing)
    gentcp_aarch64_missing("${missing}, so nothing was built to test")
    return()
  endif()
  if(NOT qemu)
    gentcp_aarch64_missing("no qemu-aarch64 on the PATH (apt-get install qemu-user)")
    return()
  endif()
  if(NOT EXISTS ${BINARY_DIR}/CTestTestfile.cmake)
    message(FATAL_ERROR "gentcp: ${BINARY_DIR} has no linux-aarch64 build to test")
  endif()
  message(STATUS "gentcp: the linux-aarch64 C tests, under ${qemu}")
  execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${BINARY_DIR} --output-on-failure
                  RESULT_VARIABLE rc)
  # What ctest reports only as Skipped: each case a test left out under qemu, and why.
  set(log ${BINARY_DIR}/Testing/Temporary/LastTest.log)
  if(EXISTS ${log})
    file(STRINGS ${log} skips REGEX "^skipped: ")
    foreach(line IN LISTS skips)
      message(STATUS "gentcp: linux-aarch64 ${line}")
    endforeach()
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gentcp: the linux-aarch64 C tests failed under qemu (ctest ${rc})")
  endif()
else()
  message(FATAL_ERROR "cross_aarch64.cmake: MODE=${MODE}: not build or test")
endif()
