# Call-events producer and consumer (W6, W7): binaries and their checks.
foreach(example callevents-producer callevents-consumer)
  string(REPLACE "-" "_" source ${example})
  add_executable(${example} ${source}.cpp)
  kinesis_add_project_target(${example})
endforeach()

# Producer then consumer against plain moto with credentials from its instance
# metadata endpoint, and against signature-verifying moto as an IAM user holding
# only the original role's policy; every S3 object is read back and compared;
# a shard split under a running consumer (kinesis-mock for the stream, moto for S3)
# (tests/integration/callevents_check.sh; scripts/test provides the endpoints).
if(KINESIS_BUILD_TESTS)
  foreach(check imds_moto policy_verifying_moto reshard_kinesis_mock)
    add_test(NAME examples.callevents.${check}
      COMMAND bash ${PROJECT_SOURCE_DIR}/tests/integration/callevents_check.sh ${check}
        $<TARGET_FILE_DIR:callevents-producer>)
    set_tests_properties(examples.callevents.${check} PROPERTIES LABELS integration TIMEOUT 300)
  endforeach()
endif()
