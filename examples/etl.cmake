# The ingestion lab ETL (W11-W13): binaries and their checks.
foreach(example etl-setup etl-teardown etl-producer etl-consumer)
  string(REPLACE "-" "_" source ${example})
  add_executable(${example} ${source}.cpp)
  kinesis_add_project_target(${example})
endforeach()

# W11-W13 end to end against signature-verifying moto: setup (twice),
# producer, consumer, consumer-from-cli on a destination, teardown; boto3
# checks what each step left (tests/integration/etl_check.sh).
if(KINESIS_BUILD_TESTS)
  add_test(NAME examples.etl.verifying_moto
    COMMAND bash ${PROJECT_SOURCE_DIR}/tests/integration/etl_check.sh $<TARGET_FILE_DIR:etl-setup>)
  set_tests_properties(examples.etl.verifying_moto PROPERTIES LABELS integration TIMEOUT 600)
endif()
