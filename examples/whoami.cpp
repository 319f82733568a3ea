// SPDX-License-Identifier: Apache-2.0
// whoami: prints the account, ARN and user id behind the configured credentials
// (STS GetCallerIdentity through config, credentials, SigV4, transport, Query and XML).
#include <kinesis/config.hpp>
#include <kinesis/error.hpp>
#include <kinesis/sts.hpp>

#include <fmt/core.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view usage =
    "usage: whoami [--region REGION] [--endpoint-url URL] [--profile NAME]\n"
    "Region, endpoint and credentials otherwise come from the environment\n"
    "(AWS_REGION, AWS_ENDPOINT_URL[_STS], AWS_ACCESS_KEY_ID, AWS_PROFILE, ...).\n";

// One line on stderr, whatever the service put in its message.
int fail(const kinesis::Error& error) {
    std::string line = error.to_string();
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    fmt::print(stderr, "whoami: {}\n", line);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    kinesis::ClientConfig config;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view value;
        std::string_view flag = arg;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string_view::npos) {
            flag = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        } else if (arg == "--region" || arg == "--endpoint-url" || arg == "--profile") {
            if (i + 1 >= argc) {
                fmt::print(stderr, "whoami: {} needs a value\n{}", arg, usage);
                return 2;
            }
            value = argv[++i];
        }
        if (flag == "--help" || flag == "-h") {
            fmt::print("{}", usage);
            return 0;
        } else if (flag == "--region") {
            config.region = std::string(value);
        } else if (flag == "--endpoint-url") {
            config.endpoint = std::string(value);
        } else if (flag == "--profile") {
            config.profile = std::string(value);
        } else {
            fmt::print(stderr, "whoami: unknown argument {}\n{}", arg, usage);
            return 2;
        }
    }

    try {
        kinesis::StsClient sts(config);
        auto identity = sts.get_caller_identity();
        if (!identity) return fail(identity.error());
        fmt::print("Account: {}\nArn:     {}\nUserId:  {}\n", identity->account, identity->arn, identity->user_id);
        return 0;
    } catch (const kinesis::Exception& e) {  // a configuration the client cannot start with
        return fail(e.error());
    }
}
