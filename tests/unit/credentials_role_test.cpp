// SPDX-License-Identifier: Apache-2.0
#include <kinesis/auth/credentials.hpp>
#include <kinesis/sts/sts_client.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

constexpr const char* secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

// Nothing listens on port 9: a role profile that gets as far as STS fails there.
void unreachable_sts(kinesis_test::AwsEnv& env) {
    env.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9");
    env.set("AWS_REGION", "us-east-1");
}

kinesis::ClientConfig one_attempt() {
    kinesis::ClientConfig sts;
    sts.retry.max_attempts = 1;
    sts.connect_timeout = std::chrono::seconds(2);
    return sts;
}

kinesis::Error profile_error(const std::string& profile) {
    kinesis::ProfileCredentialsProvider provider(profile, {}, one_attempt());
    auto credentials = provider.credentials();
    REQUIRE_FALSE(credentials);
    CHECK(credentials.error().kind == kinesis::ErrorKind::Credentials);
    CHECK(credentials.error().message.find(secret) == std::string::npos);
    return credentials.error();
}

}  // namespace

TEST_CASE("role profile with source_profile assumes the role with the source profile's keys") {
    kinesis_test::AwsEnv env;
    unreachable_sts(env);
    env.write("credentials", std::string("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = ") + secret + "\n");
    env.write("config", "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n");
    const auto error = profile_error("app");
    // It got as far as calling STS for the role.
    CHECK(error.message.find("assume role arn:aws:iam::123456789012:role/app: ") == 0);
}

TEST_CASE("role profiles chain through source_profile, each assuming its own role") {
    kinesis_test::AwsEnv env;
    unreachable_sts(env);
    env.write("config", std::string("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
                                    "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n"
                                    "[profile c]\naws_access_key_id = AKIDC\naws_secret_access_key = ") +
                            secret + "\n");
    const auto error = profile_error("a");
    CHECK(error.message.find("assume role arn:aws:iam::123456789012:role/a: ") == 0);
    CHECK(error.message.find("assume role arn:aws:iam::123456789012:role/b: ") != std::string::npos);
}

TEST_CASE("role profile source_profile cycle is an error naming the profiles") {
    kinesis_test::AwsEnv env;
    env.write("config", "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
                        "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n"
                        "[profile c]\nrole_arn = arn:aws:iam::123456789012:role/c\nsource_profile = a\n");
    CHECK(profile_error("a").message == "profile \"c\": source_profile forms a cycle: a -> b -> c -> a");
    env.write("config", "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = self\n");
    CHECK(profile_error("self").message == "profile \"self\": source_profile forms a cycle: self -> self");
}

TEST_CASE("role profile may name itself as source_profile to use its own keys") {
    kinesis_test::AwsEnv env;
    unreachable_sts(env);
    env.write("config", std::string("[profile self]\nrole_arn = arn:aws:iam::123456789012:role/self\n"
                                    "source_profile = self\naws_access_key_id = AKIDSELF\naws_secret_access_key = ") +
                            secret + "\n");
    CHECK(profile_error("self").message.find("assume role arn:aws:iam::123456789012:role/self: ") == 0);
}

TEST_CASE("role profile with credential_source Environment takes the source keys from the environment") {
    kinesis_test::AwsEnv env;
    unreachable_sts(env);
    env.write("config", "[profile env]\nrole_arn = arn:aws:iam::123456789012:role/env\ncredential_source = Environment\n");
    // No keys in the environment: the source fails before STS is called.
    auto missing = profile_error("env");
    CHECK(missing.message.find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set") != std::string::npos);
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", secret);
    CHECK(profile_error("env").message.find("assume role arn:aws:iam::123456789012:role/env: ") == 0);
}

TEST_CASE("role profile settings are checked: credential_source, source and duration_seconds") {
    kinesis_test::AwsEnv env;
    env.write("config",
              "[profile bad_source]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Ec2\n"
              "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Environment\n"
              "source_profile = other\n"
              "[profile neither]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
              "[profile short]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Environment\n"
              "duration_seconds = 899\n"
              "[profile text]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Environment\n"
              "duration_seconds = 1h\n"
              "[profile lost]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = missing\n");
    CHECK(profile_error("bad_source").message ==
          "profile \"bad_source\": credential_source \"Ec2\" is not one of Environment, Ec2InstanceMetadata, "
          "EcsContainer");
    CHECK(profile_error("both").message ==
          "profile \"both\" sets both source_profile and credential_source; use one");
    CHECK(profile_error("neither").message ==
          "profile \"neither\" has role_arn but neither source_profile nor credential_source");
    CHECK(profile_error("short").message == "profile \"short\": duration_seconds is 899; the limit is 900 to 43200");
    CHECK(profile_error("text").message ==
          "profile \"text\": duration_seconds \"1h\" is not a whole number of seconds");
    CHECK(profile_error("lost").message.find("profile \"missing\" not found in ") == 0);
}

TEST_CASE("AssumeRoleCredentialsProvider refuses a null source") {
    CHECK_THROWS_AS(kinesis::AssumeRoleCredentialsProvider(nullptr, {}), kinesis::Exception);
}
