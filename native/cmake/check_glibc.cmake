# check_glibc.cmake: fails when LIBRARY needs a GLIBC_ symbol version above MAX, naming each
# symbol. Run by CMakeLists.txt after every build of the shipped libgentcp.so:
#   cmake -DOBJDUMP=objdump -DLIBRARY=libgentcp.so -DMAX=2.28 -DSTAMP=file -P check_glibc.cmake
# objdump -T lists the dynamic symbols with their versions, e.g.
#   0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.34) pthread_create
# objdump -p's version references are read too: a version can be required with no symbol named.
foreach(v OBJDUMP LIBRARY MAX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_glibc.cmake: -D${v}=... is missing")
  endif()
endforeach()
execute_process(COMMAND ${OBJDUMP} -T -p ${LIBRARY} OUTPUT_VARIABLE dump RESULT_VARIABLE rc
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_glibc.cmake: ${OBJDUMP} -T -p ${LIBRARY} failed: ${err}")
endif()
string(REPLACE "\n" ";" lines "${dump}")
set(highest 0)
set(count 0)
set(above "")
foreach(line IN LISTS lines)
  if(line MATCHES "GLIBC_([0-9]+(\\.[0-9]+)*)\\)?[ \t]+([^ \t]+)$")
    set(version ${CMAKE_MATCH_1})
    set(symbol ${CMAKE_MATCH_3})
  elseif(line MATCHES "^[ \t]+0x[0-9a-f]+[ \t]+0x[0-9a-f]+[ \t]+[0-9]+[ \t]+GLIBC_([0-9]+(\\.[0-9]+)*)$")
    # A version reference (objdump -p): "0x069691b4 0x00 05 GLIBC_2.34"
    set(version ${CMAKE_MATCH_1})
    set(symbol "")
  else()
    continue()
  endif()
  math(EXPR count "${count} + 1")
  if(version VERSION_GREATER highest)
    set(highest ${version})
  endif()
  if(version VERSION_GREATER MAX)
    if(symbol)
      list(APPEND above "${symbol}@GLIBC_${version}")
    else()
      list(APPEND above "GLIBC_${version} (version reference)")
    endif()
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "check_glibc.cmake: ${LIBRARY}: objdump lists no GLIBC_ version at all; "
                      "is it linked against glibc?")
endif()
get_filename_component(name ${LIBRARY} NAME)
if(above)
  list(REMOVE_DUPLICATES above)
  string(REPLACE ";" ", " above "${above}")
  message(FATAL_ERROR "gentcp: ${name} needs glibc newer than the ${MAX} baseline: ${above}. "
                      "Pin the symbol to an older version in native/src/glibc_baseline.h, or do "
                      "without the function.")
endif()
message(STATUS "gentcp: ${LIBRARY}: highest GLIBC_ version needed ${highest} "
               "(baseline ${MAX}, ${count} versioned entries checked)")
if(DEFINED STAMP)
  file(WRITE ${STAMP} "${highest}\n")
endif()
