// SPDX-License-Identifier: Apache-2.0
// whoami: prints the account, ARN and user id behind the configured credentials
// (STS GetCallerIdentity through config, credentials, SigV4, transport, Query and XML).
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/sts/sts_client.hpp>

#include "common/main.hpp"
#include "common/output.hpp"

#include <fmt/core.h>

#include <string>
#include <string_view>

namespace {

constexpr std::string_view program = "whoami";

constexpr std::string_view usage =
    "usage: whoami [--region REGION] [--endpoint-url URL] [--profile NAME]\n"
    "Region, endpoint and credentials otherwise come from the environment\n"
    "(AWS_REGION, AWS_ENDPOINT_URL[_STS], AWS_ACCESS_KEY_ID, AWS_PROFILE, ...).\n";

int who_am_i(const kinesis::ClientConfig& config) {
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    if (!identity) return examples::fail(program, identity.error());
    fmt::print("Account: {}\nArn:     {}\nUserId:  {}\n", identity->account, identity->arn, identity->user_id);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // No flags of its own: --region, --endpoint-url and --profile are run_main's.
    return examples::run_main(argc, argv, {program, std::string(usage), ""}, [](examples::Flags&) {}, who_am_i);
}
