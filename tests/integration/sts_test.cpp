// SPDX-License-Identifier: Apache-2.0
// STS GetCallerIdentity against moto_server, plain and signature-verifying.
#include <kinesis/sts/sts_client.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/iam/iam_client.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "integration/endpoints.hpp"
#include "manual_clock.hpp"
#include "unit/aws_env.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

kinesis::ClientConfig config_for(const std::string& endpoint, std::string id, std::string secret) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = endpoint;
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(std::move(id), std::move(secret));
    return config;
}

}  // namespace

TEST_CASE("GetCallerIdentity against moto returns the account, ARN and user id") {
    kinesis::StsClient sts(config_for(kinesis_test::moto_endpoint(), "AKIAIOSFODNN7EXAMPLE", "anything"));
    CHECK(sts.endpoint() == kinesis_test::moto_endpoint());
    auto identity = sts.get_caller_identity();
    REQUIRE_MESSAGE(identity, (identity ? std::string() : identity.error().to_string()));
    CHECK(identity->account == "123456789012");
    CHECK(identity->arn.rfind("arn:aws:", 0) == 0);
    CHECK(identity->arn.find(identity->account) != std::string::npos);
    CHECK_FALSE(identity->user_id.empty());
}

TEST_CASE("GetCallerIdentity signed with the right key is accepted by signature-verifying moto") {
    kinesis::StsClient sts(config_for(kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
                                      kinesis_test::moto_verify_secret_access_key()));
    auto identity = sts.get_caller_identity();
    REQUIRE_MESSAGE(identity, (identity ? std::string() : identity.error().to_string()));
    CHECK(identity->account == "123456789012");
    CHECK(identity->arn.find(":user/") != std::string::npos);
    CHECK_FALSE(identity->user_id.empty());
}

TEST_CASE("a wrong secret is rejected with SignatureDoesNotMatch and a request id, and never shown") {
    std::vector<std::string> lines;
    auto config = config_for(kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(), fake_secret);
    config.log = [&](kinesis::LogLevel, std::string_view line) { lines.emplace_back(line); };
    config.log_level = kinesis::LogLevel::Trace;
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    REQUIRE_FALSE(identity);
    const auto& error = identity.error();
    CHECK(error.kind == kinesis::ErrorKind::Service);
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.http_status == 403);
    CHECK_FALSE(error.request_id.empty());
    CHECK_FALSE(error.retryable());
    const auto text = error.to_string();
    CHECK(text.find("SignatureDoesNotMatch") != std::string::npos);
    CHECK(text.find(fake_secret) == std::string::npos);
    REQUIRE_FALSE(lines.empty());
    for (const auto& line : lines) {
        CAPTURE(line);
        CHECK(line.find(fake_secret) == std::string::npos);
        CHECK(line.find("Signature=") == std::string::npos);
    }
}

TEST_CASE("an unknown access key id is rejected by signature-verifying moto") {
    kinesis::StsClient sts(config_for(kinesis_test::moto_verify_endpoint(), "AKIAUNKNOWNKEY000000", fake_secret));
    auto identity = sts.get_caller_identity();
    REQUIRE_FALSE(identity);
    CHECK(identity.error().code == "InvalidClientTokenId");
    CHECK(identity.error().http_status == 403);
}

TEST_CASE("a refused connection is a Transport error after the standard retries") {
    auto config = config_for("http://127.0.0.1:9", "AKIAIOSFODNN7EXAMPLE", "anything");
    config.retry.base_delay = std::chrono::milliseconds(1);
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    REQUIRE_FALSE(identity);
    CHECK(identity.error().kind == kinesis::ErrorKind::Transport);
}

namespace {

// Any principal of the test account may assume the role.
constexpr const char* account_trust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},)"
    R"("Action":"sts:AssumeRole"}]})";
constexpr const char* allow_all =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

template <class T>
std::string why(const kinesis::Result<T>& result) {
    return result ? std::string() : result.error().to_string();
}

// A role made through IamClient, allowed everything, deleted at the end.
struct TestRole {
    kinesis::IamClient iam;
    std::string name = kinesis_test::unique_name("assume-role");
    std::string arn;

    explicit TestRole(const kinesis::ClientConfig& config, std::string trust = account_trust) : iam(config) {
        kinesis::CreateRoleRequest request;
        request.role_name = name;
        request.assume_role_policy_document = std::move(trust);
        auto role = iam.create_role(request);
        REQUIRE_MESSAGE(role, why(role));
        arn = role->arn;
        auto policy = iam.put_role_policy(name, "all", allow_all);
        REQUIRE_MESSAGE(policy, why(policy));
    }
    ~TestRole() {
        CHECK(iam.delete_role_policy(name, "all"));
        CHECK(iam.delete_role(name));
    }
};

kinesis::ClientConfig moto_config() {
    return config_for(kinesis_test::moto_endpoint(), "testing", "testing");
}

kinesis::ClientConfig verify_config() {
    return config_for(kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
                      kinesis_test::moto_verify_secret_access_key());
}

kinesis::ClientConfig with_credentials(kinesis::ClientConfig config, const kinesis::Credentials& credentials) {
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(credentials);
    return config;
}

}  // namespace

TEST_CASE("AssumeRole on moto gives credentials that work for Kinesis and identify as the assumed role") {
    TestRole role(moto_config());
    kinesis::StsClient sts(moto_config());
    kinesis::AssumeRoleRequest request;
    request.role_arn = role.arn;
    request.role_session_name = "kinesis-test";
    request.duration = std::chrono::seconds(900);
    request.external_id = "external-1";
    auto assumed = sts.assume_role(request);
    REQUIRE_MESSAGE(assumed, why(assumed));
    CHECK(assumed->assumed_role_arn == "arn:aws:sts::123456789012:assumed-role/" + role.name + "/kinesis-test");
    CHECK(assumed->assumed_role_id.find(":kinesis-test") != std::string::npos);
    const auto& credentials = assumed->credentials;
    CHECK_FALSE(credentials.access_key_id.empty());
    CHECK_FALSE(credentials.secret_access_key.empty());
    CHECK_FALSE(credentials.session_token.empty());
    CHECK(credentials.provider_name == "AssumeRole");
    REQUIRE(credentials.expiration);
    const auto left = *credentials.expiration - std::chrono::system_clock::now();
    CHECK(left > std::chrono::minutes(10));
    CHECK(left <= std::chrono::seconds(905));

    kinesis::KinesisClient kinesis(with_credentials(moto_config(), credentials));
    auto streams = kinesis.list_streams();
    CHECK_MESSAGE(streams, why(streams));
    kinesis::StsClient as_role(with_credentials(moto_config(), credentials));
    auto identity = as_role.get_caller_identity();
    REQUIRE_MESSAGE(identity, why(identity));
    CHECK(identity->arn == assumed->assumed_role_arn);
}

TEST_CASE("AssumeRole on signature-verifying moto: the role's credentials sign accepted calls") {
    // Verifying moto checks the trust policy against the caller's exact ARN
    // (an account-root principal does not match), so the role trusts our user.
    kinesis::StsClient caller(verify_config());
    auto me = caller.get_caller_identity();
    REQUIRE_MESSAGE(me, why(me));
    TestRole role(verify_config(),
                  R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")" + me->arn +
                      R"("},"Action":"sts:AssumeRole"}]})");
    kinesis::StsClient sts(verify_config());
    kinesis::AssumeRoleRequest request;
    request.role_arn = role.arn;
    request.role_session_name = "verified";
    auto assumed = sts.assume_role(request);
    REQUIRE_MESSAGE(assumed, why(assumed));
    kinesis::StsClient as_role(with_credentials(verify_config(), assumed->credentials));
    auto identity = as_role.get_caller_identity();
    REQUIRE_MESSAGE(identity, why(identity));
    CHECK(identity->arn == "arn:aws:sts::123456789012:assumed-role/" + role.name + "/verified");
}

TEST_CASE("AssumeRoleCredentialsProvider never shows the source secret in errors or trace logs") {
    std::vector<std::string> lines;
    auto config = verify_config();
    config.log = [&](kinesis::LogLevel, std::string_view line) { lines.emplace_back(line); };
    config.log_level = kinesis::LogLevel::Trace;
    auto source = std::make_shared<kinesis::StaticCredentialsProvider>(kinesis_test::moto_verify_access_key_id(),
                                                                       kinesis_test::moto_verify_secret_access_key());
    // moto hands out credentials for a role it does not know, but signature-verifying
    // moto refuses a role whose trust policy names only the account root, not the caller:
    // a refusal that really happens, so the error path is checked every run.
    TestRole role(verify_config(), account_trust);
    kinesis::AssumeRoleRequest request;
    request.role_arn = role.arn;
    request.role_session_name = "refused";
    kinesis::AssumeRoleCredentialsProvider provider(source, request, config);
    auto credentials = provider.credentials();
    REQUIRE_FALSE(credentials);
    CHECK(credentials.error().kind == kinesis::ErrorKind::Credentials);
    CHECK(credentials.error().message.find("assume role " + role.arn + ": ") == 0);
    CHECK(credentials.error().message.find(kinesis_test::moto_verify_secret_access_key()) == std::string::npos);
    REQUIRE_FALSE(lines.empty());
    for (const auto& line : lines) CHECK(line.find(kinesis_test::moto_verify_secret_access_key()) == std::string::npos);
}

TEST_CASE("AssumeRoleCredentialsProvider caches the role's credentials and assumes again near expiry") {
    TestRole role(moto_config());
    auto now = std::chrono::system_clock::now();
    kinesis::RefreshOptions refresh;
    refresh.clock = kinesis_test::clock_at(now);
    kinesis::AssumeRoleRequest request;
    request.role_arn = role.arn;
    request.role_session_name = "refreshing";
    request.duration = std::chrono::seconds(900);
    kinesis::AssumeRoleCredentialsProvider provider(
        std::make_shared<kinesis::StaticCredentialsProvider>("testing", "testing"), request, moto_config(), refresh);
    auto first = provider.credentials();
    REQUIRE_MESSAGE(first, why(first));
    CHECK(first->provider_name == "AssumeRole");
    auto second = provider.credentials();
    REQUIRE(second);
    CHECK(provider.fetches() == 1);
    CHECK(second->access_key_id == first->access_key_id);

    // Inside the 5-minute refresh window: assumed again, new keys.
    REQUIRE(first->expiration);
    now = *first->expiration - std::chrono::minutes(4);
    auto third = provider.credentials();
    REQUIRE_MESSAGE(third, why(third));
    CHECK(provider.fetches() == 2);
    CHECK(third->access_key_id != first->access_key_id);
    CHECK(*third->expiration > *first->expiration - std::chrono::seconds(1));
}

TEST_CASE("role profiles resolve through STS, are cached, and refresh near expiry") {
    kinesis_test::AwsEnv env;
    env.set("AWS_ENDPOINT_URL_STS", kinesis_test::moto_endpoint());
    env.set("AWS_REGION", "us-east-1");
    TestRole role(moto_config());
    env.write("credentials", "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
    env.write("config", "[profile app]\nrole_arn = " + role.arn +
                            "\nsource_profile = base\nrole_session_name = app-session\nduration_seconds = 900\n"
                            "[profile chained]\nrole_arn = " + role.arn + "\nsource_profile = app\n"
                            "role_session_name = chained-session\n"
                            "[profile from_env]\nrole_arn = " + role.arn +
                            "\ncredential_source = Environment\nrole_session_name = env-session\n"
                            "external_id = ext-123\n");
    // Counts AssumeRole calls that reached moto.
    int assume_calls = 0;
    kinesis::ClientConfig sts_settings;
    sts_settings.log_level = kinesis::LogLevel::Debug;
    sts_settings.log = [&](kinesis::LogLevel, std::string_view line) {
        if (line.find("sts AssumeRole: HTTP 200") != std::string_view::npos) ++assume_calls;
    };
    auto now = std::chrono::system_clock::now();
    kinesis::RefreshOptions refresh;
    refresh.clock = kinesis_test::clock_at(now);

    SUBCASE("role_arn with source_profile") {
        kinesis::ProfileCredentialsProvider provider("app", refresh, sts_settings);
        auto credentials = provider.credentials();
        REQUIRE_MESSAGE(credentials, why(credentials));
        CHECK(credentials->provider_name == "AssumeRole");
        CHECK(assume_calls == 1);
        auto again = provider.credentials();
        REQUIRE(again);
        CHECK(assume_calls == 1);
        CHECK(again->access_key_id == credentials->access_key_id);
        kinesis::StsClient as_role(with_credentials(moto_config(), *credentials));
        auto identity = as_role.get_caller_identity();
        REQUIRE_MESSAGE(identity, why(identity));
        CHECK(identity->arn == "arn:aws:sts::123456789012:assumed-role/" + role.name + "/app-session");

        REQUIRE(credentials->expiration);
        now = *credentials->expiration - std::chrono::minutes(1);
        auto refreshed = provider.credentials();
        REQUIRE_MESSAGE(refreshed, why(refreshed));
        CHECK(assume_calls == 2);
        CHECK(refreshed->access_key_id != credentials->access_key_id);
    }
    SUBCASE("a role profile whose source is another role profile") {
        kinesis::ProfileCredentialsProvider provider("chained", refresh, sts_settings);
        auto credentials = provider.credentials();
        REQUIRE_MESSAGE(credentials, why(credentials));
        CHECK(assume_calls == 2);  // app's role, then chained's with app's credentials
        kinesis::StsClient as_role(with_credentials(moto_config(), *credentials));
        auto identity = as_role.get_caller_identity();
        REQUIRE_MESSAGE(identity, why(identity));
        CHECK(identity->arn == "arn:aws:sts::123456789012:assumed-role/" + role.name + "/chained-session");
    }
    SUBCASE("role_arn with credential_source Environment") {
        env.set("AWS_ACCESS_KEY_ID", "testing");
        env.set("AWS_SECRET_ACCESS_KEY", "testing");
        kinesis::ProfileCredentialsProvider provider("from_env", refresh, sts_settings);
        auto credentials = provider.credentials();
        REQUIRE_MESSAGE(credentials, why(credentials));
        REQUIRE(provider.credentials());
        CHECK(assume_calls == 1);
        kinesis::StsClient as_role(with_credentials(moto_config(), *credentials));
        auto identity = as_role.get_caller_identity();
        REQUIRE_MESSAGE(identity, why(identity));
        CHECK(identity->arn == "arn:aws:sts::123456789012:assumed-role/" + role.name + "/env-session");
    }
    SUBCASE("a client configured with the role profile calls Kinesis as the role") {
        kinesis::ClientConfig config;
        config.profile = "app";
        config.endpoint = kinesis_test::moto_endpoint();
        kinesis::KinesisClient kinesis(config);
        auto streams = kinesis.list_streams();
        CHECK_MESSAGE(streams, why(streams));
        kinesis::StsClient sts(config);
        auto identity = sts.get_caller_identity();
        REQUIRE_MESSAGE(identity, why(identity));
        CHECK(identity->arn == "arn:aws:sts::123456789012:assumed-role/" + role.name + "/app-session");
    }
}
