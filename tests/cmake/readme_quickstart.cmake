# The README's first ```cpp block (after the line AFTER, when given) must be EXAMPLE
# from its first line that is not a // comment (the SPDX and purpose lines) to its end.
# Usage: cmake -DREADME=<README.md> -DEXAMPLE=<example.cpp> [-DAFTER=<heading>] -P readme_quickstart.cmake
cmake_minimum_required(VERSION 3.21)

file(READ "${README}" readme)
if(DEFINED AFTER)
  string(FIND "${readme}" "\n${AFTER}\n" heading)
  if(heading EQUAL -1)
    message(FATAL_ERROR "${README} has no line '${AFTER}'")
  endif()
  string(SUBSTRING "${readme}" ${heading} -1 readme)
endif()
set(fence "```cpp\n")
string(FIND "${readme}" "${fence}" start)
if(start EQUAL -1)
  message(FATAL_ERROR "${README} has no ```cpp block")
endif()
string(LENGTH "${fence}" fence_length)
math(EXPR start "${start} + ${fence_length}")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "\n```" end)
if(end EQUAL -1)
  message(FATAL_ERROR "${README}: the first ```cpp block is not closed")
endif()
math(EXPR end "${end} + 1")  # the block's last line keeps its newline
string(SUBSTRING "${rest}" 0 ${end} block)

file(READ "${EXAMPLE}" example)
string(REGEX REPLACE "^(//[^\n]*\n)+" "" code "${example}")

if(NOT "${block}" STREQUAL "${code}")
  message(FATAL_ERROR "The README's first ```cpp block differs from ${EXAMPLE} (below its comment lines); "
    "copy one onto the other.\n--- README\n${block}--- ${EXAMPLE}\n${code}")
endif()
