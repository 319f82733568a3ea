// SPDX-License-Identifier: Apache-2.0
// Definitions for core/error.hpp.
#ifndef KINESIS_CORE_IMPL_ERROR_INL_HPP
#define KINESIS_CORE_IMPL_ERROR_INL_HPP

#include <kinesis/core/error.hpp>

#include <algorithm>
#include <array>

namespace kinesis {

KINESIS_DECL std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::InvalidArgument: return "InvalidArgument";
        case ErrorKind::Transport: return "Transport";
        case ErrorKind::Timeout: return "Timeout";
        case ErrorKind::Throttled: return "Throttled";
        case ErrorKind::Service: return "Service";
        case ErrorKind::Parse: return "Parse";
        case ErrorKind::Credentials: return "Credentials";
        case ErrorKind::Stopped: return "Stopped";
        case ErrorKind::Certificate: return "Certificate";
    }
    return "Unknown";
}

namespace detail {

// botocore's standard retry mode lists these (botocore/retries/standard.py);
// Kinesis answers ProvisionedThroughputExceededException and LimitExceededException.
KINESIS_DECL bool is_throttling_code(std::string_view code) noexcept {
    static constexpr std::array<std::string_view, 15> codes{
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
        "ServiceUnavailableException",
    };
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

KINESIS_DECL bool is_transient_error(std::string_view code, int http_status) noexcept {
    static constexpr std::array<std::string_view, 5> codes{
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
        "InternalError", "InternalFailure",
    };
    if (std::find(codes.begin(), codes.end(), code) != codes.end()) return true;
    return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

}  // namespace detail

KINESIS_DECL bool Error::retryable() const noexcept {
    switch (kind) {
        case ErrorKind::Transport:
        case ErrorKind::Timeout:
        case ErrorKind::Throttled:
            return true;
        case ErrorKind::Service:
            return detail::is_throttling_code(code) || detail::is_transient_error(code, http_status);
        case ErrorKind::InvalidArgument:
        case ErrorKind::Parse:
        case ErrorKind::Credentials:
        case ErrorKind::Stopped:
        // The same certificate, CA bundle or pinned key fails the same way again.
        case ErrorKind::Certificate:
            return false;
    }
    return false;
}

KINESIS_DECL std::string Error::to_string() const {
    std::string out(kinesis::to_string(kind));
    if (!code.empty()) {
        out += ": ";
        out += code;
    }
    if (http_status != 0) out += fmt::format(" (HTTP {})", http_status);
    if (!message.empty()) {
        out += ": ";
        out += message;
    }
    if (!request_id.empty()) {
        out += " [request id ";
        out += request_id;
        out += ']';
    }
    return out;
}

KINESIS_DECL Error invalid_argument(std::string message) {
    Error error;
    error.kind = ErrorKind::InvalidArgument;
    error.message = std::move(message);
    return error;
}

}  // namespace kinesis

#endif  // KINESIS_CORE_IMPL_ERROR_INL_HPP
