// SPDX-License-Identifier: Apache-2.0
// Amazon Resource Names for the resources this library provisions, built in one place.
#ifndef KINESIS_CORE_ARN_HPP
#define KINESIS_CORE_ARN_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <string>
#include <string_view>

namespace kinesis {

/// `arn:<partition>:<service>:<region>:<account>:<resource>`, split into its
/// parts. Buckets and IAM roles have no region; buckets have no account.
struct Arn {
    std::string partition;  ///< "aws", "aws-cn", "aws-us-gov", ...
    std::string service;    ///< "kinesis", "firehose", "s3", "iam", ...
    std::string region;
    std::string account;
    std::string resource;  ///< "stream/<name>", "role/<name>", "<bucket>", ...

    [[nodiscard]] KINESIS_DECL std::string to_string() const;
    /// Splits an ARN; an InvalidArgument error says which part is missing.
    [[nodiscard]] KINESIS_DECL static Result<Arn> parse(std::string_view text);
};

/// The partition a region belongs to: "aws-cn" for cn-*, "aws-us-gov" for
/// us-gov-*, "aws-iso" for us-iso-*, "aws-iso-b" for us-isob-*, else "aws".
[[nodiscard]] KINESIS_DECL std::string partition_of_region(std::string_view region);

/// Where the resources of one account in one region live: every ARN below is
/// built from these three values, never spelled out by hand.
struct ArnScope {
    std::string partition = "aws";
    std::string region;
    std::string account;  ///< the 12-digit account id (StsClient::get_caller_identity)

    /// partition_of_region(region) with `region` and `account`.
    [[nodiscard]] KINESIS_DECL static ArnScope of(std::string_view region, std::string_view account);

    /// arn:<p>:kinesis:<region>:<account>:stream/<name>
    [[nodiscard]] KINESIS_DECL std::string stream(std::string_view name) const;
    /// arn:<p>:firehose:<region>:<account>:deliverystream/<name>
    [[nodiscard]] KINESIS_DECL std::string delivery_stream(std::string_view name) const;
    /// arn:<p>:s3:::<bucket> (bucket ARNs carry neither region nor account)
    [[nodiscard]] KINESIS_DECL std::string bucket(std::string_view name) const;
    /// arn:<p>:s3:::<bucket>/<key pattern>, e.g. "*" for every object
    [[nodiscard]] KINESIS_DECL std::string objects(std::string_view bucket, std::string_view key_pattern) const;
    /// arn:<p>:iam::<account>:role/<name> (IAM is global: no region)
    [[nodiscard]] KINESIS_DECL std::string role(std::string_view name) const;
    /// arn:<p>:logs:<region>:<account>:log-group:<name>
    [[nodiscard]] KINESIS_DECL std::string log_group(std::string_view name) const;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/impl/arn.inl.hpp>
#endif

#endif  // KINESIS_CORE_ARN_HPP
