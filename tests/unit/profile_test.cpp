// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/profile.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>

#include <string>

using kinesis::detail::parse_ini;

TEST_CASE("parse_ini reads sections, key = value pairs and skips comments") {
    auto file = parse_ini("# leading comment\n"
                          "[default]\n"
                          "region = eu-north-1\n"
                          "  ; indented comment\n"
                          "\n"
                          "[profile  dev]   # trailing comment\r\n"
                          "Region=us-west-2\r\n"
                          "endpoint_url = http://127.0.0.1:4566\n"
                          "empty =\n",
                          "config");
    REQUIRE(file);
    CHECK(file->exists);
    const auto* def = file->find("default");
    REQUIRE(def != nullptr);
    CHECK(def->get("region") == std::optional<std::string_view>("eu-north-1"));
    const auto* dev = file->find("profile dev");
    REQUIRE(dev != nullptr);
    CHECK(dev->get("region") == std::optional<std::string_view>("us-west-2"));  // keys are lowercased
    CHECK(dev->get("endpoint_url") == std::optional<std::string_view>("http://127.0.0.1:4566"));
    CHECK(dev->get("empty") == std::optional<std::string_view>(""));
    CHECK_FALSE(dev->get("missing"));
}

TEST_CASE("parse_ini keeps nested blocks under their key") {
    auto file = parse_ini("[services local]\n"
                          "kinesis =\n"
                          "  endpoint_url = http://127.0.0.1:4567\n"
                          "  other = x\n"
                          "s3 =\n"
                          "\tendpoint_url = http://127.0.0.1:9000\n"
                          "top = level\n",
                          "config");
    REQUIRE(file);
    const auto* services = file->find("services local");
    REQUIRE(services != nullptr);
    CHECK(services->nested.at("kinesis").at("endpoint_url") == "http://127.0.0.1:4567");
    CHECK(services->nested.at("kinesis").at("other") == "x");
    CHECK(services->nested.at("s3").at("endpoint_url") == "http://127.0.0.1:9000");
    CHECK(services->get("top") == std::optional<std::string_view>("level"));
}

TEST_CASE("malformed lines give an error naming the file and line, never the line's text") {
    SUBCASE("no equals sign") {
        auto file = parse_ini("[default]\nregion = x\n\naws_secret_access_key wJalrXUtnFEMI/K7MDENG\n", "/h/.aws/credentials");
        REQUIRE_FALSE(file);
        CHECK(file.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(file.error().message == "/h/.aws/credentials:4: expected \"key = value\"");
    }
    SUBCASE("unclosed section") {
        auto file = parse_ini("[default\n", "cfg");
        REQUIRE_FALSE(file);
        CHECK(file.error().message == "cfg:1: expected \"]\" to close the section name");
    }
    SUBCASE("setting before any section") {
        auto file = parse_ini("\n\nregion = x\n", "cfg");
        REQUIRE_FALSE(file);
        CHECK(file.error().message.rfind("cfg:3: expected a [section]", 0) == 0);
    }
    SUBCASE("empty key") {
        auto file = parse_ini("[a]\n = secretvalue\n", "cfg");
        REQUIRE_FALSE(file);
        CHECK(file.error().message.rfind("cfg:2:", 0) == 0);
        CHECK(file.error().message.find("secretvalue") == std::string::npos);
    }
}

TEST_CASE("load_ini treats a missing file as empty and reads a present one") {
    kinesis_test::AwsEnv env;
    auto missing = kinesis::detail::load_ini(env.path("nope"));
    REQUIRE(missing);
    CHECK_FALSE(missing->exists);
    CHECK(missing->sections.empty());
    const auto path = env.write("cfg", "[default]\nregion = ap-south-1\n");
    auto present = kinesis::detail::load_ini(path);
    REQUIRE(present);
    CHECK(present->exists);
    CHECK(present->find("default")->get("region") == std::optional<std::string_view>("ap-south-1"));
}

TEST_CASE("config profiles are [profile x] or [default], credentials profiles are [x]") {
    auto config = parse_ini("[default]\nregion = a\n[profile dev]\nregion = b\n[prod]\nregion = c\n", "config");
    REQUIRE(config);
    CHECK(kinesis::detail::find_config_profile(*config, "default")->get("region") == std::optional<std::string_view>("a"));
    CHECK(kinesis::detail::find_config_profile(*config, "dev")->get("region") == std::optional<std::string_view>("b"));
    CHECK(kinesis::detail::find_config_profile(*config, "prod") == nullptr);  // [prod] is not a config profile
    CHECK(kinesis::detail::find_credentials_profile(*config, "prod") != nullptr);
}

TEST_CASE("file paths and profile name come from the environment, with ~ expanded") {
    kinesis_test::AwsEnv env;
    env.set("HOME", "/home/tester");
    env.unset("AWS_CONFIG_FILE");
    env.unset("AWS_SHARED_CREDENTIALS_FILE");
    CHECK(kinesis::detail::config_file_path() == "/home/tester/.aws/config");
    CHECK(kinesis::detail::credentials_file_path() == "/home/tester/.aws/credentials");
    env.set("AWS_CONFIG_FILE", "~/elsewhere/cfg");
    CHECK(kinesis::detail::config_file_path() == "/home/tester/elsewhere/cfg");
    CHECK(kinesis::detail::profile_name("") == "default");
    env.set("AWS_PROFILE", "dev");
    CHECK(kinesis::detail::profile_name("") == "dev");
    CHECK(kinesis::detail::profile_name("explicit") == "explicit");
}
