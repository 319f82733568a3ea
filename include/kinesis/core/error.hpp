// SPDX-License-Identifier: Apache-2.0
// Error values, Result<T> (shaped like C++23 std::expected) and the opt-in exception.
#ifndef KINESIS_CORE_ERROR_HPP
#define KINESIS_CORE_ERROR_HPP

#include <kinesis/core/linkage.hpp>

#include <fmt/core.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace kinesis {

/// What went wrong, coarsely; `Error::code` carries the AWS code.
enum class ErrorKind {
    InvalidArgument,  ///< rejected before anything was sent
    Transport,        ///< connection refused, reset, DNS, TLS
    Timeout,          ///< connect or request timeout
    Throttled,        ///< the service asked us to slow down
    Service,          ///< any other error answer from the service
    Parse,            ///< the answer could not be read
    Credentials,      ///< no credentials, or a provider failed
    Stopped,          ///< the call's stop token was set before it completed
    Certificate,      ///< a TLS certificate failed verification or could not be loaded; never retried
};

/// "InvalidArgument", "Transport", ...
KINESIS_DECL std::string_view to_string(ErrorKind kind) noexcept;

/// One failed operation. Never holds a secret: messages are built from
/// names, sizes and the service's own text.
struct Error {
    ErrorKind kind = ErrorKind::Service;
    std::string code;        ///< AWS error code, e.g. "ResourceNotFoundException"; may be empty
    int http_status = 0;     ///< 0 when no answer arrived
    std::string message;     ///< human-readable, stable shape for our own errors
    std::string request_id;  ///< x-amzn-RequestId / x-amz-request-id / <RequestId>; may be empty

    /// Whether the standard retry strategy would try again (throttling,
    /// transient 5xx, timeouts and connection failures).
    [[nodiscard]] KINESIS_DECL bool retryable() const noexcept;

    /// One line: "Kind: Code (HTTP 400): message [request id ...]".
    [[nodiscard]] KINESIS_DECL std::string to_string() const;
};

/// An InvalidArgument error for input rejected before sending.
[[nodiscard]] KINESIS_DECL Error invalid_argument(std::string message);

namespace detail {
/// The one table of codes the standard retry mode treats as throttling.
[[nodiscard]] KINESIS_DECL bool is_throttling_code(std::string_view code) noexcept;
/// Codes and statuses that are transient: worth another attempt at full cost.
[[nodiscard]] KINESIS_DECL bool is_transient_error(std::string_view code, int http_status) noexcept;
}  // namespace detail

/// Thrown only by Result::value() on an error, and by constructors given a bad config.
class Exception : public std::runtime_error {
public:
    explicit Exception(Error error)
        : std::runtime_error(error.to_string()), error_(std::move(error)) {}
    [[nodiscard]] const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

/// Wraps an Error so a Result can be built from it unambiguously, like std::unexpected.
struct Failure {
    Error error;
};

/// A value or an Error. `if (!r)` tests for failure, `*r` / `r->` / `r.value()`
/// reach the value and throw kinesis::Exception on failure (where std::expected
/// leaves `*r` and `r->` undefined).
// A tagged union rather than std::variant<T, Error>: every Result<T> is
// instantiated in every header-only TU, and variant's machinery was a third
// of the compile time of <kinesis/kinesis.hpp>.
template <class T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    template <class U = T,
              std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                   !std::is_same_v<std::decay_t<U>, Result> &&
                                   !std::is_same_v<std::decay_t<U>, Error> &&
                                   !std::is_same_v<std::decay_t<U>, Failure>,
                               int> = 0>
    Result(U&& value) : value_(std::forward<U>(value)), ok_(true) {}  // NOLINT
    Result(Error error) : error_(std::move(error)), ok_(false) {}    // NOLINT
    Result(Failure failure) : error_(std::move(failure.error)), ok_(false) {}  // NOLINT

    Result(const Result& other) : ok_(other.ok_) {
        if (ok_) {
            ::new (static_cast<void*>(std::addressof(value_))) T(other.value_);
        } else {
            ::new (static_cast<void*>(std::addressof(error_))) Error(other.error_);
        }
    }
    Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(other.ok_) {
        if (ok_) {
            ::new (static_cast<void*>(std::addressof(value_))) T(std::move(other.value_));
        } else {
            ::new (static_cast<void*>(std::addressof(error_))) Error(std::move(other.error_));
        }
    }
    Result& operator=(const Result& other) {
        if (this != &other) assign(other);
        return *this;
    }
    Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T> &&
                                               std::is_nothrow_move_assignable_v<T>) {
        if (this != &other) assign(std::move(other));
        return *this;
    }
    ~Result() { destroy(); }

    [[nodiscard]] bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }

    T& value() & {
        throw_if_error();
        return value_;
    }
    const T& value() const& {
        throw_if_error();
        return value_;
    }
    T&& value() && {
        throw_if_error();
        return std::move(value_);
    }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return std::addressof(value()); }
    const T* operator->() const { return std::addressof(value()); }

    /// The error; only meaningful when !has_value().
    const Error& error() const& noexcept { return error_; }
    Error& error() & noexcept { return error_; }
    Error&& error() && noexcept { return std::move(error_); }

    template <class U>
    T value_or(U&& fallback) const& {
        return ok_ ? value_ : static_cast<T>(std::forward<U>(fallback));
    }

private:
    void throw_if_error() const {
        if (!ok_) throw Exception(error_);
    }
    void destroy() noexcept {
        if (ok_) {
            value_.~T();
        } else {
            error_.~Error();
        }
    }
    // Same alternative: assign in place. Otherwise the old one goes and the
    // new one is built; if that throws, *this holds an empty Error.
    template <class R>
    void assign(R&& other) {
        if (ok_ && other.ok_) {
            value_ = std::forward<R>(other).value_;
        } else if (!ok_ && !other.ok_) {
            error_ = std::forward<R>(other).error_;
        } else if (other.ok_) {
            error_.~Error();
            try {
                ::new (static_cast<void*>(std::addressof(value_))) T(std::forward<R>(other).value_);
            } catch (...) {
                ::new (static_cast<void*>(std::addressof(error_))) Error();
                throw;
            }
            ok_ = true;
        } else {
            Error error(std::forward<R>(other).error_);
            value_.~T();
            ::new (static_cast<void*>(std::addressof(error_))) Error(std::move(error));
            ok_ = false;
        }
    }

    union {
        T value_;
        Error error_;
    };
    bool ok_;
};

/// Result of an operation that returns nothing on success.
template <>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}                 // NOLINT
    Result(Failure failure) : error_(std::move(failure.error)) {}     // NOLINT

    [[nodiscard]] bool has_value() const noexcept { return !error_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const {
        if (error_) throw Exception(*error_);
    }
    const Error& error() const& noexcept { return *error_; }
    Error& error() & noexcept { return *error_; }
    Error&& error() && noexcept { return std::move(*error_); }

private:
    std::optional<Error> error_;
};

}  // namespace kinesis

template <>
struct fmt::formatter<kinesis::ErrorKind> {
    constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
    template <class FormatContext>
    auto format(kinesis::ErrorKind kind, FormatContext& ctx) const {
        return fmt::format_to(ctx.out(), "{}", kinesis::to_string(kind));
    }
};

template <>
struct fmt::formatter<kinesis::Error> {
    constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
    template <class FormatContext>
    auto format(const kinesis::Error& error, FormatContext& ctx) const {
        return fmt::format_to(ctx.out(), "{}", error.to_string());
    }
};

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/impl/error.inl.hpp>
#endif

#endif  // KINESIS_CORE_ERROR_HPP
