// SPDX-License-Identifier: Apache-2.0
// Definitions for http/detail/log.hpp.
#ifndef KINESIS_HTTP_DETAIL_IMPL_LOG_INL_HPP
#define KINESIS_HTTP_DETAIL_IMPL_LOG_INL_HPP

#include <kinesis/http/detail/log.hpp>
#include <kinesis/core/detail/uri.hpp>

#include <cctype>

namespace kinesis::detail {

namespace log_impl {
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}
constexpr std::string_view redacted = "<redacted>";
}  // namespace log_impl

KINESIS_DECL bool is_sensitive_header(std::string_view name) noexcept {
    return log_impl::iequals(name, "Authorization") || log_impl::iequals(name, "X-Amz-Security-Token") ||
           log_impl::iequals(name, "Proxy-Authorization");
}

KINESIS_DECL bool is_sensitive_query_param(std::string_view name) noexcept {
    return log_impl::iequals(name, "X-Amz-Signature") || log_impl::iequals(name, "X-Amz-Credential") ||
           log_impl::iequals(name, "X-Amz-Security-Token");
}

KINESIS_DECL std::string describe_request(const HttpRequest& request, bool headers) {
    std::string out = request.method;
    out += ' ';
    out += request.scheme;
    out += "://";
    out += request.host;
    out += request.path;
    char separator = '?';
    for (const auto& [name, value] : request.query) {
        out += separator;
        separator = '&';
        uri_encode(name, out);
        out += '=';
        if (is_sensitive_query_param(name)) {
            out += log_impl::redacted;
        } else {
            uri_encode(value, out);
        }
    }
    if (headers) {
        for (const auto& header : request.headers) {
            out += "\n  ";
            out += header.name;
            out += ": ";
            out += is_sensitive_header(header.name) ? log_impl::redacted : std::string_view(header.value);
        }
    }
    return out;
}

KINESIS_DECL void scrub(std::string& text, std::initializer_list<std::string_view> secrets) {
    for (const auto secret : secrets) {
        if (secret.empty()) continue;
        for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
            text.replace(at, secret.size(), log_impl::redacted);
            at += log_impl::redacted.size();
        }
    }
}

KINESIS_DECL void Logger::log(LogLevel level, std::string_view text) const {
    if (enabled(level)) hook_(level, text);
}

}  // namespace kinesis::detail

#endif  // KINESIS_HTTP_DETAIL_IMPL_LOG_INL_HPP
