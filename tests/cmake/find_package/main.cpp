// SPDX-License-Identifier: Apache-2.0
// A consumer of the installed package: builds a client and an Error, formats them, keeps a secret out.
#include <kinesis/kinesis.hpp>

#include <fmt/core.h>

#include <string>

int main() {
    // A client is built without any network call; this links in curl, OpenSSL and simdjson.
    kinesis::ClientConfig config;
    config.region = "eu-north-1";
    config.endpoint = "http://127.0.0.1:9";
    kinesis::StsClient sts(config);

    kinesis::Error error =
        kinesis::invalid_argument("put_record: partition_key has 300 characters; the limit is 256");
    kinesis::SecretString secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    std::string line = fmt::format("{} {}", error, secret);
    fmt::print("kinesis-cpp {} ({} at {}): {}\n", kinesis::version_string, sts.region(), sts.endpoint(),
               line);
    // The consumer fails if formatting ever leaks the secret or drops the kind.
    if (line.find("EXAMPLEKEY") != std::string::npos) return 1;
    if (line.find("InvalidArgument") == std::string::npos) return 1;
    return sts.region() == "eu-north-1" ? 0 : 1;
}
