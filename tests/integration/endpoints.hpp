// SPDX-License-Identifier: Apache-2.0
// Where the local AWS endpoints are: written by scripts/test into the environment.
#ifndef KINESIS_TESTS_INTEGRATION_ENDPOINTS_HPP
#define KINESIS_TESTS_INTEGRATION_ENDPOINTS_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/auth/credentials.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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
/// kinesis-mock's TLS port: a self-signed certificate, HTTP/2 offered by ALPN.
inline std::string kinesis_mock_tls_endpoint() { return required_env("KINESIS_TEST_KINESIS_MOCK_TLS_ENDPOINT"); }

/// One of the two independent Kinesis servers every Kinesis test runs against;
/// CAPTURE(endpoint.name) in a test says which one failed.
struct KinesisEndpoint {
    std::string name;
    std::string url;
};

inline std::vector<KinesisEndpoint> kinesis_endpoints() {
    return {{"moto", moto_endpoint()}, {"kinesis-mock", kinesis_mock_endpoint()}};
}

/// us-east-1 on that endpoint, with fixed test keys (neither server checks them).
inline kinesis::ClientConfig kinesis_config(const KinesisEndpoint& endpoint) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = endpoint.url;
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("testing", "testing");
    return config;
}

/// Unique per process and call, so tests (and reruns against one server) never collide.
inline std::string unique_name(std::string_view prefix) {
    static std::atomic<int> counter{0};
    return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

/// Both servers make a stream ACTIVE within a second; poll fast.
inline const kinesis::WaiterConfig fast_waiter{std::chrono::milliseconds(200), 50};

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_ENDPOINTS_HPP
