// SPDX-License-Identifier: Apache-2.0
// Fuzzes the S3, IAM and STS answer readers; the first byte picks the reader, the rest is the body.
//
// STS's answers are read inside StsClient's methods, with no function of their own to call:
// what they run on the body (parse_xml, child_text, parse_iso8601 on Expiration) is fuzzed
// here on STS-shaped seeds instead.
#include <kinesis/s3/detail/wire.hpp>
#include <kinesis/iam/iam_client.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/xml.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using kinesis_fuzz::require;
using kinesis_fuzz::require_parse_error_on_failure;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    kinesis_fuzz::FuzzInput input(data, size);
    const std::uint8_t choice = input.byte();
    const std::string_view body = input.rest();

    switch (choice % 8) {
        case 0: require_parse_error_on_failure(d::parse_list_buckets(body)); break;
        case 1: {
            auto page = d::parse_list_objects_v2(body);
            require_parse_error_on_failure(page);
            if (page && page->is_truncated) require(page->next_continuation_token.has_value());
            break;
        }
        case 2: require_parse_error_on_failure(d::parse_delete_objects(body)); break;
        case 3:
        case 4: {
            kinesis::HttpResponse response;
            response.status = 200;
            response.body = std::string(body);
            const char* action = choice % 8 == 3 ? "GetRole" : "CreateRole";
            auto role = d::iam_impl::role_result(action, response);
            require_parse_error_on_failure(role);
            if (role) require(!role->arn.empty());
            break;
        }
        case 5: {
            kinesis::HttpResponse response;
            response.status = 200;
            response.body = std::string(body);
            require_parse_error_on_failure(d::iam_impl::result_element("ListRolePolicies", response));
            break;
        }
        case 6: {
            // AssumeRole: <AssumeRoleResponse><AssumeRoleResult><Credentials>...<Expiration>
            auto root = d::parse_xml(body);
            if (!root) break;
            const auto* result = root->find_child("AssumeRoleResult");
            const auto* credentials = result != nullptr ? result->find_child("Credentials") : nullptr;
            if (credentials != nullptr) (void)d::parse_iso8601(credentials->child_text("Expiration"));
            break;
        }
        default: {
            // The times answers carry: ISO 8601 in XML and JSON, the HTTP Date header.
            if (auto time = d::parse_iso8601(body)) {
                auto again = d::parse_iso8601(d::iso8601(*time));
                require(static_cast<bool>(again));
            }
            (void)d::parse_http_date(body);
            break;
        }
    }
    return 0;
}
