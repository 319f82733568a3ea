# The ingestion lab ETL (W11-W13): binaries and their checks.
foreach(example etl-setup etl-teardown etl-producer etl-consumer)
  string(REPLACE "-" "_" source ${example})
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${source}.cpp)
    add_executable(${example} ${source}.cpp)
    kinesis_add_project_target(${example})
  endif()
endforeach()
