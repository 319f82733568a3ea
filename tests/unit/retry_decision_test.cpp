// SPDX-License-Identifier: Apache-2.0
#include <kinesis/protocol/detail/retry.hpp>

#include <kinesis/core/detail/time.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

using kinesis::Error;
using kinesis::ErrorKind;
using kinesis::HttpResponse;
using kinesis::detail::CallState;
using kinesis::detail::NextAction;
using kinesis::detail::next_step;
using kinesis::detail::RetryStrategy;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// 2023-11-14T22:13:20Z, and the same instant as an HTTP Date.
const std::chrono::system_clock::time_point now{seconds(1700000000)};
constexpr const char* now_date = "Tue, 14 Nov 2023 22:13:20 GMT";

Error service_error(std::string code, int status, ErrorKind kind = ErrorKind::Service) {
    Error error;
    error.kind = kind;
    error.code = std::move(code);
    error.http_status = status;
    return error;
}

Error throttled() { return service_error("ThrottlingException", 400, ErrorKind::Throttled); }
Error timed_out() { return service_error("", 0, ErrorKind::Timeout); }
Error refused() { return service_error("", 0, ErrorKind::Transport); }
Error bad_signature() { return service_error("SignatureDoesNotMatch", 403); }

HttpResponse answer_dated(int status, std::string date) {
    HttpResponse response;
    response.status = status;
    if (!date.empty()) response.headers.push_back({"Date", std::move(date)});
    return response;
}

// RFC 1123 in the C locale, as servers send it.
std::string http_date(std::chrono::system_clock::time_point t) {
    const std::time_t seconds_since_epoch = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds_since_epoch, &utc);
    char text[64];
    const auto size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return std::string(text, size);
}

}  // namespace

TEST_CASE("the HTTP date helper used below agrees with the parser") {
    CHECK(http_date(now) == now_date);
    CHECK(*kinesis::detail::parse_http_date(now_date) == now);
}

TEST_CASE("throttling is retried until max_attempts attempts, each delay full jitter under its ceiling") {
    for (int max_attempts : {1, 2, 3, 5, 8}) {
        CAPTURE(max_attempts);
        kinesis::RetryConfig config;
        config.max_attempts = max_attempts;
        RetryStrategy strategy(config);  // the real random source
        CallState call;
        int retries = 0;
        for (;;) {
            const auto step = next_step(throttled(), nullptr, call, strategy, now, milliseconds(0));
            if (step.action == NextAction::Stop) {
                CHECK(step.reason == "max attempts reached");
                break;
            }
            REQUIRE(step.action == NextAction::Retry);
            ++retries;
            CHECK(step.delay >= milliseconds(0));
            CHECK(step.delay < strategy.max_delay(retries));
            CHECK(call.retry.attempts == retries + 1);
            REQUIRE(retries < 100);
        }
        CHECK(retries == max_attempts - 1);
        CHECK(call.retry.attempts == max_attempts);
        CHECK(strategy.available_quota() == 500 - 5 * retries);
    }
}

TEST_CASE("retry delays follow the random source: 0.5 of 100, 200, 400 ms") {
    kinesis::RetryConfig config;
    config.max_attempts = 4;
    RetryStrategy strategy(config, [] { return 0.5; });
    CallState call;
    std::vector<milliseconds> delays;
    for (auto step = next_step(throttled(), nullptr, call, strategy, now, {}); step.action == NextAction::Retry;
         step = next_step(throttled(), nullptr, call, strategy, now, {})) {
        delays.push_back(step.delay);
    }
    CHECK(delays == std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200)});
}

TEST_CASE("a retry costs 5 quota tokens, one after a timeout 10, and success refunds the last") {
    kinesis::RetryConfig config;
    config.max_attempts = 10;
    RetryStrategy strategy(config, [] { return 0.0; });
    CallState call;
    CHECK(next_step(refused(), nullptr, call, strategy, now, {}).action == NextAction::Retry);
    CHECK(strategy.available_quota() == 495);
    CHECK(next_step(timed_out(), nullptr, call, strategy, now, {}).action == NextAction::Retry);
    CHECK(strategy.available_quota() == 485);
    CHECK(next_step(throttled(), nullptr, call, strategy, now, {}).action == NextAction::Retry);
    CHECK(strategy.available_quota() == 480);
    CHECK(next_step(timed_out(), nullptr, call, strategy, now, {}).action == NextAction::Retry);
    CHECK(strategy.available_quota() == 470);
    CHECK(call.retry.attempts == 5);
    strategy.on_success(call.retry);  // the call finally succeeds: its last retry's 10 come back
    CHECK(strategy.available_quota() == 480);

    CallState clean;
    strategy.on_success(clean.retry);  // a success without retries returns 1
    CHECK(strategy.available_quota() == 481);
}

TEST_CASE("an exhausted quota stops retries with its reason") {
    kinesis::RetryConfig config;
    config.max_attempts = 1000;
    config.quota = 12;
    RetryStrategy strategy(config, [] { return 0.0; });
    CallState call;
    CHECK(next_step(throttled(), nullptr, call, strategy, now, {}).action == NextAction::Retry);  // 12 -> 7
    CHECK(next_step(throttled(), nullptr, call, strategy, now, {}).action == NextAction::Retry);  // 7 -> 2
    const auto step = next_step(throttled(), nullptr, call, strategy, now, {});
    CHECK(step.action == NextAction::Stop);
    CHECK(step.reason == "retry quota exhausted");
    CHECK(strategy.available_quota() == 2);
    CHECK(call.retry.attempts == 3);
}

TEST_CASE("non-retryable errors stop at once, without quota or a new attempt") {
    const std::vector<Error> errors{
        service_error("ValidationException", 400),
        service_error("ResourceNotFoundException", 400),
        service_error("AccessDeniedException", 403),
        service_error("", 400, ErrorKind::Parse),
        service_error("", 0, ErrorKind::InvalidArgument),
        service_error("", 0, ErrorKind::Credentials),
        bad_signature(),
    };
    for (const auto& error : errors) {
        CAPTURE(error.to_string());
        RetryStrategy strategy({}, [] { return 0.0; });
        CallState call;
        auto response = answer_dated(error.http_status, now_date);
        const auto step = next_step(error, error.http_status != 0 ? &response : nullptr, call, strategy, now, {});
        CHECK(step.action == NextAction::Stop);
        CHECK(step.reason == "not retryable");
        CHECK(call.retry.attempts == 1);
        CHECK(strategy.available_quota() == 500);
    }
}

TEST_CASE("5xx answers and transport failures are retried") {
    RetryStrategy strategy({}, [] { return 0.0; });
    CallState a;
    const auto internal = service_error("InternalFailure", 500);
    auto response = answer_dated(500, now_date);
    CHECK(next_step(internal, &response, a, strategy, now, {}).action == NextAction::Retry);
    CallState b;
    CHECK(next_step(refused(), nullptr, b, strategy, now, {}).action == NextAction::Retry);
}

TEST_CASE("a skew code with a Date an hour ahead corrects the clock once, without quota or an attempt") {
    RetryStrategy strategy({}, [] { return 0.0; });
    CallState call;
    auto ahead = answer_dated(403, http_date(now + std::chrono::hours(1)));
    const auto step = next_step(service_error("InvalidSignatureException", 400), &ahead, call, strategy, now, {});
    CHECK(step.action == NextAction::RetrySkewCorrected);
    CHECK(step.clock_skew == std::chrono::hours(1));
    CHECK(step.delay == milliseconds(0));
    CHECK(call.skew_corrected);
    CHECK(call.retry.attempts == 1);
    CHECK(strategy.available_quota() == 500);

    // Still skewed after the correction (a day now): no second correction in this call,
    // and an auth failure is not retryable.
    auto further = answer_dated(403, http_date(now + std::chrono::hours(25)));
    const auto again =
        next_step(service_error("InvalidSignatureException", 400), &further, call, strategy, now, step.clock_skew);
    CHECK(again.action == NextAction::Stop);
    CHECK(again.reason == "not retryable");

    // The next call may correct again.
    CallState next_call;
    const auto later =
        next_step(service_error("InvalidSignatureException", 400), &further, next_call, strategy, now, step.clock_skew);
    CHECK(later.action == NextAction::RetrySkewCorrected);
    CHECK(later.clock_skew == std::chrono::hours(25));
}

TEST_CASE("a server clock behind ours gives a negative offset") {
    RetryStrategy strategy;
    CallState call;
    auto behind = answer_dated(403, http_date(now - std::chrono::minutes(30)));
    const auto step = next_step(service_error("RequestTimeTooSkewed", 403), &behind, call, strategy, now, {});
    CHECK(step.action == NextAction::RetrySkewCorrected);
    CHECK(step.clock_skew == -std::chrono::minutes(30));
}

TEST_CASE("no correction when the clocks agree, within the threshold, or with the offset already learnt") {
    RetryStrategy strategy({}, [] { return 0.0; });
    const auto check_stop = [&](const HttpResponse& response, milliseconds current_skew) {
        CallState call;
        const auto step = next_step(bad_signature(), &response, call, strategy, now, current_skew);
        CHECK(step.action == NextAction::Stop);
        CHECK_FALSE(call.skew_corrected);
    };
    check_stop(answer_dated(403, now_date), {});
    check_stop(answer_dated(403, http_date(now + seconds(1))), {});
    check_stop(answer_dated(403, http_date(now + kinesis::detail::clock_skew_threshold)), {});
    check_stop(answer_dated(403, http_date(now - kinesis::detail::clock_skew_threshold)), {});
    // Our clock is an hour slow, but we already sign an hour ahead: the signature is the problem.
    check_stop(answer_dated(403, http_date(now + std::chrono::hours(1))), std::chrono::hours(1));

    CallState call;
    auto just_over = answer_dated(403, http_date(now + kinesis::detail::clock_skew_threshold + seconds(1)));
    CHECK(next_step(bad_signature(), &just_over, call, strategy, now, {}).action == NextAction::RetrySkewCorrected);
}

TEST_CASE("no correction without an answer, a Date, a readable Date, or a skew code") {
    RetryStrategy strategy({}, [] { return 0.0; });
    const auto far = http_date(now + std::chrono::hours(2));
    {
        CallState call;
        CHECK(next_step(bad_signature(), nullptr, call, strategy, now, {}).action == NextAction::Stop);
    }
    for (const char* date : {"", "yesterday", "Tue, 14 Nov 2023"}) {
        CAPTURE(date);
        CallState call;
        auto response = answer_dated(403, date);
        CHECK(next_step(bad_signature(), &response, call, strategy, now, {}).action == NextAction::Stop);
        CHECK_FALSE(call.skew_corrected);
    }
    // Throttling with a far-off Date is retried as throttling, the clock left alone.
    CallState call;
    auto response = answer_dated(400, far);
    const auto step = next_step(throttled(), &response, call, strategy, now, {});
    CHECK(step.action == NextAction::Retry);
    CHECK_FALSE(call.skew_corrected);
    CHECK(strategy.available_quota() == 495);
}

TEST_CASE("the clock-skew codes are those the AWS SDKs adjust for") {
    for (const char* code : {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture",
                             "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
                             "RequestTimeTooSkewedException"}) {
        CAPTURE(code);
        CHECK(kinesis::detail::is_clock_skew_code(code));
    }
    for (const char* code : {"", "ThrottlingException", "ExpiredTokenException", "InvalidClientTokenId",
                             "signaturedoesnotmatch", "AccessDenied"}) {
        CAPTURE(code);
        CHECK_FALSE(kinesis::detail::is_clock_skew_code(code));
    }
}
