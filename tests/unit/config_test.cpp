// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/config.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>

#include <string>

using kinesis::ClientConfig;
using kinesis::resolve_endpoint;
using kinesis::resolve_region;

namespace {

// The error of a Result that must have failed; error() on a value is undefined.
template <class R>
kinesis::Error error_of(const R& result) {
    REQUIRE_FALSE(result);
    return result.error();
}

}  // namespace

TEST_CASE("resolve_region prefers explicit, then AWS_REGION, AWS_DEFAULT_REGION, then the profile") {
    kinesis_test::AwsEnv env;
    env.write("config", "[default]\nregion = from-default\n[profile dev]\nregion = from-dev\n");
    ClientConfig config;
    CHECK(resolve_region(config).value() == "from-default");
    env.set("AWS_PROFILE", "dev");
    CHECK(resolve_region(config).value() == "from-dev");
    config.profile = "default";  // explicit profile beats AWS_PROFILE
    CHECK(resolve_region(config).value() == "from-default");
    env.set("AWS_DEFAULT_REGION", "from-default-env");
    CHECK(resolve_region(config).value() == "from-default-env");
    env.set("AWS_REGION", "from-env");
    CHECK(resolve_region(config).value() == "from-env");
    config.region = "explicit";
    CHECK(resolve_region(config).value() == "explicit");
}

TEST_CASE("resolve_region without any source names every place it looked") {
    kinesis_test::AwsEnv env;
    ClientConfig config;
    auto missing_file = resolve_region(config);
    REQUIRE_FALSE(missing_file);
    CHECK(missing_file.error().kind == kinesis::ErrorKind::InvalidArgument);
    const std::string& text = missing_file.error().message;
    CAPTURE(text);
    CHECK(text.find("ClientConfig::region") != std::string::npos);
    CHECK(text.find("AWS_REGION") != std::string::npos);
    CHECK(text.find("AWS_DEFAULT_REGION") != std::string::npos);
    CHECK(text.find(env.path("config") + " (no such file)") != std::string::npos);

    env.write("config", "[profile other]\nregion = x\n");
    auto no_default = resolve_region(config);  // the implicit "default" may be absent
    REQUIRE_FALSE(no_default);
    CHECK(no_default.error().message.find(env.path("config") + " (no profile \"default\")") != std::string::npos);
}

TEST_CASE("resolve_region fails naming the profile and both files when the named profile is in neither") {
    kinesis_test::AwsEnv env;
    env.write("config", "[profile other]\nregion = eu-north-1\n");
    const std::string files = env.path("credentials") + " or " + env.path("config");
    ClientConfig config;
    config.profile = "dev";
    auto explicit_name = resolve_region(config);
    REQUIRE_FALSE(explicit_name);
    CHECK(explicit_name.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(explicit_name.error().message == "profile \"dev\" not found in " + files);
    config.profile.clear();
    env.set("AWS_PROFILE", "dev");
    CHECK(error_of(resolve_region(config)).message == "profile \"dev\" (from AWS_PROFILE) not found in " + files);
    CHECK(error_of(kinesis::resolve_ca_bundle(config)).message ==
          "profile \"dev\" (from AWS_PROFILE) not found in " + files);
    env.write("credentials", "[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n");
    auto in_credentials = resolve_region(config);  // a profile there counts, though region is read from config
    REQUIRE_FALSE(in_credentials);
    CHECK(in_credentials.error().message.find("no profile \"dev\"") != std::string::npos);
    env.set("AWS_REGION", "eu-north-1");  // the profile is not read at all
    CHECK(resolve_region(config).value() == "eu-north-1");
}

TEST_CASE("resolve_region accepts what botocore's validate_region_name accepts, and nothing else") {
    kinesis_test::AwsEnv env;
    ClientConfig config;
    for (const char* valid : {"us-east-1", "cn-northwest-1", "us-gov-west-1", "eu-north-1", "local", "a", "1a",
                              "US-EAST-1", "x123456789012345678901234567890123456789012345678901234567890ab"}) {
        CAPTURE(valid);
        config.region = valid;
        CHECK(resolve_region(config).value() == valid);
    }
    for (const char* invalid : {"evil.com/x", "us-east-1; rm -rf /", "us-east-1.evil.com", "us east 1",
                                "-us-east-1", "us-east-1-", "-", "12345", "us_east_1", "eu-north-1\n",
                                "us-east-1@evil", "\xc3\xa9u-north-1",
                                "x1234567890123456789012345678901234567890123456789012345678901ab"}) {
        CAPTURE(invalid);
        config.region = invalid;
        auto region = resolve_region(config);
        REQUIRE_FALSE(region);
        CHECK(region.error().kind == kinesis::ErrorKind::InvalidArgument);
    }
}

TEST_CASE("an invalid region is rejected naming where it came from: config, AWS_REGION, AWS_DEFAULT_REGION, profile") {
    kinesis_test::AwsEnv env;
    const auto path = env.write("config", "[profile dev]\nregion = eu-north-1.evil.com\n");
    ClientConfig config;
    config.profile = "dev";
    const std::string rule =
        ": a region is 1 to 63 letters, digits and '-', not all digits, and neither starts nor ends with '-'";
    auto from_profile = resolve_region(config);
    REQUIRE_FALSE(from_profile);
    CHECK(from_profile.error().message ==
          "invalid region \"eu-north-1.evil.com\" from profile \"dev\" in " + path + rule);
    env.set("AWS_DEFAULT_REGION", "us-east-1; rm -rf /");
    CHECK(error_of(resolve_region(config)).message ==
          "invalid region \"us-east-1; rm -rf /\" from AWS_DEFAULT_REGION" + rule);
    env.set("AWS_REGION", "evil.com/x");
    CHECK(error_of(resolve_region(config)).message == "invalid region \"evil.com/x\" from AWS_REGION" + rule);
    config.region = "us-east-1 ";
    CHECK(error_of(resolve_region(config)).message == "invalid region \"us-east-1 \" from config.region" + rule);
    config.region = "us-east-1";  // the first source set decides; the others are not read
    CHECK(resolve_region(config).value() == "us-east-1");
}

TEST_CASE("an invalid region is quoted with control characters escaped, so none reaches a terminal raw") {
    kinesis_test::AwsEnv env;
    env.set("AWS_REGION", "\x1b]0;owned\x07\x1b[2J\"\\\r\n\t\x7f");
    auto region = resolve_region(ClientConfig{});
    REQUIRE_FALSE(region);
    const std::string& text = region.error().message;
    CAPTURE(text);
    CHECK(text.rfind("invalid region \"\\x1b]0;owned\\x07\\x1b[2J\\\"\\\\\\r\\n\\t\\x7f\" from AWS_REGION: ", 0) == 0);
    for (const char c : text) CHECK((c >= 0x20 && c < 0x7f));

    env.set("AWS_REGION", std::string(100, 'x') + "/");
    const std::string long_text = error_of(resolve_region(ClientConfig{})).message;
    CHECK(long_text.rfind("invalid region \"" + std::string(64, 'x') + "\" (the first 64 of 101 bytes) from AWS_REGION",
                          0) == 0);
}

TEST_CASE("resolve_endpoint refuses to build a host name from an invalid region") {
    kinesis_test::AwsEnv env;
    auto endpoint = resolve_endpoint(ClientConfig{}, "kinesis", "KINESIS", "evil.com/x");
    REQUIRE_FALSE(endpoint);
    CHECK(endpoint.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(endpoint.error().message.find("invalid region \"evil.com/x\"") != std::string::npos);
}

TEST_CASE("resolve_region reports a malformed config file with its line") {
    kinesis_test::AwsEnv env;
    const auto path = env.write("config", "[default]\nregion = x\n[profile dev]\n\nthis line is wrong\n");
    auto region = resolve_region(ClientConfig{});
    REQUIRE_FALSE(region);
    CHECK(region.error().message == path + ":5: expected \"key = value\"");
}

TEST_CASE("resolve_ca_bundle prefers config.ca_bundle, then AWS_CA_BUNDLE, then the profile's ca_bundle") {
    kinesis_test::AwsEnv env;
    ClientConfig config;
    CHECK(kinesis::resolve_ca_bundle(config).value().empty());  // the system's store
    env.write("config", "[default]\nca_bundle = /etc/default-ca.pem\n[profile dev]\nca_bundle = /etc/dev-ca.pem\n"
                        "[profile bare]\nregion = eu-north-1\n");
    CHECK(kinesis::resolve_ca_bundle(config).value() == "/etc/default-ca.pem");
    env.set("AWS_PROFILE", "dev");
    CHECK(kinesis::resolve_ca_bundle(config).value() == "/etc/dev-ca.pem");
    config.profile = "bare";
    CHECK(kinesis::resolve_ca_bundle(config).value().empty());
    config.profile = "dev";
    env.set("AWS_CA_BUNDLE", "/etc/env-ca.pem");
    CHECK(kinesis::resolve_ca_bundle(config).value() == "/etc/env-ca.pem");
    config.ca_bundle = "/etc/explicit-ca.pem";
    CHECK(kinesis::resolve_ca_bundle(config).value() == "/etc/explicit-ca.pem");
}

TEST_CASE("resolve_endpoint follows explicit, service env, global env, profile services, profile, default") {
    kinesis_test::AwsEnv env;
    ClientConfig config;
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "eu-north-1").value() ==
          "https://kinesis.eu-north-1.amazonaws.com");
    env.write("config",
              "[default]\n"
              "endpoint_url = http://profile-global\n"
              "services = local\n"
              "[services local]\n"
              "kinesis =\n"
              "  endpoint_url = http://profile-kinesis\n");
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "eu-north-1").value() == "http://profile-kinesis");
    CHECK(resolve_endpoint(config, "firehose", "FIREHOSE", "eu-north-1").value() == "http://profile-global");
    env.set("AWS_ENDPOINT_URL", "http://env-global");
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "eu-north-1").value() == "http://env-global");
    env.set("AWS_ENDPOINT_URL_KINESIS", "http://env-kinesis");
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "eu-north-1").value() == "http://env-kinesis");
    CHECK(resolve_endpoint(config, "sts", "STS", "eu-north-1").value() == "http://env-global");
    config.endpoint = "http://explicit";
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "eu-north-1").value() == "http://explicit");
}

TEST_CASE("resolve_endpoint honours AWS_ENDPOINT_URL_DYNAMODB for dynamodb only") {
    kinesis_test::AwsEnv env;
    ClientConfig config;
    CHECK(resolve_endpoint(config, "dynamodb", "DYNAMODB", "eu-north-1").value() ==
          "https://dynamodb.eu-north-1.amazonaws.com");
    env.set("AWS_ENDPOINT_URL", "http://env-global");
    env.set("AWS_ENDPOINT_URL_DYNAMODB", "http://env-dynamodb");
    CHECK(resolve_endpoint(config, "dynamodb", "DYNAMODB", "eu-north-1").value() == "http://env-dynamodb");
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "eu-north-1").value() == "http://env-global");
}

TEST_CASE("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS skips env and profile endpoints but not the explicit one") {
    kinesis_test::AwsEnv env;
    env.write("config", "[default]\nendpoint_url = http://profile\n");
    env.set("AWS_ENDPOINT_URL", "http://env");
    env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    ClientConfig config;
    CHECK(resolve_endpoint(config, "sts", "STS", "us-east-1").value() == "https://sts.us-east-1.amazonaws.com");
    config.endpoint = "http://explicit";
    CHECK(resolve_endpoint(config, "sts", "STS", "us-east-1").value() == "http://explicit");
}

TEST_CASE("the profile's ignore_configured_endpoint_urls applies unless the environment decides") {
    kinesis_test::AwsEnv env;
    env.write("config", "[default]\nendpoint_url = http://profile\nignore_configured_endpoint_urls = true\n");
    ClientConfig config;
    CHECK(resolve_endpoint(config, "s3", "S3", "us-east-1").value() == "https://s3.us-east-1.amazonaws.com");
    env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
    CHECK(resolve_endpoint(config, "s3", "S3", "us-east-1").value() == "http://profile");
}

TEST_CASE("resolve_endpoint uses the .com.cn suffix in the aws-cn partition and needs a region") {
    kinesis_test::AwsEnv env;
    ClientConfig config;
    CHECK(resolve_endpoint(config, "kinesis", "KINESIS", "cn-north-1").value() ==
          "https://kinesis.cn-north-1.amazonaws.com.cn");
    CHECK(resolve_endpoint(config, "dynamodb", "DYNAMODB", "cn-northwest-1").value() ==
          "https://dynamodb.cn-northwest-1.amazonaws.com.cn");
    auto no_region = resolve_endpoint(config, "kinesis", "KINESIS", "");
    REQUIRE_FALSE(no_region);
    CHECK(no_region.error().kind == kinesis::ErrorKind::InvalidArgument);
}
