// SPDX-License-Identifier: Apache-2.0
// Where the local AWS endpoints are: written by scripts/test into the environment.
#ifndef KINESIS_TESTS_INTEGRATION_ENDPOINTS_HPP
#define KINESIS_TESTS_INTEGRATION_ENDPOINTS_HPP

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace kinesis_test {

// A missing variable fails the test loudly: integration tests are never skipped.
inline std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string(name) +
                                 " is not set: run integration tests through scripts/test, "
                                 "which starts the local endpoints");
    }
    return value;
}

/// moto_server accepting any signature.
inline std::string moto_endpoint() { return required_env("KINESIS_TEST_MOTO_ENDPOINT"); }

/// moto_server verifying SigV4 signatures (INITIAL_NO_AUTH_ACTION_COUNT).
inline std::string moto_verify_endpoint() { return required_env("KINESIS_TEST_MOTO_VERIFY_ENDPOINT"); }
/// An IAM user's access key on the verifying moto, allowed every action.
inline std::string moto_verify_access_key_id() {
    return required_env("KINESIS_TEST_MOTO_VERIFY_ACCESS_KEY_ID");
}
inline std::string moto_verify_secret_access_key() {
    return required_env("KINESIS_TEST_MOTO_VERIFY_SECRET_ACCESS_KEY");
}

/// kinesis-mock (npm kinesis-local), plain HTTP port.
inline std::string kinesis_mock_endpoint() { return required_env("KINESIS_TEST_KINESIS_MOCK_ENDPOINT"); }

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_ENDPOINTS_HPP
