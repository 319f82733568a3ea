// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/config.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>

#include <string>

using kinesis::ClientConfig;
using kinesis::resolve_endpoint;
using kinesis::resolve_region;

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
    config.profile = "dev";
    auto missing_profile = resolve_region(config);
    REQUIRE_FALSE(missing_profile);
    CHECK(missing_profile.error().message.find("(no profile \"dev\")") != std::string::npos);
}

TEST_CASE("resolve_region reports a malformed config file with its line") {
    kinesis_test::AwsEnv env;
    const auto path = env.write("config", "[default]\nregion = x\n[profile dev]\n\nthis line is wrong\n");
    auto region = resolve_region(ClientConfig{});
    REQUIRE_FALSE(region);
    CHECK(region.error().message == path + ":5: expected \"key = value\"");
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
