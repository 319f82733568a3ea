// SPDX-License-Identifier: Apache-2.0
// The logging hook with levels, and redaction of credentials before any text reaches it.
#ifndef KINESIS_HTTP_DETAIL_LOG_HPP
#define KINESIS_HTTP_DETAIL_LOG_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/http/transport.hpp>

#include <fmt/core.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace kinesis::detail {

/// Headers whose values are never shown: Authorization, X-Amz-Security-Token.
[[nodiscard]] KINESIS_DECL bool is_sensitive_header(std::string_view name) noexcept;
/// Query parameters never shown: X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token.
[[nodiscard]] KINESIS_DECL bool is_sensitive_query_param(std::string_view name) noexcept;

/// "POST https://host/path?a=b&X-Amz-Signature=<redacted>", and with
/// `headers` one "\n  Name: value" line per header, sensitive values
/// replaced by "<redacted>". Never includes the body.
[[nodiscard]] KINESIS_DECL std::string describe_request(const HttpRequest& request, bool headers);

/// Replaces every occurrence of each non-empty `secrets` entry in `text`
/// with "<redacted>": a second line of defence for text we did not build,
/// such as a service's error message echoing a request.
KINESIS_DECL void scrub(std::string& text, std::initializer_list<std::string_view> secrets);

/// The optional hook of a client with its threshold. Off (and free) when no
/// hook is set. Callers build text only after `enabled()` says so.
class Logger {
public:
    Logger() = default;
    Logger(LogHook hook, LogLevel level) : hook_(std::move(hook)), level_(level) {}

    [[nodiscard]] bool enabled(LogLevel level) const noexcept {
        return hook_ && level != LogLevel::Off && level >= level_;
    }
    /// Passes `text` to the hook if `level` is enabled. Text must already be
    /// redacted (describe_request, scrub): the hook sees it as is.
    KINESIS_DECL void log(LogLevel level, std::string_view text) const;

    template <class... Args>
    void logf(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
        if (enabled(level)) log(level, fmt::format(format, std::forward<Args>(args)...));
    }

private:
    LogHook hook_;
    LogLevel level_ = LogLevel::Off;
};

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/http/detail/impl/log.inl.hpp>
#endif

#endif  // KINESIS_HTTP_DETAIL_LOG_HPP
