// SPDX-License-Identifier: Apache-2.0
#include <kinesis/auth/credentials.hpp>

#include "aws_env.hpp"
#include "../manual_clock.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using kinesis::Credentials;
using kinesis::ErrorKind;
using kinesis::Result;
using time_point = std::chrono::system_clock::time_point;

namespace {

constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* fake_token = "FQoGZXIvYXdzEXAMPLETOKENSECRET";

// The error of a Result that must have failed; error() on a value is undefined.
template <class R>
kinesis::Error error_of(const R& result) {
    REQUIRE_FALSE(result);
    return result.error();
}

// A provider whose answers and time the test controls.
class FakeRefreshing final : public kinesis::RefreshingCredentialsProvider {
public:
    explicit FakeRefreshing(kinesis::RefreshOptions options) : RefreshingCredentialsProvider(std::move(options)) {}
    std::function<Result<Credentials>()> next;

protected:
    Result<Credentials> fetch() override { return next(); }
};

Credentials temporary(std::string id, time_point expires) {
    Credentials credentials;
    credentials.access_key_id = std::move(id);
    credentials.secret_access_key = kinesis::SecretString(fake_secret);
    credentials.session_token = kinesis::SecretString(fake_token);
    credentials.expiration = expires;
    return credentials;
}

kinesis::Error failure(std::string message) {
    kinesis::Error error;
    error.kind = ErrorKind::Credentials;
    error.message = std::move(message);
    return error;
}

class NamedFake final : public kinesis::CredentialsProvider {
public:
    NamedFake(std::string name, bool answers) : name_(std::move(name)), answers_(answers) {}
    Result<Credentials> credentials() override {
        ++calls;
        if (!answers_) return failure(name_ + " has nothing");
        Credentials credentials;
        credentials.access_key_id = name_;
        credentials.secret_access_key = kinesis::SecretString("s");
        return credentials;
    }
    std::string_view name() const noexcept override { return name_; }
    std::atomic<int> calls{0};

private:
    std::string name_;
    bool answers_;
};

// A listening socket nobody accepts on: a client that connects leaves an
// entry in its backlog, which a non-blocking accept finds.
class Listener {
public:
    Listener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(fd_, 16) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        ::fcntl(fd_, F_SETFL, O_NONBLOCK);
    }
    ~Listener() { ::close(fd_); }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] bool contacted() const {
        const int connection = ::accept(fd_, nullptr, nullptr);
        if (connection >= 0) ::close(connection);
        return connection >= 0;
    }

private:
    int fd_ = -1;
    unsigned short port_ = 0;
};

}  // namespace

TEST_CASE("StaticCredentialsProvider returns its credentials and rejects empty ones") {
    kinesis::StaticCredentialsProvider provider("AKIDEXAMPLE", fake_secret, fake_token);
    auto credentials = provider.credentials();
    REQUIRE(credentials);
    CHECK(credentials->access_key_id == "AKIDEXAMPLE");
    CHECK(credentials->secret_access_key.view() == fake_secret);
    CHECK(credentials->session_token.view() == fake_token);
    CHECK(credentials->provider_name == "Static");
    kinesis::StaticCredentialsProvider empty("AKIDEXAMPLE", "");
    CHECK(empty.credentials().error().kind == ErrorKind::Credentials);
}

TEST_CASE("EnvironmentCredentialsProvider reads the key, secret and optional session token") {
    kinesis_test::AwsEnv env;
    kinesis::EnvironmentCredentialsProvider provider;
    auto none = provider.credentials();
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::Credentials);
    CHECK(none.error().message.find("AWS_ACCESS_KEY_ID") != std::string::npos);

    env.set("AWS_SECRET_ACCESS_KEY", fake_secret);
    auto half = provider.credentials();
    REQUIRE_FALSE(half);
    CHECK(half.error().message == "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    CHECK(half.error().to_string().find(fake_secret) == std::string::npos);

    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    auto full = provider.credentials();
    REQUIRE(full);
    CHECK(full->access_key_id == "AKIDENV");
    CHECK(full->secret_access_key.view() == fake_secret);
    CHECK(full->session_token.empty());
    CHECK_FALSE(full->expiration);
    env.set("AWS_SESSION_TOKEN", fake_token);
    CHECK(provider.credentials()->session_token.view() == fake_token);
}

TEST_CASE("ProfileCredentialsProvider reads [name] from the credentials file before [profile name] in config") {
    kinesis_test::AwsEnv env;
    env.write("credentials", "[default]\naws_access_key_id = AKIDCREDDEFAULT\naws_secret_access_key = s1\n"
                             "[dev]\naws_access_key_id = AKIDCREDDEV\naws_secret_access_key = s2\n"
                             "aws_session_token = t2\n");
    env.write("config", "[profile dev]\naws_access_key_id = AKIDCONFIGDEV\naws_secret_access_key = s3\n"
                        "[profile ops]\naws_access_key_id = AKIDCONFIGOPS\naws_secret_access_key = s4\n"
                        "[ops]\naws_access_key_id = NOT_A_CONFIG_PROFILE\naws_secret_access_key = x\n");
    CHECK(kinesis::ProfileCredentialsProvider().credentials()->access_key_id == "AKIDCREDDEFAULT");
    auto dev = kinesis::ProfileCredentialsProvider("dev").credentials();
    REQUIRE(dev);
    CHECK(dev->access_key_id == "AKIDCREDDEV");
    CHECK(dev->secret_access_key.view() == "s2");
    CHECK(dev->session_token.view() == "t2");
    CHECK(dev->provider_name == "Profile");
    CHECK(kinesis::ProfileCredentialsProvider("ops").credentials()->access_key_id == "AKIDCONFIGOPS");
    env.set("AWS_PROFILE", "ops");
    CHECK(kinesis::ProfileCredentialsProvider().credentials()->access_key_id == "AKIDCONFIGOPS");
}

TEST_CASE("ProfileCredentialsProvider explains a missing or incomplete profile without secrets") {
    kinesis_test::AwsEnv env;
    auto missing = kinesis::ProfileCredentialsProvider("nope").credentials();
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "profile \"nope\" not found in " + env.path("credentials") + " or " +
                                         env.path("config"));
    env.write("credentials", std::string("[half]\naws_secret_access_key = ") + fake_secret +
                                 "\n[halfkey]\naws_access_key_id = AKID\naws_secret_access_key =\n");
    env.write("config", "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = half\n");
    auto half = kinesis::ProfileCredentialsProvider("half").credentials();
    REQUIRE_FALSE(half);
    CHECK(half.error().message.find("has no aws_access_key_id") != std::string::npos);
    CHECK(half.error().to_string().find(fake_secret) == std::string::npos);
    auto halfkey = kinesis::ProfileCredentialsProvider("halfkey").credentials();
    REQUIRE_FALSE(halfkey);
    CHECK(halfkey.error().message.find("needs both") != std::string::npos);
    auto role = kinesis::ProfileCredentialsProvider("role").credentials();
    REQUIRE_FALSE(role);
    CHECK(role.error().message.find("role_arn") != std::string::npos);
}

TEST_CASE("a malformed credentials file gives a Credentials error with file and line, never the secret") {
    kinesis_test::AwsEnv env;
    const auto path = env.write("credentials", std::string("[default]\naws_access_key_id = AKID\n") +
                                                   "aws_secret_access_key " + fake_secret + "\n");
    auto result = kinesis::ProfileCredentialsProvider().credentials();
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == ErrorKind::Credentials);
    CHECK(result.error().message == path + ":3: expected \"key = value\"");
    CHECK(result.error().to_string().find(fake_secret) == std::string::npos);
}

TEST_CASE("refreshing providers cache temporary credentials until the refresh window") {
    time_point now = std::chrono::system_clock::from_time_t(1'700'000'000);
    kinesis::RefreshOptions options;
    options.clock = kinesis_test::clock_at(now);
    FakeRefreshing provider(options);
    const time_point expires = now + 1h;
    int serial = 0;
    provider.next = [&]() -> Result<Credentials> { return temporary("AKID" + std::to_string(++serial), expires); };

    CHECK(provider.credentials()->access_key_id == "AKID1");
    now += 54min;  // 6 minutes left: still outside the 5-minute window
    CHECK(provider.credentials()->access_key_id == "AKID1");
    CHECK(provider.fetches() == 1);
    now += 2min;  // 4 minutes left: refresh
    CHECK(provider.credentials()->access_key_id == "AKID2");
    CHECK(provider.fetches() == 2);
}

TEST_CASE("the refresh window is configurable") {
    time_point now = std::chrono::system_clock::from_time_t(1'700'000'000);
    kinesis::RefreshOptions options;
    options.clock = kinesis_test::clock_at(now);
    options.refresh_before = 30min;
    FakeRefreshing provider(options);
    const time_point expires = now + 1h;
    provider.next = [&]() -> Result<Credentials> { return temporary("AKID", expires); };
    REQUIRE(provider.credentials());
    now += 29min;
    REQUIRE(provider.credentials());
    CHECK(provider.fetches() == 1);
    now += 2min;
    REQUIRE(provider.credentials());
    CHECK(provider.fetches() == 2);
}

TEST_CASE("a failed refresh keeps serving valid credentials, pauses, and fails once they expire") {
    time_point now = std::chrono::system_clock::from_time_t(1'700'000'000);
    kinesis::RefreshOptions options;
    options.clock = kinesis_test::clock_at(now);
    FakeRefreshing provider(options);
    const time_point expires = now + 1h;
    bool up = true;
    provider.next = [&]() -> Result<Credentials> {
        if (!up) return failure("source is down");
        return temporary("AKID", expires);
    };
    REQUIRE(provider.credentials());
    up = false;
    now = expires - 2min;
    CHECK(provider.credentials()->access_key_id == "AKID");  // refresh failed, old ones still valid
    CHECK(provider.fetches() == 2);
    now += 5s;
    CHECK(provider.credentials());  // within the pause: no new fetch
    CHECK(provider.fetches() == 2);
    now += 10s;
    CHECK(provider.credentials());
    CHECK(provider.fetches() == 3);
    now = expires;
    auto expired = provider.credentials();
    REQUIRE_FALSE(expired);
    CHECK(expired.error().message == "source is down");
}

TEST_CASE("long-term credentials from a refreshing provider are fetched once") {
    kinesis::RefreshOptions options;
    FakeRefreshing provider(options);
    provider.next = [&]() -> Result<Credentials> {
        Credentials credentials;
        credentials.access_key_id = "AKID";
        credentials.secret_access_key = kinesis::SecretString("s");
        return credentials;
    };
    for (int i = 0; i < 5; ++i) REQUIRE(provider.credentials());
    CHECK(provider.fetches() == 1);
}

TEST_CASE("concurrent callers share one fetch") {
    kinesis::RefreshOptions options;
    FakeRefreshing provider(options);
    std::atomic<int> calls{0};
    provider.next = [&]() -> Result<Credentials> {
        ++calls;
        std::this_thread::sleep_for(20ms);
        return temporary("AKID", std::chrono::system_clock::now() + 1h);
    };
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < 100; ++j) {
                if (provider.credentials()) ++ok;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(ok == 800);
    CHECK(calls == 1);
}

TEST_CASE("a chain asks in order, remembers who answered, and lists every failure") {
    auto first = std::make_shared<NamedFake>("First", false);
    auto second = std::make_shared<NamedFake>("Second", true);
    auto third = std::make_shared<NamedFake>("Third", true);
    kinesis::CredentialsProviderChain chain({first, second, third});
    CHECK(chain.answered_by().empty());
    CHECK(chain.credentials()->access_key_id == "Second");
    CHECK(chain.credentials()->access_key_id == "Second");
    CHECK(chain.answered_by() == "Second");
    CHECK(first->calls == 1);
    CHECK(second->calls == 2);
    CHECK(third->calls == 0);

    kinesis::CredentialsProviderChain empty({std::make_shared<NamedFake>("A", false), std::make_shared<NamedFake>("B", false)});
    auto none = empty.credentials();
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::Credentials);
    CHECK(none.error().message == "no credentials found; tried A: A has nothing; B: B has nothing");
}

TEST_CASE("the default chain prefers the environment, then the profile") {
    kinesis_test::AwsEnv env;
    env.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
    {
        kinesis::DefaultCredentialsChain chain;
        CHECK(chain.credentials()->access_key_id == "AKIDFILE");
        CHECK(chain.answered_by() == "Profile");
    }
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", fake_secret);
    kinesis::DefaultCredentialsChain chain;
    CHECK(chain.credentials()->access_key_id == "AKIDENV");
    CHECK(chain.answered_by() == "Environment");
}

TEST_CASE("a named profile that neither shared file has fails the default chain, even with keys in the environment") {
    kinesis_test::AwsEnv env;
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", fake_secret);
    env.write("credentials", "[other]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
    env.write("config", "[profile another]\nregion = eu-north-1\n[typo]\nregion = eu-north-1\n");
    const std::string files = env.path("credentials") + " or " + env.path("config");

    env.set("AWS_PROFILE", "typo");  // [typo] in the config file is no profile: [profile typo] would be
    kinesis::DefaultCredentialsChain from_env;
    auto missing = from_env.credentials();
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == ErrorKind::Credentials);
    CHECK(missing.error().message == "profile \"typo\" (from AWS_PROFILE) not found in " + files);
    CHECK(from_env.answered_by().empty());

    kinesis::DefaultCredentialsChain explicit_name("nope");  // beats AWS_PROFILE
    CHECK(error_of(explicit_name.credentials()).message == "profile \"nope\" not found in " + files);

    env.set("AWS_PROFILE", "default");  // named, so it must exist, as in botocore
    CHECK(error_of(kinesis::DefaultCredentialsChain().credentials()).message ==
          "profile \"default\" (from AWS_PROFILE) not found in " + files);
}

TEST_CASE("a named profile in either shared file, or none named, lets the environment's keys answer") {
    kinesis_test::AwsEnv env;
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", fake_secret);
    {
        kinesis::DefaultCredentialsChain chain;  // the implicit "default" may be absent
        CHECK(chain.credentials()->access_key_id == "AKIDENV");
    }
    env.write("credentials", "[in-credentials]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
    env.write("config", "[profile in-config]\nregion = eu-north-1\n");
    for (const char* name : {"in-credentials", "in-config"}) {
        CAPTURE(name);
        env.set("AWS_PROFILE", name);
        kinesis::DefaultCredentialsChain chain;
        auto credentials = chain.credentials();
        REQUIRE(credentials);
        CHECK(credentials->access_key_id == "AKIDENV");
        CHECK(chain.answered_by() == "Environment");
    }
}

TEST_CASE("the default chain makes no network call at construction, nor when the environment answers") {
    kinesis_test::AwsEnv env;
    Listener container;
    Listener metadata;
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds");
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", metadata.url());
    env.unset("AWS_EC2_METADATA_DISABLED");
    kinesis::DefaultCredentialsChain chain;
    std::this_thread::sleep_for(50ms);
    CHECK_FALSE(container.contacted());
    CHECK_FALSE(metadata.contacted());
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", fake_secret);
    REQUIRE(chain.credentials());
    CHECK_FALSE(container.contacted());
    CHECK_FALSE(metadata.contacted());
}

TEST_CASE("when nothing answers, the default chain's error names each provider and why, without secrets") {
    kinesis_test::AwsEnv env;
    env.set("AWS_SECRET_ACCESS_KEY", fake_secret);  // half-configured: no key id
    env.write("config", std::string("[default]\nregion = x\naws_secret_access_key = ") + fake_secret + "\n");
    kinesis::DefaultCredentialsChain chain;
    auto none = chain.credentials();
    REQUIRE_FALSE(none);
    const std::string text = none.error().to_string();
    CAPTURE(text);
    CHECK(none.error().kind == ErrorKind::Credentials);
    CHECK(text.find("Environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") != std::string::npos);
    CHECK(text.find("Profile: profile \"default\" has no aws_access_key_id") != std::string::npos);
    CHECK(text.find("Container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set") !=
          std::string::npos);
    CHECK(text.find("InstanceMetadata: disabled by AWS_EC2_METADATA_DISABLED") != std::string::npos);
    CHECK(text.find(fake_secret) == std::string::npos);
    CHECK(chain.answered_by().empty());
}

TEST_CASE("the container provider allows plain http only to local agents, before any connection") {
    kinesis_test::AwsEnv env;
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://198.51.100.7/creds");
    kinesis::ContainerCredentialsProvider provider;
    auto refused = provider.credentials();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::Credentials);
    CHECK(refused.error().message.find("plain http is allowed only") != std::string::npos);
}

TEST_CASE("an unreachable container endpoint is a Credentials error naming the URL, not the token") {
    kinesis_test::AwsEnv env;
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", fake_token);
    kinesis::ContainerCredentialsProvider provider;
    auto result = provider.credentials();
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == ErrorKind::Credentials);
    CHECK(result.error().message.find("127.0.0.1:1/creds") != std::string::npos);
    CHECK(result.error().to_string().find(fake_token) == std::string::npos);
}

TEST_CASE("make_credentials_provider uses config.credentials when set") {
    kinesis::ClientConfig config;
    auto explicit_provider = std::make_shared<kinesis::StaticCredentialsProvider>("AKIDX", "s");
    config.credentials = explicit_provider;
    CHECK(kinesis::make_credentials_provider(config) == explicit_provider);
    config.credentials.reset();
    auto chain = kinesis::make_credentials_provider(config);
    REQUIRE(chain);
    CHECK(chain->name() == "DefaultChain");
}
