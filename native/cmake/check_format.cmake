# check_format.cmake: fails when a C source or header of native/ is not laid out as the
# repository's .clang-format says, naming each place; ctest's `format` test.
#   cmake -DSOURCE_DIR=<repo> -P check_format.cmake
# The check is `clang-format --dry-run -Werror` with clang-format 14, the version the
# configuration is pinned to (see .clang-format). Without it the test is skipped, saying why;
# with GENTCP_REQUIRE_CLANG_FORMAT=1 in the environment (.ci/run) that fails it instead.
# To fix what it finds:  clang-format-14 -i <file>...
if(NOT DEFINED SOURCE_DIR)
  message(FATAL_ERROR "check_format.cmake: -DSOURCE_DIR=... is missing")
endif()

set(pinned 14)
# Printed when skipping: CMakeLists.txt marks the test Skipped when its output has this text.
set(skip_mark "gentcp format check skipped")

function(gentcp_format_unavailable)
  string(CONCAT why ${ARGN})
  if("$ENV{GENTCP_REQUIRE_CLANG_FORMAT}" STREQUAL "1")
    message(FATAL_ERROR "gentcp: the format check is required (GENTCP_REQUIRE_CLANG_FORMAT=1) "
                        "but ${why}")
  endif()
  message("${skip_mark}: ${why}")
endfunction()

find_program(clang_format NAMES clang-format-${pinned} clang-format)
if(NOT clang_format)
  gentcp_format_unavailable("no clang-format on the PATH (apt-get install clang-format-${pinned})")
  return()
endif()
execute_process(COMMAND ${clang_format} --version OUTPUT_VARIABLE version RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT version MATCHES "clang-format version ${pinned}\\.")
  string(STRIP "${version}" version)
  gentcp_format_unavailable("${clang_format} is not clang-format ${pinned}, which "
                            ".clang-format is pinned to (it says: ${version})")
  return()
endif()

# Every C file of our own: none of native/ is generated or taken from elsewhere. Relative paths,
# so that clang-format names them so.
set(files "")
foreach(dir src include test bench fuzz tools)
  file(GLOB_RECURSE found RELATIVE ${SOURCE_DIR}
       ${SOURCE_DIR}/native/${dir}/*.c ${SOURCE_DIR}/native/${dir}/*.h)
  list(APPEND files ${found})
endforeach()
list(SORT files)
list(LENGTH files n)
if(n EQUAL 0)
  message(FATAL_ERROR "check_format.cmake: no C files under ${SOURCE_DIR}/native")
endif()

execute_process(COMMAND ${clang_format} --dry-run -Werror --style=file ${files}
                WORKING_DIRECTORY ${SOURCE_DIR}
                RESULT_VARIABLE rc ERROR_VARIABLE report OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  # clang-format names each place, "<file>:<line>:<col>: error: code should be
  # clang-formatted [-Wclang-format-violations]", then shows its line: told here per file, how
  # many places and the first. Only the naming lines are taken: the code shown may hold ; and
  # [, at which a CMake list would split or group.
  string(REGEX MATCHALL "\nnative/[^:\n]+:[0-9]+:[0-9]+: error: " lines "\n${report}")
  set(bad_files "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^\n(native/[^:]+):([0-9]+):[0-9]+: error: ")
      set(f ${CMAKE_MATCH_1})
      if(NOT DEFINED places_${f})
        list(APPEND bad_files ${f})
        set(places_${f} 0)
        set(first_${f} ${CMAKE_MATCH_2})
      endif()
      math(EXPR places_${f} "${places_${f}} + 1")
    endif()
  endforeach()
  if(NOT bad_files)
    message(FATAL_ERROR "gentcp: ${clang_format} failed (${rc}):\n${report}")
  endif()
  set(told "")
  set(total 0)
  foreach(f IN LISTS bad_files)
    string(APPEND told "\n  ${f}: ${places_${f}} place(s), the first at line ${first_${f}}")
    math(EXPR total "${total} + ${places_${f}}")
  endforeach()
  list(LENGTH bad_files nf)
  message(FATAL_ERROR "gentcp: ${nf} of ${n} C files are not laid out as .clang-format says "
                      "(${total} places):${told}\n"
                      "To see them: ${clang_format} --dry-run <file>; to fix them: "
                      "${clang_format} -i <file>")
endif()
message(STATUS "gentcp: format kept: ${n} C files as .clang-format says (${clang_format})")
