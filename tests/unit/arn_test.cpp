// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/arn.hpp>

#include <doctest/doctest.h>

TEST_CASE("ArnScope builds the ARN of every provisioned resource from partition, region and account") {
    const auto scope = kinesis::ArnScope::of("us-east-1", "123456789012");
    CHECK(scope.stream("de-c2w2lab1-usa-data-stream") ==
          "arn:aws:kinesis:us-east-1:123456789012:stream/de-c2w2lab1-usa-data-stream");
    CHECK(scope.delivery_stream("de-c2w2lab1-firehose-usa") ==
          "arn:aws:firehose:us-east-1:123456789012:deliverystream/de-c2w2lab1-firehose-usa");
    CHECK(scope.bucket("de-c2w2lab1-123456789012-usa") == "arn:aws:s3:::de-c2w2lab1-123456789012-usa");
    CHECK(scope.objects("b", "*") == "arn:aws:s3:::b/*");
    CHECK(scope.role("de-c2w2lab1-firehose-role") == "arn:aws:iam::123456789012:role/de-c2w2lab1-firehose-role");
    CHECK(scope.log_group("g") == "arn:aws:logs:us-east-1:123456789012:log-group:g");
}

TEST_CASE("the partition follows the region") {
    CHECK(kinesis::partition_of_region("eu-north-1") == "aws");
    CHECK(kinesis::partition_of_region("cn-north-1") == "aws-cn");
    CHECK(kinesis::partition_of_region("us-gov-west-1") == "aws-us-gov");
    CHECK(kinesis::partition_of_region("us-iso-east-1") == "aws-iso");
    CHECK(kinesis::partition_of_region("us-isob-east-1") == "aws-iso-b");
    CHECK(kinesis::ArnScope::of("cn-northwest-1", "1").stream("s") == "arn:aws-cn:kinesis:cn-northwest-1:1:stream/s");
}

TEST_CASE("Arn::parse splits an ARN and round-trips it, and names what a bad one lacks") {
    auto arn = kinesis::Arn::parse("arn:aws:kinesis:eu-north-1:123456789012:stream/AForB_callevents");
    REQUIRE(arn);
    CHECK(arn->partition == "aws");
    CHECK(arn->service == "kinesis");
    CHECK(arn->region == "eu-north-1");
    CHECK(arn->account == "123456789012");
    CHECK(arn->resource == "stream/AForB_callevents");
    CHECK(arn->to_string() == "arn:aws:kinesis:eu-north-1:123456789012:stream/AForB_callevents");

    auto bucket = kinesis::Arn::parse("arn:aws:s3:::my-bucket/key:with:colons");
    REQUIRE(bucket);
    CHECK(bucket->region.empty());
    CHECK(bucket->account.empty());
    CHECK(bucket->resource == "my-bucket/key:with:colons");

    auto not_arn = kinesis::Arn::parse("stream/x");
    REQUIRE_FALSE(not_arn);
    CHECK(not_arn.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(not_arn.error().message == "ARN of 8 characters does not start with \"arn:\"");
    auto short_arn = kinesis::Arn::parse("arn:aws:iam:");
    REQUIRE_FALSE(short_arn);
    CHECK(short_arn.error().message == "ARN \"arn:aws:iam:\" ends before its region");
}
