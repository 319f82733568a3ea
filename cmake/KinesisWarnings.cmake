# Settings for the project's own targets only (tests, examples, benchmarks);
# consumers of kinesis::kinesis get none of them.
add_library(kinesis_project_options INTERFACE)
target_compile_options(kinesis_project_options INTERFACE -Wall -Wextra -Wpedantic -Werror)
if(KINESIS_SANITIZE)
  target_compile_options(kinesis_project_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(kinesis_project_options INTERFACE -fsanitize=address,undefined)
endif()

# In separate-compilation mode the impl/*.inl.hpp definitions are compiled once, into this
# library, the way a large user would do it with one .cpp including src.hpp.
if(KINESIS_SEPARATE_COMPILATION)
  add_library(kinesis_compiled STATIC ${PROJECT_SOURCE_DIR}/cmake/kinesis_src.cpp)
  target_compile_definitions(kinesis_compiled PUBLIC KINESIS_SEPARATE_COMPILATION)
  target_link_libraries(kinesis_compiled PUBLIC kinesis::kinesis PRIVATE kinesis_project_options)
  set(KINESIS_PROJECT_LIBRARY kinesis_compiled)
else()
  set(KINESIS_PROJECT_LIBRARY kinesis::kinesis)
endif()

# kinesis_add_project_target(<target>): our warnings, sanitizers and the library.
function(kinesis_add_project_target target)
  target_link_libraries(${target} PRIVATE ${KINESIS_PROJECT_LIBRARY} kinesis_project_options)
endfunction()
