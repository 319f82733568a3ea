// SPDX-License-Identifier: Apache-2.0
// Test helpers: an isolated AWS environment and temporary files, restored after each test.
#ifndef KINESIS_TESTS_UNIT_AWS_ENV_HPP
#define KINESIS_TESTS_UNIT_AWS_ENV_HPP

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace kinesis_test {

/// Clears every AWS_* variable the library reads, points the shared files at
/// a fresh temporary directory (so the machine's ~/.aws never leaks in), and
/// restores the previous environment on destruction.
class AwsEnv {
public:
    AwsEnv() {
        char pattern[] = "/tmp/kinesis-test-XXXXXX";
        const char* made = ::mkdtemp(pattern);
        if (made == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = made;
        for (const char* name : names()) {
            const char* value = std::getenv(name);
            saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
            ::unsetenv(name);
        }
        // HOME is only saved (a test may change it), not cleared.
        if (saved_.back().second) set("HOME", *saved_.back().second);
        set("AWS_CONFIG_FILE", path("config"));
        set("AWS_SHARED_CREDENTIALS_FILE", path("credentials"));
        // Nothing in a unit test may reach a real metadata service.
        set("AWS_EC2_METADATA_DISABLED", "true");
    }
    ~AwsEnv() {
        for (const auto& [name, value] : saved_) {
            if (value) {
                ::setenv(name.c_str(), value->c_str(), 1);
            } else {
                ::unsetenv(name.c_str());
            }
        }
        for (const auto& file : files_) std::remove(file.c_str());
        ::rmdir(dir_.c_str());
    }
    AwsEnv(const AwsEnv&) = delete;
    AwsEnv& operator=(const AwsEnv&) = delete;

    void set(const std::string& name, const std::string& value) { ::setenv(name.c_str(), value.c_str(), 1); }
    void unset(const std::string& name) { ::unsetenv(name.c_str()); }
    [[nodiscard]] std::string path(const std::string& file) const { return dir_ + "/" + file; }
    /// Writes `text` to <tmpdir>/<file> and returns the path.
    std::string write(const std::string& file, const std::string& text) {
        const std::string full = path(file);
        std::ofstream(full, std::ios::binary) << text;
        files_.push_back(full);
        return full;
    }

private:
    static std::vector<const char*> names() {
        return {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL_FIREHOSE", "AWS_ENDPOINT_URL_S3",
                "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CA_BUNDLE",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_MAX_ATTEMPTS", "HOME"};  // HOME last
    }
    std::string dir_;
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
    std::vector<std::string> files_;
};

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_UNIT_AWS_ENV_HPP
