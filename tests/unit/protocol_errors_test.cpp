// SPDX-License-Identifier: Apache-2.0
#include <kinesis/detail/protocol.hpp>

#include <kinesis/detail/json_reader.hpp>
#include <kinesis/detail/time.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

using kinesis::ErrorKind;
using kinesis::HttpRequest;
using kinesis::HttpResponse;
using kinesis::detail::extract_error;

namespace {

constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* fake_token = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDM";

HttpResponse answer(int status, std::string body, std::vector<kinesis::HttpHeader> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.body.reserve(response.body.size() + 64);  // as the transport does
    response.headers = std::move(headers);
    return response;
}

class FixedCredentials final : public kinesis::CredentialsProvider {
public:
    explicit FixedCredentials(std::string token = {}) : token_(std::move(token)) {}
    kinesis::Result<kinesis::Credentials> credentials() override {
        kinesis::Credentials c;
        c.access_key_id = "AKIDEXAMPLE";
        c.secret_access_key = kinesis::SecretString(fake_secret);
        if (!token_.empty()) c.session_token = kinesis::SecretString(token_);
        return c;
    }

private:
    std::string token_;
};

// A ServiceClient whose transport replays canned answers and records requests.
struct Harness {
    std::vector<HttpRequest> sent;
    std::deque<kinesis::Result<HttpResponse>> replies;
    std::vector<std::chrono::milliseconds> sleeps;
    std::vector<std::string> log_lines;
    std::chrono::system_clock::time_point now =
        std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
    std::unique_ptr<kinesis::detail::ServiceClient> client;

    explicit Harness(std::string token = {}) {
        kinesis::ClientConfig config;
        config.region = "us-east-1";
        config.endpoint = "http://127.0.0.1:1";
        config.credentials = std::make_shared<FixedCredentials>(std::move(token));
        config.log = [this](kinesis::LogLevel, std::string_view line) { log_lines.emplace_back(line); };
        config.log_level = kinesis::LogLevel::Trace;
        client = std::make_unique<kinesis::detail::ServiceClient>(
            config, kinesis::detail::ServiceInfo{"kinesis", "KINESIS", "kinesis"});
        client->set_transport([this](const HttpRequest& request) -> kinesis::Result<HttpResponse> {
            sent.push_back(request);
            REQUIRE_FALSE(replies.empty());
            auto reply = std::move(replies.front());
            replies.pop_front();
            return reply;
        });
        client->set_sleep([this](std::chrono::milliseconds d) { sleeps.push_back(d); });
        client->set_clock([this] { return now; });
    }
};

std::string header(const HttpRequest& request, std::string_view name) {
    const auto* h = request.find_header(name);
    return h != nullptr ? h->value : std::string();
}

}  // namespace

TEST_CASE("JSON errors give the code after '#', message or Message, and the request id header") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(400, R"({"__type":"com.amazonaws.kinesis#ResourceNotFoundException","message":"Stream s not found"})",
               {{"x-amzn-RequestId", "req-1"}}),
        parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.code == "ResourceNotFoundException");
    CHECK(error.message == "Stream s not found");
    CHECK(error.http_status == 400);
    CHECK(error.request_id == "req-1");
    CHECK_FALSE(error.retryable());

    error = extract_error(answer(400, R"({"__type":"ProvisionedThroughputExceededException","Message":"Rate exceeded"})",
                                 {{"X-Amz-Request-Id", "req-2"}}),
                          parser);
    CHECK(error.kind == ErrorKind::Throttled);
    CHECK(error.message == "Rate exceeded");
    CHECK(error.request_id == "req-2");
    CHECK(error.retryable());
}

TEST_CASE("the x-amzn-ErrorType header names the code when the body does not") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(400, "", {{"X-Amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/"}}), parser);
    CHECK(error.code == "ValidationException");
    CHECK(error.kind == ErrorKind::Service);
    error = extract_error(answer(400, "{}", {{"x-amzn-errortype", "ThrottlingException"}}), parser);
    CHECK(error.code == "ThrottlingException");
    CHECK(error.kind == ErrorKind::Throttled);
}

TEST_CASE("Query XML errors give Code, Message and RequestId") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(answer(403, R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>
    <Message>The request signature we calculated does not match &amp; so on</Message></Error>
  <RequestId>4c5b9a1e-0000</RequestId>
</ErrorResponse>)"),
                               parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.message == "The request signature we calculated does not match & so on");
    CHECK(error.request_id == "4c5b9a1e-0000");
    CHECK(error.http_status == 403);
}

TEST_CASE("S3 XML errors keep their RequestId inside Error") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(503, "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message>"
                    "<RequestId>TX1</RequestId><HostId>h</HostId></Error>"),
        parser);
    CHECK(error.code == "SlowDown");
    CHECK(error.kind == ErrorKind::Throttled);
    CHECK(error.request_id == "TX1");
}

TEST_CASE("a JSON service answering an auth failure in XML (as moto does) is still read") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(403,
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code>"
               "<Message>The request signature we calculated does not match the signature you provided.</Message>"
               "<Type>Sender</Type></Error></Errors></ErrorResponse>",
               {{"x-amzn-ErrorType", "SignatureDoesNotMatch"}, {"x-amzn-RequestId", "moto-1"}}),
        parser);
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.message.find("does not match") != std::string::npos);
    CHECK(error.request_id == "moto-1");
}

TEST_CASE("unreadable answers are Parse errors for 4xx and retryable Service errors for 5xx") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(answer(400, "<html><body>bad gateway</body>"), parser);
    CHECK(error.kind == ErrorKind::Parse);
    CHECK_FALSE(error.retryable());
    error = extract_error(answer(400, "{\"__type\": "), parser);
    CHECK(error.kind == ErrorKind::Parse);
    error = extract_error(answer(502, "<html>proxy</html>"), parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.retryable());
    error = extract_error(answer(429, ""), parser);
    CHECK(error.kind == ErrorKind::Throttled);
    CHECK(error.retryable());
}

TEST_CASE("call_json sends POST / with the JSON content type, target and a signature") {
    Harness h;
    h.replies.push_back(answer(200, R"({"StreamNames":[]})"));
    auto response = h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE(response);
    CHECK(response->body == R"({"StreamNames":[]})");
    REQUIRE(h.sent.size() == 1);
    const auto& request = h.sent[0];
    CHECK(request.method == "POST");
    CHECK(request.scheme == "http");
    CHECK(request.host == "127.0.0.1:1");
    CHECK(request.path == "/");
    CHECK(request.body == "{}");
    CHECK(header(request, "Content-Type") == "application/x-amz-json-1.1");
    CHECK(header(request, "X-Amz-Target") == "Kinesis_20131202.ListStreams");
    CHECK(header(request, "X-Amz-Date") == "20231114T221320Z");
    const auto auth = header(request, "Authorization");
    CHECK(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/us-east-1/kinesis/aws4_request", 0) == 0);
    CHECK(auth.find("x-amz-target") != std::string::npos);
}

TEST_CASE("call_query form-encodes Action, Version and parameters") {
    Harness h;
    h.replies.push_back(answer(200, "<ok/>"));
    REQUIRE(h.client->call_query("AssumeRole", "2011-06-15", {{"RoleSessionName", "a b/c"}, {"DurationSeconds", "900"}}));
    REQUIRE(h.sent.size() == 1);
    CHECK(h.sent[0].body == "Action=AssumeRole&Version=2011-06-15&RoleSessionName=a%20b%2Fc&DurationSeconds=900");
    CHECK(header(h.sent[0], "Content-Type") == "application/x-www-form-urlencoded; charset=utf-8");
}

TEST_CASE("call_rest keeps method, path, query and the requested payload hash") {
    Harness h;
    h.replies.push_back(answer(200, ""));
    kinesis::detail::RestRequest rest;
    rest.method = "PUT";
    rest.host = "bucket.127.0.0.1:1";
    rest.path = "/my%20key";
    rest.query = {{"partNumber", "1"}};
    rest.body = "data";
    rest.signing.double_uri_encode = false;
    rest.signing.normalize_path = false;
    rest.signing.add_content_sha256_header = true;
    rest.signing.payload_hash = "UNSIGNED-PAYLOAD";
    REQUIRE(h.client->call_rest(rest));
    const auto& request = h.sent.at(0);
    CHECK(request.method == "PUT");
    CHECK(request.host == "bucket.127.0.0.1:1");
    CHECK(request.path == "/my%20key");
    CHECK(request.query.size() == 1);
    CHECK(header(request, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");
}

TEST_CASE("throttling is retried up to max attempts with full-jitter sleeps, then returned") {
    Harness h;
    for (int i = 0; i < 3; ++i) {
        h.replies.push_back(answer(400, R"({"__type":"ThrottlingException","message":"slow down"})"));
    }
    auto response = h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_FALSE(response);
    CHECK(response.error().code == "ThrottlingException");
    CHECK(response.error().kind == ErrorKind::Throttled);
    CHECK(h.sent.size() == 3);
    REQUIRE(h.sleeps.size() <= 2);
    for (std::size_t i = 0; i < h.sleeps.size(); ++i) CHECK(h.sleeps[i] < std::chrono::milliseconds(100 << i));
    CHECK(h.client->retry_strategy().available_quota() == 490);
}

TEST_CASE("a retried call that succeeds refunds its quota; transport errors are retried") {
    Harness h;
    kinesis::Error refused;
    refused.kind = ErrorKind::Transport;
    refused.message = "connection refused";
    h.replies.push_back(refused);
    h.replies.push_back(answer(500, R"({"__type":"InternalFailure"})"));
    h.replies.push_back(answer(200, "{}"));
    REQUIRE(h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}"));
    CHECK(h.sent.size() == 3);
    CHECK(h.client->retry_strategy().available_quota() == 495);
}

TEST_CASE("a non-retryable error is returned after one attempt") {
    Harness h;
    h.replies.push_back(answer(400, R"({"__type":"ValidationException","message":"bad"})"));
    auto response = h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_FALSE(response);
    CHECK(response.error().code == "ValidationException");
    CHECK(h.sent.size() == 1);
    CHECK(h.sleeps.empty());
}

TEST_CASE("a skewed clock is corrected from the Date header and the call retried once") {
    Harness h;
    const auto server_time = h.now + std::chrono::hours(1);
    const auto date = "Tue, 14 Nov 2023 23:13:20 GMT";  // h.now + 1 h
    REQUIRE(*kinesis::detail::parse_http_date(date) == server_time);
    h.replies.push_back(answer(400, R"({"__type":"InvalidSignatureException","message":"Signature expired"})",
                               {{"Date", date}}));
    h.replies.push_back(answer(200, "{}"));
    REQUIRE(h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}"));
    REQUIRE(h.sent.size() == 2);
    CHECK(header(h.sent[0], "X-Amz-Date") == "20231114T221320Z");
    CHECK(header(h.sent[1], "X-Amz-Date") == "20231114T231320Z");
    CHECK(h.client->clock_skew() == std::chrono::hours(1));
    CHECK(h.sleeps.empty());

    // The learnt offset stays for later calls.
    h.replies.push_back(answer(200, "{}"));
    REQUIRE(h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}"));
    CHECK(header(h.sent[2], "X-Amz-Date") == "20231114T231320Z");
}

TEST_CASE("an auth failure from a server whose clock agrees with ours is not retried") {
    Harness h;
    h.replies.push_back(answer(403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>",
                               {{"Date", "Tue, 14 Nov 2023 22:13:21 GMT"}}));
    auto response = h.client->call_query("GetCallerIdentity", "2011-06-15");
    REQUIRE_FALSE(response);
    CHECK(response.error().code == "SignatureDoesNotMatch");
    CHECK(h.sent.size() == 1);
    CHECK(h.client->clock_skew() == std::chrono::milliseconds(0));
}

TEST_CASE("a skew error is corrected at most once per call") {
    Harness h;
    for (int i = 0; i < 2; ++i) {
        h.replies.push_back(answer(403, R"({"__type":"RequestExpired","message":"expired"})",
                                   {{"Date", i == 0 ? "Tue, 14 Nov 2023 23:13:20 GMT" : "Wed, 15 Nov 2023 23:13:20 GMT"}}));
    }
    auto response = h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_FALSE(response);
    CHECK(h.sent.size() == 2);
}

TEST_CASE("a fake secret and session token never reach a log line or an error, even when echoed") {
    Harness h(fake_token);
    // A server that echoes the secret in its error text.
    h.replies.push_back(answer(
        403,
        fmt::format(R"({{"__type":"UnrecognizedClientException","message":"key {} token {} rejected"}})", fake_secret,
                    fake_token),
        {{"x-amzn-RequestId", "r-1"}}));
    auto response = h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_FALSE(response);
    const auto text = response.error().to_string();
    CHECK(text.find(fake_secret) == std::string::npos);
    CHECK(text.find(fake_token) == std::string::npos);
    CHECK(text.find("UnrecognizedClientException") != std::string::npos);
    CHECK(text.find("r-1") != std::string::npos);
    // The request did carry the token and a signature: they were there to leak.
    REQUIRE(h.sent.size() == 1);
    CHECK(header(h.sent[0], "X-Amz-Security-Token") == fake_token);
    REQUIRE_FALSE(h.log_lines.empty());
    bool saw_headers = false;
    for (const auto& line : h.log_lines) {
        CAPTURE(line);
        CHECK(line.find(fake_secret) == std::string::npos);
        CHECK(line.find(fake_token) == std::string::npos);
        CHECK(line.find("Signature=") == std::string::npos);
        if (line.find("Authorization: <redacted>") != std::string::npos) saw_headers = true;
    }
    CHECK(saw_headers);
}

TEST_CASE("a timed-out attempt costs 10 quota tokens before its retry") {
    Harness h;
    kinesis::Error timed_out;
    timed_out.kind = ErrorKind::Timeout;
    timed_out.message = "request timed out";
    h.replies.push_back(timed_out);
    h.replies.push_back(timed_out);
    h.replies.push_back(timed_out);
    auto response = h.client->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == ErrorKind::Timeout);
    CHECK(h.sent.size() == 3);
    CHECK(h.client->retry_strategy().available_quota() == 480);
}

namespace {
class BrokenCredentials final : public kinesis::CredentialsProvider {
public:
    kinesis::Result<kinesis::Credentials> credentials() override {
        kinesis::Error error;
        error.kind = ErrorKind::Credentials;
        error.message = "no credentials in the chain";
        return error;
    }
};
}  // namespace

TEST_CASE("a credentials failure is returned before anything is sent") {
    kinesis::ClientConfig config;
    config.region = "eu-west-1";
    config.endpoint = "http://127.0.0.1:1";
    config.credentials = std::make_shared<BrokenCredentials>();
    kinesis::detail::ServiceClient client(config, {"sts", "STS", "sts"});
    int sent = 0;
    client.set_transport([&](const HttpRequest&) -> kinesis::Result<HttpResponse> {
        ++sent;
        return answer(200, "");
    });
    auto response = client.call_query("GetCallerIdentity", "2011-06-15");
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == ErrorKind::Credentials);
    CHECK(sent == 0);
    CHECK(client.region() == "eu-west-1");
}
