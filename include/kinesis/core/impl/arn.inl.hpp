// SPDX-License-Identifier: Apache-2.0
// Definitions for core/arn.hpp.
#ifndef KINESIS_CORE_IMPL_ARN_INL_HPP
#define KINESIS_CORE_IMPL_ARN_INL_HPP

#include <kinesis/core/arn.hpp>

#include <fmt/core.h>

namespace kinesis {

KINESIS_DECL std::string Arn::to_string() const {
    return fmt::format("arn:{}:{}:{}:{}:{}", partition, service, region, account, resource);
}

KINESIS_DECL Result<Arn> Arn::parse(std::string_view text) {
    constexpr std::string_view prefix = "arn:";
    if (text.substr(0, prefix.size()) != prefix) {
        return invalid_argument(fmt::format("ARN of {} characters does not start with \"arn:\"", text.size()));
    }
    std::string_view rest = text.substr(prefix.size());
    std::string* parts[4];
    Arn arn;
    parts[0] = &arn.partition;
    parts[1] = &arn.service;
    parts[2] = &arn.region;
    parts[3] = &arn.account;
    static constexpr const char* names[4] = {"partition", "service", "region", "account"};
    for (int i = 0; i < 4; ++i) {
        const auto colon = rest.find(':');
        if (colon == std::string_view::npos) {
            return invalid_argument(fmt::format("ARN \"{}\" ends before its {}", text, names[i]));
        }
        parts[i]->assign(rest.substr(0, colon));
        rest.remove_prefix(colon + 1);
    }
    if (arn.partition.empty() || arn.service.empty() || rest.empty()) {
        return invalid_argument(fmt::format("ARN \"{}\" lacks a partition, service or resource", text));
    }
    arn.resource.assign(rest);
    return arn;
}

KINESIS_DECL std::string partition_of_region(std::string_view region) {
    auto starts = [&](std::string_view prefix) { return region.substr(0, prefix.size()) == prefix; };
    if (starts("cn-")) return "aws-cn";
    if (starts("us-gov-")) return "aws-us-gov";
    if (starts("us-isob-")) return "aws-iso-b";
    if (starts("us-iso-")) return "aws-iso";
    return "aws";
}

KINESIS_DECL ArnScope ArnScope::of(std::string_view region, std::string_view account) {
    return ArnScope{partition_of_region(region), std::string(region), std::string(account)};
}

KINESIS_DECL std::string ArnScope::stream(std::string_view name) const {
    return fmt::format("arn:{}:kinesis:{}:{}:stream/{}", partition, region, account, name);
}

KINESIS_DECL std::string ArnScope::delivery_stream(std::string_view name) const {
    return fmt::format("arn:{}:firehose:{}:{}:deliverystream/{}", partition, region, account, name);
}

KINESIS_DECL std::string ArnScope::bucket(std::string_view name) const {
    return fmt::format("arn:{}:s3:::{}", partition, name);
}

KINESIS_DECL std::string ArnScope::objects(std::string_view bucket_name, std::string_view key_pattern) const {
    return fmt::format("arn:{}:s3:::{}/{}", partition, bucket_name, key_pattern);
}

KINESIS_DECL std::string ArnScope::role(std::string_view name) const {
    return fmt::format("arn:{}:iam::{}:role/{}", partition, account, name);
}

KINESIS_DECL std::string ArnScope::log_group(std::string_view name) const {
    return fmt::format("arn:{}:logs:{}:{}:log-group:{}", partition, region, account, name);
}

}  // namespace kinesis

#endif  // KINESIS_CORE_IMPL_ARN_INL_HPP
