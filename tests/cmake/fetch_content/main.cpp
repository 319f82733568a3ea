// SPDX-License-Identifier: Apache-2.0
// A consumer that fetches the source with FetchContent: builds an Error, formats it, keeps a secret out of it.
#include <kinesis/kinesis.hpp>

#include <fmt/core.h>

int main() {
    kinesis::Error error =
        kinesis::invalid_argument("put_record: partition_key has 300 characters; the limit is 256");
    kinesis::SecretString secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    std::string line = fmt::format("{} {}", error, secret);
    fmt::print("kinesis-cpp {}: {}\n", kinesis::version_string, line);
    // The consumer fails if the library's formatting ever leaks the secret or drops the kind.
    if (line.find("EXAMPLEKEY") != std::string::npos) return 1;
    if (line.find("InvalidArgument") == std::string::npos) return 1;
    return 0;
}
