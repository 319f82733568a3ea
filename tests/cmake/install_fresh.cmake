# Installs the build tree into an emptied prefix, so the find_package consumer
# never sees headers left over from an earlier install.
# Usage: cmake -DBUILD_DIR=<build> -DPREFIX=<prefix> -P install_fresh.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} failed: ${result}")
endif()
# The exported target must point into the prefix, never back at the source tree.
file(READ "${PREFIX}/${LIBDIR}/cmake/kinesis/kinesis-targets.cmake" targets)
string(FIND "${targets}" "${SOURCE_DIR}" leak)
if(NOT leak EQUAL -1)
  message(FATAL_ERROR "kinesis-targets.cmake refers to the source tree ${SOURCE_DIR}")
endif()
